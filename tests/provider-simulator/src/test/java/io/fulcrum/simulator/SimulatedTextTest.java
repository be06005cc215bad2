package io.fulcrum.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedTextTest {

	@Test
	void joinsTheTokensOfAnAnswer() {
		assertThat(SimulatedText.text(0)).isEmpty();
		assertThat(SimulatedText.text(3)).isEqualTo(" lorem ipsum dolor");
		assertThat(SimulatedText.token(0)).isEqualTo(" lorem");
		assertThat(SimulatedText.token(19)).isEqualTo(SimulatedText.token(0));
	}

	@Test
	void buildsLongAnswersBeyondTheCachedPrefix() {
		String text = SimulatedText.text(10_000);
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < 10_000; i++) {
			expected.append(SimulatedText.token(i));
		}

		assertThat(text).isEqualTo(expected.toString());
	}

}
