package io.fulcrum.backend.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.fulcrum.backend.llama.StepLogits;

/**
 * Picks one request's next tokens: argmax when greedy (which a device model answers without copying logits),
 * otherwise temperature, top-k and top-p (nucleus) filtering and a draw from the request's own random stream, so a
 * seeded request gives the same tokens however it was batched.
 */
final class Sampler {

	private final SamplingParams params;

	private final SplittableRandom random;

	private float[] logits = new float[0];

	private int[] candidates = new int[0];

	Sampler(SamplingParams params, long fallbackSeed) {
		this.params = params;
		this.random = new SplittableRandom(params.seed() != null ? params.seed() : fallbackSeed);
	}

	int next(StepLogits step, int sequence, int vocab) {
		if (this.params.greedy()) {
			return step.argmax(sequence);
		}
		if (this.logits.length != vocab) {
			this.logits = new float[vocab];
		}
		step.copy(sequence, this.logits);
		return sample(this.logits, this.random.nextDouble());
	}

	/** Samples from {@code logits} (overwritten with probabilities) with the uniform draw {@code u} in [0, 1). */
	int sample(float[] logits, double u) {
		int vocab = logits.length;
		if (this.candidates.length != vocab) {
			this.candidates = new int[vocab];
		}
		float max = Float.NEGATIVE_INFINITY;
		for (float l : logits) {
			max = Math.max(max, l);
		}
		double inverseTemperature = 1 / this.params.temperature();
		int count = 0;
		int topK = this.params.topK() > 0 ? Math.min(this.params.topK(), vocab) : vocab;
		float threshold = topK < vocab ? kthLargest(logits, topK) : Float.NEGATIVE_INFINITY;
		for (int i = 0; i < vocab; i++) {
			if (logits[i] >= threshold) {
				this.candidates[count++] = i;
			}
			logits[i] = (float) Math.exp((logits[i] - max) * inverseTemperature);
		}
		if (this.params.topP() < 1) {
			count = nucleus(logits, count);
		}
		double mass = 0;
		for (int i = 0; i < count; i++) {
			mass += logits[this.candidates[i]];
		}
		double target = u * mass;
		double cumulative = 0;
		for (int i = 0; i < count; i++) {
			cumulative += logits[this.candidates[i]];
			if (cumulative > target) {
				return this.candidates[i];
			}
		}
		return this.candidates[count - 1];
	}

	/**
	 * Orders the candidates by probability, most likely first, and keeps the smallest prefix reaching top_p. A token
	 * below {@code (1 - top_p) / (n - 1)} of the mass can never be in that prefix, so only the rest are sorted.
	 */
	private int nucleus(float[] probabilities, int count) {
		double mass = 0;
		for (int i = 0; i < count; i++) {
			mass += probabilities[this.candidates[i]];
		}
		double cutoff = count > 1 ? (1 - this.params.topP()) / (count - 1) * mass : 0;
		int survivors = 0;
		for (int i = 0; i < count; i++) {
			if (probabilities[this.candidates[i]] >= cutoff) {
				survivors++;
			}
		}
		Integer[] order = new Integer[survivors];
		for (int i = 0, j = 0; i < count; i++) {
			if (probabilities[this.candidates[i]] >= cutoff) {
				order[j++] = this.candidates[i];
			}
		}
		Arrays.sort(order, (a, b) -> probabilities[a] != probabilities[b] ? Float.compare(probabilities[b], probabilities[a])
				: Integer.compare(a, b));
		double cumulative = 0;
		int kept = 0;
		while (kept < survivors) {
			this.candidates[kept] = order[kept];
			cumulative += probabilities[order[kept]];
			kept++;
			if (cumulative >= this.params.topP() * mass) {
				break;
			}
		}
		return kept;
	}

	/** The k-th largest value (ties kept together, so at least k values are at or above it). */
	private static float kthLargest(float[] values, int k) {
		float[] copy = values.clone();
		Arrays.sort(copy);
		return copy[copy.length - k];
	}

}
