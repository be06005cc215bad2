#!/usr/bin/env bash
# The local backend's encoder against ONNX Runtime on this machine (JMH, local-gpu-backend/benchmarks:
# EncoderBenchmark): one forward pass of all-MiniLM-L6-v2 at batch 1, 8 and 32, 16- and 128-token sequences,
# 2 threads each. See docs/benchmarks.md#local-backend-embeddings.
# Usage: tests/load/embeddings-bench.sh [extra JMH options, e.g. -p batch=1 -p engine=fulcrum-cpu]
set -euo pipefail
cd "$(dirname "$0")/../.."
# package, never install: install would replace the snapshot jars other checkouts on this machine resolve.
./mvnw -q -pl local-gpu-backend/benchmarks -am package -DskipTests
./mvnw -q -pl local-gpu-backend/benchmarks dependency:build-classpath -Dmdep.outputFile=target/embeddings-bench.cp
java -cp "local-gpu-backend/benchmarks/target/classes:$(cat local-gpu-backend/benchmarks/target/embeddings-bench.cp)" \
  org.openjdk.jmh.Main EncoderBenchmark "$@"
