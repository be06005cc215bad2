#!/usr/bin/env bash
# Fulcrum overhead benchmark: added latency at a fixed 500 req/s, saturated throughput at 64 connections and resident
# memory, for three targets measured in one run:
#   direct  - the provider simulator itself (the baseline every "added" number is relative to)
#   nginx   - nginx 1 worker as a plain reverse proxy in front of the simulator (reference point)
#   fulcrum - the Fulcrum gateway (exec jar) with auth, routing, circuit breaker and metering on
#
# Layout (2-core machine): the system under test (nginx, Fulcrum) is pinned to CPU 0; the load generator (hey, wrk)
# and the fake upstream (provider simulator) share CPU 1. Everything listens on 127.0.0.1 only.
#
# Usage (after `./mvnw -DskipTests package` at the repository root):
#   tests/load/bench.sh
# Environment:
#   DURATION     seconds of each measurement (default 20)
#   WARMUP       warm-up requests sent to the simulator and to Fulcrum before measuring (default 20000)
#   WARMUP_SECONDS  then this long of saturating load on Fulcrum, so its JIT reaches steady state (default 90)
#   SIM_PORT, NGINX_PORT, GW_PORT   loopback ports (default 18181, 18182, 18080)
#   RESULTS_DIR  where the Markdown results go (default tests/load/results)
#   JAVA         java binary (default: java on PATH)
#   SEQUENTIAL=0 skip the supplementary latency measurement with one hey worker at 500 req/s (no bursts); default on
#   NICE=-10     run every benchmark process (SUT, simulator, hey/wrk) at this nice level (root only for < 0), to be
#                less disturbed by other work on a shared machine; default: not changed
#   FULCRUM_ARGS extra arguments for the gateway, e.g. to meter into PostgreSQL instead of the embedded H2:
#                FULCRUM_ARGS="--fulcrum.storage.type=postgres --fulcrum.storage.postgres.database=test
#                --fulcrum.storage.postgres.schema=bench"
#   FULCRUM_JAVA, FULCRUM_JVM_OPTS  the gateway's java binary and JVM options (default: JAVA and the simulator's
#                options), e.g. FULCRUM_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#                FULCRUM_JVM_OPTS="-XX:ActiveProcessorCount=1 -Xms512m -Xmx512m -XX:+UseZGC"
#   KEEP_WORK=1  keep the temporary directory (raw hey/wrk output, logs) instead of deleting it
# Writes tests/load/results/bench-<date>.md and prints the same Markdown to stdout.
set -euo pipefail

# The whole script is one compound command, so bash parses all of it before running any: editing or checking out
# this file during a run (it is in a shared working tree) cannot change what the run executes.
{

DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-20000}"
WARMUP_SECONDS="${WARMUP_SECONDS:-90}"
SIM_PORT="${SIM_PORT:-18181}"
NGINX_PORT="${NGINX_PORT:-18182}"
GW_PORT="${GW_PORT:-18080}"
JAVA="${JAVA:-java}"
NICE="${NICE:-}"
SEQUENTIAL="${SEQUENTIAL:-1}"
SUT_CPU=0
LOAD_CPU=1
RATE_WORKERS=10
RATE_PER_WORKER=50 # hey's -q is per worker: 10 x 50 = 500 req/s
SAT_CONNECTIONS=64
API_KEY="fk-bench-key-000000000000000000000"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
RESULTS_DIR="${RESULTS_DIR:-$SCRIPT_DIR/results}"
GW_JAR="$ROOT/gateway/server/target/fulcrum-gateway-0.1.0-SNAPSHOT-exec.jar"
SIM_JAR="$ROOT/tests/provider-simulator/target/fulcrum-provider-simulator-0.1.0-SNAPSHOT-all.jar"

BODY='{"model":"chat-default","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'
BODY_STREAM='{"model":"chat-default","stream":true,"messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------------
# Preconditions
# ---------------------------------------------------------------------------------------------------------------------
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -gt 0 ]] || die "DURATION must be a positive integer (seconds)"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer (requests)"
PRIO=()
if [[ -n "$NICE" ]]; then
	[[ "$NICE" =~ ^-?[0-9]+$ ]] || die "NICE must be an integer"
	PRIO=(nice -n "$NICE")
fi
[[ -f "$GW_JAR" ]] || die "missing $GW_JAR; run ./mvnw -DskipTests package first"
[[ -f "$SIM_JAR" ]] || die "missing $SIM_JAR; run ./mvnw -DskipTests package first"
[[ "$(nproc --all)" -ge 2 ]] || die "needs at least 2 CPUs (SUT on CPU $SUT_CPU, load on CPU $LOAD_CPU)"

missing=()
for tool in wrk hey nginx taskset curl timeout; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
		log "installing wrk hey nginx-light (missing: ${missing[*]})"
		timeout 300 apt-get install -y wrk hey nginx-light >&2 \
			|| { timeout 300 apt-get update >&2 && timeout 300 apt-get install -y wrk hey nginx-light >&2; }
	else
		die "missing tools: ${missing[*]} (apt-get install -y wrk hey nginx-light)"
	fi
fi
command -v "$JAVA" >/dev/null 2>&1 || die "no java ($JAVA)"

for port in "$SIM_PORT" "$NGINX_PORT" "$GW_PORT"; do
	if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
		die "port $port on 127.0.0.1 is already in use"
	fi
done

# ---------------------------------------------------------------------------------------------------------------------
# Process bookkeeping: everything started here is stopped by the trap, by its own pid
# ---------------------------------------------------------------------------------------------------------------------
WORK="$(mktemp -d -t fulcrum-bench.XXXXXX)"
chmod 755 "$WORK" # nginx workers run as nobody when started by root
SIM_PID="" NGINX_PID="" GW_PID="" LOAD_PID="" WATCHDOG_PID=""

stop_pid() { # pid name
	local pid="$1" i
	[[ -n "$pid" ]] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$2 (pid $pid) did not stop in 10 s, killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$LOAD_PID" "load generator"
	stop_pid "$GW_PID" "fulcrum"
	stop_pid "$NGINX_PID" "nginx"
	stop_pid "$SIM_PID" "simulator"
	stop_pid "$WATCHDOG_PID" "watchdog"
	if ((rc != 0)) || [[ "${KEEP_WORK:-0}" == 1 ]]; then
		log "raw output and logs kept in $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Run private copies of the jars: other builds in this working tree (mvn clean/package) must not swap them mid-run.
cp "$GW_JAR" "$WORK/fulcrum-gateway-exec.jar"
cp "$SIM_JAR" "$WORK/provider-simulator-all.jar"
GW_JAR="$WORK/fulcrum-gateway-exec.jar"
SIM_JAR="$WORK/provider-simulator-all.jar"
jar_info() { echo "built $(date -u -r "$1" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$2" | cut -c1-12)"; }
GW_JAR_INFO="$(jar_info "$ROOT/gateway/server/target/fulcrum-gateway-0.1.0-SNAPSHOT-exec.jar" "$GW_JAR")"
SIM_JAR_INFO="$(jar_info "$ROOT/tests/provider-simulator/target/fulcrum-provider-simulator-0.1.0-SNAPSHOT-all.jar" "$SIM_JAR")"

# Hard bound on the whole run: 18 measurements of DURATION plus warm-ups and JVM starts.
MAX_SECONDS=$((18 * (DURATION + 5) + WARMUP / 200 + 600))
(
	trap 'kill "$sleep_pid" 2>/dev/null; exit 0' TERM
	sleep "$MAX_SECONDS" &
	sleep_pid=$!
	wait "$sleep_pid"
	echo "[bench] overall time limit of ${MAX_SECONDS}s reached" >&2
	kill -TERM $$
) &
WATCHDOG_PID=$!

# Runs a load generator in the background (so that the trap can stop it) with a time limit; output to a file.
run_load() { # out_file limit_seconds cmd...
	local out="$1" limit="$2" rc=0
	shift 2
	timeout "$limit" "${PRIO[@]}" taskset -c "$LOAD_CPU" "$@" >"$out" 2>&1 &
	LOAD_PID=$!
	wait "$LOAD_PID" || rc=$?
	LOAD_PID=""
	((rc == 0)) || { cat "$out" >&2; die "load generator failed (exit $rc): $*"; }
}

wait_http() { # url name pid
	local i
	for i in $(seq 1 240); do
		kill -0 "$3" 2>/dev/null || die "$2 exited during start-up (see $WORK)"
		curl -s -o /dev/null --max-time 1 "$1" && return 0
		sleep 0.5
	done
	die "$2 did not answer $1 within 120 s"
}

check_200() { # url name body
	local code
	code=$(curl -s -o "$WORK/check.out" -w '%{http_code}' --max-time 10 -X POST "$1" \
		-H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' -d "$3") || true
	[[ "$code" == 200 ]] || { cat "$WORK/check.out" >&2 || true; die "$2 answered $code instead of 200"; }
}

machine_load() { uptime | sed 's/.*load average: *//'; }

# CPU time used by other processes on the machine while a target is measured: busy time of all CPUs (user + nice +
# system, from /proc/stat) minus the CPU time of the processes this script started (the long-running servers from
# /proc/PID/stat, the finished load generators from the shell's `times`). In cores (1.0 = one CPU fully busy);
# approximate (kernel threads such as ksoftirqd doing loopback work count as "other").
CLK_TCK="$(getconf CLK_TCK)"
cpu_snapshot() { # prints "epoch_ns busy_ticks own_ticks"
	local busy own=0 p t
	busy=$(awk '$1 == "cpu" { print $2 + $3 + $4 }' /proc/stat)
	for p in $SIM_PID $NGINX_PID ${NGINX_PID:+$(pgrep -P "$NGINX_PID" || true)} $GW_PID; do
		t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
		own=$((own + t))
	done
	times >"$WORK/times.txt"
	t=$(awk -v tck="$CLK_TCK" 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); s += a[1] * 60 + a[2] } printf "%d", s * tck }' "$WORK/times.txt")
	echo "$(date +%s%N) $busy $((own + t))"
}
other_cores() { # snapshot_before snapshot_after
	awk -v a="$1" -v b="$2" -v tck="$CLK_TCK" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		secs = (y[1] - x[1]) / 1e9; o = ((y[2] - x[2]) - (y[3] - x[3])) / tck / secs
		printf "%.2f", (o < 0 ? 0 : o) }'
}

# ---------------------------------------------------------------------------------------------------------------------
# Load generators and their parsing
# ---------------------------------------------------------------------------------------------------------------------
cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $API_KEY"
EOF
cat >"$WORK/post-stream.lua" <<EOF
wrk.method = "POST"
wrk.body = '$BODY_STREAM'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $API_KEY"
EOF

# hey at a fixed rate; prints "p50_ms p99_ms achieved_rps ok_200 non_200 errors"
measure_rate() { # out_file url body [workers per_worker_rate]
	run_load "$1" $((DURATION + 60)) hey -z "${DURATION}s" -c "${4:-$RATE_WORKERS}" -q "${5:-$RATE_PER_WORKER}" -m POST \
		-H "Authorization: Bearer $API_KEY" -T application/json -d "$3" "$2"
	awk '
		/Requests\/sec:/ { rps = $2 }
		$1 == "50%" && $2 == "in" { p50 = sprintf("%.1f", $3 * 1000) }
		$1 == "99%" && $2 == "in" { p99 = sprintf("%.1f", $3 * 1000) }
		/^Status code distribution:/ { sec = "status"; next }
		/^Error distribution:/ { sec = "error"; next }
		sec == "status" && $1 ~ /^\[[0-9]+\]$/ { c = $1; gsub(/[][]/, "", c); if (c == "200") ok += $2; else bad += $2 }
		sec == "error" && $1 ~ /^\[[0-9]+\]$/ { e = $1; gsub(/[][]/, "", e); err += e }
		END { printf "%s %s %.0f %d %d %d\n", (p50 == "" ? "n/a" : p50), (p99 == "" ? "n/a" : p99), rps, ok, bad, err }
	' "$1"
}

# wrk saturation; prints "req_per_s requests non_2xx socket_errors"
measure_saturation() { # out_file url lua
	run_load "$1" $((DURATION + 60)) wrk -t1 -c"$SAT_CONNECTIONS" -d"${DURATION}s" -s "$3" "$2"
	awk '
		/Requests\/sec:/ { rps = $2 }
		/ requests in / { n = $1 }
		/Non-2xx or 3xx responses:/ { bad = $NF }
		/Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
		END { printf "%.0f %d %d %d\n", rps, n, bad, err }
	' "$1"
}

warm() { # url name requests
	local n="$3" half
	((n > 0)) || return 0
	half=$(((n + 1) / 2))
	((half >= 64)) || half=64
	log "warming $2 with $((2 * half)) requests (half streaming)"
	run_load "$WORK/warm-$2.txt" 600 hey -n "$half" -c 32 -m POST -H "Authorization: Bearer $API_KEY" \
		-T application/json -d "$BODY" "$1"
	run_load "$WORK/warm-$2-stream.txt" 600 hey -n "$half" -c 32 -m POST -H "Authorization: Bearer $API_KEY" \
		-T application/json -d "$BODY_STREAM" "$1"
	sleep 2
}

# The JVM's JIT compilers share the SUT's one core with the request path, so a count of requests is not enough
# to reach steady state: keep Fulcrum under saturating load for a while (half plain, half streaming).
warm_for() { # url name seconds
	local half=$((($3 + 1) / 2))
	((half > 0)) || return 0
	log "warming $2 for $3 s at $SAT_CONNECTIONS connections until the JIT settles"
	run_load "$WORK/warm-$2-time.txt" $((half + 60)) wrk -t1 -c"$SAT_CONNECTIONS" -d"${half}s" -s "$WORK/post.lua" "$1"
	run_load "$WORK/warm-$2-time-stream.txt" $((half + 60)) wrk -t1 -c"$SAT_CONNECTIONS" -d"${half}s" \
		-s "$WORK/post-stream.lua" "$1"
	sleep 2
}

declare -A R
LOADS=()

bench_target() { # name url
	local name="$1" url="$2" mode body lua
	local load_before snap_before
	load_before="$(machine_load)"
	snap_before="$(cpu_snapshot)"
	[[ $name != fulcrum ]] || GC_FROM="$(jvm_uptime "$GW_PID")"
	for mode in plain stream; do
		if [[ $mode == plain ]]; then body="$BODY" lua="$WORK/post.lua"; else body="$BODY_STREAM" lua="$WORK/post-stream.lua"; fi
		log "$name $mode: hey ${DURATION}s at $((RATE_WORKERS * RATE_PER_WORKER)) req/s"
		R[$name.$mode.rate]="$(measure_rate "$WORK/hey-$name-$mode.txt" "$url" "$body")"
		sleep 1
		if [[ "$SEQUENTIAL" == 1 ]]; then
			log "$name $mode: hey ${DURATION}s, 1 worker at $((RATE_WORKERS * RATE_PER_WORKER)) req/s"
			R[$name.$mode.seq]="$(measure_rate "$WORK/hey-seq-$name-$mode.txt" "$url" "$body" 1 $((RATE_WORKERS * RATE_PER_WORKER)))"
			sleep 1
		fi
		log "$name $mode: wrk ${DURATION}s at $SAT_CONNECTIONS connections"
		R[$name.$mode.sat]="$(measure_saturation "$WORK/wrk-$name-$mode.txt" "$url" "$lua")"
		sleep 1
	done
	LOADS+=("$name: load average before $load_before, after $(machine_load); CPU used by other processes during the measurements: $(other_cores "$snap_before" "$(cpu_snapshot)") cores")
}

# Seconds since the JVM with this pid started (the time base of its -Xlog:gc lines).
jvm_uptime() {
	local start
	start=$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat")
	awk -v tck="$CLK_TCK" -v st="$start" '{ printf "%.3f", $1 - st / tck }' /proc/uptime
}
# Young and full GC pauses logged after a JVM uptime: "young_count young_max_ms young_total_ms full_count full_max_ms"
gc_pauses() { # gc_log from_uptime
	awk -v from="$2" '
		/Pause/ {
			t = substr($1, 2); sub(/s\].*/, "", t)
			if (t + 0 < from + 0) next
			ms = $NF; sub(/ms$/, "", ms)
			if ($0 ~ /Pause Full/) { fc++; if (ms + 0 > fm) fm = ms + 0 }
			else { yc++; yt += ms; if (ms + 0 > ym) ym = ms + 0 }
		}
		END { printf "%d %.1f %.0f %d %.1f\n", yc, ym, yt, fc, fm }
	' "$1"
}

rss_kib() { # pid [include children]
	local total=0 p
	for p in "$@"; do total=$((total + $(ps -o rss= -p "$p" 2>/dev/null || echo 0))); done
	echo "$total"
}

# ---------------------------------------------------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------------------------------------------------
LOAD_START="$(machine_load)"
COMMIT_START="$(git -C "$ROOT" log -1 --format='%h, %cd' --date=format:'%Y-%m-%d %H:%M' 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- . ':!tests/load/results' 2>/dev/null || echo ' (working tree modified)')"
TOP_START="$(top -bn1 | head -n 12 | tail -n +7 || true)"
log "machine load at start: $LOAD_START"
log "DURATION=${DURATION}s WARMUP=$WARMUP NICE=${NICE:-unset}; work dir $WORK"

JVM_OPTS=(-XX:ActiveProcessorCount=1 -Xms256m -Xmx512m -XX:+UseParallelGC)
# The gateway's JVM and options can differ from the simulator's (e.g. a low-pause collector on a newer JDK).
FULCRUM_JAVA="${FULCRUM_JAVA:-$JAVA}"
read -r -a FULCRUM_JVM_OPTS <<< "${FULCRUM_JVM_OPTS:-${JVM_OPTS[*]}}"
GC_FROM=0

# (a) simulator, on the load-generator CPU
log "starting provider simulator on CPU $LOAD_CPU, port $SIM_PORT"
"${PRIO[@]}" taskset -c "$LOAD_CPU" "$JAVA" "${JVM_OPTS[@]}" -jar "$SIM_JAR" \
	--host=127.0.0.1 --port="$SIM_PORT" --ttft-ms=0 --tps=0 >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
DIRECT_URL="http://127.0.0.1:$SIM_PORT/v1/chat/completions"
wait_http "http://127.0.0.1:$SIM_PORT/v1/models" simulator "$SIM_PID"
check_200 "$DIRECT_URL" simulator "$BODY"
warm "$DIRECT_URL" direct "$WARMUP"
bench_target direct "$DIRECT_URL"

# (b) nginx, on the SUT CPU
NG="$WORK/nginx"
mkdir -p "$NG"
cat >"$NG/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $NG/client_body;
    proxy_temp_path $NG/proxy;
    fastcgi_temp_path $NG/fastcgi;
    uwsgi_temp_path $NG/uwsgi;
    scgi_temp_path $NG/scgi;
    keepalive_requests 1000000;
    upstream simulator {
        server 127.0.0.1:$SIM_PORT;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://simulator;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
        }
    }
}
EOF
log "starting nginx on CPU $SUT_CPU, port $NGINX_PORT"
nginx -t -q -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" || die "nginx configuration test failed"
"${PRIO[@]}" taskset -c "$SUT_CPU" nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" >"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
wait_http "http://127.0.0.1:$NGINX_PORT/v1/models" nginx "$NGINX_PID"
check_200 "$NGINX_URL" nginx "$BODY"
warm "$NGINX_URL" nginx 2000
bench_target nginx "$NGINX_URL"
NGINX_RSS=$(rss_kib "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true))

# (c) Fulcrum, on the SUT CPU
log "starting Fulcrum on CPU $SUT_CPU, port $GW_PORT"
"${PRIO[@]}" taskset -c "$SUT_CPU" "$FULCRUM_JAVA" "${FULCRUM_JVM_OPTS[@]}" -Xlog:gc:file="$WORK/fulcrum-gc.log" -jar "$GW_JAR" \
	--server.port="$GW_PORT" --server.address=127.0.0.1 \
	--fulcrum.storage.embedded-path="$WORK/db" \
	--fulcrum.server.bootstrap-api-key="$API_KEY" --fulcrum.server.admin-token=bench \
	--fulcrum.simulator.enabled=false \
	--fulcrum.providers.simulated-openai.base-url="http://127.0.0.1:$SIM_PORT/v1" \
	--fulcrum.providers.simulated-anthropic.base-url="http://127.0.0.1:$SIM_PORT" \
	--spring.lifecycle.timeout-per-shutdown-phase=5s \
	--logging.level.root=WARN ${FULCRUM_ARGS:-} >"$WORK/fulcrum.log" 2>&1 &
GW_PID=$!
GW_URL="http://127.0.0.1:$GW_PORT/v1/chat/completions"
wait_http "http://127.0.0.1:$GW_PORT/actuator/health" fulcrum "$GW_PID"
check_200 "$GW_URL" fulcrum "$BODY"
check_200 "$GW_URL" fulcrum "$BODY_STREAM"
warm "$GW_URL" fulcrum "$WARMUP"
warm_for "$GW_URL" fulcrum "$WARMUP_SECONDS"
bench_target fulcrum "$GW_URL"
GW_RSS=$(rss_kib "$GW_PID")
GC_STATS="$(gc_pauses "$WORK/fulcrum-gc.log" "$GC_FROM")"
SIM_RSS=$(rss_kib "$SIM_PID")
LOAD_END="$(machine_load)"

# ---------------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------------
added() { # target_value direct_value
	awk -v t="$1" -v d="$2" 'BEGIN { if (t == "n/a" || d == "n/a") print "n/a"; else printf "%+.1f\n", t - d }'
}

WARNINGS=()
report() {
	local name mode p50 p99 rps ok bad err srps sn sbad serr dp50 dp99 a50 a99 label
	echo "# Fulcrum load benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(uname -sr)"
	echo "- Layout: SUT (nginx, Fulcrum JVM) on CPU $SUT_CPU; hey/wrk and the provider simulator on CPU $LOAD_CPU; loopback only"
	echo "- JVMs: \`${JVM_OPTS[*]}\`; simulator \`--ttft-ms=0 --tps=0\` (16 output tokens); $("$JAVA" -version 2>&1 | head -n 1)"
	echo "- Fulcrum's JVM: \`${FULCRUM_JVM_OPTS[*]}\`; $("$FULCRUM_JAVA" -version 2>&1 | head -n 1)"
	echo "- Tools: $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), hey"
	echo "- Priority: $([[ -n "$NICE" ]] && echo "every benchmark process at nice $NICE" || echo "default nice level (0)")"
	echo "- DURATION=${DURATION}s per measurement, WARMUP=$WARMUP requests (simulator and Fulcrum; nginx 2000), then ${WARMUP_SECONDS}s of saturating load on Fulcrum"
	echo "- Commit at the start: $COMMIT_START; gateway jar $GW_JAR_INFO; simulator jar $SIM_JAR_INFO"
	echo "  (the jars are whatever was last built in the working tree: build them right before the run)"
	echo "- Fulcrum storage for the usage ledger: $( [[ "${FULCRUM_ARGS:-}" == *postgres* ]] && echo "PostgreSQL at 127.0.0.1 (R2DBC)" || echo "embedded H2 (in the gateway process)")${FULCRUM_ARGS:+; extra arguments: $FULCRUM_ARGS}"
	echo "- Load average (1/5/15 min): start $LOAD_START; end $LOAD_END. The benchmark's own threads count in it (about 2 to"
	echo "  5 runnable: JVM event loops, hey, wrk), so the CPU used by *other* processes is given per target:"
	local l
	for l in "${LOADS[@]}"; do echo "  - $l"; done
	echo
	echo "Latency: hey, ${DURATION}s at a fixed $((RATE_WORKERS * RATE_PER_WORKER)) req/s ($RATE_WORKERS workers x $RATE_PER_WORKER req/s),"
	echo "in ms (hey's resolution is 0.1 ms); streaming latency is until the last byte of the SSE response."
	echo "Added = target minus direct. Throughput: wrk -t1 -c$SAT_CONNECTIONS, ${DURATION}s."
	echo
	echo "| Target | Mode | p50 ms | p99 ms | added p50 ms | added p99 ms | achieved req/s (hey) | saturated req/s (wrk -c$SAT_CONNECTIONS) | non-200 / errors |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
	for name in direct nginx fulcrum; do
		for mode in plain stream; do
			read -r p50 p99 rps ok bad err <<<"${R[$name.$mode.rate]}"
			read -r srps sn sbad serr <<<"${R[$name.$mode.sat]}"
			read -r dp50 dp99 _ <<<"${R[direct.$mode.rate]}"
			if [[ $name == direct ]]; then a50="-" a99="-"; else a50=$(added "$p50" "$dp50") a99=$(added "$p99" "$dp99"); fi
			[[ $mode == plain ]] && label="non-streaming" || label="streaming"
			echo "| $name | $label | $p50 | $p99 | $a50 | $a99 | $rps | $srps | hey $bad/$err, wrk $sbad/$serr |"
			if ((bad + err + sbad + serr > 0)); then
				WARNINGS+=("$name $label: hey $bad non-200 and $err errors of $((ok + bad + err)); wrk $sbad non-2xx and $serr socket errors of $sn")
			fi
			if ((ok == 0)); then WARNINGS+=("$name $label: hey got no 200 responses"); fi
		done
	done
	echo
	echo "| Resident memory after the load | RSS |"
	echo "|---|---:|"
	echo "| nginx (master + 1 worker) | $((NGINX_RSS / 1024)) MiB |"
	echo "| Fulcrum JVM | $((GW_RSS / 1024)) MiB |"
	echo "| provider simulator JVM (upstream, for reference) | $((SIM_RSS / 1024)) MiB |"
	local yc ym yt fc fm
	read -r yc ym yt fc fm <<<"$GC_STATS"
	echo
	echo "Fulcrum GC pauses during its measurements (\"Pause\" lines of its -Xlog:gc; see its JVM above): $yc young (longest $ym ms, $yt ms in total),"
	echo "$fc full$( ((fc == 0)) || echo " (longest $fm ms)")."
	if [[ "$SEQUENTIAL" == 1 ]]; then
		echo
		echo "Supplementary latency without bursts: hey -c 1 -q $((RATE_WORKERS * RATE_PER_WORKER)), one request at a time."
		echo "hey's 10 workers fire on the same 20 ms tick, so the main measurement sends bursts of up to 10 requests;"
		echo "one worker spaces them 2 ms apart but cannot exceed 1/latency (see the achieved rate)."
		echo
		echo "| Target | Mode | p50 ms | p99 ms | added p50 ms | added p99 ms | achieved req/s |"
		echo "|---|---|---:|---:|---:|---:|---:|"
		for name in direct nginx fulcrum; do
			for mode in plain stream; do
				read -r p50 p99 rps ok bad err <<<"${R[$name.$mode.seq]}"
				read -r dp50 dp99 _ <<<"${R[direct.$mode.seq]}"
				if [[ $name == direct ]]; then a50="-" a99="-"; else a50=$(added "$p50" "$dp50") a99=$(added "$p99" "$dp99"); fi
				[[ $mode == plain ]] && label="non-streaming" || label="streaming"
				echo "| $name | $label | $p50 | $p99 | $a50 | $a99 | $rps |"
				if ((bad + err > 0)); then
					WARNINGS+=("$name $label (1 worker): hey $bad non-200 and $err errors of $((ok + bad + err))")
				fi
			done
		done
	fi
	if ((${#WARNINGS[@]})); then
		echo
		for l in "${WARNINGS[@]}"; do echo "**WARNING**: $l"; done
	fi
	echo
	echo "Processes using the CPU when the run started (other users of the machine):"
	echo
	echo '```'
	echo "$TOP_START"
	echo '```'
}

mkdir -p "$RESULTS_DIR"
OUT_FILE="$RESULTS_DIR/bench-$(date -u +%Y-%m-%d-%H%M).md"
report >"$WORK/report.md"
cp "$WORK/report.md" "$OUT_FILE"
cat "$WORK/report.md"
if grep -q '^\*\*WARNING\*\*' "$WORK/report.md"; then
	grep '^\*\*WARNING\*\*' "$WORK/report.md" | sed 's/\*\*//g' >&2
fi
log "results written to $OUT_FILE"
exit 0
}
