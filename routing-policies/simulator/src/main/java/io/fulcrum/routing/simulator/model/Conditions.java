package io.fulcrum.routing.simulator.model;

import java.util.List;

import io.fulcrum.routing.simulator.scenario.Window;

/** The brownouts and outages of one deployment, looked up by virtual time. */
final class Conditions {

	private final Window[] windows;

	private final double baseErrorRate;

	Conditions(List<Window> windows, double baseErrorRate) {
		this.windows = windows.toArray(Window[]::new);
		this.baseErrorRate = baseErrorRate;
	}

	/** Latency multiplier at {@code at}: the product of the brownouts covering it (and of repeated traces). */
	double slowdown(long at) {
		double factor = 1;
		for (Window window : this.windows) {
			if (window.kind() == Window.Kind.BROWNOUT && window.covers(at)) {
				factor *= window.factor();
			}
		}
		return factor;
	}

	/** Probability that an attempt started at {@code at} fails. */
	double errorRate(long at) {
		double success = 1 - this.baseErrorRate;
		for (Window window : this.windows) {
			if (window.kind() == Window.Kind.OUTAGE && window.covers(at)) {
				success *= 1 - window.errorRate();
			}
		}
		return 1 - success;
	}

}
