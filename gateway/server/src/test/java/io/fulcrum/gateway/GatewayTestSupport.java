package io.fulcrum.gateway;

import java.time.Duration;
import java.util.List;

import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.routing.Router;
import io.fulcrum.simulator.ProviderSimulator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A started gateway (profile {@code it}) whose providers are the in-process simulator, scripted per test by upstream
 * model name: {@code primary-model} and {@code backup-model} back alias {@code chat-default}, {@code claude-model}
 * (Anthropic protocol) backs {@code claude-only}.
 */
@SpringBootTest(classes = FulcrumGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "fulcrum.storage.embedded-path=target/it-db/core")
@ActiveProfiles("it")
abstract class GatewayTestSupport {

	static final String KEY = "fk-integration-test-key-0000000000000";

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	Router router;

	@Autowired
	UsageLedger ledger;

	WebTestClient client;

	@BeforeEach
	void resetUpstreams() {
		this.simulator.control().reset();
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		// The gateway is shared by test classes: what its router learned from another class's failures must not
		// steer this test's requests.
		this.router.forget();
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	WebTestClient.ResponseSpec post(String path, String json) {
		return this.client.post()
			.uri(path)
			.header("Authorization", "Bearer " + KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

	static String chat(String model, boolean stream, String extra) {
		return "{\"model\":\"" + model + "\",\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello\"}],"
				+ "\"max_tokens\":5" + extra + "}";
	}

	/** The ledger's records of one request, after everything appended so far has been written. */
	List<UsageRecord> usage(String requestId) {
		this.ledger.flush().block(Duration.ofSeconds(10));
		return this.ledger.findByRequestId(requestId).collectList().block(Duration.ofSeconds(10));
	}

}
