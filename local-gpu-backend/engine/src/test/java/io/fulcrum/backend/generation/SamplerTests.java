package io.fulcrum.backend.generation;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SamplerTests {

	/** Softmax of these logits: about 0.665, 0.245, 0.090 and 0.0001. */
	private static final float[] LOGITS = { 2f, 1f, 0f, -7f };

	private static int[] counts(SamplingParams params, int draws) {
		Sampler sampler = new Sampler(params, 0);
		SplittableRandom random = new SplittableRandom(1);
		int[] counts = new int[LOGITS.length];
		for (int i = 0; i < draws; i++) {
			counts[sampler.sample(LOGITS.clone(), random.nextDouble())]++;
		}
		return counts;
	}

	@Test
	void atTemperatureOneTokensAreDrawnInProportionToTheirProbability() {
		int[] counts = counts(new SamplingParams(1, 1, 0, null, 1, false), 100_000);
		assertThat(counts[0] / 100_000.0).isCloseTo(0.665, within(0.01));
		assertThat(counts[1] / 100_000.0).isCloseTo(0.245, within(0.01));
		assertThat(counts[2] / 100_000.0).isCloseTo(0.090, within(0.01));
	}

	@Test
	void topKKeepsOnlyTheKMostLikelyTokens() {
		int[] counts = counts(new SamplingParams(1, 1, 2, null, 1, false), 20_000);
		assertThat(counts[2]).isZero();
		assertThat(counts[3]).isZero();
		assertThat(counts[0] / 20_000.0).isCloseTo(0.665 / 0.910, within(0.015));
	}

	@Test
	void topPKeepsTheSmallestSetReachingTheMass() {
		// 0.665 alone does not reach 0.8; with 0.245 it does, so the third and fourth tokens never come.
		int[] counts = counts(new SamplingParams(1, 0.8, 0, null, 1, false), 20_000);
		assertThat(counts[2]).isZero();
		assertThat(counts[3]).isZero();
		assertThat(counts[1]).isPositive();
		// A mass the top token alone reaches leaves only it.
		assertThat(counts(new SamplingParams(1, 0.5, 0, null, 1, false), 1000)[0]).isEqualTo(1000);
	}

	@Test
	void aLowTemperatureSharpensAndAHighOneFlattens() {
		int[] cold = counts(new SamplingParams(0.25, 1, 0, null, 1, false), 20_000);
		int[] hot = counts(new SamplingParams(2, 1, 0, null, 1, false), 20_000);
		assertThat(cold[0] / 20_000.0).isGreaterThan(0.97);
		assertThat(hot[0] / 20_000.0).isLessThan(0.6);
	}

	@Test
	void parametersOutsideOpenAisRangesAreRefused() {
		assertThatThrownBy(() -> new SamplingParams(-1, 1, 0, null, 1, false))
			.hasMessageContaining("temperature");
		assertThatThrownBy(() -> new SamplingParams(1, 0, 0, null, 1, false)).hasMessageContaining("top_p");
		assertThatThrownBy(() -> new SamplingParams(1, 1, -2, null, 1, false)).hasMessageContaining("top_k");
		assertThatThrownBy(() -> new SamplingParams(1, 1, 0, null, 0, false)).hasMessageContaining("max_tokens");
	}

}
