// Runs llama_kernels.cu on the CPU (see cuda_emulation.h) and checks each kernel, then a 2-layer decoder's forward
// pass over several steps of a paged cache, against a float64 reference on random non-zero inputs. It checks
// indexing, barriers, shuffles and numerics, not the GPU's own behaviour: LlamaGpuCheck does that on a GPU.
//
// Build and run: src/test/cuda/run-emulator.sh.

#include "cuda_emulation.h"

#include <cstring>
#include <numeric>

struct float4 {
	float x, y, z, w;
};

struct uint4 {
	unsigned x, y, z, w;
};

static float4 make_float4(float x, float y, float z, float w) {
	return {x, y, z, w};
}

static float __uint_as_float(unsigned u) {
	float f;
	std::memcpy(&f, &u, sizeof f);
	return f;
}

// IEEE half to float, as cvt.f32.f16 does (exactly).
static float half_to_float(unsigned short h) {
	const unsigned sign = (h >> 15) & 1, exp = (h >> 10) & 31, mant = h & 1023;
	float v;
	if (exp == 0) {
		v = std::ldexp((float) mant, -24);
	} else if (exp == 31) {
		v = mant ? NAN : INFINITY;
	} else {
		v = std::ldexp((float) (mant | 1024), (int) exp - 25);
	}
	return sign ? -v : v;
}

#define LLAMA_KERNELS_EMULATED 1
#include "../../main/cuda/llama_kernels.cu"

// ---- weights of any type, and their float64 values

struct Matrix {
	int type, rows, cols;
	std::vector<float> f32;
	std::vector<unsigned short> f16;
	std::vector<signed char> qs;
	std::vector<unsigned short> d;

	const void* data() const {
		return type == TYPE_F32 ? (const void*) f32.data()
				: type == TYPE_F16 ? (const void*) f16.data() : (const void*) qs.data();
	}

	const unsigned short* scales() const {
		return type == TYPE_Q8 ? d.data() : nullptr;
	}

	double at(int r, int c) const {
		const size_t i = (size_t) r * cols + c;
		if (type == TYPE_F32) {
			return f32[i];
		}
		if (type == TYPE_F16) {
			return half_to_float(f16[i]);
		}
		return (double) qs[i] * half_to_float(d[i / 32]);
	}
};

// A random half of magnitude 2^(lo-15) .. 2^(hi-14), either sign.
static unsigned short random_half(int lo, int hi) {
	std::uniform_int_distribution<int> e(lo, hi), m(0, 1023), s(0, 1);
	return (unsigned short) (s(rng) << 15 | e(rng) << 10 | m(rng));
}

// Values of roughly unit scale / sqrt(cols), so products and sums stay of order one.
static Matrix random_matrix(int type, int rows, int cols) {
	Matrix m{type, rows, cols, {}, {}, {}, {}};
	const size_t n = (size_t) rows * cols;
	if (type == TYPE_F32) {
		m.f32 = randoms(n, 1.0f / std::sqrt((float) cols));
	} else if (type == TYPE_F16) {
		for (size_t i = 0; i < n; i++) {
			m.f16.push_back(random_half(9, 13));
		}
	} else {
		std::uniform_int_distribution<int> q(-127, 127);
		for (size_t i = 0; i < n; i++) {
			m.qs.push_back((signed char) q(rng));
		}
		for (size_t i = 0; i < n / 32; i++) {
			m.d.push_back(random_half(5, 7));
		}
	}
	return m;
}

static const char* type_name(int type) {
	return type == TYPE_F32 ? "F32" : type == TYPE_F16 ? "F16" : "Q8_0";
}

// ---- float64 references

static std::vector<double> ref_matmul(const Matrix& w, const std::vector<double>& x, int tokens, int ldx,
		const std::vector<float>* bias) {
	std::vector<double> out((size_t) tokens * w.rows);
	for (int t = 0; t < tokens; t++) {
		for (int r = 0; r < w.rows; r++) {
			double s = bias ? (*bias)[r] : 0.0;
			for (int c = 0; c < w.cols; c++) {
				s += w.at(r, c) * x[(size_t) t * ldx + c];
			}
			out[(size_t) t * w.rows + r] = s;
		}
	}
	return out;
}

static void ref_rmsnorm(const double* x, const std::vector<float>& w, double* out, int dim, double eps) {
	double ss = 0;
	for (int c = 0; c < dim; c++) {
		ss += x[c] * x[c];
	}
	const double inv = 1.0 / std::sqrt(ss / dim + eps);
	for (int c = 0; c < dim; c++) {
		out[c] = x[c] * inv * w[c];
	}
}

// Rotates one head's vector in place at position pos.
static void ref_rope(double* v, int head_dim, int pos, double theta, int style) {
	const int half = head_dim / 2;
	for (int i = 0; i < half; i++) {
		const int a = style == ROPE_ADJACENT ? 2 * i : i;
		const int b = style == ROPE_ADJACENT ? a + 1 : a + half;
		const double angle = pos * std::pow(theta, -2.0 * i / head_dim);
		const double x0 = v[a], x1 = v[b];
		v[a] = x0 * std::cos(angle) - x1 * std::sin(angle);
		v[b] = x0 * std::sin(angle) + x1 * std::cos(angle);
	}
}

// Attention of one query head over keys/values [len][kv_dim] of its sequence (positions 0..len-1).
static void ref_attend(const double* q, const std::vector<std::vector<double>>& keys,
		const std::vector<std::vector<double>>& values, int len, int kv_off, int head_dim, double* out) {
	std::vector<double> p(len);
	double mx = -1e300;
	for (int j = 0; j < len; j++) {
		double s = 0;
		for (int d = 0; d < head_dim; d++) {
			s += q[d] * keys[j][kv_off + d];
		}
		p[j] = s / std::sqrt((double) head_dim);
		mx = std::max(mx, p[j]);
	}
	double sum = 0;
	for (auto& x : p) {
		x = std::exp(x - mx);
		sum += x;
	}
	for (int d = 0; d < head_dim; d++) {
		double acc = 0;
		for (int j = 0; j < len; j++) {
			acc += p[j] / sum * values[j][kv_off + d];
		}
		out[d] = acc;
	}
}

static std::vector<float> nans(size_t n) {
	return std::vector<float>(n, std::nanf(""));
}

// ---- launches, with the grids LlamaKernels uses

static void run_matmul(const Matrix& w, const float* x, const float* bias, float* out, int tokens, int ldx, int ldo,
		bool accumulate) {
	launch({(w.rows + MM_WARPS - 1) / MM_WARPS, 1, 1}, MM_THREADS, [&] {
		if (w.type == TYPE_F32) {
			matmul_f32(w.data(), w.scales(), x, bias, out, w.rows, w.cols, tokens, ldx, ldo, accumulate);
		} else if (w.type == TYPE_F16) {
			matmul_f16(w.data(), w.scales(), x, bias, out, w.rows, w.cols, tokens, ldx, ldo, accumulate);
		} else {
			matmul_q8(w.data(), w.scales(), x, bias, out, w.rows, w.cols, tokens, ldx, ldo, accumulate);
		}
	});
}

// A step's token-level tables: position, sequence and the sequences' block tables [seqs][max_blocks].
struct Step {
	std::vector<int> tokens, positions, seq_of_token, tables;
	int max_blocks = 0;
};

// A pool of cache blocks handed out in a shuffled order, so that a sequence's blocks are scattered.
struct Pool {
	std::vector<int> free;

	explicit Pool(int blocks) : free(blocks) {
		std::iota(free.begin(), free.end(), 0);
		std::shuffle(free.begin(), free.end(), rng);
	}

	int take() {
		const int b = free.back();
		free.pop_back();
		return b;
	}
};

static void check_matmuls() {
	struct Case {
		int type, rows, cols;
	};
	// vector paths (cols a multiple of the chunk) and scalar tails (F32 and F16 with cols 70)
	for (Case c : std::vector<Case>{{TYPE_F32, 37, 64}, {TYPE_F32, 20, 70}, {TYPE_F32, 33, 1000}, {TYPE_F16, 37, 64},
			{TYPE_F16, 19, 70}, {TYPE_F16, 40, 776}, {TYPE_Q8, 37, 64}, {TYPE_Q8, 24, 800}}) {
		const Matrix w = random_matrix(c.type, c.rows, c.cols);
		for (int tokens : {1, 3, 8, 11, 17}) {
			const int ldx = c.cols;
			auto x = randoms((size_t) tokens * ldx, 1.0f);
			auto bias = randoms(c.rows, 0.5f);
			auto base = randoms((size_t) tokens * c.rows, 1.0f);
			for (int variant = 0; variant < 2; variant++) {
				const bool accumulate = variant == 1;
				std::vector<float> out = accumulate ? base : nans(base.size());
				run_matmul(w, x.data(), accumulate ? nullptr : bias.data(), out.data(), tokens, ldx, c.rows,
						accumulate);
				auto want = ref_matmul(w, to_double(x), tokens, ldx, accumulate ? nullptr : &bias);
				if (accumulate) {
					for (size_t i = 0; i < want.size(); i++) {
						want[i] += base[i];
					}
				}
				char name[96];
				std::snprintf(name, sizeof name, "matmul %s %dx%d, %d tokens%s", type_name(c.type), c.rows, c.cols,
						tokens, accumulate ? ", += residual" : ", + bias");
				expect_close(name, out, want, 1e-5);
			}
		}
	}
}

static void check_embed_rmsnorm_swiglu_argmax() {
	for (int type : {TYPE_F32, TYPE_F16, TYPE_Q8}) {
		const int vocab = 50, dim = 96;
		const Matrix table = random_matrix(type, vocab, dim);
		std::vector<int> tokens{3, 49, 0, 3, 17};
		std::vector<float> x = nans(tokens.size() * dim);
		launch({(int) tokens.size(), 1, 1}, 128,
				[&] { embed(type, table.data(), table.scales(), tokens.data(), x.data(), dim); });
		std::vector<double> want;
		for (int t : tokens) {
			for (int c = 0; c < dim; c++) {
				want.push_back(table.at(t, c));
			}
		}
		char name[64];
		std::snprintf(name, sizeof name, "embed %s", type_name(type));
		expect_close(name, x, want, 1e-7);
	}
	for (int dim : {64, 100, 896}) {
		const int tokens = 6;
		auto x = randoms((size_t) tokens * dim, 2.0f), w = randoms(dim, 1.0f);
		std::vector<int> rows{5, 0, 2};
		std::vector<float> all = nans(x.size()), some = nans(rows.size() * dim);
		launch({tokens, 1, 1}, 128, [&] { rmsnorm(x.data(), nullptr, w.data(), all.data(), dim, 1e-5f); });
		launch({(int) rows.size(), 1, 1}, 128, [&] { rmsnorm(x.data(), rows.data(), w.data(), some.data(), dim, 1e-5f); });
		std::vector<double> want_all(x.size()), want_some(some.size());
		auto xd = to_double(x);
		for (int t = 0; t < tokens; t++) {
			ref_rmsnorm(&xd[(size_t) t * dim], w, &want_all[(size_t) t * dim], dim, 1e-5);
		}
		for (size_t i = 0; i < rows.size(); i++) {
			ref_rmsnorm(&xd[(size_t) rows[i] * dim], w, &want_some[i * dim], dim, 1e-5);
		}
		char name[64];
		std::snprintf(name, sizeof name, "rmsnorm dim %d", dim);
		expect_close(name, all, want_all, 1e-6);
		std::snprintf(name, sizeof name, "rmsnorm dim %d, gathered rows 5,0,2", dim);
		expect_close(name, some, want_some, 1e-6);
	}
	{
		const int tokens = 3, ffn = 172;
		auto gu = randoms((size_t) tokens * 2 * ffn, 3.0f);
		std::vector<float> out = nans((size_t) tokens * ffn);
		launch({2, 1, 1}, 128, [&] { swiglu(gu.data(), out.data(), tokens, ffn); });
		std::vector<double> want(out.size());
		for (int t = 0; t < tokens; t++) {
			for (int j = 0; j < ffn; j++) {
				const double g = gu[(size_t) t * 2 * ffn + j];
				want[(size_t) t * ffn + j] = g / (1 + std::exp(-g)) * gu[(size_t) t * 2 * ffn + ffn + j];
			}
		}
		expect_close("swiglu 3x172 (grid-stride)", out, want, 1e-6);
	}
	{
		const int vocab = 1000;
		auto logits = randoms(4 * vocab, 1.0f);
		for (auto& v : logits) {
			v -= 10.0f; // all negative
		}
		logits[0 * vocab + 999] = 5.0f;
		logits[1 * vocab + 0] = 7.0f;
		logits[2 * vocab + 300] = 6.0f; // a tie: the lower index wins
		logits[2 * vocab + 700] = 6.0f;
		logits[3 * vocab + 301] = 6.0f;
		logits[3 * vocab + 42] = 6.0f;
		std::vector<int> out(4, -1);
		launch({4, 1, 1}, ARGMAX_THREADS, [&] { argmax(logits.data(), out.data(), vocab); });
		const bool ok = out == std::vector<int>{999, 0, 300, 42};
		std::printf("%-48s %d %d %d %d %s\n", "argmax (ties go to the lowest id)", out[0], out[1], out[2], out[3],
				ok ? "ok" : "FAIL");
		ok ? passes++ : failures++;
	}
}

// rope_store_kv, then paged_attention, for several sequences over a shuffled cache.
static void check_rope_and_attention(int heads, int kv_heads, int head_dim, int style, std::vector<int> lengths,
		std::vector<int> new_tokens) {
	const int block_size = 16, q_dim = heads * head_dim, kv_dim = kv_heads * head_dim, width = q_dim + 2 * kv_dim;
	const float theta = 10000.0f;
	int blocks = 0;
	for (int len : lengths) {
		blocks += (len + block_size - 1) / block_size;
	}
	Pool pool(blocks + 3);
	const int seqs = (int) lengths.size();
	Step st;
	for (int len : lengths) {
		st.max_blocks = std::max(st.max_blocks, (len + block_size - 1) / block_size);
	}
	st.tables.assign((size_t) seqs * st.max_blocks, -1);
	std::vector<float> k_cache = nans((size_t) (blocks + 3) * block_size * kv_dim), v_cache = k_cache;
	// reference cache per sequence: keys after RoPE, values
	std::vector<std::vector<std::vector<double>>> keys(seqs), values(seqs);
	for (int s = 0; s < seqs; s++) {
		for (int b = 0; b < (lengths[s] + block_size - 1) / block_size; b++) {
			st.tables[(size_t) s * st.max_blocks + b] = pool.take();
		}
		// positions before this step's tokens: written straight into the cache
		const int cached = lengths[s] - new_tokens[s];
		for (int p = 0; p < cached; p++) {
			auto k = randoms(kv_dim, 1.0f), v = randoms(kv_dim, 1.0f);
			const size_t slot = (size_t) st.tables[(size_t) s * st.max_blocks + p / block_size] * block_size
					+ p % block_size;
			std::copy(k.begin(), k.end(), k_cache.begin() + slot * kv_dim);
			std::copy(v.begin(), v.end(), v_cache.begin() + slot * kv_dim);
			keys[s].push_back(to_double(k));
			values[s].push_back(to_double(v));
		}
		for (int p = cached; p < lengths[s]; p++) {
			st.positions.push_back(p);
			st.seq_of_token.push_back(s);
		}
	}
	const int tokens = (int) st.positions.size();
	auto qkv = randoms((size_t) tokens * width, 1.0f);
	// reference RoPE
	std::vector<double> want_q((size_t) tokens * q_dim);
	for (int t = 0; t < tokens; t++) {
		std::vector<double> row(qkv.begin() + (size_t) t * width, qkv.begin() + (size_t) (t + 1) * width);
		for (int h = 0; h < heads + kv_heads; h++) {
			ref_rope(&row[(size_t) h * head_dim], head_dim, st.positions[t], theta, style);
		}
		std::copy(row.begin(), row.begin() + q_dim, want_q.begin() + (size_t) t * q_dim);
		keys[st.seq_of_token[t]].push_back(std::vector<double>(row.begin() + q_dim, row.begin() + q_dim + kv_dim));
		values[st.seq_of_token[t]].push_back(std::vector<double>(row.begin() + q_dim + kv_dim, row.end()));
	}
	launch({tokens, 1, 1}, 128, [&] {
		rope_store_kv(qkv.data(), st.positions.data(), st.seq_of_token.data(), st.tables.data(), st.max_blocks,
				k_cache.data(), v_cache.data(), heads, kv_heads, head_dim, block_size, theta, style);
	});
	std::vector<float> got_q, got_k;
	std::vector<double> want_k;
	for (int t = 0; t < tokens; t++) {
		got_q.insert(got_q.end(), qkv.begin() + (size_t) t * width, qkv.begin() + (size_t) t * width + q_dim);
		const int s = st.seq_of_token[t], p = st.positions[t];
		const size_t slot = (size_t) st.tables[(size_t) s * st.max_blocks + p / block_size] * block_size + p % block_size;
		got_k.insert(got_k.end(), k_cache.begin() + slot * kv_dim, k_cache.begin() + (slot + 1) * kv_dim);
		got_k.insert(got_k.end(), v_cache.begin() + slot * kv_dim, v_cache.begin() + (slot + 1) * kv_dim);
		want_k.insert(want_k.end(), keys[s][p].begin(), keys[s][p].end());
		want_k.insert(want_k.end(), values[s][p].begin(), values[s][p].end());
	}
	char name[128];
	std::snprintf(name, sizeof name, "rope_store_kv %s, %d/%d heads of %d: q", style == ROPE_ADJACENT ? "adjacent" : "half-split",
			heads, kv_heads, head_dim);
	expect_close(name, got_q, want_q, 1e-6);
	std::snprintf(name, sizeof name, "rope_store_kv %s: k, v in the paged cache", style == ROPE_ADJACENT ? "adjacent" : "half-split");
	expect_close(name, got_k, want_k, 1e-6);

	std::vector<float> out = nans((size_t) tokens * q_dim);
	const float scale = (float) (1.0 / std::sqrt((double) head_dim));
	launch({heads, tokens, 1}, ATT_THREADS, [&] {
		paged_attention(qkv.data(), st.positions.data(), st.seq_of_token.data(), st.tables.data(), st.max_blocks,
				k_cache.data(), v_cache.data(), out.data(), heads, kv_heads, head_dim, block_size, scale);
	});
	std::vector<double> want((size_t) tokens * q_dim);
	for (int t = 0; t < tokens; t++) {
		for (int h = 0; h < heads; h++) {
			ref_attend(&want_q[(size_t) t * q_dim + h * head_dim], keys[st.seq_of_token[t]],
					values[st.seq_of_token[t]], st.positions[t] + 1, (h / (heads / kv_heads)) * head_dim, head_dim,
					&want[(size_t) t * q_dim + h * head_dim]);
		}
	}
	std::string lens;
	for (size_t s = 0; s < lengths.size(); s++) {
		lens += (s ? "," : "") + std::to_string(lengths[s]) + "+" + std::to_string(new_tokens[s]);
	}
	std::snprintf(name, sizeof name, "paged_attention %d/%d heads of %d, lengths %s", heads, kv_heads, head_dim,
			lens.c_str());
	expect_close(name, out, want, 1e-5);
}

// ---- a whole decoder, kernels chained as CudaLlamaModel chains them, over three steps of two sequences

struct Layer {
	Matrix qkv, wo, gate_up, down;
	std::vector<float> attn_norm, ffn_norm, qkv_bias;
};

static void check_forward() {
	const int dim = 64, heads = 4, kv_heads = 2, head_dim = 16, ffn = 96, vocab = 100, block_size = 4;
	const int q_dim = heads * head_dim, kv_dim = kv_heads * head_dim, width = q_dim + 2 * kv_dim;
	const float eps = 1e-5f, theta = 10000.0f;
	const int style = ROPE_ADJACENT;
	const Matrix embed_table = random_matrix(TYPE_F32, vocab, dim);
	const Matrix output = random_matrix(TYPE_F16, vocab, dim);
	auto norm_weights = [&](int n) {
		auto w = randoms(n, 0.1f);
		for (auto& v : w) {
			v += 1.0f;
		}
		return w;
	};
	std::vector<Layer> layers;
	for (int type : {TYPE_F16, TYPE_Q8}) {
		layers.push_back({random_matrix(type, width, dim), random_matrix(type, dim, q_dim),
				random_matrix(type, 2 * ffn, dim), random_matrix(type, dim, ffn), norm_weights(dim), norm_weights(dim),
				randoms(width, 0.2f)});
	}
	const std::vector<float> out_norm = norm_weights(dim);

	// float64 forward of a whole sequence: logits of its last token
	auto reference = [&](const std::vector<int>& seq) {
		const int n = (int) seq.size();
		std::vector<std::vector<double>> x(n, std::vector<double>(dim));
		for (int p = 0; p < n; p++) {
			for (int c = 0; c < dim; c++) {
				x[p][c] = embed_table.at(seq[p], c);
			}
		}
		for (const Layer& l : layers) {
			std::vector<std::vector<double>> q(n), keys(n), values(n);
			for (int p = 0; p < n; p++) {
				std::vector<double> h(dim);
				ref_rmsnorm(x[p].data(), l.attn_norm, h.data(), dim, eps);
				auto row = ref_matmul(l.qkv, h, 1, dim, &l.qkv_bias);
				for (int hd = 0; hd < heads + kv_heads; hd++) {
					ref_rope(&row[(size_t) hd * head_dim], head_dim, p, theta, style);
				}
				q[p].assign(row.begin(), row.begin() + q_dim);
				keys[p].assign(row.begin() + q_dim, row.begin() + q_dim + kv_dim);
				values[p].assign(row.begin() + q_dim + kv_dim, row.end());
			}
			for (int p = 0; p < n; p++) {
				std::vector<double> att(q_dim);
				for (int h = 0; h < heads; h++) {
					ref_attend(&q[p][(size_t) h * head_dim], keys, values, p + 1, (h / (heads / kv_heads)) * head_dim,
							head_dim, &att[(size_t) h * head_dim]);
				}
				auto o = ref_matmul(l.wo, att, 1, q_dim, nullptr);
				for (int c = 0; c < dim; c++) {
					x[p][c] += o[c];
				}
				std::vector<double> h(dim);
				ref_rmsnorm(x[p].data(), l.ffn_norm, h.data(), dim, eps);
				auto gu = ref_matmul(l.gate_up, h, 1, dim, nullptr);
				std::vector<double> f(ffn);
				for (int j = 0; j < ffn; j++) {
					f[j] = gu[j] / (1 + std::exp(-gu[j])) * gu[ffn + j];
				}
				auto d = ref_matmul(l.down, f, 1, ffn, nullptr);
				for (int c = 0; c < dim; c++) {
					x[p][c] += d[c];
				}
			}
		}
		std::vector<double> h(dim);
		ref_rmsnorm(x[n - 1].data(), out_norm, h.data(), dim, eps);
		return ref_matmul(output, h, 1, dim, nullptr);
	};

	Pool pool(64);
	const int max_blocks = 6;
	std::vector<std::vector<int>> tables(3);
	std::vector<std::vector<int>> seqs(3);
	std::vector<float> k_cache = nans((size_t) layers.size() * 64 * block_size * kv_dim), v_cache = k_cache;
	std::uniform_int_distribution<int> id(0, vocab - 1);
	// step 0: prefill 7, 1 and 5 tokens; steps 1, 2: one token each (the last sequence's second chunk of 4 in
	// step 1 is a prefill continuing at position 5)
	const std::vector<std::vector<int>> new_counts{{7, 1, 5}, {1, 1, 4}, {1, 1, 1}};
	for (size_t step = 0; step < new_counts.size(); step++) {
		Step st;
		st.max_blocks = max_blocks;
		std::vector<int> last_rows;
		for (int s = 0; s < 3; s++) {
			for (int i = 0; i < new_counts[step][s]; i++) {
				const int p = (int) seqs[s].size();
				if (p % block_size == 0) {
					tables[s].push_back(pool.take());
				}
				seqs[s].push_back(id(rng));
				st.tokens.push_back(seqs[s].back());
				st.positions.push_back(p);
				st.seq_of_token.push_back(s);
			}
			last_rows.push_back((int) st.tokens.size() - 1);
			for (int b = 0; b < max_blocks; b++) {
				st.tables.push_back(b < (int) tables[s].size() ? tables[s][b] : 0);
			}
		}
		const int T = (int) st.tokens.size(), S = 3;
		std::vector<float> x = nans((size_t) T * dim), h = nans((size_t) T * dim), qkv = nans((size_t) T * width),
				att = nans((size_t) T * q_dim), gu = nans((size_t) T * 2 * ffn), f = nans((size_t) T * ffn),
				hl = nans((size_t) S * dim), logits = nans((size_t) S * vocab);
		launch({T, 1, 1}, 128, [&] {
			embed(embed_table.type, embed_table.data(), embed_table.scales(), st.tokens.data(), x.data(), dim);
		});
		for (size_t li = 0; li < layers.size(); li++) {
			const Layer& l = layers[li];
			float* kc = k_cache.data() + li * 64 * block_size * kv_dim;
			float* vc = v_cache.data() + li * 64 * block_size * kv_dim;
			launch({T, 1, 1}, 128, [&] { rmsnorm(x.data(), nullptr, l.attn_norm.data(), h.data(), dim, eps); });
			run_matmul(l.qkv, h.data(), l.qkv_bias.data(), qkv.data(), T, dim, width, false);
			launch({T, 1, 1}, 128, [&] {
				rope_store_kv(qkv.data(), st.positions.data(), st.seq_of_token.data(), st.tables.data(), max_blocks, kc,
						vc, heads, kv_heads, head_dim, block_size, theta, style);
			});
			launch({heads, T, 1}, ATT_THREADS, [&] {
				paged_attention(qkv.data(), st.positions.data(), st.seq_of_token.data(), st.tables.data(), max_blocks,
						kc, vc, att.data(), heads, kv_heads, head_dim, block_size, 0.25f);
			});
			run_matmul(l.wo, att.data(), nullptr, x.data(), T, q_dim, dim, true);
			launch({T, 1, 1}, 128, [&] { rmsnorm(x.data(), nullptr, l.ffn_norm.data(), h.data(), dim, eps); });
			run_matmul(l.gate_up, h.data(), nullptr, gu.data(), T, dim, 2 * ffn, false);
			launch({(T * ffn + 255) / 256, 1, 1}, 256, [&] { swiglu(gu.data(), f.data(), T, ffn); });
			run_matmul(l.down, f.data(), nullptr, x.data(), T, ffn, dim, true);
		}
		launch({S, 1, 1}, 128, [&] { rmsnorm(x.data(), last_rows.data(), out_norm.data(), hl.data(), dim, eps); });
		run_matmul(output, hl.data(), nullptr, logits.data(), S, dim, vocab, false);
		std::vector<int> best(S, -1);
		launch({S, 1, 1}, ARGMAX_THREADS, [&] { argmax(logits.data(), best.data(), vocab); });
		for (int s = 0; s < S; s++) {
			auto want = reference(seqs[s]);
			std::vector<float> got(logits.begin() + (size_t) s * vocab, logits.begin() + (size_t) (s + 1) * vocab);
			char name[96];
			std::snprintf(name, sizeof name, "forward step %zu, sequence %d (%zu tokens): logits", step, s,
					seqs[s].size());
			expect_close(name, got, want, 1e-5);
			const int want_best = (int) (std::max_element(want.begin(), want.end()) - want.begin());
			const bool ok = best[s] == want_best;
			std::printf("%-48s %d vs %d %s\n", "  argmax", best[s], want_best, ok ? "ok" : "FAIL");
			ok ? passes++ : failures++;
		}
	}
}

int main() {
	check_matmuls();
	check_embed_rmsnorm_swiglu_argmax();
	// GQA with head_dim 64 (an 8-position prefill chunk, a first token, a long decode past many blocks), and
	// stories260K's heads of 8, and head_dim 128 with Qwen2's half-split RoPE.
	check_rope_and_attention(8, 2, 64, ROPE_ADJACENT, {300, 1, 40}, {3, 1, 1});
	check_rope_and_attention(8, 4, 8, ROPE_ADJACENT, {20, 33}, {20, 1});
	check_rope_and_attention(4, 2, 128, ROPE_HALF, {70, 5}, {2, 5});
	check_rope_and_attention(2, 2, 256, ROPE_HALF, {17}, {1});
	check_forward();
	std::printf("%d passed, %d failed\n", passes, failures);
	return failures == 0 ? 0 : 1;
}
