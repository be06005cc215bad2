package io.fulcrum.gateway.budget;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Budget counters in this process, for the embedded default (one replica) and as the per-replica fallback while
 * Redis is unreachable. The same rules as the Redis script, under one lock: steps are tiny and never block.
 */
public final class LocalSpendStore implements SpendStore {

	private final LongSupplier clock;

	private final Map<String, State> counters = new HashMap<>();

	public LocalSpendStore() {
		this(System::currentTimeMillis);
	}

	/** @param clock milliseconds since the epoch, for leases and counter expiry */
	public LocalSpendStore(LongSupplier clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Reservation> reserve(List<Counter> counters, String holdId, long amount, long leaseMillis) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				long now = this.clock.getAsLong();
				long[] used = new long[counters.size()];
				State[] states = new State[counters.size()];
				for (int i = 0; i < counters.size(); i++) {
					State state = live(counters.get(i).key(), now);
					if (state == null) {
						return new Reservation(-1, i, new long[0]);
					}
					state.dropExpiredHolds(now);
					states[i] = state;
					used[i] = state.spent + state.reserved;
				}
				for (int i = 0; i < counters.size(); i++) {
					Counter counter = counters.get(i);
					if (counter.hard() && used[i] + amount > counter.limit()) {
						return new Reservation(i, -1, used);
					}
				}
				for (int i = 0; i < counters.size(); i++) {
					states[i].reserved += amount;
					states[i].holds.put(holdId, new Hold(amount, now + leaseMillis));
					states[i].expiresAt = counters.get(i).expiresAtMillis();
				}
				return new Reservation(-1, -1, used);
			}
		});
	}

	@Override
	public Mono<Void> settle(List<Counter> counters, String holdId, long actual) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				long now = this.clock.getAsLong();
				for (Counter counter : counters) {
					State state = live(counter.key(), now);
					if (state == null) {
						continue;
					}
					Hold hold = state.holds.remove(holdId);
					if (hold != null) {
						state.reserved -= hold.amount;
					}
					state.spent += actual;
				}
			}
		});
	}

	@Override
	public Mono<Void> seed(Counter counter, long spent) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				if (live(counter.key(), this.clock.getAsLong()) == null) {
					State state = new State();
					state.spent = spent;
					state.expiresAt = counter.expiresAtMillis();
					this.counters.put(counter.key(), state);
				}
			}
		});
	}

	/** The counter's state, or null when it was never seeded or has expired (and is then forgotten). */
	private @Nullable State live(String key, long now) {
		State state = this.counters.get(key);
		if (state != null && state.expiresAt <= now) {
			this.counters.remove(key);
			return null;
		}
		return state;
	}

	private static final class State {

		long spent;

		long reserved;

		long expiresAt;

		/** Insertion order is lease order only roughly; expiry is checked for every hold. */
		final Map<String, Hold> holds = new LinkedHashMap<>();

		void dropExpiredHolds(long now) {
			var it = this.holds.values().iterator();
			while (it.hasNext()) {
				Hold hold = it.next();
				if (hold.expiresAt <= now) {
					this.reserved -= hold.amount;
					it.remove();
				}
			}
		}

	}

	private record Hold(long amount, long expiresAt) {
	}

}
