// Kernels of a Llama-family decoder's forward pass (Llama, Mistral, Qwen2), launched by CudaLlamaModel through
// the driver API.
//
// Layout: a step's T tokens (several sequences, flattened) are rows of [T, width] row-major fp32 buffers.
// Weight matrices are [rows = outputs, cols = inputs] row-major, as GGUF stores them, in one of three types:
//   F32   (TYPE_F32)  4 bytes a value
//   F16   (TYPE_F16)  2 bytes a value (IEEE half), converted to fp32 in registers
//   Q8_0  (TYPE_Q8)   GGUF's blocks of 32 int8 sharing one fp16 scale, repacked on upload into two arrays:
//                     qs[rows * cols] int8 and d[rows * cols / 32] fp16 (block order kept), so a row's
//                     quantised values are contiguous and 16-byte aligned for 128-bit loads
// The key/value cache is fp32, one K and one V array a layer, each [blocks * block_size, kv_dim]: the slot of
// position p of a sequence is block_table[p / block_size] * block_size + p % block_size.
//
// Everything accumulates in fp32 with accurate math (expf, sqrtf, double-precision RoPE angles); build without
// fast-math flags. Every kernel's parameters are int, float or pointers, in the order LlamaKernels passes them.

#define WARP 32
#define FULL_MASK 0xffffffffu

#define TYPE_F32 0
#define TYPE_F16 1
#define TYPE_Q8 2

#define ROPE_ADJACENT 0
#define ROPE_HALF 1

#ifndef LLAMA_KERNELS_EMULATED
__device__ __forceinline__ float half_to_float(unsigned short h) {
	float f;
	asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
	return f;
}
#endif

// ---------------------------------------------------------------------------------------------------------
// Reductions

__device__ __forceinline__ float warp_sum(float v) {
	for (int o = WARP / 2; o > 0; o >>= 1) {
		v += __shfl_xor_sync(FULL_MASK, v, o);
	}
	return v;
}

// Sum over the block (blockDim.x a multiple of 32), returned to every thread; scratch holds 32 floats.
__device__ float block_sum(float v, float* scratch) {
	const int lane = threadIdx.x % WARP;
	const int warp = threadIdx.x / WARP;
	v = warp_sum(v);
	__syncthreads();
	if (lane == 0) {
		scratch[warp] = v;
	}
	__syncthreads();
	if (warp == 0) {
		float t = lane < blockDim.x / WARP ? scratch[lane] : 0.0f;
		t = warp_sum(t);
		if (lane == 0) {
			scratch[0] = t;
		}
	}
	__syncthreads();
	return scratch[0];
}

// One weight value, whatever the type: w is the values array, d the Q8_0 scales (unused otherwise).
__device__ __forceinline__ float weight_at(int type, const void* w, const unsigned short* d, size_t row, int cols,
		int c) {
	const size_t i = row * (size_t) cols + c;
	if (type == TYPE_F32) {
		return ((const float*) w)[i];
	}
	if (type == TYPE_F16) {
		return half_to_float(((const unsigned short*) w)[i]);
	}
	return (float) ((const signed char*) w)[i] * half_to_float(d[i / 32]);
}

// ---------------------------------------------------------------------------------------------------------
// Embedding gather: x[t] = table[tokens[t]] as fp32. One block per token.

extern "C" __global__ void embed(int type, const void* table, const unsigned short* scales, const int* tokens,
		float* x, int dim) {
	const int t = blockIdx.x;
	const size_t row = (size_t) tokens[t];
	for (int c = threadIdx.x; c < dim; c += blockDim.x) {
		x[(size_t) t * dim + c] = weight_at(type, table, scales, row, dim, c);
	}
}

// ---------------------------------------------------------------------------------------------------------
// RMSNorm: out[i] = x[r] / sqrt(mean(x[r]^2) + eps) * w, with r = rows ? rows[i] : i (rows gathers the tokens
// whose logits a step wants). One block per output row; out must not overlap x.

extern "C" __global__ void rmsnorm(const float* x, const int* rows, const float* w, float* out, int dim,
		float eps) {
	__shared__ float scratch[WARP];
	const int i = blockIdx.x;
	const float* in = x + (size_t) (rows ? rows[i] : i) * dim;
	float s = 0.0f;
	for (int c = threadIdx.x; c < dim; c += blockDim.x) {
		s += in[c] * in[c];
	}
	const float inv = 1.0f / sqrtf(block_sum(s, scratch) / (float) dim + eps);
	for (int c = threadIdx.x; c < dim; c += blockDim.x) {
		out[(size_t) i * dim + c] = in[c] * inv * w[c];
	}
}

// ---------------------------------------------------------------------------------------------------------
// Matrix times token vectors: out[t, r] = (accumulate ? out[t, r] : 0) + bias[r] + sum_c W[r, c] x[t, c], for
// t < tokens (x rows ldx apart, out rows ldo apart). accumulate fuses the residual add (x += Wo att).
//
// One warp per weight row, MM_WARPS rows a block. Tokens go MM_TOKENS at a time: each lane loads a 128-bit
// chunk of the row once and applies it to every token of the tile, keeping MM_TOKENS accumulators in registers,
// so a batch of up to MM_TOKENS tokens reads the weights once (more tokens: once per tile, from L2 when it
// fits). The token vectors are read through L1 (every warp of the block reads the same ones). Rows whose width
// does not allow aligned 128-bit loads (cols not a multiple of the chunk, or ldx not of 4) take a scalar loop.

#define MM_WARPS 8
#define MM_THREADS (MM_WARPS * WARP)
#define MM_TOKENS 8

__device__ __forceinline__ float dot4(float4 a, float4 b) {
	return a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w;
}

__device__ __forceinline__ float4 half4(unsigned a, unsigned b) {
	return make_float4(half_to_float((unsigned short) (a & 0xffffu)), half_to_float((unsigned short) (a >> 16)),
			half_to_float((unsigned short) (b & 0xffffu)), half_to_float((unsigned short) (b >> 16)));
}

__device__ __forceinline__ float4 byte4(unsigned a) {
	return make_float4((float) (signed char) (a & 0xffu), (float) (signed char) ((a >> 8) & 0xffu),
			(float) (signed char) ((a >> 16) & 0xffu), (float) (signed char) (a >> 24));
}

// Values one lane handles per 128-bit load of weights.
template <int TYPE> struct Chunk {
	static const int N = TYPE == TYPE_F32 ? 4 : (TYPE == TYPE_F16 ? 8 : 16);
};

template <int TYPE>
__device__ void matmul_rows(const void* w, const unsigned short* scales, const float* x, const float* bias,
		float* out, int rows, int cols, int tokens, int ldx, int ldo, int accumulate) {
	const int lane = threadIdx.x % WARP;
	const int r = blockIdx.x * MM_WARPS + threadIdx.x / WARP;
	if (r >= rows) {
		return; // the whole warp: no block-wide barrier follows
	}
	const int n = Chunk<TYPE>::N;
	const int chunks = (cols % n == 0 && ldx % 4 == 0) ? cols / n : 0;
	const uint4* wrow = (const uint4*) ((const char*) w + (size_t) r * cols * (TYPE == TYPE_F32 ? 4 : (TYPE == TYPE_F16 ? 2 : 1)));
	for (int t0 = 0; t0 < tokens; t0 += MM_TOKENS) {
		const int nt = min(MM_TOKENS, tokens - t0);
		const float* xt = x + (size_t) t0 * ldx;
		float acc[MM_TOKENS];
#pragma unroll
		for (int j = 0; j < MM_TOKENS; j++) {
			acc[j] = 0.0f;
		}
		for (int c = lane; c < chunks; c += WARP) {
			const uint4 wv = wrow[c];
			if (TYPE == TYPE_F32) {
				const float4 a = make_float4(__uint_as_float(wv.x), __uint_as_float(wv.y), __uint_as_float(wv.z),
						__uint_as_float(wv.w));
#pragma unroll
				for (int j = 0; j < MM_TOKENS; j++) {
					if (j < nt) {
						acc[j] += dot4(a, ((const float4*) (xt + (size_t) j * ldx))[c]);
					}
				}
			} else if (TYPE == TYPE_F16) {
				const float4 a = half4(wv.x, wv.y);
				const float4 b = half4(wv.z, wv.w);
#pragma unroll
				for (int j = 0; j < MM_TOKENS; j++) {
					if (j < nt) {
						const float4* xv = (const float4*) (xt + (size_t) j * ldx) + 2 * c;
						acc[j] += dot4(a, xv[0]) + dot4(b, xv[1]);
					}
				}
			} else {
				// 16 int8 of one 32-value block (c / 2): sum q * x, then scale once.
				const float d = half_to_float(scales[((size_t) r * cols + (size_t) c * 16) / 32]);
				const float4 q0 = byte4(wv.x), q1 = byte4(wv.y), q2 = byte4(wv.z), q3 = byte4(wv.w);
#pragma unroll
				for (int j = 0; j < MM_TOKENS; j++) {
					if (j < nt) {
						const float4* xv = (const float4*) (xt + (size_t) j * ldx) + 4 * c;
						acc[j] += d * (dot4(q0, xv[0]) + dot4(q1, xv[1]) + dot4(q2, xv[2]) + dot4(q3, xv[3]));
					}
				}
			}
		}
		for (int c = chunks * n + lane; c < cols; c += WARP) {
			const float wv = weight_at(TYPE, w, scales, (size_t) r, cols, c);
#pragma unroll
			for (int j = 0; j < MM_TOKENS; j++) {
				if (j < nt) {
					acc[j] += wv * xt[(size_t) j * ldx + c];
				}
			}
		}
		const float b = bias ? bias[r] : 0.0f;
#pragma unroll
		for (int j = 0; j < MM_TOKENS; j++) {
			if (j < nt) { // nt is the same across the warp: the shuffles stay converged
				const float s = warp_sum(acc[j]);
				if (lane == 0) {
					float* o = out + (size_t) (t0 + j) * ldo + r;
					*o = (accumulate ? *o : 0.0f) + b + s;
				}
			}
		}
	}
}

extern "C" __global__ void __launch_bounds__(MM_THREADS) matmul_f32(const void* w, const unsigned short* scales,
		const float* x, const float* bias, float* out, int rows, int cols, int tokens, int ldx, int ldo,
		int accumulate) {
	matmul_rows<TYPE_F32>(w, scales, x, bias, out, rows, cols, tokens, ldx, ldo, accumulate);
}

extern "C" __global__ void __launch_bounds__(MM_THREADS) matmul_f16(const void* w, const unsigned short* scales,
		const float* x, const float* bias, float* out, int rows, int cols, int tokens, int ldx, int ldo,
		int accumulate) {
	matmul_rows<TYPE_F16>(w, scales, x, bias, out, rows, cols, tokens, ldx, ldo, accumulate);
}

extern "C" __global__ void __launch_bounds__(MM_THREADS) matmul_q8(const void* w, const unsigned short* scales,
		const float* x, const float* bias, float* out, int rows, int cols, int tokens, int ldx, int ldo,
		int accumulate) {
	matmul_rows<TYPE_Q8>(w, scales, x, bias, out, rows, cols, tokens, ldx, ldo, accumulate);
}

// ---------------------------------------------------------------------------------------------------------
// RoPE and the cache write, fused: qkv is [T, (heads + 2 kv_heads) * head_dim] (q, k, v side by side). Rotates
// token t's q in place and its k, at positions[t], then stores k and v in the slot its position maps to through
// its sequence's block table (block_tables[seq_of_token[t] * max_blocks + position / block_size]). Pair i of a
// head (i < head_dim / 2) is dims (2i, 2i+1) for ROPE_ADJACENT, (i, i + head_dim / 2) for ROPE_HALF; its angle
// is position * theta^(-2i / head_dim), computed in double. One block per token.

extern "C" __global__ void rope_store_kv(float* qkv, const int* positions, const int* seq_of_token,
		const int* block_tables, int max_blocks, float* k_cache, float* v_cache, int heads, int kv_heads,
		int head_dim, int block_size, float theta, int style) {
	const int t = blockIdx.x;
	const int half = head_dim / 2;
	const int q_dim = heads * head_dim;
	const int kv_dim = kv_heads * head_dim;
	const int pos = positions[t];
	float* row = qkv + (size_t) t * (q_dim + 2 * kv_dim);
	const int block = block_tables[seq_of_token[t] * max_blocks + pos / block_size];
	const size_t slot = (size_t) block * block_size + pos % block_size;
	float* k_out = k_cache + slot * kv_dim;
	float* v_out = v_cache + slot * kv_dim;
	const int pairs = (heads + kv_heads) * half;
	for (int p = threadIdx.x; p < pairs; p += blockDim.x) {
		const int head = p / half; // q heads first, then k heads: the same layout as the row
		const int i = p % half;
		const int a = head * head_dim + (style == ROPE_ADJACENT ? 2 * i : i);
		const int b = a + (style == ROPE_ADJACENT ? 1 : half);
		const double angle = (double) pos * pow((double) theta, -2.0 * i / (double) head_dim);
		const float c = (float) cos(angle);
		const float s = (float) sin(angle);
		const float x0 = row[a];
		const float x1 = row[b];
		const float y0 = x0 * c - x1 * s;
		const float y1 = x0 * s + x1 * c;
		if (head < heads) {
			row[a] = y0;
			row[b] = y1;
		} else {
			k_out[a - q_dim] = y0;
			k_out[b - q_dim] = y1;
		}
	}
	for (int d = threadIdx.x; d < kv_dim; d += blockDim.x) {
		v_out[d] = row[q_dim + kv_dim + d];
	}
}

// ---------------------------------------------------------------------------------------------------------
// Paged attention: out[t, head] = softmax(q k^T * scale) v over positions 0..positions[t] of token t's sequence,
// keys and values read from the cache through its block table, kv head = head / (heads / kv_heads). One block
// per (head, token): each warp takes every ATT_WARPS-th position, computing the score with its lanes across the
// head's dimensions and keeping an online softmax (running max, sum, weighted values in registers); the warps'
// partial results are merged at the end. Any length works; head_dim is at most ATT_MAX_DIM.

#define ATT_WARPS 8
#define ATT_THREADS (ATT_WARPS * WARP)
#define ATT_MAX_DIM 256
#define ATT_PER_LANE (ATT_MAX_DIM / WARP)

extern "C" __global__ void __launch_bounds__(ATT_THREADS) paged_attention(const float* qkv, const int* positions,
		const int* seq_of_token, const int* block_tables, int max_blocks, const float* k_cache,
		const float* v_cache, float* out, int heads, int kv_heads, int head_dim, int block_size, float scale) {
	__shared__ float part_m[ATT_WARPS];
	__shared__ float part_l[ATT_WARPS];
	__shared__ float part_acc[ATT_WARPS][ATT_MAX_DIM];
	const int head = blockIdx.x;
	const int t = blockIdx.y;
	const int lane = threadIdx.x % WARP;
	const int warp = threadIdx.x / WARP;
	const int q_dim = heads * head_dim;
	const int kv_dim = kv_heads * head_dim;
	const int kv_off = (head / (heads / kv_heads)) * head_dim;
	const int pos = positions[t];
	const int* table = block_tables + (size_t) seq_of_token[t] * max_blocks;
	const float* q = qkv + (size_t) t * (q_dim + 2 * kv_dim) + head * head_dim;
	float qr[ATT_PER_LANE];
	float acc[ATT_PER_LANE];
#pragma unroll
	for (int i = 0; i < ATT_PER_LANE; i++) {
		const int d = lane + i * WARP;
		qr[i] = d < head_dim ? q[d] * scale : 0.0f;
		acc[i] = 0.0f;
	}
	float m = -INFINITY;
	float l = 0.0f;
	for (int p = warp; p <= pos; p += ATT_WARPS) {
		const size_t slot = (size_t) table[p / block_size] * block_size + p % block_size;
		const float* k = k_cache + slot * kv_dim + kv_off;
		const float* v = v_cache + slot * kv_dim + kv_off;
		float s = 0.0f;
#pragma unroll
		for (int i = 0; i < ATT_PER_LANE; i++) {
			const int d = lane + i * WARP;
			if (d < head_dim) {
				s += qr[i] * k[d];
			}
		}
		s = warp_sum(s);
		const float m_new = fmaxf(m, s);
		const float correction = expf(m - m_new); // 0 on the first position (m = -inf)
		const float e = expf(s - m_new);
		l = l * correction + e;
#pragma unroll
		for (int i = 0; i < ATT_PER_LANE; i++) {
			const int d = lane + i * WARP;
			acc[i] = acc[i] * correction + (d < head_dim ? e * v[d] : 0.0f);
		}
		m = m_new;
	}
	if (lane == 0) {
		part_m[warp] = m;
		part_l[warp] = l;
	}
#pragma unroll
	for (int i = 0; i < ATT_PER_LANE; i++) {
		const int d = lane + i * WARP;
		if (d < head_dim) {
			part_acc[warp][d] = acc[i];
		}
	}
	__syncthreads();
	float mx = -INFINITY;
	for (int w = 0; w < ATT_WARPS; w++) {
		mx = fmaxf(mx, part_m[w]);
	}
	float total = 0.0f;
	for (int w = 0; w < ATT_WARPS; w++) {
		total += part_l[w] * expf(part_m[w] - mx); // a warp that saw no position: l = 0, m = -inf
	}
	float* o = out + (size_t) t * q_dim + head * head_dim;
	for (int d = threadIdx.x; d < head_dim; d += blockDim.x) {
		float v = 0.0f;
		for (int w = 0; w < ATT_WARPS; w++) {
			v += part_acc[w][d] * expf(part_m[w] - mx);
		}
		o[d] = v / total;
	}
}

// ---------------------------------------------------------------------------------------------------------
// SwiGLU: out[t, j] = silu(gu[t, j]) * gu[t, ffn + j], gu being [T, 2 ffn] (gate and up side by side).

extern "C" __global__ void swiglu(const float* gu, float* out, int tokens, int ffn) {
	const size_t n = (size_t) tokens * ffn;
	for (size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (size_t) gridDim.x * blockDim.x) {
		const size_t t = i / ffn;
		const size_t j = i % ffn;
		const float g = gu[t * 2 * ffn + j];
		out[i] = g / (1.0f + expf(-g)) * gu[t * 2 * ffn + ffn + j];
	}
}

// ---------------------------------------------------------------------------------------------------------
// Greedy sampling: out[r] = the index of the largest of logits[r, 0..vocab), the lowest among ties (NaN never
// wins). One block per row.

#define ARGMAX_THREADS 256

__device__ __forceinline__ void better(float& v, int& i, float v2, int i2) {
	if (v2 > v || (v2 == v && i2 < i)) {
		v = v2;
		i = i2;
	}
}

extern "C" __global__ void __launch_bounds__(ARGMAX_THREADS) argmax(const float* logits, int* out, int vocab) {
	__shared__ float best_v[ARGMAX_THREADS / WARP];
	__shared__ int best_i[ARGMAX_THREADS / WARP];
	const float* row = logits + (size_t) blockIdx.x * vocab;
	float v = -INFINITY;
	int i = 0x7fffffff;
	for (int c = threadIdx.x; c < vocab; c += blockDim.x) {
		better(v, i, row[c], c);
	}
	for (int o = WARP / 2; o > 0; o >>= 1) {
		const float v2 = __shfl_xor_sync(FULL_MASK, v, o);
		const int i2 = __shfl_xor_sync(FULL_MASK, i, o);
		better(v, i, v2, i2);
	}
	const int lane = threadIdx.x % WARP;
	const int warp = threadIdx.x / WARP;
	if (lane == 0) {
		best_v[warp] = v;
		best_i[warp] = i;
	}
	__syncthreads();
	if (threadIdx.x == 0) {
		for (int w = 1; w < ARGMAX_THREADS / WARP; w++) {
			better(v, i, best_v[w], best_i[w]);
		}
		out[blockIdx.x] = i == 0x7fffffff ? 0 : i;
	}
}
