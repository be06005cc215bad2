package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

/**
 * In-process fixed-window limiter: exact within one replica, so it is the embedded default and the fallback while
 * Redis is unreachable. Windows are aligned to the clock's minute, as the Redis limiter's are.
 */
public final class LocalRequestRateLimiter implements RequestRateLimiter {

	private static final long WINDOW_MILLIS = 60_000;

	private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

	private final LongSupplier clock;

	public LocalRequestRateLimiter() {
		this(System::currentTimeMillis);
	}

	LocalRequestRateLimiter(LongSupplier clock) {
		this.clock = clock;
	}

	@Override
	public Mono<RateLimitDecision> acquire(String key, long limitPerMinute) {
		return Mono.just(acquireNow(key, limitPerMinute));
	}

	RateLimitDecision acquireNow(String key, long limitPerMinute) {
		long now = this.clock.getAsLong();
		long start = now - now % WINDOW_MILLIS;
		Window window = this.windows.compute(key,
				(k, current) -> current == null || current.start != start ? new Window(start) : current);
		long count = window.count.incrementAndGet();
		Duration reset = Duration.ofMillis(start + WINDOW_MILLIS - now);
		if (this.windows.size() > 100_000) {
			this.windows.values().removeIf(w -> w.start < start);
		}
		return new RateLimitDecision(count <= limitPerMinute, limitPerMinute, Math.max(0, limitPerMinute - count),
				reset);
	}

	private static final class Window {

		final long start;

		final AtomicLong count = new AtomicLong();

		Window(long start) {
			this.start = start;
		}

	}

}
