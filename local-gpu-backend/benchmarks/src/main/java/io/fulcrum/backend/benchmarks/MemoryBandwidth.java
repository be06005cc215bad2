package io.fulcrum.backend.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures this machine's memory copy bandwidth from Java, counting bytes read and written (the convention of the
 * GPU notes' copy kernel), with the decoder's thread count: the bound a memory-bound decode step is held to.
 */
final class MemoryBandwidth {

	private static final int FLOATS = 64 << 20; // 256 MiB per array: far beyond any cache

	private MemoryBandwidth() {
	}

	static double cpuCopyBytesPerSecond(int threads) throws InterruptedException {
		int per = FLOATS / threads;
		float[][] from = new float[threads][per];
		float[][] to = new float[threads][per];
		for (float[] a : from) {
			java.util.Arrays.fill(a, 1f);
		}
		double best = 0;
		for (int round = 0; round < 6; round++) {
			List<Thread> workers = new ArrayList<>();
			long start = System.nanoTime();
			for (int t = 0; t < threads; t++) {
				int index = t;
				Thread worker = new Thread(() -> System.arraycopy(from[index], 0, to[index], 0, per));
				workers.add(worker);
				worker.start();
			}
			for (Thread worker : workers) {
				worker.join();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			best = Math.max(best, 2.0 * 4 * per * threads / seconds);
		}
		return best;
	}

}
