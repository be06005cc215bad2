package io.fulcrum.backend.encoder.cuda;

import java.util.List;

import io.fulcrum.backend.bert.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the host prepares for the kernels: the packed batch and the joined q, k, v weights. */
class HostLayoutTests {

	@Test
	void packsIdsThenPositionsThenSequenceOffsets() {
		int[] ints = CudaBertEncoder.packInts(List.of(new int[] { 101, 7, 102 }, new int[] { 101, 102 }), 5);
		assertThat(ints).containsExactly(101, 7, 102, 101, 102, 0, 1, 2, 0, 1, 0, 3, 5);
	}

	@Test
	void joinsQueryKeyAndValueColumnsRowByRow() {
		Tensor q = new Tensor("q", new int[] { 2, 2 }, new float[] { 1, 2, 3, 4 });
		Tensor k = new Tensor("k", new int[] { 2, 1 }, new float[] { 5, 6 });
		Tensor v = new Tensor("v", new int[] { 2, 3 }, new float[] { 7, 8, 9, 10, 11, 12 });
		assertThat(DeviceWeights.joinColumns(2, q, k, v)).containsExactly(1, 2, 5, 7, 8, 9, 3, 4, 6, 10, 11, 12);
		assertThat(DeviceWeights.concat(q, k)).containsExactly(1, 2, 3, 4, 5, 6);
	}

	@Test
	void workBuffersGrowToThePowerOfTwoAboveWhatABatchNeeds() {
		assertThat(WorkBuffers.nextPowerOfTwo(1)).isEqualTo(1);
		assertThat(WorkBuffers.nextPowerOfTwo(5)).isEqualTo(8);
		assertThat(WorkBuffers.nextPowerOfTwo(8)).isEqualTo(8);
		assertThat(WorkBuffers.nextPowerOfTwo(513)).isEqualTo(1024);
	}

	@Test
	void attentionForMiniLmsFullWindowFitsTheDefaultSharedMemory() {
		assertThat(CudaKernels.attentionSharedBytes(512, 32)).isLessThanOrEqualTo(CudaKernels.MAX_SHARED_BYTES);
	}

}
