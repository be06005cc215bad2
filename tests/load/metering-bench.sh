#!/usr/bin/env bash
# What metering costs one request (JMH, gateway/benchmarks: MeteringBenchmark), streamed and whole, with the real
# R2DBC ledger on in-memory H2 and with a bounded queue drained by another thread. See
# docs/benchmarks.md#metering. Usage: tests/load/metering-bench.sh [extra JMH options, e.g. -p ledger=queue]
# Defaults: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement per benchmark (set in the benchmark's annotations), about
# 2 minutes in all; JMH's sample-time mode reports the mean and percentiles in microseconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
# package, never install: install would replace the snapshot jars other checkouts on this machine resolve.
./mvnw -q -pl gateway/benchmarks -am package -DskipTests
java -jar gateway/benchmarks/target/fulcrum-gateway-benchmarks-0.1.0-SNAPSHOT-jmh.jar MeteringBenchmark "$@"
