#!/usr/bin/env bash
# Compiles each CUDA C file beside this script to PTX for a low virtual architecture; the driver JIT-compiles
# it for the GPU it runs on (Turing and newer, Hopper included). The PTX is committed, so machines without nvcc
# build and run the CUDA encoder; the engine's Maven profile `cuda-ptx` reruns this where nvcc exists, and
# CudaPtxUpToDateTest fails when the committed PTX differs from what this script makes.
# Usage: build-ptx.sh [OUT_DIR]   (default: the engine's resources, where CudaBertEncoder loads it from)
# No fast-math flags: the kernels rely on IEEE division, sqrt and accurate expf/erff.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../resources/io/fulcrum/backend/encoder/cuda}
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
arch=compute_75
mkdir -p "$out"
for cu in "$here"/*.cu; do
	name=$(basename "$cu" .cu)
	# Compile from this folder with a relative name, so no machine's paths end up in the PTX.
	(cd "$here" && "$nvcc" -ptx -arch="$arch" -o "$out/$name.ptx" "$name.cu")
done
