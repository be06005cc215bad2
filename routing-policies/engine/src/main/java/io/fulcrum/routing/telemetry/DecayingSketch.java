package io.fulcrum.routing.telemetry;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.Store;

/**
 * A quantile sketch whose old observations fade with a half-life: forward exponential decay (Cormode et al., 2009)
 * over a DDSketch. Each value is added with weight {@code e^((t - landmark) / tau)}, so recent values weigh more and
 * quantiles, which only depend on relative weights, are time-decayed without touching old bins. When the weights
 * grow large the sketch is rebuilt around a new landmark, scaling every bin down.
 *
 * <p>Not thread-safe: the owner serialises access.
 */
public final class DecayingSketch {

	// Rebuild well before e^x overflows (x ~ 709), and rarely: once every REBASE_AFTER time constants.
	private static final double REBASE_AFTER = 40;

	private static final double RELATIVE_ACCURACY = 0.02;

	private final double tauNanos;

	private DDSketch sketch = DDSketch.fast(RELATIVE_ACCURACY);

	private long landmarkNanos;

	private boolean started;

	/** @param halfLifeNanos after this long an observation counts half as much as a new one */
	public DecayingSketch(long halfLifeNanos) {
		if (halfLifeNanos <= 0) {
			throw new IllegalArgumentException("the half-life must be positive");
		}
		this.tauNanos = halfLifeNanos / Math.log(2);
	}

	/** Adds a positive value observed at {@code atNanos} (a monotonic clock). */
	public void add(double value, long atNanos) {
		if (!(value > 0)) {
			value = Double.MIN_NORMAL;
		}
		if (!this.started) {
			this.landmarkNanos = atNanos;
			this.started = true;
		}
		double age = (atNanos - this.landmarkNanos) / this.tauNanos;
		if (age > REBASE_AFTER) {
			rebase(atNanos);
			age = 0;
		}
		// Values observed "before" the landmark (out-of-order clocks) get weight below 1; that is correct decay.
		this.sketch.accept(value, Math.exp(age));
	}

	/** The decayed number of observations at {@code nowNanos}: each observation counts {@code 2^(-age/halfLife)}. */
	public double weight(long nowNanos) {
		if (!this.started) {
			return 0;
		}
		return this.sketch.getCount() * Math.exp(-(nowNanos - this.landmarkNanos) / this.tauNanos);
	}

	/** The decayed quantile, or NaN while empty. */
	public double quantile(double q) {
		return this.sketch.isEmpty() ? Double.NaN : this.sketch.getValueAtQuantile(q);
	}

	/** The decayed mean, or NaN while empty. */
	public double mean() {
		return this.sketch.isEmpty() ? Double.NaN : this.sketch.getSum() / this.sketch.getCount();
	}

	private void rebase(long newLandmarkNanos) {
		double scale = Math.exp(-(newLandmarkNanos - this.landmarkNanos) / this.tauNanos);
		DDSketch rebuilt = DDSketch.fast(RELATIVE_ACCURACY);
		Store target = rebuilt.getPositiveValueStore();
		this.sketch.getPositiveValueStore().forEach((index, count) -> {
			double scaled = count * scale;
			// Bins decayed to nothing are dropped, which also keeps the sketch small.
			if (scaled > 1e-9) {
				target.add(index, scaled);
			}
		});
		this.sketch = rebuilt;
		this.landmarkNanos = newLandmarkNanos;
	}

}
