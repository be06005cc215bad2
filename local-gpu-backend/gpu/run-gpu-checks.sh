#!/usr/bin/env bash
# On a GPU machine (nothing to build, no Java installed): checks the CUDA encoder against the CPU encoder and
# benchmarks it, with the runtime, libraries and model that prepare.sh made and the device tool carried.
# Usage: run-gpu-checks.sh [LOG_DIR]   (default: $OUT). Logs: gpu-check.log, summary.txt, nvidia-smi.txt.
# Exit status: GpuCheck's (0 pass, 1 accuracy, 2 broke, 3 no CUDA).
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
exec "$here/jre/bin/java" -Xms2g -Xmx16g -cp "$here/lib/*" io.fulcrum.backend.encoder.cuda.GpuCheck \
	"$here/bundle" "$out"
