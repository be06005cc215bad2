#!/usr/bin/env bash
# The rate limiter's added latency with Redis on localhost (see docs/benchmarks.md#rate-limiter).
# Usage (from the repository root): tests/load/ratelimit-bench.sh [redis-uri] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -pl gateway/server -am -DskipTests install >/dev/null
cp_file="$(mktemp)"
./mvnw -q -pl gateway/server dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
java -cp "gateway/server/target/test-classes:gateway/server/target/classes:$(cat "$cp_file")" \
  io.fulcrum.gateway.ratelimit.RateLimiterLatencyBenchmark "${1:-redis://127.0.0.1:6379}" "${2:-50000}"
rm -f "$cp_file"
