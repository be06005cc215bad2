#!/usr/bin/env bash
# On a GPU machine (nothing to build, no Java installed): checks the CUDA encoder against the CPU encoder
# (GpuCheck), then the CUDA Llama decoder against the CPU decoder and llama2.c's greedy text (LlamaGpuCheck), and
# benchmarks both, with the runtime, libraries and models that prepare.sh made and the device tool carried.
# Usage: run-gpu-checks.sh [LOG_DIR]   (default: $OUT). Logs: gpu-check.log, summary.txt, llama-gpu-check.log,
# llama-summary.txt, nvidia-smi.txt; both summaries are printed last.
# Exit status: GpuCheck's when it is not 0, else LlamaGpuCheck's (0 pass, 1 accuracy, 2 broke, 3 no CUDA).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${OUT:?pass a log folder or set OUT}}
mkdir -p "$out"
for need in jre/bin/java lib bundle; do
	if [ ! -e "$here/$need" ]; then
		echo "missing $here/$need: run local-gpu-backend/gpu/prepare.sh on a development machine and carry" \
			"local-gpu-backend/gpu/jre, local-gpu-backend/gpu/lib and local-gpu-backend/gpu/bundle" >&2
		exit 2
	fi
done
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || echo "nvidia-smi failed" >> "$out/nvidia-smi.txt"
java=("$here/jre/bin/java" -Xms2g -Xmx16g -cp "$here/lib/*")
set +e
"${java[@]}" io.fulcrum.backend.encoder.cuda.GpuCheck "$here/bundle" "$out"
bert=$?
reference=()
[ -f "$here/bundle/stories260K.greedy.txt" ] && reference=("$here/bundle/stories260K.greedy.txt")
"${java[@]}" io.fulcrum.backend.llama.cuda.LlamaGpuCheck "$here/bundle/stories260K.gguf" "$out" "${reference[@]}"
llama=$?
set -e
echo
echo "=== BERT encoder (GpuCheck, exit $bert)"
cat "$out/summary.txt" 2>/dev/null || echo "(no summary)"
echo
echo "=== Llama decoder (LlamaGpuCheck, exit $llama)"
cat "$out/llama-summary.txt" 2>/dev/null || echo "(no summary)"
if [ "$bert" -ne 0 ]; then
	exit "$bert"
fi
exit "$llama"
