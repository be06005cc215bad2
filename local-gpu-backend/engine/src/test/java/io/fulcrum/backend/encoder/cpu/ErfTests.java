package io.fulcrum.backend.encoder.cpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErfTests {

	@Test
	void singlePrecisionErfIsWithinFiveTenMillionthsOfCodysDoublePrecisionErfEverywhere() {
		double worst = 0;
		for (double x = -8; x <= 8; x += 1e-4) {
			worst = Math.max(worst, Math.abs(Erf.erf((float) x) - CodyErf.erf((float) x)));
		}
		assertThat(worst).isLessThan(5e-7);
	}

	@Test
	void codysErfHasTheKnownValues() {
		assertThat(CodyErf.erf(0)).isZero();
		assertThat(CodyErf.erf(0.5)).isCloseTo(0.5204998778130465, org.assertj.core.data.Offset.offset(1e-15));
		assertThat(CodyErf.erf(1)).isCloseTo(0.8427007929497149, org.assertj.core.data.Offset.offset(1e-15));
		assertThat(CodyErf.erf(-2)).isCloseTo(-0.9953222650189527, org.assertj.core.data.Offset.offset(1e-15));
		assertThat(CodyErf.erf(5)).isCloseTo(0.9999999999984626, org.assertj.core.data.Offset.offset(1e-15));
	}

}
