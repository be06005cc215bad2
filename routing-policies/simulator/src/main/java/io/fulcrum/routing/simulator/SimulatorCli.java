package io.fulcrum.routing.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.fulcrum.routing.simulator.policy.PolicyChoice;
import io.fulcrum.routing.simulator.policy.Policies;
import io.fulcrum.routing.simulator.report.Report;
import io.fulcrum.routing.simulator.report.TableWriter;
import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.simulator.scenario.ScenarioException;
import io.fulcrum.routing.simulator.scenario.ScenarioLoader;
import io.fulcrum.routing.simulator.trace.Replay;
import io.fulcrum.routing.simulator.trace.TraceFormatException;
import io.fulcrum.routing.simulator.trace.TraceReader;
import io.fulcrum.routing.simulator.trace.TraceRequest;

/**
 * The command line: replays a trace against a scenario with several policies and prints the comparison. Exit
 * codes: 0 done, 2 bad input (arguments, scenario, trace), 1 anything else.
 */
public final class SimulatorCli {

	static final int OK = 0;

	static final int BAD_INPUT = 2;

	static final int FAILED = 1;

	private static final String USAGE = """
			Usage: java -jar fulcrum-routing-simulator-all.jar --scenario FILE --trace FILE [options]

			Replays a request trace in virtual time against a scenario's deployments and compares routing policies.

			  --scenario FILE   scenario YAML (deployments, brownouts, SLO classes, Fulcrum policy)
			  --trace FILE      CSV trace: Azure format (TIMESTAMP,ContextTokens,GeneratedTokens) or
			                    arrival_s,prompt_tokens,output_tokens[,tenant][,slo_class]
			  --policies LIST   comma-separated, default all: %s
			  --seed N          luck of the run (default 1); same seed, same results
			  --out DIR         also write results.txt, results.json and cost-vs-attainment.svg there
			  --repeat N        replay the trace N times back to back (e.g. to measure speed)
			  --limit N         only the first N requests of the trace
			  --explain N       print every N-th routing decision with each candidate's scores (stderr)
			  --help            this text

			Attainment counts every request: rejected (shed) and failed requests are SLO misses.
			""";

	private SimulatorCli() {
	}

	public static void main(String[] args) {
		int code = run(args, System.out, System.err);
		if (code != OK) {
			System.exit(code);
		}
	}

	/** Runs the command line; returns the exit code. */
	static int run(String[] args, PrintStream out, PrintStream err) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			err.println("error: " + ex.getMessage());
			err.println("Try --help.");
			return BAD_INPUT;
		}
		if (options.help) {
			out.print(usage());
			return OK;
		}
		try {
			Scenario scenario = ScenarioLoader.load(options.scenario);
			List<TraceRequest> trace = Replay.repeat(Replay.limit(TraceReader.read(options.trace), options.limit),
					options.repeat);
			out.printf(Locale.ROOT, "%d requests, %d deployments, policies %s%n", trace.size(),
					scenario.deployments().size(), options.policies.stream().map(PolicyChoice::name).toList());
			Report report = SimulatorRunner.run(scenario, trace, options.trace.getFileName().toString(),
					options.policies, options.seed, options.repeat, options.explain, result -> out.printf(Locale.ROOT,
							"  %-12s done in %.2f s (%,.0f requests/min)%n", result.policy(),
							result.wallNanos() / 1e9, result.requestsPerWallMinute()));
			out.println();
			out.print(TableWriter.render(report));
			if (options.out != null) {
				for (Path written : SimulatorRunner.write(report, options.out)) {
					out.println("wrote " + written);
				}
			}
			return OK;
		}
		catch (ScenarioException | TraceFormatException | IllegalArgumentException ex) {
			err.println("error: " + ex.getMessage());
			return BAD_INPUT;
		}
		catch (IOException ex) {
			err.println("error: cannot read or write a file: " + ex);
			return BAD_INPUT;
		}
		catch (RuntimeException ex) {
			err.println("error: the simulation failed: " + ex);
			ex.printStackTrace(err);
			return FAILED;
		}
	}

	static String usage() {
		return String.format(Locale.ROOT, USAGE,
				String.join(",", Policies.all().stream().map(PolicyChoice::name).toList()));
	}

	/** Parsed arguments. */
	private static final class Options {

		boolean help;

		Path scenario;

		Path trace;

		List<PolicyChoice> policies = Policies.all();

		long seed = 1;

		Path out;

		int repeat = 1;

		int limit;

		int explain;

		static Options parse(String[] args) {
			Options options = new Options();
			for (int i = 0; i < args.length; i++) {
				String arg = args[i];
				if (arg.equals("--help") || arg.equals("-h")) {
					options.help = true;
					return options;
				}
				String name = arg;
				String value;
				int eq = arg.indexOf('=');
				if (arg.startsWith("--") && eq > 0) {
					name = arg.substring(0, eq);
					value = arg.substring(eq + 1);
				}
				else {
					if (i + 1 >= args.length) {
						throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value"
								: "unexpected argument '" + arg + "'");
					}
					value = args[++i];
				}
				switch (name) {
					case "--scenario" -> options.scenario = existing(value, name);
					case "--trace" -> options.trace = existing(value, name);
					case "--policies" -> options.policies = Policies.parse(value);
					case "--seed" -> options.seed = number(value, name, Long.MIN_VALUE);
					case "--out" -> options.out = Path.of(value);
					case "--repeat" -> options.repeat = (int) number(value, name, 1);
					case "--limit" -> options.limit = (int) number(value, name, 1);
					case "--explain" -> options.explain = (int) number(value, name, 1);
					default -> throw new IllegalArgumentException("unknown option '" + name + "'");
				}
			}
			if (options.scenario == null || options.trace == null) {
				throw new IllegalArgumentException("--scenario and --trace are required");
			}
			return options;
		}

		private static Path existing(String value, String option) {
			Path path = Path.of(value);
			if (!Files.isRegularFile(path)) {
				throw new IllegalArgumentException(option + ": no such file '" + value + "'");
			}
			return path;
		}

		private static long number(String value, String option, long min) {
			try {
				long number = Long.parseLong(value.trim());
				long max = option.equals("--seed") ? Long.MAX_VALUE : Integer.MAX_VALUE;
				if (number >= min && number <= max) {
					return number;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new IllegalArgumentException(option + " needs a whole number" + (min > Long.MIN_VALUE ? " >= " + min
					: "") + ", got '" + value + "'");
		}

	}

}
