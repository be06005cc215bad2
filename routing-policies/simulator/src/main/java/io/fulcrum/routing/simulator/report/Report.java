package io.fulcrum.routing.simulator.report;

import java.util.List;

/**
 * Everything one simulator run produced: the results of every policy on the same scenario, trace and luck.
 *
 * @param scenario the scenario's name
 * @param trace the trace's file name
 * @param seed the seed
 * @param repeat how many times the trace was replayed back to back
 * @param results one per policy, in the order run
 */
public record Report(String scenario, String trace, long seed, int repeat, List<PolicyResult> results) {

	public Report {
		results = List.copyOf(results);
	}

}
