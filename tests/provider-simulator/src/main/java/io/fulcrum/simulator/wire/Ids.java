package io.fulcrum.simulator.wire;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random response ids with each provider's prefix ({@code chatcmpl-}, {@code msg_}).
 */
final class Ids {

	private Ids() {
	}

	static String next(String prefix) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return prefix + "sim" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
				+ Long.toHexString(random.nextLong() | Long.MIN_VALUE);
	}

}
