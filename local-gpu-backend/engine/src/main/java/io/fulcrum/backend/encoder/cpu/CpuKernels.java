package io.fulcrum.backend.encoder.cpu;

import java.util.Arrays;

import io.fulcrum.backend.cpu.Parallel;
import io.fulcrum.backend.cpu.Simd;
import io.fulcrum.backend.cpu.VectorExp;
import org.jspecify.annotations.Nullable;

/**
 * The encoder's operators on the CPU, over row-major fp32 arrays: one row per token. Plain loops written so that
 * HotSpot's auto-vectoriser turns their inner loops into SIMD code (contiguous {@code a[i] += s * b[i]}), and
 * split over {@link Parallel}'s workers where the work is large enough to pay for it.
 */
final class CpuKernels {

	/**
	 * Most output columns per task: a row's 256 outputs (1 KiB) stay in L1 while every weight row streams past
	 * them from L2. Narrower when that leaves a worker idle (a 384-wide layer on two threads).
	 */
	private static final int MAX_COLUMN_TILE = 256;

	/**
	 * Whether the dense layers use explicit SIMD ({@link VectorDense}): when the JVM was started with
	 * {@code --add-modules jdk.incubator.vector}, unless {@code -Dfulcrum.cpu.scalar=true}.
	 */
	static final boolean VECTOR = Simd.AVAILABLE;

	/** Weight rows per cache block: 64 rows of a 256-column tile are 64 KiB, which stay in L2. */
	private static final int K_BLOCK = 64;

	/** Rows per task when a batch has many tokens. */
	private static final int ROW_TILE = 32;

	private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

	private final Parallel parallel;

	CpuKernels(Parallel parallel) {
		this.parallel = parallel;
	}

	/**
	 * {@code out[rows, n] = x[rows, k] · w[k, n] + bias[n]}, GELU applied after when {@code gelu} is set.
	 *
	 * <p>With the Vector API ({@link #VECTOR}) a block of four rows by two vectors of outputs stays in registers
	 * for the whole reduction. Without it, each output row is updated with four weight rows at a time
	 * ({@code out += a0·w0 + a1·w1 + a2·w2 + a3·w3}): one load and one store of the output per four multiply-adds
	 * instead of per one, which is what makes HotSpot's auto-vectorised loop fast (3x over the one-row form).
	 */
	void dense(float[] x, int rows, int k, float[] w, float[] bias, int n, float[] out, boolean gelu) {
		int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
		int tile = columnTile(n, rowTiles);
		int columnTiles = (n + tile - 1) / tile;
		this.parallel.forEach(columnTiles * rowTiles, task -> {
			int c0 = (task % columnTiles) * tile;
			int c1 = Math.min(n, c0 + tile);
			int r0 = (task / columnTiles) * ROW_TILE;
			int r1 = Math.min(rows, r0 + ROW_TILE);
			int scalarFrom = VECTOR ? VectorDense.block(x, r0, r1, k, w, bias, n, out, c0, c1) : c0;
			if (scalarFrom < c1) {
				scalarBlock(x, r0, r1, k, w, bias, n, out, scalarFrom, c1);
			}
			if (gelu) {
				for (int r = r0; r < r1; r++) {
					for (int c = r * n + c0, end = r * n + c1; c < end; c++) {
						float v = out[c];
						out[c] = 0.5f * v * (1 + Erf.erf(v * INV_SQRT2));
					}
				}
			}
		});
	}

	/** The dense block in plain loops that HotSpot vectorises itself. */
	static void scalarBlock(float[] x, int r0, int r1, int k, float[] w, float[] bias, int n, float[] out,
			int c0, int c1) {
		for (int r = r0; r < r1; r++) {
			System.arraycopy(bias, c0, out, r * n + c0, c1 - c0);
		}
		// A block of weight rows is read from memory once and reused, from L2, for every row of the tile.
		for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
			int k1 = Math.min(k, k0 + K_BLOCK);
			for (int r = r0; r < r1; r++) {
				int o = r * n;
				int xr = r * k;
				int kk = k0;
				for (; kk + 3 < k1; kk += 4) {
					float a0 = x[xr + kk];
					float a1 = x[xr + kk + 1];
					float a2 = x[xr + kk + 2];
					float a3 = x[xr + kk + 3];
					int w0 = kk * n;
					int w1 = w0 + n;
					int w2 = w1 + n;
					int w3 = w2 + n;
					for (int c = c0; c < c1; c++) {
						out[o + c] += a0 * w[w0 + c] + a1 * w[w1 + c] + a2 * w[w2 + c] + a3 * w[w3 + c];
					}
				}
				for (; kk < k1; kk++) {
					float a = x[xr + kk];
					int wr = kk * n;
					for (int c = c0; c < c1; c++) {
						out[o + c] += a * w[wr + c];
					}
				}
			}
		}
	}

	/** {@code values[j] = exp(values[j] - max)} for {@code j < n}, one {@code Math.exp} at a time; returns the sum. */
	private static double expShifted(float[] values, int n, float max) {
		double total = 0;
		for (int j = 0; j < n; j++) {
			float e = (float) Math.exp(values[j] - max);
			values[j] = e;
			total += e;
		}
		return total;
	}

	/** Columns per task: at most {@link #MAX_COLUMN_TILE}, and narrow enough to give each worker two tasks. */
	private int columnTile(int n, int rowTiles) {
		int wanted = Math.max(1, 2 * this.parallel.threads() / rowTiles);
		int tile = (n + wanted - 1) / wanted;
		tile = (tile + 31) / 32 * 32;
		return Math.max(32, Math.min(MAX_COLUMN_TILE, tile));
	}

	/**
	 * {@code x[r] = LayerNorm(x[r] + residual[r])} for every row, in place ({@code residual} may be {@code null}).
	 */
	void addAndNormalize(float[] x, float @Nullable [] residual, int rows, int width, float[] gamma, float[] beta, float eps) {
		this.parallel.forEach(Math.min(rows, this.parallel.threads()), part -> {
			int per = (rows + this.parallel.threads() - 1) / this.parallel.threads();
			for (int r = part * per, end = Math.min(rows, r + per); r < end; r++) {
				int o = r * width;
				double sum = 0;
				for (int c = 0; c < width; c++) {
					float v = residual == null ? x[o + c] : x[o + c] + residual[o + c];
					x[o + c] = v;
					sum += v;
				}
				double mean = sum / width;
				double squares = 0;
				for (int c = 0; c < width; c++) {
					double d = x[o + c] - mean;
					squares += d * d;
				}
				double inv = 1 / Math.sqrt(squares / width + eps);
				for (int c = 0; c < width; c++) {
					x[o + c] = (float) ((x[o + c] - mean) * inv * gamma[c] + beta[c]);
				}
			}
		});
	}

	/**
	 * Self-attention of every sequence with itself, per head: {@code ctx = softmax(q·kᵀ/√d)·v}. Tokens of a
	 * sequence are rows {@code [offsets[s], offsets[s] + lengths[s])}; no token sees another sequence.
	 */
	void attention(float[] q, float[] k, float[] v, int[] offsets, int[] lengths, int heads, int headSize,
			float[] ctx) {
		int width = heads * headSize;
		float scale = (float) (1 / Math.sqrt(headSize));
		int sequences = offsets.length;
		this.parallel.forEach(sequences * heads, task -> {
			int s = task / heads;
			int h = task % heads;
			int base = offsets[s];
			int n = lengths[s];
			float[] scores = new float[n];
			float[] acc = new float[headSize];
			for (int i = 0; i < n; i++) {
				int qo = (base + i) * width + h * headSize;
				for (int j = 0; j < n; j++) {
					int ko = (base + j) * width + h * headSize;
					float dot = 0;
					for (int d = 0; d < headSize; d++) {
						dot += q[qo + d] * k[ko + d];
					}
					scores[j] = dot * scale;
				}
				float max = Float.NEGATIVE_INFINITY;
				for (int j = 0; j < n; j++) {
					max = Math.max(max, scores[j]);
				}
				double total = VECTOR ? VectorExp.expShifted(scores, n, max) : expShifted(scores, n, max);
				float inv = (float) (1 / total);
				Arrays.fill(acc, 0);
				for (int j = 0; j < n; j++) {
					float p = scores[j] * inv;
					int vo = (base + j) * width + h * headSize;
					for (int d = 0; d < headSize; d++) {
						acc[d] += p * v[vo + d];
					}
				}
				System.arraycopy(acc, 0, ctx, qo, headSize);
			}
		});
	}

}
