package io.fulcrum.gateway.budget;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Where budget counters live: Redis (shared by every replica) or this process. A counter holds what was spent in one
 * period and what is reserved by requests in flight, in integer nano-dollars (10^-9 USD), never floating point.
 * Each call is one atomic step over the counters it is given, which share a hash tag.
 */
public interface SpendStore {

	/**
	 * Reserves {@code amount} on every counter under {@code holdId}, if no hard counter would then exceed its limit
	 * ({@code spent + reserved + amount <= limit}); else reserves nothing. Holds older than their lease are dropped
	 * first, so a crashed replica's reservations expire. A counter never seeded refuses to decide: seed it first.
	 */
	Mono<Reservation> reserve(List<Counter> counters, String holdId, long amount, long leaseMillis);

	/**
	 * Replaces the hold by what the request actually cost: drops the hold (if its lease has not already) and adds
	 * {@code actual} to each seeded counter's spend. Releasing is settling to 0.
	 */
	Mono<Void> settle(List<Counter> counters, String holdId, long actual);

	/** Sets a counter's spend if it has none yet (a concurrent seed or settle wins); used after a reset or flush. */
	Mono<Void> seed(Counter counter, long spent);

	/**
	 * One budget's counter in one period.
	 *
	 * @param key the counter's name, with a hash tag
	 * @param limit the budget in nano-dollars
	 * @param hard whether reaching the limit refuses
	 * @param expiresAtMillis when the store may forget the counter (after its period has ended)
	 */
	record Counter(String key, long limit, boolean hard, long expiresAtMillis) {
	}

	/**
	 * What a reservation found.
	 *
	 * @param refused index of the first hard counter without room, or -1
	 * @param unseeded index of the first counter that must be seeded first, or -1 (then nothing else was looked at)
	 * @param used each counter's spend plus reservations before this one (empty when unseeded)
	 */
	record Reservation(int refused, int unseeded, long[] used) {

		public boolean reserved() {
			return this.refused < 0 && this.unseeded < 0;
		}

	}

}
