package io.fulcrum.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ModelProfileTest {

	@Test
	void capsOutputAtTheRequestsMaxTokens() {
		ModelProfile profile = ModelProfile.DEFAULT.withDefaultOutputTokens(10);

		assertThat(profile.outputTokens(null)).isEqualTo(10);
		assertThat(profile.outputTokens(4)).isEqualTo(4);
		assertThat(profile.outputTokens(50)).isEqualTo(10);
		assertThat(profile.cappedBy(4)).isTrue();
		assertThat(profile.cappedBy(10)).isFalse();
		assertThat(profile.cappedBy(null)).isFalse();
	}

	@Test
	void raisesP99BelowTheMedianToTheMedian() {
		assertThat(ModelProfile.DEFAULT.withTtft(200, 50).ttftP99Ms()).isEqualTo(200);
	}

	@Test
	void rejectsOutOfRangeValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> ModelProfile.DEFAULT.withErrorRate(1.5));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelProfile.DEFAULT.withRateLimitRate(-0.1));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelProfile.DEFAULT.withTokensPerSecond(Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelProfile.DEFAULT.withDefaultOutputTokens(0));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelProfile.DEFAULT.withFailAfterChunks(-2));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelProfile.DEFAULT.withTtft(-1, 0));
	}

}
