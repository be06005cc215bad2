package io.fulcrum.simulator;

import java.io.PrintStream;

/**
 * Runs a simulator from the command line, for demos and load benchmarks:
 * {@code java -jar fulcrum-provider-simulator-<version>-all.jar --port=8181 --ttft-ms=200 --tps=50}.
 *
 * <p>Options: {@code --port=N} (default 8181), {@code --host=H} (default 127.0.0.1), {@code --ttft-ms=N}
 * (median time to first token), {@code --ttft-p99-ms=N} (default: the median, a constant delay),
 * {@code --tps=N} (tokens per second, 0 for unlimited), {@code --output-tokens=N}, {@code --api-key=K}.
 * Blocks until the process is stopped.
 */
public final class SimulatorMain {

	private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

	private SimulatorMain() {
	}

	public static void main(String[] args) {
		SimulatorOptions options;
		try {
			options = parse(args);
		}
		catch (IllegalArgumentException ex) {
			usage(System.err, ex.getMessage());
			System.exit(2);
			return;
		}
		// Logback's default is DEBUG for everything, far too noisy for a benchmark; set before any logger exists.
		if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
			System.setProperty(LOGBACK_CONFIGURATION, "fulcrum-simulator-logback.xml");
		}
		ProviderSimulator simulator = ProviderSimulator.start(options);
		Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "provider-simulator-shutdown"));
		System.out.println("provider-simulator listening on " + simulator.baseUrl());
		simulator.onClose().block();
	}

	static SimulatorOptions parse(String[] args) {
		SimulatorOptions options = SimulatorOptions.defaults().withPort(8181);
		ModelProfile profile = ModelProfile.DEFAULT;
		Long ttftP99Ms = null;
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("unexpected argument '" + arg + "'");
			}
			String name = arg.substring(2, equals);
			String value = arg.substring(equals + 1);
			switch (name) {
				case "port" -> options = options.withPort(integer(name, value));
				case "host" -> options = options.withHost(value);
				case "ttft-ms" -> profile = profile.withTtft(integer(name, value), profile.ttftP99Ms());
				case "ttft-p99-ms" -> ttftP99Ms = (long) integer(name, value);
				case "tps" -> profile = profile.withTokensPerSecond(number(name, value));
				case "output-tokens" -> profile = profile.withDefaultOutputTokens(integer(name, value));
				case "api-key" -> options = options.withApiKey(value.isEmpty() ? null : value);
				default -> throw new IllegalArgumentException("unknown option '--" + name + "'");
			}
		}
		if (ttftP99Ms != null) {
			profile = profile.withTtft(profile.ttftMedianMs(), ttftP99Ms);
		}
		return options.withDefaultProfile(profile);
	}

	private static int integer(String name, String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be an integer, not '" + value + "'");
		}
	}

	private static double number(String name, String value) {
		try {
			return Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'");
		}
	}

	private static void usage(PrintStream out, String problem) {
		out.println("provider-simulator: " + problem);
		out.println("usage: java -jar fulcrum-provider-simulator-all.jar [--port=8181] [--host=127.0.0.1]"
				+ " [--ttft-ms=N] [--ttft-p99-ms=N] [--tps=N] [--output-tokens=N] [--api-key=KEY]");
	}

}
