package io.fulcrum.routing.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.fulcrum.routing.simulator.model.Simulation;
import io.fulcrum.routing.simulator.policy.PolicyChoice;
import io.fulcrum.routing.simulator.report.JsonWriter;
import io.fulcrum.routing.simulator.report.PolicyResult;
import io.fulcrum.routing.simulator.report.Report;
import io.fulcrum.routing.simulator.report.SvgPlot;
import io.fulcrum.routing.simulator.report.TableWriter;
import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.simulator.trace.TraceRequest;

/** Runs every chosen policy on the same scenario, trace and seed, and writes the results. */
public final class SimulatorRunner {

	/** File names written by {@link #write}. */
	public static final String JSON = "results.json";

	public static final String TABLE = "results.txt";

	public static final String PLOT = "cost-vs-attainment.svg";

	private SimulatorRunner() {
	}

	/**
	 * @param progress told about each policy as it finishes (e.g. to print a line)
	 */
	public static Report run(Scenario scenario, List<TraceRequest> trace, String traceName,
			List<PolicyChoice> policies, long seed, int repeat, Consumer<PolicyResult> progress) {
		return run(scenario, trace, traceName, policies, seed, repeat, 0, progress);
	}

	/**
	 * @param explainEvery print every n-th decision's explanation to standard error (0: none)
	 * @param progress told about each policy as it finishes (e.g. to print a line)
	 */
	public static Report run(Scenario scenario, List<TraceRequest> trace, String traceName,
			List<PolicyChoice> policies, long seed, int repeat, int explainEvery, Consumer<PolicyResult> progress) {
		List<PolicyResult> results = new ArrayList<>();
		for (PolicyChoice policy : policies) {
			PolicyResult result = new Simulation(scenario, trace, policy, seed).explain(explainEvery, System.err).run();
			progress.accept(result);
			results.add(result);
		}
		return new Report(scenario.name(), traceName, seed, repeat, results);
	}

	/** Writes the table, the JSON and the plot into {@code directory}, creating it if needed. */
	public static List<Path> write(Report report, Path directory) throws IOException {
		Files.createDirectories(directory);
		Path table = directory.resolve(TABLE);
		Path json = directory.resolve(JSON);
		Path plot = directory.resolve(PLOT);
		Files.writeString(table, TableWriter.render(report), StandardCharsets.UTF_8);
		Files.writeString(json, JsonWriter.render(report), StandardCharsets.UTF_8);
		Files.writeString(plot, SvgPlot.render(report), StandardCharsets.UTF_8);
		return List.of(table, json, plot);
	}

}
