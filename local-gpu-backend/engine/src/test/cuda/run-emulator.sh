#!/usr/bin/env bash
# Checks bert_kernels.cu on the CPU (no GPU needed): compiles kernel_emulator.cpp, which includes the kernels
# as C++, and runs it. Slow (one OS thread per CUDA thread): about 4 minutes on 2 cores.
# SANITIZE=1 adds AddressSanitizer and UBSan, which catch a kernel reading or writing outside its buffers or
# shared arrays (about 20 minutes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)/kernel_emulator
trap 'rm -rf "$(dirname "$bin")"' EXIT
flags=(-O2)
if [ "${SANITIZE:-0}" = 1 ]; then
	flags=(-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer)
	export ASAN_OPTIONS=detect_leaks=0
fi
g++ -std=c++20 "${flags[@]}" -pthread -Wall -Wno-unknown-pragmas -o "$bin" "$here/kernel_emulator.cpp"
"$bin"
