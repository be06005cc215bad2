package io.fulcrum.e2e;

import java.time.Duration;
import java.util.UUID;

import io.fulcrum.gateway.FulcrumGatewayApplication;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real Fulcrum gateway, started the way users run it: {@link FulcrumGatewayApplication} with the embedded default
 * {@code application.yml} (no test profile), so the in-process provider simulator serves the demo deployments and the
 * demo tenant holds {@link #API_KEY}. Only what a user would set on the command line differs: a free port, a fresh
 * database directory under {@code target/e2e-db}, the bootstrap key and admin token, and a simulator without delays.
 * <p>
 * One gateway serves the whole test run: test classes ask for it with {@code @ExtendWith(RunningGateway.Extension.class)}
 * and a {@code RunningGateway} parameter; it is kept in JUnit's root store and closed when the run ends.
 */
final class RunningGateway implements AutoCloseable {

	/** The app key the demo tenant is bootstrapped with. */
	static final String API_KEY = "fk-e2e-test-key-000000000000000000";

	/** How long a test waits for any one SDK call; the simulator answers at once, so this only bounds a hang. */
	static final Duration SDK_TIMEOUT = Duration.ofSeconds(30);

	/** The admin token the gateway is started with. */
	static final String ADMIN_TOKEN = "e2e-admin";

	private final ConfigurableApplicationContext context;

	private final int port;

	private RunningGateway(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	static RunningGateway start() {
		String run = UUID.randomUUID().toString();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(FulcrumGatewayApplication.class).run(
				"--server.port=0", "--fulcrum.storage.embedded-path=target/e2e-db/" + run,
				"--fulcrum.storage.spool-dir=target/e2e-spool/" + run,
				"--fulcrum.server.bootstrap-api-key=" + API_KEY, "--fulcrum.server.admin-token=" + ADMIN_TOKEN,
				"--fulcrum.simulator.ttft-millis=0", "--fulcrum.simulator.tokens-per-second=0");
		return new RunningGateway(context);
	}

	/** The port the gateway listens on. */
	int port() {
		return this.port;
	}

	/** Root URL of the gateway, without a trailing slash, as Anthropic's SDKs take it. */
	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** URL of the gateway's OpenAI-compatible API, as OpenAI's SDKs take it. */
	String openAiBaseUrl() {
		return baseUrl() + "/v1";
	}

	@Override
	public void close() {
		this.context.close();
	}

	/** Resolves {@link RunningGateway} parameters to the one gateway of this test run, starting it on first use. */
	static final class Extension implements ParameterResolver {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(RunningGateway.class);

		@Override
		public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
			return parameter.getParameter().getType() == RunningGateway.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
			return extension.getRoot()
				.getStore(NAMESPACE)
				.computeIfAbsent(RunningGateway.class, key -> start(), RunningGateway.class);
		}

	}

}
