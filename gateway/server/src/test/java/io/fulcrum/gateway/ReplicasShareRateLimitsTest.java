package io.fulcrum.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three gateway instances on their own ports, sharing PostgreSQL (accounts) and Redis (limits), under concurrent
 * load on one app key: together they admit what the key's limit allows, not three times it.
 */
class ReplicasShareRateLimitsTest {

	private static final String SCHEMA = "replicas_it";

	private static final long LIMIT = 300;

	private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	@BeforeAll
	static void startThreeReplicas() throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
				"");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
		// A fresh key id for every run, so buckets left in Redis by an earlier run do not count.
		String key = "fk-replicas-" + UUID.randomUUID().toString().replace("-", "");
		for (int i = 0; i < 3; i++) {
			// Arguments, not default properties: they must win over the configuration files.
			replicas.add(new SpringApplicationBuilder(FulcrumGatewayApplication.class, OwnNettyResources.class)
				.profiles("it")
				.run("--server.port=0", "--fulcrum.storage.type=postgres", "--fulcrum.storage.postgres.host=127.0.0.1",
						"--fulcrum.storage.postgres.database=test", "--fulcrum.storage.postgres.user=postgres",
						"--fulcrum.storage.postgres.schema=" + SCHEMA, "--fulcrum.rate-limit.backend=redis",
						"--fulcrum.rate-limit.redis-uri=redis://127.0.0.1:6379",
						"--fulcrum.rate-limit.keys.default.requests-per-minute=" + LIMIT,
						"--fulcrum.server.bootstrap-api-key=" + key, "--fulcrum.rate-limit.replicas=3"));
		}
		ReplicasShareRateLimitsTest.key = key;
	}

	private static String key;

	@AfterAll
	static void stopReplicas() {
		replicas.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void threeReplicasAdmitTheKeysLimitTogether() {
		List<WebClient> clients = replicas.stream()
			.map(context -> WebClient.create("http://127.0.0.1:"
					+ ((WebServerApplicationContext) context).getWebServer().getPort()))
			.toList();
		// The bucket refills from its first request on: the warm-up's time counts towards the bound.
		long started = System.nanoTime();
		// Warm every replica's connection to Redis (a request counted before it connects would be local).
		for (WebClient client : clients) {
			send(client).block(Duration.ofSeconds(30));
		}
		AtomicLong admitted = new AtomicLong(clients.size());
		AtomicLong refused = new AtomicLong();
		Flux.range(0, 900)
			.flatMap(i -> send(clients.get(i % clients.size())).doOnNext(status -> {
				if (status == 200) {
					admitted.incrementAndGet();
				}
				else if (status == 429) {
					refused.incrementAndGet();
				}
			}), 48)
			.blockLast(Duration.ofMinutes(2));
		double seconds = (System.nanoTime() - started) / 1e9;
		// The bucket holds 300 and refills 5 a second while the load runs; allow 1% on top.
		long allowed = (long) Math.ceil((LIMIT + LIMIT / 60.0 * seconds) * 1.01);
		System.out.printf("3 replicas, limit %d/min: admitted %d of 903 in %.1f s (bound %d)%n", LIMIT, admitted.get(),
				seconds, allowed);
		assertThat(admitted.get() + refused.get()).isEqualTo(903);
		assertThat(admitted.get()).as("admitted in %.1f s", seconds).isBetween(LIMIT, allowed);
	}

	private static Mono<Integer> send(WebClient client) {
		return client.post()
			.uri("/v1/chat/completions")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(RunningGatewayTest.chat("primary-only"))
			.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()));
	}

}
