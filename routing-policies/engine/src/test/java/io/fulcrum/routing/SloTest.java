package io.fulcrum.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SloTest {

	private static final Slo DEFAULTS = new Slo(2_000_000_000L, 0, 0.95);

	@Test
	void headerSetsTtftEndToEndAndPercentile() {
		Slo slo = Slo.parse("ttft=800ms, e2e=10s, p=p99", DEFAULTS);
		assertThat(slo).isEqualTo(new Slo(800_000_000L, 10_000_000_000L, 0.99));
	}

	@Test
	void headerFieldsThatAreMissingComeFromTheDefaults() {
		assertThat(Slo.parse("e2e=1.5s", DEFAULTS)).isEqualTo(new Slo(2_000_000_000L, 1_500_000_000L, 0.95));
		assertThat(Slo.parse("p=99.9%", DEFAULTS).target()).isEqualTo(0.999, org.assertj.core.data.Offset.offset(1e-12));
	}

	@Test
	void badHeadersNameWhatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> Slo.parse("ttft=fast", DEFAULTS))
			.withMessageContaining("'fast' is not a duration");
		assertThatIllegalArgumentException().isThrownBy(() -> Slo.parse("latency=1s", DEFAULTS))
			.withMessageContaining("unknown SLO field 'latency'");
		assertThatIllegalArgumentException().isThrownBy(() -> Slo.parse("p=1.5", DEFAULTS))
			.withMessageContaining("not an SLO target");
		assertThatIllegalArgumentException().isThrownBy(() -> Slo.parse("ttft", DEFAULTS))
			.withMessageContaining("key=value");
	}

	@Test
	void formatsAsItParses() {
		Slo slo = new Slo(800_000_000L, 10_000_000_000L, 0.99);
		assertThat(Slo.parse(slo.toString(), Slo.NONE)).isEqualTo(slo);
	}

}
