// fp32 kernels of a BERT encoder's forward pass, launched by CudaBertEncoder through the driver API.
//
// Layout: the tokens of a batch are packed, sequence after sequence, into rows of [tokens, width] row-major
// buffers; seq_start[b] .. seq_start[b + 1] are sequence b's rows. Weights are [in, out] row-major, as on the
// host. Everything is fp32 with accurate math (erff, expf after max subtraction, two-pass LayerNorm
// variance); build without fast-math flags, so the result matches a CPU reference to ~1e-6 relative.
//
// Every kernel's parameters are int or pointers or float, in the order CudaBertEncoder passes them.

#define WARP 32
#define FULL_MASK 0xffffffffu

// ---------------------------------------------------------------------------------------------------------
// Reductions

__device__ __forceinline__ float warp_sum(float v) {
	for (int o = WARP / 2; o > 0; o >>= 1) {
		v += __shfl_xor_sync(FULL_MASK, v, o);
	}
	return v;
}

__device__ __forceinline__ float warp_max(float v) {
	for (int o = WARP / 2; o > 0; o >>= 1) {
		v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
	}
	return v;
}

// Sum over the block, returned to every thread. blockDim.x must be a multiple of 32 and at most 1024;
// scratch holds 32 floats. Safe to call repeatedly: the first barrier keeps a previous call's readers of
// scratch[0] ahead of this call's writers.
__device__ float block_sum(float v, float* scratch) {
	const int lane = threadIdx.x % WARP;
	const int warp = threadIdx.x / WARP;
	const int warps = blockDim.x / WARP;
	v = warp_sum(v);
	__syncthreads();
	if (lane == 0) {
		scratch[warp] = v;
	}
	__syncthreads();
	if (warp == 0) {
		float t = lane < warps ? scratch[lane] : 0.0f;
		t = warp_sum(t);
		if (lane == 0) {
			scratch[0] = t;
		}
	}
	__syncthreads();
	return scratch[0];
}

// Normalises row[0..n) in place (it already holds the LayerNorm's input): gamma * (v - mean) / sqrt(var + eps)
// + beta. Each thread touches only the columns it wrote, so no barrier is needed between writing and reading.
__device__ void layer_norm_row(float* row, const float* gamma, const float* beta, int n, float eps,
		float* scratch) {
	float s = 0.0f;
	for (int j = threadIdx.x; j < n; j += blockDim.x) {
		s += row[j];
	}
	const float mean = block_sum(s, scratch) / (float) n;
	float sq = 0.0f;
	for (int j = threadIdx.x; j < n; j += blockDim.x) {
		const float d = row[j] - mean;
		sq += d * d;
	}
	const float var = block_sum(sq, scratch) / (float) n;
	const float inv = 1.0f / sqrtf(var + eps);
	for (int j = threadIdx.x; j < n; j += blockDim.x) {
		row[j] = (row[j] - mean) * inv * gamma[j] + beta[j];
	}
}

// ---------------------------------------------------------------------------------------------------------
// Embeddings: out[t] = LN(word[ids[t]] + pos[positions[t]] + type0). One block per token.

extern "C" __global__ void embed_layernorm(const int* ids, const int* positions, const float* word,
		const float* pos, const float* type0, const float* gamma, const float* beta, float* out, int tokens,
		int hidden, float eps) {
	__shared__ float scratch[WARP];
	const int t = blockIdx.x;
	if (t >= tokens) {
		return;
	}
	const float* w = word + (size_t) ids[t] * hidden;
	const float* p = pos + (size_t) positions[t] * hidden;
	float* row = out + (size_t) t * hidden;
	for (int j = threadIdx.x; j < hidden; j += blockDim.x) {
		row[j] = w[j] + p[j] + type0[j];
	}
	layer_norm_row(row, gamma, beta, hidden, eps, scratch);
}

// ---------------------------------------------------------------------------------------------------------
// Residual + LayerNorm: out[t] = LN(x[t] + residual[t]). One block per token; out may be residual or x.

extern "C" __global__ void add_layernorm(const float* x, const float* residual, const float* gamma,
		const float* beta, float* out, int tokens, int hidden, float eps) {
	__shared__ float scratch[WARP];
	const int t = blockIdx.x;
	if (t >= tokens) {
		return;
	}
	const size_t base = (size_t) t * hidden;
	float* row = out + base;
	for (int j = threadIdx.x; j < hidden; j += blockDim.x) {
		row[j] = x[base + j] + residual[base + j];
	}
	layer_norm_row(row, gamma, beta, hidden, eps, scratch);
}

// ---------------------------------------------------------------------------------------------------------
// GEMM with bias: C[m, n] = A[m, k] · B[k, n] + bias[n], optionally followed by the exact GELU.
// 64x64 output tile per block of 256 threads, k in steps of 16 through shared memory; each thread keeps a 4x4
// block of accumulators, rows ty + 16i and columns tx + 16j, so that a warp reads B's shared row without bank
// conflicts and writes C in 64-byte runs. Edges of every dimension are zero-filled on load and masked on store.

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16
#define GEMM_THREADS 256

__device__ __forceinline__ float gelu_erf(float v) {
	return 0.5f * v * (1.0f + erff(v * 0.70710678118654752440f));
}

template <bool GELU>
__device__ void gemm_bias_tile(const float* A, const float* B, const float* bias, float* C, int m, int n,
		int k) {
	// As is stored transposed ([k][m]) so the inner loop reads both tiles along a row; +4 keeps the
	// transposing store's bank conflicts at two-way.
	__shared__ float As[TILE_K][TILE_M + 4];
	__shared__ float Bs[TILE_K][TILE_N];
	const int tid = threadIdx.x;
	const int tx = tid % 16;
	const int ty = tid / 16;
	const int row0 = blockIdx.y * TILE_M;
	const int col0 = blockIdx.x * TILE_N;

	float acc[4][4];
#pragma unroll
	for (int i = 0; i < 4; i++) {
#pragma unroll
		for (int j = 0; j < 4; j++) {
			acc[i][j] = 0.0f;
		}
	}

	for (int k0 = 0; k0 < k; k0 += TILE_K) {
		// 64 x 16 of A and 16 x 64 of B: four values of each per thread.
#pragma unroll
		for (int r = 0; r < 4; r++) {
			const int e = tid + r * GEMM_THREADS;
			const int am = e / TILE_K;
			const int ak = e % TILE_K;
			const int ga = row0 + am;
			const int gk = k0 + ak;
			As[ak][am] = (ga < m && gk < k) ? A[(size_t) ga * k + gk] : 0.0f;
			const int bk = e / TILE_N;
			const int bn = e % TILE_N;
			const int gbk = k0 + bk;
			const int gn = col0 + bn;
			Bs[bk][bn] = (gbk < k && gn < n) ? B[(size_t) gbk * n + gn] : 0.0f;
		}
		__syncthreads();
#pragma unroll
		for (int kk = 0; kk < TILE_K; kk++) {
			float a[4];
			float b[4];
#pragma unroll
			for (int i = 0; i < 4; i++) {
				a[i] = As[kk][ty + 16 * i];
				b[i] = Bs[kk][tx + 16 * i];
			}
#pragma unroll
			for (int i = 0; i < 4; i++) {
#pragma unroll
				for (int j = 0; j < 4; j++) {
					acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
				}
			}
		}
		__syncthreads();
	}

#pragma unroll
	for (int i = 0; i < 4; i++) {
		const int r = row0 + ty + 16 * i;
		if (r >= m) {
			continue;
		}
#pragma unroll
		for (int j = 0; j < 4; j++) {
			const int c = col0 + tx + 16 * j;
			if (c < n) {
				float v = acc[i][j] + bias[c];
				if (GELU) {
					v = gelu_erf(v);
				}
				C[(size_t) r * n + c] = v;
			}
		}
	}
}

// grid (ceil(n / 64), ceil(m / 64)), block 256.
extern "C" __global__ void __launch_bounds__(GEMM_THREADS) gemm_bias(const float* A, const float* B,
		const float* bias, float* C, int m, int n, int k) {
	gemm_bias_tile<false>(A, B, bias, C, m, n, k);
}

// The same, followed by GELU(x) = 0.5 x (1 + erf(x / sqrt 2)).
extern "C" __global__ void __launch_bounds__(GEMM_THREADS) gemm_bias_gelu(const float* A, const float* B,
		const float* bias, float* C, int m, int n, int k) {
	gemm_bias_tile<true>(A, B, bias, C, m, n, k);
}

// ---------------------------------------------------------------------------------------------------------
// Self-attention within each sequence of the packed batch.
//
// qkv holds [tokens, 3 * hidden]: q in columns [0, hidden), k in [hidden, 2 hidden), v in [2 hidden, 3 hidden);
// head h uses columns h * headSize .. + headSize of each. ctx receives [tokens, hidden].
// grid (ceil(maxLen / ATT_Q), heads, sequences), block ATT_THREADS (one warp per query of the tile).
// Dynamic shared memory, in floats: ATT_Q * maxLen (scores) + ATT_Q * headSize (queries)
// + ATT_KEYS * (headSize + 1) (a chunk of keys). Each block: scores of its ATT_Q queries against every key of
// the sequence, the softmax of each row (max subtracted, then normalised), then context = P · V, with V read
// from global memory in coalesced rows (L2 holds it: the sequence's V is reused by every block of its grid row).

#define ATT_Q 8
#define ATT_KEYS 64
#define ATT_THREADS (ATT_Q * WARP)

extern "C" __global__ void __launch_bounds__(ATT_THREADS) attention(const float* qkv, const int* seq_start,
		float* ctx, int hidden, int head_size, int max_len, float scale) {
#ifndef BERT_KERNELS_EMULATED
	extern __shared__ float smem[];
#endif
	float* scores = smem;                              // [ATT_Q][max_len]
	float* qs = scores + ATT_Q * max_len;              // [ATT_Q][head_size]
	float* ks = qs + ATT_Q * head_size;                // [ATT_KEYS][head_size + 1]

	const int b = blockIdx.z;
	const int h = blockIdx.y;
	const int start = seq_start[b];
	const int len = seq_start[b + 1] - start;
	const int q0 = blockIdx.x * ATT_Q;
	if (q0 >= len) {
		return; // the whole block leaves before any barrier
	}
	const int tid = threadIdx.x;
	const int lane = tid % WARP;
	const int warp = tid / WARP;
	const int qn = min(ATT_Q, len - q0);
	const size_t stride = 3 * (size_t) hidden;
	const float* qbase = qkv + (size_t) h * head_size;
	const float* kbase = qbase + hidden;
	const float* vbase = qbase + 2 * (size_t) hidden;
	const int kstride = head_size + 1; // odd row stride: threads reading different keys hit different banks

	// Queries of the tile, pre-scaled by 1/sqrt(headSize); rows past the sequence are zero.
	for (int e = tid; e < ATT_Q * head_size; e += ATT_THREADS) {
		const int qi = e / head_size;
		const int d = e % head_size;
		qs[e] = qi < qn ? qbase[(size_t) (start + q0 + qi) * stride + d] * scale : 0.0f;
	}

	// 1. scores[qi][key] = q · k, a chunk of ATT_KEYS keys at a time.
	for (int k0 = 0; k0 < len; k0 += ATT_KEYS) {
		const int kn = min(ATT_KEYS, len - k0);
		__syncthreads(); // qs written / the previous chunk's readers done
		for (int e = tid; e < ATT_KEYS * head_size; e += ATT_THREADS) {
			const int key = e / head_size;
			const int d = e % head_size;
			ks[key * kstride + d] = key < kn ? kbase[(size_t) (start + k0 + key) * stride + d] : 0.0f;
		}
		__syncthreads();
		for (int e = tid; e < ATT_Q * ATT_KEYS; e += ATT_THREADS) {
			const int qi = e / ATT_KEYS;
			const int key = e % ATT_KEYS;
			if (key < kn) {
				const float* q = qs + qi * head_size;
				const float* kr = ks + key * kstride;
				float s = 0.0f;
				for (int d = 0; d < head_size; d++) {
					s = fmaf(q[d], kr[d], s);
				}
				scores[qi * max_len + k0 + key] = s;
			}
		}
	}
	__syncthreads();

	// 2. Softmax of each query's row over the sequence's keys: warp w takes row w.
	if (warp < qn) {
		float* row = scores + warp * max_len;
		float mx = -INFINITY;
		for (int j = lane; j < len; j += WARP) {
			mx = fmaxf(mx, row[j]);
		}
		mx = warp_max(mx);
		float sum = 0.0f;
		for (int j = lane; j < len; j += WARP) {
			const float p = expf(row[j] - mx);
			row[j] = p;
			sum += p;
		}
		sum = warp_sum(sum);
		const float inv = 1.0f / sum;
		for (int j = lane; j < len; j += WARP) {
			row[j] *= inv;
		}
	}
	__syncthreads();

	// 3. ctx[q][d] = sum over keys of P[q][key] * v[key][d]; consecutive threads take consecutive d.
	for (int e = tid; e < qn * head_size; e += ATT_THREADS) {
		const int qi = e / head_size;
		const int d = e % head_size;
		const float* p = scores + qi * max_len;
		const float* v = vbase + (size_t) start * stride + d;
		float acc = 0.0f;
		for (int j = 0; j < len; j++) {
			acc = fmaf(p[j], v[(size_t) j * stride], acc);
		}
		ctx[(size_t) (start + q0 + qi) * hidden + (size_t) h * head_size + d] = acc;
	}
}

// ---------------------------------------------------------------------------------------------------------
// Sentence embeddings: out[b] = mean over sequence b's rows of x, divided by its L2 norm (at least 1e-12).
// One block per sequence.

extern "C" __global__ void mean_pool_l2(const float* x, const int* seq_start, float* out, int hidden) {
	__shared__ float scratch[WARP];
	const int b = blockIdx.x;
	const int start = seq_start[b];
	const int len = seq_start[b + 1] - start;
	float* o = out + (size_t) b * hidden;
	float sq = 0.0f;
	for (int j = threadIdx.x; j < hidden; j += blockDim.x) {
		const float* col = x + (size_t) start * hidden + j;
		float s = 0.0f;
		for (int t = 0; t < len; t++) {
			s += col[(size_t) t * hidden];
		}
		const float mean = s / (float) len;
		o[j] = mean;
		sq += mean * mean;
	}
	const float norm = fmaxf(sqrtf(block_sum(sq, scratch)), 1e-12f);
	for (int j = threadIdx.x; j < hidden; j += blockDim.x) {
		o[j] = o[j] / norm;
	}
}
