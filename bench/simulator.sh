#!/usr/bin/env bash
# Throughput benchmark of the embedded Customer.io simulator (dev.ciobridge.sandbox.SimulatorMain) on its own.
# It checks that the simulator handles at least 10,000 small Track API requests per second on this machine, so
# that it is never the bottleneck of a cio-bridge measurement.
#   One simulator on 127.0.0.1 (a free port in 19100-19199), one workspace of 10,000 people.
#   wrk with bench/simulator.lua alternates person events (unique ULID-like ids) and identify calls with the
#   workspace's Track Basic credentials: a 10 s warm-up at 64 connections, then 20 s at 64 and 20 s at 128.
# Usage: bash bench/simulator.sh   (from anywhere; the working directory becomes the repository root)
# Settings (environment variables, defaults in brackets):
#   SIM_BENCH_DURATION [20s], SIM_BENCH_WARMUP [10s], SIM_BENCH_CONNECTIONS ["64 128"], SIM_BENCH_PEOPLE [10000];
#   SIM_BENCH_QUIET_WAIT_S [60], how long to wait for other processes to calm down before each measured run;
#   SIM_BENCH_JAVA_OPTS, extra JVM options for the simulator, for diagnosis only (for example a flight recording);
#   SIM_BENCH_JAR, a jar to run instead of target/cio-bridge.jar.
# Output: a summary line on stdout, bench/out/simulator.md, and raw wrk output in bench/out/simulator/.
# NOTE: a workspace keeps up to a million events, so the simulator's heap grows during a run. RSS reached about
# 1.8 GB after the roughly 3.5 million requests of a default run on this machine, and GC pauses set the p99.
# Exit status: 0 when every measured run reached the target with no non-2xx answer, 1 otherwise.
# All load goes to the simulator this script started; it stops the simulator and wrk on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET_RPS=10000
DURATION=${SIM_BENCH_DURATION:-20s}
WARMUP=${SIM_BENCH_WARMUP:-10s}
CONNECTIONS=${SIM_BENCH_CONNECTIONS:-"64 128"}
PEOPLE=${SIM_BENCH_PEOPLE:-10000}
QUIET_WAIT_S=${SIM_BENCH_QUIET_WAIT_S:-60}
QUIET_CORES=0.25
JAVA_OPTS=${SIM_BENCH_JAVA_OPTS:-}
JAR=${SIM_BENCH_JAR:-target/cio-bridge.jar}
REPORT=bench/out/simulator.md
RAW=bench/out/simulator
LUA=bench/simulator.lua
CLK_TCK=$(getconf CLK_TCK)

SIM_PID=""
WRK_PID=""
WORK_DIR=""

log() { printf '[simulator-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "error: $*"; exit 1; }

stop_process() {
    local pid=$1 grace=$2
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 10))); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    log "process $pid did not stop within ${grace}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    stop_process "$WRK_PID" 5
    stop_process "$SIM_PID" 15
    [ -n "$WORK_DIR" ] && rm -rf "$WORK_DIR"
    [ $status -ne 0 ] && log "ended with exit status $status; the simulator log is $RAW/simulator.log"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# Prerequisites

command -v java >/dev/null || fail "java (17+) is required"
command -v curl >/dev/null || fail "curl is required"
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
if [ ! -f "$JAR" ]; then
    [ -z "${SIM_BENCH_JAR:-}" ] || fail "SIM_BENCH_JAR=$JAR does not exist"
    log "building $JAR"
    mvn -B -q package -DskipTests
fi
mkdir -p "$RAW"
rm -f "$RAW"/*.txt "$RAW"/simulator.log "$REPORT"
# Runs a copy of the jar, so that a rebuild in target/ during the run cannot change what is measured.
WORK_DIR=$(mktemp -d /tmp/simulator-bench.XXXXXX)
cp "$JAR" "$WORK_DIR/sim.jar"
JAR_SHA=$(sha256sum "$WORK_DIR/sim.jar" | cut -c1-16)
JAR_TIME=$(date -r "$JAR" +%Y-%m-%dT%H:%M:%S%z)

PORT=""
for candidate in $(seq 19100 19199); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        PORT=$candidate
        break
    fi
done
[ -n "$PORT" ] || fail "no free port in 19100-19199 on 127.0.0.1"

# ---------------------------------------------------------------------------------------------------------------
# Helpers

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Prints "busy total" jiffies of the whole machine from /proc/stat (busy excludes idle and iowait).
machine_ticks() { awk '/^cpu /{t=0; for (i=2;i<=NF;i++) t+=$i; print t-$5-$6, t}' /proc/stat; }
status_kib() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
seconds_of() { echo "${1%s}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# Waits until processes other than the simulator use less than QUIET_CORES over 3 s, or QUIET_WAIT_S passed.
# Prints the cores the rest of the machine used in the last sample.
wait_for_quiet() {
    local name=$1 deadline=$(( $(date +%s) + QUIET_WAIT_S )) busy0 busy1 sim0 sim1 other
    while true; do
        read -r busy0 _ <<< "$(machine_ticks)"
        sim0=$(cpu_ticks "$SIM_PID")
        sleep 3
        read -r busy1 _ <<< "$(machine_ticks)"
        sim1=$(cpu_ticks "$SIM_PID")
        other=$(awk -v b="$((busy1 - busy0))" -v s="$((sim1 - sim0))" -v t="$CLK_TCK" \
            'BEGIN {printf "%.2f", (b - s) / t / 3}')
        if awk -v o="$other" -v q="$QUIET_CORES" 'BEGIN {exit !(o < q)}'; then
            break
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            log "other processes still use $other cores; measuring $name on a busy machine"
            break
        fi
        log "other processes use $other cores; waiting for the machine to become quiet before $name"
    done
    echo "$other"
}

# Runs wrk once in a subshell, which then writes wrk's CPU ticks (its reaped children's time) to $RAW/wrk-$1.cpu.
# $1 names the run, $2 is the connection count, $3 the duration, $4 the run tag that keeps event ids unique.
run_wrk() {
    local name=$1 connections=$2 duration=$3 tag=$4
    (
        wrk -t2 -c"$connections" -d"$duration" --latency --timeout 5s -s "$LUA" "http://127.0.0.1:$PORT" \
            -- "$AUTH" "$tag" "$PEOPLE" > "$RAW/wrk-$name.txt" 2>&1
        awk '{print $16 + $17}' "/proc/$BASHPID/stat" > "$RAW/wrk-$name.cpu"
    ) &
    WRK_PID=$!
    wait "$WRK_PID"
    WRK_PID=""
}

# Reads a figure from a wrk output file: rps, p50, p99, non2xx, socket_errors or requests.
wrk_figure() {
    local file=$1 figure=$2
    case "$figure" in
        rps) awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$file" ;;
        p50) awk '$1=="50%" {print $2}' "$file" ;;
        p99) awk '$1=="99%" {print $2}' "$file" ;;
        non2xx) awk '/Non-2xx or 3xx responses:/ {n=$NF} END {print n+0}' "$file" ;;
        socket_errors) awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10; found=1} END {if (!found) print 0}' "$file" ;;
        requests) awk '/requests in/ {print $1}' "$file" ;;
    esac
}

# ---------------------------------------------------------------------------------------------------------------
# Start the simulator

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average at start: $LOAD_AT_START; starting the simulator on 127.0.0.1:$PORT"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$WORK_DIR/sim.jar" dev.ciobridge.sandbox.SimulatorMain \
    --port "$PORT" --people "$PEOPLE" --deliveries 1000 --seed 1 > "$RAW/simulator.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 600); do
    grep -q "Press Ctrl-C" "$RAW/simulator.log" && break
    kill -0 "$SIM_PID" 2>/dev/null || fail "the simulator exited during start; see $RAW/simulator.log"
    sleep 0.1
done
grep -q "Press Ctrl-C" "$RAW/simulator.log" || fail "the simulator did not start within 60 s"
TRACK_URL=$(awk '$1=="Track" && $2=="API" {print $3; exit}' "$RAW/simulator.log")
ADMIN_URL=$(awk '$1=="Admin" {print $2; exit}' "$RAW/simulator.log")
SITE_ID=$(awk '$1=="site" && $2=="id" {print $3; exit}' "$RAW/simulator.log")
TRACK_KEY=$(awk '$1=="Track" && $2=="API" && $3=="key" {print $4; exit}' "$RAW/simulator.log")
[ -n "$SITE_ID" ] && [ -n "$TRACK_KEY" ] && [ -n "$TRACK_URL" ] || fail "cannot read the credentials from $RAW/simulator.log"
[ "$TRACK_URL" = "http://127.0.0.1:$PORT/track" ] || fail "unexpected Track URL $TRACK_URL"
AUTH="Basic $(printf '%s:%s' "$SITE_ID" "$TRACK_KEY" | base64 -w0)"
STATS_URL="$ADMIN_URL/$SITE_ID/stats"

# One request of each kind before load, so that a wrong credential or path shows up as a clear error.
probe=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
    --data '{"email":"probe@example.com"}' "$TRACK_URL/api/v1/customers/bench-probe")
[ "$probe" = 200 ] || fail "identify probe answered $probe instead of 200"
probe=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
    --data '{"name":"bench","id":"01K99999999999999999999999","data":{"n":0},"timestamp":1767225600}' \
    "$TRACK_URL/api/v1/customers/bench-probe/events")
[ "$probe" = 200 ] || fail "event probe answered $probe instead of 200"

# ---------------------------------------------------------------------------------------------------------------
# Warm-up and measured runs

log "warm-up: $WARMUP at 64 connections"
run_wrk warmup 64 "$WARMUP" 00001
WARMUP_RPS=$(wrk_figure "$RAW/wrk-warmup.txt" rps)
WARMUP_NON2XX=$(wrk_figure "$RAW/wrk-warmup.txt" non2xx)
log "warm-up: $WARMUP_RPS requests/s, $WARMUP_NON2XX non-2xx"

ROWS=""
SUMMARY=""
PASSED=1
tag=2
for c in $CONNECTIONS; do
    other_before=$(wait_for_quiet "c$c")
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    read -r busy0 total0 <<< "$(machine_ticks)"
    sim0=$(cpu_ticks "$SIM_PID")
    log "measuring $DURATION at $c connections (load average $load)"
    run_wrk "c$c" "$c" "$DURATION" "$(printf '%05d' "$tag")"
    tag=$((tag + 1))
    sim1=$(cpu_ticks "$SIM_PID")
    read -r busy1 total1 <<< "$(machine_ticks)"
    file="$RAW/wrk-c$c.txt"
    rps=$(wrk_figure "$file" rps)
    p50=$(wrk_figure "$file" p50)
    p99=$(wrk_figure "$file" p99)
    non2xx=$(wrk_figure "$file" non2xx)
    socket_errors=$(wrk_figure "$file" socket_errors)
    [ -n "$rps" ] || fail "wrk printed no result; see $file"
    seconds=$(seconds_of "$DURATION")
    wrk_ticks=$(cat "$RAW/wrk-c$c.cpu")
    sim_cores=$(awk -v t="$((sim1 - sim0))" -v h="$CLK_TCK" -v s="$seconds" 'BEGIN {printf "%.2f", t / h / s}')
    wrk_cores=$(awk -v t="$wrk_ticks" -v h="$CLK_TCK" -v s="$seconds" 'BEGIN {printf "%.2f", t / h / s}')
    other_cores=$(awk -v b="$((busy1 - busy0))" -v a="$((sim1 - sim0))" -v w="$wrk_ticks" -v h="$CLK_TCK" -v s="$seconds" \
        'BEGIN {o = (b - a - w) / h / s; if (o < 0) o = 0; printf "%.2f", o}')
    rss=$(mib "$(status_kib "$SIM_PID" VmRSS)")
    verdict=ok
    if [ "$rps" -lt "$TARGET_RPS" ] || [ "$non2xx" -ne 0 ] || [ "$socket_errors" -ne 0 ]; then
        verdict=FAIL
        PASSED=0
    fi
    log "c$c: $rps requests/s, p50 $p50, p99 $p99, non-2xx $non2xx, socket errors $socket_errors, simulator $sim_cores cores, wrk $wrk_cores cores, other $other_cores cores, RSS $rss MiB"
    ROWS+="| $c | $rps | $p50 | $p99 | $non2xx | $socket_errors | $sim_cores | $wrk_cores | $other_cores ($other_before before) | $rss MiB | $load | $verdict |"$'\n'
    SUMMARY+=" c$c=${rps}/s p99=$p99 non2xx=$non2xx;"
done

STATS=$(curl -s "$STATS_URL" || echo "unavailable")
PEAK_RSS=$(mib "$(status_kib "$SIM_PID" VmHWM)")
THREADS=$(status_kib "$SIM_PID" Threads)
LOAD_AT_END=$(cut -d' ' -f1-3 /proc/loadavg)
VERDICT=$([ "$PASSED" = 1 ] && echo "PASS" || echo "FAIL")

cat > "$REPORT" <<EOF
# Simulator throughput

Measured by \`bash bench/simulator.sh\` on $(date +%Y-%m-%d) at $(date +%H:%M:%S), $(nproc) cores, Java $(java -version 2>&1 | awk -F'"' 'NR==1 {print $2}').
Target: at least $TARGET_RPS Track API requests per second with every response 2xx. Result: **$VERDICT**.

Load: wrk \`-t2 -c<N> -d$DURATION --latency\` with \`bench/simulator.lua\`, after a $WARMUP warm-up at 64 connections
($WARMUP_RPS requests/s, $WARMUP_NON2XX non-2xx). Requests alternate \`POST /track/api/v1/customers/<id>/events\`
(unique 26-character event id, about 90 bytes of JSON) and \`PUT /track/api/v1/customers/<id>\` (identify, about
60 bytes), over $PEOPLE person ids, with the workspace's Track Basic credentials. The simulator runs from a copy of
\`$JAR\` (built $JAR_TIME, sha256 $JAR_SHA...) with its default JVM options${JAVA_OPTS:+ plus \`$JAVA_OPTS\`},
in a workspace of $PEOPLE seeded people, on 127.0.0.1:$PORT.

| connections | requests/s | p50 | p99 | non-2xx | socket errors | simulator cores | wrk cores | other cores | simulator RSS after | load average | verdict |
|---|---|---|---|---|---|---|---|---|---|---|---|
$ROWS
CPU is in cores (1.00 = one core busy for the whole run), from /proc/<pid>/stat for the simulator and wrk and
from /proc/stat for the whole machine; "other" is everything else on the machine during the run, and the figure
in brackets is what it used in the 3 s before the run. wrk and the simulator share the $(nproc) cores.

Simulator peak RSS (VmHWM): $PEAK_RSS MiB; $THREADS threads. Load average at start $LOAD_AT_START, at end $LOAD_AT_END.

Workspace statistics after the runs (GET /_sandbox/workspaces/<site id>/stats):

\`\`\`
$STATS
\`\`\`

wrk counts a response with a status above 399 as non-2xx. The simulator sends no 1xx or 3xx status on these paths.
Raw wrk output: \`bench/out/simulator/\`.
EOF

echo "simulator benchmark: $VERDICT (target ${TARGET_RPS}/s);$SUMMARY peak RSS ${PEAK_RSS} MiB; load $LOAD_AT_START -> $LOAD_AT_END; report $REPORT"
[ "$PASSED" = 1 ]
