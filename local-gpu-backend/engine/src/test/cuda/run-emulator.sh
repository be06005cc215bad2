#!/usr/bin/env bash
# Checks the CUDA kernels on the CPU (no GPU needed): compiles each emulator, which includes its kernels as C++
# (kernel_emulator.cpp: bert_kernels.cu; llama_kernel_emulator.cpp: llama_kernels.cu), and runs it. One OS thread
# per CUDA thread: about a minute for both on 2 cores.
# Usage: run-emulator.sh [bert|llama]   (default: both)
# SANITIZE=1 adds AddressSanitizer and UBSan, which catch a kernel reading or writing outside its buffers or
# shared arrays (the Llama emulator: about 2 minutes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=(-O2)
if [ "${SANITIZE:-0}" = 1 ]; then
	flags=(-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer)
	export ASAN_OPTIONS=detect_leaks=0
fi
which=${1:-all}
status=0
for emulator in kernel_emulator llama_kernel_emulator; do
	case "$which:$emulator" in
		all:* | bert:kernel_emulator | llama:llama_kernel_emulator) ;;
		*) continue ;;
	esac
	echo "== $emulator"
	g++ -std=c++20 "${flags[@]}" -fno-strict-aliasing -pthread -Wall -Wno-unknown-pragmas -o "$tmp/$emulator" \
		"$here/$emulator.cpp"
	"$tmp/$emulator" || status=1
done
exit $status
