package io.fulcrum.routing.simulator.model;

import java.util.SplittableRandom;

/**
 * Deterministic randomness: what happens to request {@code r} on deployment {@code d} depends only on the seed,
 * {@code r} and {@code d}'s id, never on the policy or on the order of events. So every policy faces the same luck,
 * runs are reproducible, the oracle can know a request's realised latency on every deployment in advance, and
 * adding a deployment to a scenario does not change the luck of the others.
 */
public final class Luck {

	private final long seed;

	public Luck(long seed) {
		this.seed = seed;
	}

	public long seed() {
		return this.seed;
	}

	/** A deployment's key in {@link #draw}: derived from its id. */
	public static long key(String deploymentId) {
		return mix(0x632BE59BD9B4E019L, deploymentId.hashCode(), deploymentId.length()) | 1;
	}

	/** The draws of one request on one deployment ({@code deployment} from {@link #key}). */
	public Draw draw(int request, long deployment) {
		SplittableRandom random = new SplittableRandom(mix(this.seed, request, deployment));
		return new Draw(random.nextDouble(), random.nextGaussian(), random.nextGaussian());
	}

	/** A uniform number in [0, 1) belonging to the request alone (e.g. its SLO class in a share split). */
	public double uniform(int request) {
		return new SplittableRandom(mix(this.seed, request, 0)).nextDouble();
	}

	/** A well-mixed 64-bit key of the three numbers (SplitMix64 finaliser over a simple combination). */
	static long mix(long seed, long a, long b) {
		long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	/**
	 * @param failure uniform in [0, 1): the attempt fails when below the deployment's error rate at the time
	 * @param ttftZ standard-normal deviate of the time to first token (or of a GPU's prefill)
	 * @param tokenZ standard-normal deviate of the per-token time (or of a GPU's decode)
	 */
	public record Draw(double failure, double ttftZ, double tokenZ) {
	}

}
