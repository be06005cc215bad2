// Runs bert_kernels.cu on the CPU, one OS thread per CUDA thread, to check the kernels' indexing, barriers and
// numerics on machines without a GPU. Barriers (__syncthreads) and warp shuffles are emulated with
// std::barrier; blocks run one at a time, so static __shared__ arrays stand in for a block's shared memory.
// It checks each kernel, then a 2-layer BERT forward with real MiniLM shapes, against a float64 reference.
// It says nothing about the GPU's own behaviour (scheduling, the JIT, the driver): GpuCheck covers that.
//
// Build and run: src/test/cuda/run-emulator.sh (g++ -std=c++20 -pthread).

#include "cuda_emulation.h"

#define BERT_KERNELS_EMULATED 1
static float smem[64 * 1024]; // the attention kernel's dynamic shared memory

#include "../../main/cuda/bert_kernels.cu"

// ---- float64 references

static std::vector<double> ref_gemm(const std::vector<float>& a, const std::vector<float>& b,
		const std::vector<float>& bias, int m, int n, int k, bool gelu) {
	std::vector<double> c((size_t) m * n);
	for (int i = 0; i < m; i++) {
		for (int j = 0; j < n; j++) {
			double s = bias[j];
			for (int p = 0; p < k; p++) {
				s += (double) a[(size_t) i * k + p] * b[(size_t) p * n + j];
			}
			c[(size_t) i * n + j] = gelu ? 0.5 * s * (1.0 + std::erf(s / std::sqrt(2.0))) : s;
		}
	}
	return c;
}

static void ref_layer_norm(double* row, const std::vector<float>& g, const std::vector<float>& b, int n,
		double eps) {
	double mean = 0, var = 0;
	for (int j = 0; j < n; j++) {
		mean += row[j];
	}
	mean /= n;
	for (int j = 0; j < n; j++) {
		var += (row[j] - mean) * (row[j] - mean);
	}
	var /= n;
	for (int j = 0; j < n; j++) {
		row[j] = (row[j] - mean) / std::sqrt(var + eps) * g[j] + b[j];
	}
}

static std::vector<double> ref_attention(const std::vector<double>& qkv, const std::vector<int>& starts,
		int hidden, int heads) {
	const int hs = hidden / heads;
	const int tokens = starts.back();
	std::vector<double> ctx((size_t) tokens * hidden);
	for (size_t b = 0; b + 1 < starts.size(); b++) {
		const int s0 = starts[b], len = starts[b + 1] - s0;
		for (int h = 0; h < heads; h++) {
			for (int q = 0; q < len; q++) {
				std::vector<double> p(len);
				double mx = -1e300;
				for (int k = 0; k < len; k++) {
					double s = 0;
					for (int d = 0; d < hs; d++) {
						s += qkv[(size_t) (s0 + q) * 3 * hidden + h * hs + d]
								* qkv[(size_t) (s0 + k) * 3 * hidden + hidden + h * hs + d];
					}
					p[k] = s / std::sqrt((double) hs);
					mx = std::max(mx, p[k]);
				}
				double sum = 0;
				for (auto& x : p) {
					x = std::exp(x - mx);
					sum += x;
				}
				for (int d = 0; d < hs; d++) {
					double acc = 0;
					for (int k = 0; k < len; k++) {
						acc += p[k] / sum * qkv[(size_t) (s0 + k) * 3 * hidden + 2 * hidden + h * hs + d];
					}
					ctx[(size_t) (s0 + q) * hidden + h * hs + d] = acc;
				}
			}
		}
	}
	return ctx;
}

static std::vector<float> run_gemm(const std::vector<float>& a, const std::vector<float>& b,
		const std::vector<float>& bias, int m, int n, int k, bool gelu) {
	std::vector<float> c((size_t) m * n, std::nanf(""));
	launch({(n + 63) / 64, (m + 63) / 64, 1}, 256, [&] {
		if (gelu) {
			gemm_bias_gelu(a.data(), b.data(), bias.data(), c.data(), m, n, k);
		} else {
			gemm_bias(a.data(), b.data(), bias.data(), c.data(), m, n, k);
		}
	});
	return c;
}

static std::vector<float> run_attention(const std::vector<float>& qkv, const std::vector<int>& starts,
		int hidden, int heads) {
	const int hs = hidden / heads;
	int max_len = 0;
	for (size_t b = 0; b + 1 < starts.size(); b++) {
		max_len = std::max(max_len, starts[b + 1] - starts[b]);
	}
	std::vector<float> ctx((size_t) starts.back() * hidden, std::nanf(""));
	const float scale = (float) (1.0 / std::sqrt((double) hs));
	launch({(max_len + ATT_Q - 1) / ATT_Q, heads, (int) starts.size() - 1}, ATT_THREADS,
			[&] { attention(qkv.data(), starts.data(), ctx.data(), hidden, hs, max_len, scale); });
	return ctx;
}

int main() {
	const float eps = 1e-12f;
	// GEMM: sizes that are and are not multiples of the tiles.
	for (auto [m, n, k] : std::vector<std::tuple<int, int, int>>{{64, 64, 16}, {67, 77, 37}, {5, 130, 384},
			{130, 96, 1}}) {
		auto a = randoms((size_t) m * k, 1.0f), b = randoms((size_t) k * n, 0.1f), bias = randoms(n, 0.5f);
		for (bool gelu : {false, true}) {
			char name[96];
			std::snprintf(name, sizeof name, "gemm_bias%s %dx%dx%d", gelu ? "_gelu" : "", m, n, k);
			expect_close(name, run_gemm(a, b, bias, m, n, k, gelu), ref_gemm(a, b, bias, m, n, k, gelu), 1e-5);
		}
	}

	// Attention: lengths 1, 7, 70 (two key chunks, a partial query tile) and 9, 12 heads of 32.
	{
		const int hidden = 384, heads = 12;
		std::vector<int> starts{0, 1, 8, 78, 87};
		auto qkv = randoms((size_t) starts.back() * 3 * hidden, 1.0f);
		expect_close("attention lengths 1,7,70,9", run_attention(qkv, starts, hidden, heads),
				ref_attention(to_double(qkv), starts, hidden, heads), 1e-5);
		// A head size other than 32, and keys past a 64-key chunk boundary.
		std::vector<int> starts2{0, 130, 131};
		auto qkv2 = randoms((size_t) starts2.back() * 3 * 96, 1.0f);
		expect_close("attention 2 heads of 48, lengths 130,1", run_attention(qkv2, starts2, 96, 2),
				ref_attention(to_double(qkv2), starts2, 96, 2), 1e-5);
	}

	// Add + LayerNorm in place (out == residual), and with a width that is not a multiple of the block.
	for (int hidden : {384, 100}) {
		const int tokens = 5;
		auto x = randoms((size_t) tokens * hidden, 1.0f), r = randoms((size_t) tokens * hidden, 2.0f);
		auto g = randoms(hidden, 1.0f), be = randoms(hidden, 0.2f);
		std::vector<double> want = to_double(x);
		for (size_t i = 0; i < want.size(); i++) {
			want[i] += r[i];
		}
		for (int t = 0; t < tokens; t++) {
			ref_layer_norm(&want[(size_t) t * hidden], g, be, hidden, eps);
		}
		std::vector<float> out = r;
		launch({tokens, 1, 1}, 128,
				[&] { add_layernorm(x.data(), out.data(), g.data(), be.data(), out.data(), tokens, hidden, eps); });
		char name[64];
		std::snprintf(name, sizeof name, "add_layernorm in place, hidden %d", hidden);
		expect_close(name, out, want, 1e-5);
	}

	// Mean pooling + L2 normalisation.
	{
		const int hidden = 384;
		std::vector<int> starts{0, 3, 4, 40};
		auto x = randoms((size_t) starts.back() * hidden, 1.0f);
		std::vector<double> want((starts.size() - 1) * hidden);
		for (size_t b = 0; b + 1 < starts.size(); b++) {
			double sq = 0;
			for (int j = 0; j < hidden; j++) {
				double s = 0;
				for (int t = starts[b]; t < starts[b + 1]; t++) {
					s += x[(size_t) t * hidden + j];
				}
				want[b * hidden + j] = s / (starts[b + 1] - starts[b]);
				sq += want[b * hidden + j] * want[b * hidden + j];
			}
			for (int j = 0; j < hidden; j++) {
				want[b * hidden + j] /= std::max(std::sqrt(sq), 1e-12);
			}
		}
		std::vector<float> out(want.size(), std::nanf(""));
		launch({(int) starts.size() - 1, 1, 1}, 128,
				[&] { mean_pool_l2(x.data(), starts.data(), out.data(), hidden); });
		expect_close("mean_pool_l2", out, want, 1e-5);
	}

	// A whole forward pass with MiniLM's shapes (2 layers, a small vocabulary), kernels chained as the encoder
	// chains them, against a float64 forward pass from the same weights.
	{
		const int hidden = 384, heads = 12, inter = 1536, vocab = 500, maxpos = 512, layers = 2;
		std::vector<int> lens{1, 9, 70, 3};
		std::vector<int> starts{0};
		for (int l : lens) {
			starts.push_back(starts.back() + l);
		}
		const int tokens = starts.back();
		std::uniform_int_distribution<int> id(0, vocab - 1);
		std::vector<int> ids(tokens), pos(tokens);
		for (size_t b = 0; b < lens.size(); b++) {
			for (int i = 0; i < lens[b]; i++) {
				ids[starts[b] + i] = id(rng);
				pos[starts[b] + i] = i;
			}
		}
		auto word = randoms((size_t) vocab * hidden, 0.05f), posw = randoms((size_t) maxpos * hidden, 0.02f);
		auto type0 = randoms(hidden, 0.02f), eg = randoms(hidden, 0.1f), eb = randoms(hidden, 0.05f);
		for (auto& g : eg) {
			g += 1.0f;
		}
		struct L {
			std::vector<float> wqkv, bqkv, wo, bo, g1, b1, wi, bi, wout, bout, g2, b2;
		};
		std::vector<L> ls;
		for (int l = 0; l < layers; l++) {
			L w{randoms((size_t) hidden * 3 * hidden, 0.05f), randoms(3 * hidden, 0.05f),
					randoms((size_t) hidden * hidden, 0.05f), randoms(hidden, 0.05f), randoms(hidden, 0.1f),
					randoms(hidden, 0.05f), randoms((size_t) hidden * inter, 0.05f), randoms(inter, 0.05f),
					randoms((size_t) inter * hidden, 0.03f), randoms(hidden, 0.05f), randoms(hidden, 0.1f),
					randoms(hidden, 0.05f)};
			for (auto& g : w.g1) {
				g += 1.0f;
			}
			for (auto& g : w.g2) {
				g += 1.0f;
			}
			ls.push_back(std::move(w));
		}

		// float64 reference
		std::vector<double> rx((size_t) tokens * hidden);
		for (int t = 0; t < tokens; t++) {
			for (int j = 0; j < hidden; j++) {
				rx[(size_t) t * hidden + j] = (double) word[(size_t) ids[t] * hidden + j]
						+ posw[(size_t) pos[t] * hidden + j] + type0[j];
			}
			ref_layer_norm(&rx[(size_t) t * hidden], eg, eb, hidden, eps);
		}
		for (auto& w : ls) {
			// float64 GEMMs on float64 inputs: the reference must not round between steps.
			auto dgemm = [](const std::vector<double>& a, const std::vector<float>& b, const std::vector<float>& bias,
					int m, int n, int k, bool gelu) {
				std::vector<double> c((size_t) m * n);
				for (int i = 0; i < m; i++) {
					for (int j = 0; j < n; j++) {
						double s = bias[j];
						for (int p = 0; p < k; p++) {
							s += a[(size_t) i * k + p] * b[(size_t) p * n + j];
						}
						c[(size_t) i * n + j] = gelu ? 0.5 * s * (1.0 + std::erf(s / std::sqrt(2.0))) : s;
					}
				}
				return c;
			};
			auto qkv = dgemm(rx, w.wqkv, w.bqkv, tokens, 3 * hidden, hidden, false);
			auto ctx = ref_attention(qkv, starts, hidden, heads);
			auto proj = dgemm(ctx, w.wo, w.bo, tokens, hidden, hidden, false);
			std::vector<double> a(proj.size());
			for (size_t i = 0; i < a.size(); i++) {
				a[i] = proj[i] + rx[i];
			}
			for (int t = 0; t < tokens; t++) {
				ref_layer_norm(&a[(size_t) t * hidden], w.g1, w.b1, hidden, eps);
			}
			auto f = dgemm(dgemm(a, w.wi, w.bi, tokens, inter, hidden, true), w.wout, w.bout, tokens, hidden, inter,
					false);
			for (size_t i = 0; i < rx.size(); i++) {
				rx[i] = a[i] + f[i];
			}
			for (int t = 0; t < tokens; t++) {
				ref_layer_norm(&rx[(size_t) t * hidden], w.g2, w.b2, hidden, eps);
			}
		}

		// the kernels, chained as CudaBertEncoder chains them
		std::vector<float> x((size_t) tokens * hidden), qkv((size_t) tokens * 3 * hidden), ctx(x.size()),
				tmp(x.size()), a(x.size()), mid((size_t) tokens * inter);
		launch({tokens, 1, 1}, 128, [&] {
			embed_layernorm(ids.data(), pos.data(), word.data(), posw.data(), type0.data(), eg.data(), eb.data(),
					x.data(), tokens, hidden, eps);
		});
		int max_len = *std::max_element(lens.begin(), lens.end());
		const float scale = (float) (1.0 / std::sqrt(32.0));
		for (auto& w : ls) {
			launch({(3 * hidden + 63) / 64, (tokens + 63) / 64, 1}, 256, [&] {
				gemm_bias(x.data(), w.wqkv.data(), w.bqkv.data(), qkv.data(), tokens, 3 * hidden, hidden);
			});
			launch({(max_len + ATT_Q - 1) / ATT_Q, heads, (int) lens.size()}, ATT_THREADS,
					[&] { attention(qkv.data(), starts.data(), ctx.data(), hidden, 32, max_len, scale); });
			launch({(hidden + 63) / 64, (tokens + 63) / 64, 1}, 256,
					[&] { gemm_bias(ctx.data(), w.wo.data(), w.bo.data(), tmp.data(), tokens, hidden, hidden); });
			launch({tokens, 1, 1}, 128, [&] {
				add_layernorm(tmp.data(), x.data(), w.g1.data(), w.b1.data(), a.data(), tokens, hidden, eps);
			});
			launch({(inter + 63) / 64, (tokens + 63) / 64, 1}, 256, [&] {
				gemm_bias_gelu(a.data(), w.wi.data(), w.bi.data(), mid.data(), tokens, inter, hidden);
			});
			launch({(hidden + 63) / 64, (tokens + 63) / 64, 1}, 256, [&] {
				gemm_bias(mid.data(), w.wout.data(), w.bout.data(), tmp.data(), tokens, hidden, inter);
			});
			launch({tokens, 1, 1}, 128, [&] {
				add_layernorm(tmp.data(), a.data(), w.g2.data(), w.b2.data(), x.data(), tokens, hidden, eps);
			});
		}
		expect_close("forward: last hidden states", x, rx, 1e-4);

		std::vector<double> want(lens.size() * hidden);
		for (size_t b = 0; b < lens.size(); b++) {
			double sq = 0;
			for (int j = 0; j < hidden; j++) {
				double s = 0;
				for (int t = starts[b]; t < starts[b + 1]; t++) {
					s += rx[(size_t) t * hidden + j];
				}
				want[b * hidden + j] = s / lens[b];
				sq += want[b * hidden + j] * want[b * hidden + j];
			}
			for (int j = 0; j < hidden; j++) {
				want[b * hidden + j] /= std::max(std::sqrt(sq), 1e-12);
			}
		}
		std::vector<float> out(want.size());
		launch({(int) lens.size(), 1, 1}, 128, [&] { mean_pool_l2(x.data(), starts.data(), out.data(), hidden); });
		for (size_t b = 0; b < lens.size(); b++) {
			std::vector<float> g(out.begin() + b * hidden, out.begin() + (b + 1) * hidden);
			std::vector<double> r(want.begin() + b * hidden, want.begin() + (b + 1) * hidden);
			char name[64];
			std::snprintf(name, sizeof name, "forward: embedding of sequence %zu (%d tokens)", b, lens[b]);
			expect_close(name, g, r, 1e-4);
		}
	}
	std::printf("%d passed, %d failed\n", passes, failures);
	return failures == 0 ? 0 : 1;
}
