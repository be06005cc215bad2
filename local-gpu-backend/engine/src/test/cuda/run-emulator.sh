#!/usr/bin/env bash
# Checks bert_kernels.cu on the CPU (no GPU needed): compiles kernel_emulator.cpp, which includes the kernels
# as C++, and runs it. Slow (one OS thread per CUDA thread): a few minutes on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)/kernel_emulator
trap 'rm -rf "$(dirname "$bin")"' EXIT
g++ -std=c++20 -O2 -pthread -Wall -Wno-unknown-pragmas -o "$bin" "$here/kernel_emulator.cpp"
"$bin"
