#!/usr/bin/env bash
# Compiles each CUDA C file beside this script to PTX for a low virtual architecture; the driver JIT-compiles
# it for the GPU it runs on (Turing and newer, Hopper included). The PTX is committed, so machines without nvcc
# build and run the CUDA encoder; the engine's Maven profile `cuda-ptx` reruns this where nvcc exists, and
# CudaPtxUpToDateTest fails when the committed PTX differs from what this script makes.
# Usage: build-ptx.sh [OUT_DIR]   (default: the engine's resources, where the Java side loads each from:
# bert_kernels.ptx beside CudaBertEncoder, llama_kernels.ptx beside CudaLlamaModel)
# No fast-math flags: the kernels rely on IEEE division, sqrt and accurate expf/erff.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
resources=$here/../resources/io/fulcrum/backend
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
arch=compute_75
for cu in "$here"/*.cu; do
	name=$(basename "$cu" .cu)
	case "$name" in
		llama_*) out=${1:-$resources/llama/cuda} ;;
		*) out=${1:-$resources/encoder/cuda} ;;
	esac
	mkdir -p "$out"
	# Compile from this folder with a relative name, so no machine's paths end up in the PTX.
	(cd "$here" && "$nvcc" -ptx -arch="$arch" -o "$out/$name.ptx" "$name.cu")
done
