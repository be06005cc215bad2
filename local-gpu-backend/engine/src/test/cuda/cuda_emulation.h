// The CUDA execution model on the CPU, shared by the kernel emulators (kernel_emulator.cpp for bert_kernels.cu,
// llama_kernel_emulator.cpp for llama_kernels.cu): one OS thread per CUDA thread, __syncthreads and warp
// shuffles emulated with std::barrier, blocks run one at a time (so static __shared__ arrays stand in for a
// block's shared memory), and the helpers the checks use (random inputs, relative-error comparison).

#pragma once

#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <thread>
#include <vector>

using std::min;

struct dim3e {
	int x = 0, y = 0, z = 0;
};

static thread_local dim3e threadIdx;
static thread_local dim3e blockIdx;
static dim3e blockDim;
static dim3e gridDim;

static std::unique_ptr<std::barrier<>> block_barrier;
static std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;

static void __syncthreads() {
	block_barrier->arrive_and_wait();
}

// Every lane of the warp calls it with the same offset (the kernels only shuffle in whole warps).
template <typename T>
static T __shfl_xor_sync(unsigned, T v, int offset) {
	static T shuffle_slots[1024];
	const int tid = threadIdx.x;
	auto& wb = *warp_barriers[tid / 32];
	shuffle_slots[tid] = v;
	wb.arrive_and_wait();
	const T r = shuffle_slots[(tid & ~31) | ((tid & 31) ^ offset)];
	wb.arrive_and_wait();
	return r;
}

#define __global__
#define __device__
#define __forceinline__
#define __launch_bounds__(x)
#define __shared__ static

// Runs kernel over the grid, one block at a time.
static void launch(dim3e grid, int threads, const std::function<void()>& kernel) {
	gridDim = grid;
	blockDim = {threads, 1, 1};
	for (int z = 0; z < grid.z; z++) {
		for (int y = 0; y < grid.y; y++) {
			for (int x = 0; x < grid.x; x++) {
				block_barrier = std::make_unique<std::barrier<>>(threads);
				warp_barriers.clear();
				for (int w = 0; w < threads / 32; w++) {
					warp_barriers.push_back(std::make_unique<std::barrier<>>(32));
				}
				std::vector<std::thread> ts;
				for (int t = 0; t < threads; t++) {
					ts.emplace_back([&, t, x, y, z] {
						threadIdx = {t, 0, 0};
						blockIdx = {x, y, z};
						kernel();
					});
				}
				for (auto& t : ts) {
					t.join();
				}
			}
		}
	}
}

static std::mt19937 rng(42);

static std::vector<float> randoms(size_t n, float scale) {
	std::normal_distribution<float> d(0.0f, scale);
	std::vector<float> v(n);
	for (auto& x : v) {
		x = d(rng);
	}
	return v;
}

static std::vector<double> to_double(const std::vector<float>& v) {
	return std::vector<double>(v.begin(), v.end());
}

static int failures = 0;
static int passes = 0;

// max |got - want| / max |want|, as GpuCheck measures it.
static void expect_close(const char* what, const std::vector<float>& got, const std::vector<double>& want,
		double tolerance) {
	double diff = 0, scale = 0;
	for (size_t i = 0; i < want.size(); i++) {
		if (!std::isfinite(got[i])) {
			diff = INFINITY; // an element never written (outputs start as NaN) or a NaN produced
		}
		diff = std::max(diff, (double) std::fabs(got[i] - want[i]));
		scale = std::max(scale, std::fabs(want[i]));
	}
	const double rel = diff / scale;
	const bool ok = rel < tolerance && scale > 0 && std::isfinite(rel);
	std::printf("%-48s max rel err %.3e %s\n", what, rel, ok ? "ok" : "FAIL");
	if (ok) {
		passes++;
	} else {
		failures++;
	}
}

