package io.fulcrum.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import io.fulcrum.protocol.Json;
import io.fulcrum.routing.Router;
import io.fulcrum.simulator.ProviderSimulator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running gateway of the {@code it} profile, shared by every class that extends this one: the annotations are
 * identical, so Spring's test context cache starts it once. Each test starts from a reset simulator, a router that has learned nothing, and closed
 * circuit breakers.
 */
@SpringBootTest(classes = FulcrumGatewayApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "fulcrum.storage.embedded-path=" + RunningGatewayTest.DB_PATH)
@ActiveProfiles("it")
abstract class RunningGatewayTest {

	static final String DB_PATH = "target/it-db/running-gateway";

	/** The bootstrap key of the {@code it} profile: any model. */
	static final String KEY = "fk-integration-test-key-0000000000000";

	static final String ADMIN_TOKEN = "test-admin-token";

	static {
		// Runs once per JVM, before the shared context opens its database: every run starts from an empty one.
		deleteRecursively(Path.of(DB_PATH));
	}

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	Router router;

	@Autowired
	AccountStore accounts;

	WebTestClient client;

	@BeforeEach
	void startFromACleanGateway() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.simulator.control().reset();
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		// The gateway is shared by test classes: what its router learned from another class's failures must not
		// steer this test's requests.
		this.router.forget();
	}

	/** A chat request body for {@code model} with one user message. */
	static String chat(String model) {
		return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
	}

	Answer post(String path, @Nullable String key, String body) {
		return send(HttpMethod.POST, path, key, body);
	}

	Answer get(String path, @Nullable String key) {
		return send(HttpMethod.GET, path, key, null);
	}

	Answer send(HttpMethod method, String path, @Nullable String key, @Nullable String body) {
		WebTestClient.RequestBodySpec spec = this.client.method(method).uri(path);
		if (key != null) {
			spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
		}
		if (body != null) {
			spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		}
		return Answer.of(spec.exchange().expectBody(byte[].class).returnResult());
	}

	/** A new key of a new tenant, limited to {@code models} (empty for every model); returns it with its secret. */
	IssuedKey issueKey(String... models) {
		Tenant tenant = this.accounts.createTenant("test-" + UUID.randomUUID()).block(Duration.ofSeconds(10));
		IssuedKey issued = this.accounts.createKey(tenant.id(), "test", Set.of(models), null)
			.block(Duration.ofSeconds(10));
		assertThat(issued).isNotNull();
		return issued;
	}

	private static void deleteRecursively(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot empty " + root, ex);
		}
	}

	/** What the gateway answered. */
	record Answer(int status, HttpHeaders headers, String text) {

		static Answer of(EntityExchangeResult<byte[]> result) {
			byte[] body = result.getResponseBody();
			return new Answer(result.getStatus().value(), result.getResponseHeaders(),
					body != null ? new String(body, java.nio.charset.StandardCharsets.UTF_8) : "");
		}

		JsonNode json() {
			return Json.parse(this.text);
		}

		@Nullable String header(String name) {
			return this.headers.getFirst(name);
		}

	}

}
