#!/usr/bin/env bash
# Usage-ledger ingest rate into the local PostgreSQL (127.0.0.1:5432, database "test"), with and without the
# write-ahead spool; with "h2" as the second argument, into the embedded default's H2 files instead.
# See docs/benchmarks.md#usage-ledger. Usage: tests/load/ledger-bench.sh [records] [postgres|h2]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -pl billing -am -DskipTests test-compile >/dev/null
cp_file="$(mktemp)"
./mvnw -q -pl billing dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
java -cp "billing/target/test-classes:billing/target/classes:$(cat "$cp_file")" \
  io.fulcrum.billing.r2dbc.LedgerIngestBenchmark "${1:-200000}" "${2:-postgres}"
rm -f "$cp_file"
