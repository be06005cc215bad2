package io.fulcrum.gateway.ratelimit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stopped and started again in the middle of a load, failing open: no request that was within its limits
 * fails, and the limiter returns to Redis by itself. Runs its own {@code redis-server} on a free port, so the shared
 * Redis other tests use is not touched.
 */
@EnabledIf("redisServerInstalled")
class RedisRestartTest {

	@TempDir
	Path dir;

	private Process redis;

	static boolean redisServerInstalled() {
		return Files.isExecutable(Path.of("/usr/bin/redis-server"));
	}

	@AfterEach
	void stopRedis() {
		if (this.redis != null) {
			this.redis.destroyForcibly();
		}
	}

	@Test
	void aRedisRestartInTheMiddleOfALoadFailsNoRequestThatWasWithinItsLimits() throws Exception {
		int port = freePort();
		startRedis(port);
		try (RedisQuotaStore store = new RedisQuotaStore("redis://127.0.0.1:" + port,
				RedisQuotaStore.FailureMode.OPEN, 3, new SimpleMeterRegistry())) {
			RateLimiter limiter = new RateLimiter(store, new LimitBook(
					Map.of(LimitBook.DEFAULT, new Limits(1_000_000, 100_000_000, 1000)), Map.of(), Map.of(), Map.of()));
			String tenant = "ten_" + UUID.randomUUID();
			AtomicLong admitted = new AtomicLong();
			AtomicLong failed = new AtomicLong();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			Thread load = new Thread(() -> Flux.<Integer>generate(sink -> {
				if (System.nanoTime() < deadline) {
					sink.next(0);
				}
				else {
					sink.complete();
				}
			})
				.flatMap(i -> limiter.admit("key", tenant, "chat", () -> 100)
					.flatMap(admission -> limiter.finish(admission, 80))
					.doOnSuccess(done -> admitted.incrementAndGet())
					.onErrorResume(ex -> {
						failed.incrementAndGet();
						return Mono.empty();
					}), 16)
				.blockLast());
			load.start();
			Thread.sleep(1500);
			assertThat(store.available()).isTrue();
			this.redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			Thread.sleep(2000);
			assertThat(store.available()).as("while Redis is down").isFalse();
			long duringOutage = admitted.get();
			startRedis(port);
			long backBy = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (!store.available() && System.nanoTime() < backBy) {
				Thread.sleep(50);
			}
			assertThat(store.available()).as("back on Redis within 5 s, without a restart").isTrue();
			load.join(20_000);
			assertThat(failed.get()).as("requests that failed").isZero();
			assertThat(admitted.get()).isGreaterThan(duringOutage);
		}
	}

	private void startRedis(int port) throws IOException, InterruptedException {
		this.redis = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("redis-" + port + ".log").toFile())
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(50);
			}
		}
		throw new IllegalStateException("redis-server did not start on port " + port);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
