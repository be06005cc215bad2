#!/usr/bin/env bash
# Decode speed of the local backend's generation engine on synthetic models in real shapes (local-gpu-backend/
# benchmarks: GenerationBenchmark): batch-1 tokens/s against the memory-bandwidth bound, throughput at larger batches,
# time to first token. Models are written once to $TMPDIR/fulcrum-synthetic. See docs/benchmarks.md#text-generation.
# Usage: tests/load/generation-bench.sh [--device=cpu|cuda] [--shapes=15M,110M,0.5B,1B] [--type=F32|F16|Q8_0]
#        [--batches=1,8,32,64,128] [--prompt=128] [--tokens=32] [--threads=N]
set -euo pipefail
cd "$(dirname "$0")/../.."
# package, never install: install would replace the snapshot jars other checkouts on this machine resolve.
./mvnw -q -pl local-gpu-backend/benchmarks -am package -DskipTests
./mvnw -q -pl local-gpu-backend/benchmarks dependency:build-classpath -Dmdep.outputFile=target/generation-bench.cp
java --add-modules jdk.incubator.vector -Xmx16g \
  -cp "local-gpu-backend/benchmarks/target/classes:$(cat local-gpu-backend/benchmarks/target/generation-bench.cp)" \
  io.fulcrum.backend.benchmarks.GenerationBenchmark "$@"
