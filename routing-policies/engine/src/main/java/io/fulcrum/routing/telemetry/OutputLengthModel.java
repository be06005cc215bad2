package io.fulcrum.routing.telemetry;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Learns how many tokens each app key generates per model alias, so the router can predict a request's decode
 * time and cost before it runs. Time-decayed like the latency distributions; bounded in the number of
 * (key, alias) pairs it remembers.
 */
public final class OutputLengthModel {

	/** Assumed output length with no history and no {@code max_tokens}. */
	public static final long DEFAULT_OUTPUT_TOKENS = 256;

	private static final double MIN_WEIGHT = 3;

	private final long halfLifeNanos;

	private final int maxEntries;

	private final ConcurrentHashMap<Key, DecayingSketch> lengths = new ConcurrentHashMap<>();

	/**
	 * @param halfLifeNanos how fast old requests are forgotten
	 * @param maxEntries (key, alias) pairs remembered; when full, the table starts over, which only costs a short
	 * return to the defaults
	 */
	public OutputLengthModel(long halfLifeNanos, int maxEntries) {
		this.halfLifeNanos = halfLifeNanos;
		this.maxEntries = maxEntries;
	}

	/** Learns that a request of {@code keyId} to {@code alias} generated {@code outputTokens}. */
	public void observe(String keyId, String alias, long outputTokens, long atNanos) {
		if (this.lengths.size() >= this.maxEntries) {
			this.lengths.clear();
		}
		DecayingSketch sketch = this.lengths.computeIfAbsent(new Key(keyId, alias),
				k -> new DecayingSketch(this.halfLifeNanos));
		synchronized (sketch) {
			sketch.add(Math.max(1, outputTokens), atNanos);
		}
	}

	/**
	 * The expected output length: the learned mean for this key and alias, capped at {@code maxTokens} when the
	 * request sets one (0 = not set); with too little history, {@code maxTokens} itself capped at
	 * {@link #DEFAULT_OUTPUT_TOKENS}.
	 */
	public double expected(String keyId, String alias, long maxTokens, long nowNanos) {
		DecayingSketch sketch = this.lengths.get(new Key(keyId, alias));
		double learned = Double.NaN;
		if (sketch != null) {
			synchronized (sketch) {
				if (sketch.weight(nowNanos) >= MIN_WEIGHT) {
					learned = sketch.mean();
				}
			}
		}
		if (Double.isNaN(learned)) {
			return maxTokens > 0 ? Math.min(maxTokens, DEFAULT_OUTPUT_TOKENS) : DEFAULT_OUTPUT_TOKENS;
		}
		return maxTokens > 0 ? Math.min(maxTokens, learned) : learned;
	}

	private record Key(String keyId, String alias) {
	}

}
