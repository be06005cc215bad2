package io.fulcrum.backend.generation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockManagerTests {

	private static final int[] TOKENS = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

	@Test
	void blocksAreHandedOutUntilNoneRemainAndComeBackOnRelease() {
		BlockManager blocks = new BlockManager(2, 4, false);
		int a = blocks.allocate();
		int b = blocks.allocate();
		assertThat(blocks.allocate()).isEqualTo(-1);
		assertThat(blocks.usage()).isEqualTo(1.0);
		blocks.release(a);
		assertThat(blocks.available()).isEqualTo(1);
		assertThat(blocks.allocate()).isEqualTo(a);
		blocks.release(a);
		blocks.release(b);
		assertThat(blocks.usage()).isZero();
	}

	@Test
	void aPublishedPrefixIsFoundExactlyAndSharedByReference() {
		BlockManager blocks = new BlockManager(8, 4, true);
		int first = blocks.allocate();
		int second = blocks.allocate();
		long firstId = blocks.publish(first, BlockManager.ROOT, TOKENS, 0);
		blocks.publish(second, firstId, TOKENS, 1);

		int[] found = new int[3];
		assertThat(blocks.lookup(TOKENS, 3, found)).isEqualTo(2);
		assertThat(found).startsWith(first, second);
		// The same second block after a different first block is not a match: keys name everything before.
		int[] other = TOKENS.clone();
		other[0] = 99;
		assertThat(blocks.lookup(other, 3, new int[3])).isZero();
		// Shared: still in use after one of its two users lets go.
		blocks.release(first);
		blocks.release(second);
		assertThat(blocks.usage()).isEqualTo(2 / 8.0);
	}

	@Test
	void anIdlePublishedBlockStaysFindableUntilItsSpaceIsNeededLeastRecentlyReleasedFirst() {
		BlockManager blocks = new BlockManager(2, 4, true);
		int a = blocks.allocate();
		blocks.publish(a, BlockManager.ROOT, TOKENS, 0);
		blocks.release(a);
		assertThat(blocks.usage()).isZero();
		int[] found = new int[1];
		assertThat(blocks.lookup(TOKENS, 1, found)).isEqualTo(1);
		blocks.release(found[0]);
		// Both blocks needed: the free one first, then the idle published one is evicted and forgotten.
		blocks.allocate();
		blocks.allocate();
		assertThat(blocks.lookup(TOKENS, 1, new int[1])).isZero();
	}

}
