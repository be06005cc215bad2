package io.fulcrum.backend.encoder.cuda;

import java.util.List;

import io.fulcrum.backend.bert.BertConfig;
import io.fulcrum.backend.bert.BertLayer;
import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.bert.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * On a machine without a CUDA driver (CI, developers' machines) the probe says why, and the encoder fails to
 * construct with a {@link CudaException} rather than crashing the JVM. Skipped where CUDA works.
 */
class CudaWithoutGpuTests {

	@Test
	void probeReportsWhyCudaIsUnusableWithoutThrowing() {
		CudaAvailability found = CudaRuntimeProbe.probe();
		assumeFalse(found.isAvailable(), "CUDA works here: " + found.deviceName());
		assertThat(found.device()).isEmpty();
		// one short line (JCuda's own message carries whole stack traces), naming what is missing
		assertThat(found.detail()).isNotBlank().doesNotContain("\n").hasSizeLessThan(400);
		// A second probe after JCuda's failed class initialisation must not throw either.
		assertThat(CudaRuntimeProbe.probe().isAvailable()).isFalse();
	}

	@Test
	void constructingTheEncoderFailsWithACudaExceptionThatSaysWhy() {
		assumeFalse(CudaRuntimeProbe.probe().isAvailable(), "CUDA works here");
		assertThatThrownBy(() -> new CudaBertEncoder(tinyModel())).isInstanceOf(CudaException.class)
			.hasMessageStartingWith("CUDA is not usable on this machine: ");
		// and again, once JCuda's native library has already failed to load
		assertThatThrownBy(() -> new CudaBertEncoder(tinyModel())).isInstanceOf(CudaException.class)
			.hasMessageStartingWith("CUDA is not usable on this machine: ");
	}

	/** A 1-layer model of hidden 4 (2 heads of 2), enough to pass validation. */
	static BertWeights tinyModel() {
		int h = 4;
		int i = 8;
		BertConfig c = new BertConfig(10, h, 1, 2, i, 6, 1e-12f);
		BertLayer layer = new BertLayer(t("q", h, h), t("qb", h), t("k", h, h), t("kb", h), t("v", h, h), t("vb", h),
				t("o", h, h), t("ob", h), t("g1", h), t("b1", h), t("i", h, i), t("ib", i), t("out", i, h), t("outb", h),
				t("g2", h), t("b2", h));
		return new BertWeights(c, t("word", 10, h), t("pos", 6, h), t("type", 2, h), t("eg", h), t("eb", h),
				List.of(layer));
	}

	private static Tensor t(String name, int... shape) {
		int n = 1;
		for (int d : shape) {
			n *= d;
		}
		float[] data = new float[n];
		for (int k = 0; k < n; k++) {
			data[k] = (float) Math.sin(name.hashCode() + k);
		}
		return new Tensor(name, shape, data);
	}

}
