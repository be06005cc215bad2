package io.fulcrum.backend.llama.cuda;

import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.LlamaConfig;
import io.fulcrum.backend.llama.RopeStyle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a step's integers are packed for the one upload the kernels read them from. */
class StepLayoutTests {

	private static final LlamaConfig CONFIG = new LlamaConfig("llama", 64, 2, 8, 4, 8, 172, 512, 2048, 1e-5f,
			10000f, RopeStyle.ADJACENT_PAIRS, false);

	private static final KvCacheShape CACHE = new KvCacheShape(10, 4);

	@Test
	void tokensPositionsSequencesLastRowsAndBlockTablesArePackedBackToBack() {
		// sequence 0: a 3-token prompt chunk at 0 (no logits); sequence 1: one decode token at position 5
		DecodeBatch batch = new DecodeBatch(new int[] { 1, 7, 9, 42 }, new int[] { 0, 3, 4 }, new int[] { 0, 5 },
				new int[][] { { 6 }, { 3, 8 } }, new boolean[] { false, true });
		CudaLlamaModel.Layout l = CudaLlamaModel.Layout.of(batch, CONFIG, CACHE);
		assertThat(l.maxBlocks()).isEqualTo(2);
		assertThat(l.logitRows()).isEqualTo(1);
		assertThat(l.rowOf()).containsExactly(-1, 0);
		assertThat(l.ints()).containsExactly(1, 7, 9, 42, // tokens
				0, 1, 2, 5, // positions
				0, 0, 0, 1, // sequence of each token
				3, 0, // the rows whose logits are wanted (one used)
				6, 0, 3, 8); // block tables, 2 a sequence
		assertThat(l.positions()).isEqualTo(4);
		assertThat(l.seqOfToken()).isEqualTo(8);
		assertThat(l.lastRows()).isEqualTo(12);
		assertThat(l.blockTables()).isEqualTo(14);
	}

	@Test
	void positionsBeyondTheBlockTableAndBlocksOutsideTheCacheAreRefused() {
		assertThatThrownBy(() -> CudaLlamaModel.Layout.of(new DecodeBatch(new int[] { 1 }, new int[] { 0, 1 },
				new int[] { 4 }, new int[][] { { 0 } }, new boolean[] { true }), CONFIG, CACHE))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("not covered");
		assertThatThrownBy(() -> CudaLlamaModel.Layout.of(new DecodeBatch(new int[] { 1 }, new int[] { 0, 1 },
				new int[] { 0 }, new int[][] { { 10 } }, new boolean[] { true }), CONFIG, CACHE))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("outside the cache");
		assertThatThrownBy(() -> CudaLlamaModel.Layout.of(new DecodeBatch(new int[] { 512 }, new int[] { 0, 1 },
				new int[] { 0 }, new int[][] { { 1 } }, new boolean[] { true }), CONFIG, CACHE))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("outside the vocabulary");
	}

}
