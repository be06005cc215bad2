package io.fulcrum.backend.llama;

import io.fulcrum.backend.llama.cpu.CpuLlamaModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecoderSelfCheckTests {

	@Test
	void aDecoderThatComputesWhatTheCpuComputesPasses() {
		assertThatCode(() -> DecoderSelfCheck.verify("a second CPU decoder", (file, cache) -> CpuLlamaModel.load(file,
				cache, 2)))
			.doesNotThrowAnyException();
	}

	@Test
	void aDecoderWhoseLogitsDriftIsRefusedWithWhereAndByHowMuch() {
		assertThatThrownBy(() -> DecoderSelfCheck.verify("a drifting decoder",
				(file, cache) -> new Drifting(CpuLlamaModel.load(file, cache, 1))))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("a drifting decoder failed its self-check at prefill, sequence 0")
			.hasMessageContaining("relative");
	}

	/** Adds a small error to one logit: what a subtly wrong kernel would do. */
	private record Drifting(DecoderModel inner) implements DecoderModel {

		@Override
		public LlamaConfig config() {
			return this.inner.config();
		}

		@Override
		public KvCacheShape cacheShape() {
			return this.inner.cacheShape();
		}

		@Override
		public String device() {
			return "drifting";
		}

		@Override
		public long weightBytesPerToken() {
			return this.inner.weightBytesPerToken();
		}

		@Override
		public StepLogits forward(DecodeBatch batch) {
			StepLogits logits = this.inner.forward(batch);
			return new StepLogits() {
				@Override
				public int argmax(int s) {
					return logits.argmax(s);
				}

				@Override
				public void copy(int s, float[] into) {
					logits.copy(s, into);
					into[7] += 0.05f;
				}
			};
		}

		@Override
		public void close() {
			this.inner.close();
		}

	}

}
