package io.fulcrum.routing.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SvgPlotTest {

	@Test
	void ticksAreRoundAndSpanTheRange() {
		assertThat(SvgPlot.ticks(0, 43)).containsExactly(0, 10, 20, 30, 40, 50);
		assertThat(SvgPlot.ticks(96, 100)).containsExactly(96, 97, 98, 99, 100);
		assertThat(SvgPlot.ticks(0, 0.9)).startsWith(0, 0.2).endsWith(1.0);
	}

}
