#!/usr/bin/env bash
# The local backend over HTTP: one 18-token input per request at 1, 4, 16 and 64 concurrent clients (hey, 15 s
# each), with the mean forward-pass batch size read from the server's /metrics before and after each level.
# Shows dynamic batching at work. See docs/benchmarks.md#local-backend-embeddings.
# Usage: tests/load/embeddings-server-bench.sh   (installs hey from Debian when missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v hey >/dev/null || apt-get install -y -q hey >/dev/null
# package, never install: install would replace the snapshot jars other checkouts on this machine resolve.
./mvnw -q -pl local-gpu-backend/server -am package -DskipTests
PORT=${PORT:-8093}
java --add-modules jdk.incubator.vector -jar local-gpu-backend/server/target/fulcrum-local-backend-0.1.0-SNAPSHOT-exec.jar \
  --port="$PORT" --device=cpu > local-gpu-backend/server/target/embeddings-server-bench.log 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 1 60); do curl -sf "localhost:$PORT/health" >/dev/null && break; sleep 1; done
URL="http://127.0.0.1:$PORT/v1/embeddings"
BODY='{"model":"all-minilm-l6-v2","input":"How do I route requests to the cheapest model that still meets my latency target?"}'
batches() { curl -s "localhost:$PORT/metrics" | awk '/^fulcrum_backend_batch_size_count/ {c=$2} /^fulcrum_backend_batch_size_sum/ {s=$2} END {print c, s}'; }
hey -z 5s -c 4 -m POST -T application/json -d "$BODY" "$URL" >/dev/null   # warm-up
echo "| clients | requests/s | p50 ms | p99 ms | mean inputs per forward pass |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for c in 1 4 16 64; do
  read -r c0 s0 < <(batches)
  out=$(hey -z 15s -c "$c" -m POST -T application/json -d "$BODY" "$URL")
  read -r c1 s1 < <(batches)
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '/ 50%/ {printf "%.1f", $3 * 1000}' <<<"$out")
  p99=$(awk '/ 99%/ {printf "%.1f", $3 * 1000}' <<<"$out")
  mean=$(awk -v c0="$c0" -v s0="$s0" -v c1="$c1" -v s1="$s1" 'BEGIN {printf "%.1f", (s1 - s0) / (c1 - c0)}')
  echo "| $c | $rps | $p50 | $p99 | $mean |"
done
