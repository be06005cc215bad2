package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;

/**
 * What the limiter adds to a request with Redis on localhost: the latency of one admission and of its settlement,
 * measured one at a time, for the heaviest configuration (a key and a tenant with request, token and concurrency
 * limits plus an alias token limit: two scripts) and a common one (a key's requests and tokens: one script); and
 * admissions per second with 64 in flight. Run it with
 * {@code tests/load/ratelimit-bench.sh}; it is not part of the test suite.
 */
public final class RateLimiterLatencyBenchmark {

	private RateLimiterLatencyBenchmark() {
	}

	public static void main(String[] args) {
		String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
		int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
		try (RedisQuotaStore store = new RedisQuotaStore(uri, RedisQuotaStore.FailureMode.OPEN, 1,
				new SimpleMeterRegistry())) {
			Limits generous = new Limits(1_000_000_000L, 1_000_000_000_000L, 1_000_000L);
			RateLimiter everything = new RateLimiter(store, new LimitBook(Map.of(LimitBook.DEFAULT, generous),
					Map.of(LimitBook.DEFAULT, generous), Map.of(LimitBook.DEFAULT, new Limits(0, 1_000_000_000_000L, 0)),
					Map.of()));
			RateLimiter keyOnly = new RateLimiter(store, new LimitBook(
					Map.of(LimitBook.DEFAULT, new Limits(1_000_000_000L, 1_000_000_000_000L, 0)), Map.of(), Map.of(),
					Map.of()));
			String tenant = "bench-" + UUID.randomUUID();
			measure(everything, tenant, 20_000, null); // warm-up: JIT, connection
			measure(keyOnly, tenant, 20_000, null);
			report("key, tenant and alias limits (2 scripts)", everything, tenant, rounds);
			report("key requests and tokens only (1 script)", keyOnly, tenant, rounds);
			RateLimiter limiter = everything;
			long started = System.nanoTime();
			AtomicLong done = new AtomicLong();
			Flux.range(0, rounds)
				.flatMap(i -> limiter.admit("key", tenant, "chat", () -> 500)
					.flatMap(admission -> limiter.finish(admission, 400).thenReturn(admission))
					.doOnNext(a -> done.incrementAndGet()), 64)
				.blockLast(Duration.ofMinutes(5));
			double seconds = (System.nanoTime() - started) / 1e9;
			System.out.printf(Locale.ROOT, "64 in flight: %.0f admissions+settlements per second%n",
					done.get() / seconds);
		}
	}

	private static void report(String what, RateLimiter limiter, String tenant, int rounds) {
		Histogram admit = new Histogram(3_600_000_000L, 3);
		Histogram settle = new Histogram(3_600_000_000L, 3);
		measure(limiter, tenant, rounds, new Histogram[] { admit, settle });
		System.out.printf(Locale.ROOT, "%s, %d sequential requests: admit p50 %.3f ms p99 %.3f ms p99.9 %.3f ms;"
				+ " settle p50 %.3f ms p99 %.3f ms%n", what, rounds, ms(admit, 50), ms(admit, 99), ms(admit, 99.9),
				ms(settle, 50), ms(settle, 99));
	}

	private static void measure(RateLimiter limiter, String tenant, int rounds, Histogram[] into) {
		for (int i = 0; i < rounds; i++) {
			long t0 = System.nanoTime();
			Admission admission = limiter.admit("key", tenant, "chat", () -> 500).block();
			long t1 = System.nanoTime();
			limiter.finish(admission, 400).block();
			long t2 = System.nanoTime();
			if (into != null) {
				into[0].recordValue(t1 - t0);
				into[1].recordValue(t2 - t1);
			}
		}
	}

	private static double ms(Histogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile) / 1e6;
	}

}
