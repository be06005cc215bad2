package io.fulcrum.routing.simulator.model;

import io.fulcrum.routing.telemetry.Outcome;

/** Where deployments report how attempts ended. */
interface Outcomes {

	/** The attempt's first token arrived, {@code ttftNanos} after its submission. */
	void firstToken(Flight flight, SimDeployment deployment, long ttftNanos, long now);

	/** The attempt succeeded; {@code ttftNanos} counts from the attempt's submission. */
	void succeeded(Flight flight, SimDeployment deployment, long ttftNanos, long now);

	/** The attempt failed; the request falls back. */
	void failed(Flight flight, SimDeployment deployment, Outcome outcome, long now);

}
