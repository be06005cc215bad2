package io.fulcrum.routing.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DecayingSketchTest {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void weightHalvesEveryHalfLife() {
		DecayingSketch sketch = new DecayingSketch(60 * SECOND);
		for (int i = 0; i < 100; i++) {
			sketch.add(1.0, 0);
		}
		assertThat(sketch.weight(0)).isCloseTo(100, within(1e-9));
		assertThat(sketch.weight(60 * SECOND)).isCloseTo(50, within(1e-6));
		assertThat(sketch.weight(120 * SECOND)).isCloseTo(25, within(1e-6));
	}

	@Test
	void quantilesFollowRecentValuesOnceOldOnesHaveFaded() {
		DecayingSketch sketch = new DecayingSketch(10 * SECOND);
		for (int i = 0; i < 1000; i++) {
			sketch.add(0.1, 0);
		}
		assertThat(sketch.quantile(0.5)).isCloseTo(0.1, within(0.004));
		// 60 s later (six half-lives) 100 slow observations outweigh 1000 fast ones (1000 / 64 < 100).
		for (int i = 0; i < 100; i++) {
			sketch.add(2.0, 60 * SECOND);
		}
		assertThat(sketch.quantile(0.5)).isCloseTo(2.0, within(0.08));
	}

	@Test
	void rebuildsAroundANewLandmarkWithoutLosingRecentHistory() {
		DecayingSketch sketch = new DecayingSketch(SECOND);
		sketch.add(1.0, 0);
		sketch.add(3.0, 100 * SECOND); // far past the rebase point: weights would otherwise grow as e^69
		sketch.add(3.0, 100 * SECOND);
		assertThat(sketch.weight(100 * SECOND)).isCloseTo(2, within(1e-6));
		assertThat(sketch.quantile(0.5)).isCloseTo(3.0, within(0.12));
	}

}
