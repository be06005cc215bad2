package io.fulcrum.backend.encoder;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.encoder.cuda.CudaRuntimeProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class EncoderSelectionTests {

	private static BertWeights weights;

	@BeforeAll
	static void load() throws Exception {
		weights = BundledModel.ALL_MINILM_L6_V2.weights();
	}

	@Test
	void withoutAGpuAutoFallsBackToTheCpu() {
		assumeFalse(CudaRuntimeProbe.probe().isAvailable(), "this machine has a usable CUDA GPU");
		try (SentenceEncoder encoder = EncoderSelection.forDevice(Device.AUTO, weights, 1).get()) {
			assertThat(encoder.device()).isEqualTo("cpu (1 thread)");
		}
	}

	@Test
	void withoutAGpuAskingForCudaFailsWithTheReason() {
		assumeFalse(CudaRuntimeProbe.probe().isAvailable(), "this machine has a usable CUDA GPU");
		assertThatThrownBy(() -> EncoderSelection.forDevice(Device.CUDA, weights, 1).get())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageStartingWith("device cuda was asked for, but CUDA is not usable here: ")
			.hasMessageContaining(CudaRuntimeProbe.probe().detail());
	}

	@Test
	void devicesParseFromConfiguration() {
		assertThat(Device.fromConfig(" Auto ")).isEqualTo(Device.AUTO);
		assertThat(Device.fromConfig("cuda")).isEqualTo(Device.CUDA);
		assertThatThrownBy(() -> Device.fromConfig("tpu")).hasMessageContaining("expected auto, cpu or cuda");
	}

}
