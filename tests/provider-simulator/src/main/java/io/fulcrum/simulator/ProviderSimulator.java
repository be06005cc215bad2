package io.fulcrum.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A running fake of the OpenAI and Anthropic HTTP APIs. Start one with {@link #start}, point a client at
 * {@link #baseUrl()}, steer and inspect it through {@link #control()}, and close it when done.
 *
 * <pre>{@code
 * try (ProviderSimulator simulator = ProviderSimulator.start(SimulatorOptions.defaults())) {
 *     simulator.control().setProfile("gpt-4o", ModelProfile.DEFAULT.withTtftMs(200).withTokensPerSecond(50));
 *     // POST simulator.baseUrl() + "/v1/chat/completions" ...
 * }
 * }</pre>
 */
public final class ProviderSimulator implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ProviderSimulator.class);

	private final DisposableServer server;

	private final SimulatorControl control;

	private final String baseUrl;

	private ProviderSimulator(DisposableServer server, SimulatorControl control, String host) {
		this.server = server;
		this.control = control;
		this.baseUrl = "http://" + urlHost(host) + ":" + server.port();
	}

	/**
	 * Binds and starts a simulator; returns once it accepts connections.
	 * @param options the address and the initial default profile
	 * @return the running simulator
	 */
	public static ProviderSimulator start(SimulatorOptions options) {
		SimulatorControl control = new SimulatorControl(options.defaultProfile());
		Router router = new Router(control, new ApiKeyCheck(options.apiKey()));
		// Reactor Netty's shared event loops: in the gateway's demo mode the simulator adds no threads.
		DisposableServer server = HttpServer.create()
			.host(options.host())
			.port(options.port())
			.handle(router)
			.bindNow();
		ProviderSimulator simulator = new ProviderSimulator(server, control, options.host());
		logger.info("Provider simulator listening on {}", simulator.baseUrl());
		return simulator;
	}

	/** The bound port. */
	public int port() {
		return this.server.port();
	}

	/** The URL to reach the simulator, such as {@code http://127.0.0.1:8181}, without a trailing slash. */
	public String baseUrl() {
		return this.baseUrl;
	}

	/** Profiles, outages and the records of what arrived. */
	public SimulatorControl control() {
		return this.control;
	}

	/** Stops accepting connections and closes the open ones. */
	@Override
	public void close() {
		this.server.disposeNow();
	}

	/** Completes when the server has been closed. */
	Mono<Void> onClose() {
		return this.server.onDispose();
	}

	/** The host to put in a URL: wildcard binds are reached on loopback, IPv6 literals go in brackets. */
	private static String urlHost(String host) {
		if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
			return "127.0.0.1";
		}
		return (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
	}

}
