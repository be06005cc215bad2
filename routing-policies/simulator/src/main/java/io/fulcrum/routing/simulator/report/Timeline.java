package io.fulcrum.routing.simulator.report;

import java.util.Map;

/**
 * A run minute by minute (by arrival), to see how a policy reacts to a brownout or an outage.
 *
 * @param requests requests arriving in each minute
 * @param met those of them served within their SLO
 * @param servedBy per deployment, requests of each minute it served
 */
public record Timeline(long[] requests, long[] met, Map<String, long[]> servedBy) {

	/** Attainment of minute {@code minute}, or NaN when no request arrived in it. */
	public double attainment(int minute) {
		return this.requests[minute] == 0 ? Double.NaN : this.met[minute] / (double) this.requests[minute];
	}

}
