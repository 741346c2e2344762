#!/usr/bin/env bash
# Benchmark of cio-bridge on this machine, in one run of two phases.
#   Phase 1 measures webhooks accepted per second with durable storage (signed Stripe webhooks, unique event ids,
#   delivery disabled) at each connection count. A Camel route that stores nothing is measured beside it.
#   Phase 2 restarts the service with delivery enabled against a local Track API stub and measures how fast the
#   backlog stored in phase 1 drains.
# Usage: bash bench/run.sh   (from anywhere; the working directory becomes the repository root)
# Settings (environment variables, defaults in brackets):
#   BENCH_DURATION [20s] and BENCH_WARMUP [15s], in seconds followed by "s"; BENCH_CONNECTIONS ["32 128"];
#   BENCH_PORT [18080] and BENCH_STUB_PORT [18090]; BENCH_DRAIN_TIMEOUT_S [300]; BENCH_QUIET_WAIT_S [60];
#   BENCH_OUT [bench/out], the output folder, where files of an earlier run are replaced;
#   BENCH_BACKLOG [200000], the outbox rows that phase 2 drains;
#   BENCH_JAR, a service jar to measure instead of target/cio-bridge.jar. The service still loads config/routes
#   from this work tree, so the jar must come from the same commit;
#   BENCH_SERVICE_OPTS, extra JVM options or -D properties for the service, for diagnosis only.
# Output: a summary on stdout, bench/out/results.md, and the raw files it was made from in bench/out/.
# Every server runs on 127.0.0.1 and all load goes to servers this script started. It stops them all on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${BENCH_OUT:-bench/out}
PORT=${BENCH_PORT:-18080}
STUB_PORT=${BENCH_STUB_PORT:-18090}
WARMUP=${BENCH_WARMUP:-15s}
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-"32 128"}
WRK_THREADS=2
DRAIN_TIMEOUT_S=${BENCH_DRAIN_TIMEOUT_S:-300}
# Before each measured run, wait up to this many seconds for other processes to use less than QUIET_CORES.
QUIET_WAIT_S=${BENCH_QUIET_WAIT_S:-60}
QUIET_CORES=0.25
# Outbox rows that phase 2 drains: the rows phase 1 stored, topped up with copies of them when fewer.
TARGET_BACKLOG=${BENCH_BACKLOG:-200000}
# Extra JVM options or -D properties for both service starts, for diagnosis runs only (empty for the benchmark).
SERVICE_OPTS=${BENCH_SERVICE_OPTS:-}

ADMIN_TOKEN=bench-admin-token
# Base64 of 32 zero bytes: a fixed master key, so the restarted service reads the credentials stored in phase 1.
MASTER_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
STRIPE_SECRET=whsec_bench_0123456789abcdef0123456789
SAMPLE=samples/stripe/invoice.payment_failed.json
BASE_URL="http://127.0.0.1:$PORT"
STUB_URL="http://127.0.0.1:$STUB_PORT"
# The service jar: target/cio-bridge.jar, built when missing or older than the sources, unless BENCH_JAR names one.
JAR=${BENCH_JAR:-target/cio-bridge.jar}
CLK_TCK=$(getconf CLK_TCK)

SERVICE_PID=""
STUB_PID=""
SAMPLER_PID=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*" >&2; exit 1; }

# Sends SIGTERM to a process this script started, waits up to $2 seconds, then sends SIGKILL.
stop_process() {
    local pid=$1 grace=${2:-40}
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
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
    stop_process "$SAMPLER_PID" 5
    stop_process "$SERVICE_PID" 40
    stop_process "$STUB_PID" 10
    rm -rf "$OUT/requests"
    [ $status -ne 0 ] && log "benchmark ended with exit status $status; logs are in $OUT/" >&2
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# Prerequisites and build

command -v java >/dev/null || fail "java (17+) is required"
command -v python3 >/dev/null || fail "python3 is required (it generates the signed requests and the report)"
command -v curl >/dev/null || fail "curl is required"
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
if [ -n "${BENCH_JAR:-}" ]; then
    [ -f "$JAR" ] || fail "BENCH_JAR=$JAR does not exist"
elif [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    command -v mvn >/dev/null || fail "mvn is required to build $JAR"
    mvn -B -q package -DskipTests
fi
for port in "$PORT" "$STUB_PORT"; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        fail "port $port on 127.0.0.1 is already in use; set BENCH_PORT or BENCH_STUB_PORT"
    fi
done

# Removes only what an earlier run wrote, so that a mistyped BENCH_OUT cannot empty an unrelated folder.
rm -rf "$OUT/data" "$OUT/requests"
rm -f "$OUT"/*.txt "$OUT"/*.csv "$OUT"/*.json "$OUT"/*.log "$OUT"/*.env "$OUT"/results.md "$OUT"/cio-bridge.jar "$OUT"/.times
mkdir -p "$OUT/requests"
FACTS="$OUT/facts.env"
: > "$FACTS"
fact() { printf '%s=%s\n' "$1" "$2" >> "$FACTS"; }
# Runs a copy of the jar, so that a rebuild in target/ during the run cannot change what is measured.
cp "$JAR" "$OUT/cio-bridge.jar"
fact jar_path "$JAR"
fact jar_built_at "$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
fact jar_sha256 "$(sha256sum "$OUT/cio-bridge.jar" | cut -c1-16)"
JAR="$OUT/cio-bridge.jar"
fact git_head "$(git rev-parse --short HEAD 2>/dev/null || echo "unknown (not a git checkout)")"
fact git_uncommitted_src_files "$(git status --porcelain -- src pom.xml config 2>/dev/null | wc -l)"
fact duration "$DURATION"
fact warmup "$WARMUP"
fact connections "$CONNECTIONS"
fact service_opts "$SERVICE_OPTS"
fact started_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
fact load_average_at_start "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------------------------
# Helpers

wait_for_url() {
    local url=$1 timeout_s=$2 pid=$3
    for _ in $(seq 1 $((timeout_s * 10))); do
        curl -sf -o /dev/null "$url" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

start_service() {
    local name=$1
    shift
    # shellcheck disable=SC2086 # SERVICE_OPTS is a list of options
    java $SERVICE_OPTS \
        -Dcio-bridge.http.port="$PORT" \
        -Dcio-bridge.data-dir="$OUT/data" \
        -Dcio-bridge.admin-token="$ADMIN_TOKEN" \
        -Dcio-bridge.master-key="$MASTER_KEY" \
        -Dcustomerio.us.track-url="$STUB_URL" \
        -Dcustomerio.eu.track-url="$STUB_URL" \
        -Dcamel.main.routes-reload-enabled=false \
        "-Dcamel.main.routes-include-pattern=classpath:routes/*.camel.yaml,file:config/routes/*.camel.yaml,file:bench/routes/*.camel.yaml" \
        "$@" -jar "$JAR" > "$OUT/service-$name.log" 2>&1 &
    SERVICE_PID=$!
    wait_for_url "$BASE_URL/observe/health" 90 "$SERVICE_PID" \
        || { tail -30 "$OUT/service-$name.log" >&2; fail "the service ($name) did not become healthy"; }
}

stop_service() {
    stop_process "$SERVICE_PID" 40
    SERVICE_PID=""
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU seconds (user + system) of the waited-for children of this shell, such as wrk, from the times builtin.
# It must run in this shell, not in a $(...) subshell, whose children are not this shell's: call it as
# "children_cpu_s; value=$CHILDREN_CPU_S".
children_cpu_s() {
    times > "$OUT/.times"
    CHILDREN_CPU_S=$(awk 'NR == 2 {
        total = 0
        for (i = 1; i <= 2; i++) { split($i, part, /[ms]/); total += part[1] * 60 + part[2] }
        printf "%.2f\n", total
    }' "$OUT/.times")
}
# Prints "busy total" jiffies of the whole machine from /proc/stat (busy excludes idle and iowait).
machine_ticks() { awk '/^cpu /{t=0; for (i=2;i<=NF;i++) t+=$i; print t-$5-$6, t}' /proc/stat; }
peak_rss_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status"; }
metric() {
    # Sum of the samples of a Prometheus metric whose labels contain $2 (an exact label text).
    curl -sf "$BASE_URL/observe/metrics" | awk -v name="$1" -v label="$2" \
        'index($0, name "{") == 1 && index($0, label) > 0 {sum += $NF} END {printf "%d\n", sum}'
}
# Runs SQL on the service's H2 file with H2's shell from the service jar; the service must be stopped.
h2_sql() {
    java -cp "$JAR" org.h2.tools.Shell -url "jdbc:h2:file:$(cd "$OUT/data" && pwd)/cio-bridge" -user sa -sql "$1"
}
h2_count() { h2_sql "SELECT COUNT(*) FROM $1" | sed -n 2p; }
seconds_of() { local value=${1%s}; echo "$value"; }

# Waits until the processes other than the service use less than QUIET_CORES over 3 s, or QUIET_WAIT_S passed.
# Records the CPU the rest of the machine used in the last sample as fact other_cores_before_$1.
wait_for_quiet() {
    local name=$1 deadline=$(( $(date +%s) + QUIET_WAIT_S )) busy0 busy1 service0 service1 other
    while true; do
        read -r busy0 _ <<< "$(machine_ticks)"
        service0=$(cpu_ticks "$SERVICE_PID")
        sleep 3
        read -r busy1 _ <<< "$(machine_ticks)"
        service1=$(cpu_ticks "$SERVICE_PID")
        other=$(awk -v b="$((busy1 - busy0))" -v s="$((service1 - service0))" -v t="$CLK_TCK" \
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
    fact "other_cores_before_$name" "$other"
}

# Runs wrk once; $1 names the run, $2 is the connection count, $3 the duration, $4 the request file prefix.
run_wrk() {
    local name=$1 connections=$2 duration=$3 prefix=$4
    local cpu_before machine_before cpu_after machine_after
    local children_before children_after
    cpu_before=$(cpu_ticks "$SERVICE_PID")
    machine_before=$(machine_ticks)
    children_cpu_s
    children_before=$CHILDREN_CPU_S
    wrk -t"$WRK_THREADS" -c"$connections" -d"$duration" --timeout 10s --latency -s bench/webhooks.lua "$BASE_URL" \
        -- "$prefix" > "$OUT/wrk-$name.txt" 2>&1 || { cat "$OUT/wrk-$name.txt" >&2; fail "wrk failed on $name"; }
    children_cpu_s
    children_after=$CHILDREN_CPU_S
    cpu_after=$(cpu_ticks "$SERVICE_PID")
    machine_after=$(machine_ticks)
    python3 - "$name" "$cpu_before" "$cpu_after" "$machine_before" "$machine_after" "$CLK_TCK" \
        "$children_before" "$children_after" >> "$FACTS" <<'PY'
import sys
name, cpu0, cpu1, m0, m1, tck, wrk0, wrk1 = sys.argv[1:]
busy0, total0 = map(int, m0.split())
busy1, total1 = map(int, m1.split())
tck = int(tck)
ncpu = len([line for line in open("/proc/stat") if line.startswith("cpu") and line[3].isdigit()])
wall_s = (total1 - total0) / tck / ncpu
print(f"wall_s_{name}={wall_s:.2f}")
print(f"cpu_service_s_{name}={(float(cpu1) - float(cpu0)) / tck:.1f}")
print(f"cpu_wrk_s_{name}={float(wrk1) - float(wrk0):.1f}")
print(f"cpu_machine_busy_s_{name}={(busy1 - busy0) / tck:.1f}")
PY
    grep -E '^(Requests/sec|BENCH_JSON)' "$OUT/wrk-$name.txt" | sed "s/^/  $name: /"
}

# Samples the accepted-event counter every 2 s into $OUT/accepted-$1.csv while wrk runs.
start_sampler() {
    local name=$1
    (
        echo "elapsed_s,accepted_total" > "$OUT/accepted-$name.csv"
        start=$(date +%s.%N)
        while true; do
            count=$(metric cio_bridge_webhook_events_total 'outcome="accepted"' || echo "")
            now=$(date +%s.%N)
            awk -v now="$now" -v start="$start" -v count="$count" 'BEGIN {printf "%.1f,%s\n", now - start, count}' \
                >> "$OUT/accepted-$name.csv"
            sleep 2
        done
    ) &
    SAMPLER_PID=$!
}
stop_sampler() {
    stop_process "$SAMPLER_PID" 5
    SAMPLER_PID=""
}

generate() {
    local label=$1 path=$2 per_thread=$3
    python3 bench/gen_requests.py --sample "$SAMPLE" --host "127.0.0.1:$PORT" --path "$path" --secret "$STRIPE_SECRET" \
        --label "$label" --threads "$WRK_THREADS" --per-thread "$per_thread" --out "$OUT/requests/$label" | sed 's/^/  /'
}

# ---------------------------------------------------------------------------------------------------------------
# Track API stub

log "starting the Track API stub on 127.0.0.1:$STUB_PORT"
java bench/TrackStub.java "$STUB_PORT" > "$OUT/stub.log" 2>&1 &
STUB_PID=$!
wait_for_url "$STUB_URL/stats" 60 "$STUB_PID" || { cat "$OUT/stub.log" >&2; fail "the Track API stub did not start"; }

# ---------------------------------------------------------------------------------------------------------------
# Phase 1: intake

log "phase 1: starting the service with delivery disabled"
start_service intake -Dcio-bridge.delivery.enabled=false
fact service_pid_intake "$SERVICE_PID"

ACCOUNT_JSON=$(curl -sf -X POST "$BASE_URL/integrated-accounts" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"region\":\"us\",\"site_id\":\"bench-site\",\"track_api_key\":\"bench-track-key\",\"webhook_secrets\":{\"stripe\":\"$STRIPE_SECRET\"}}") \
    || fail "creating the integrated account failed"
ACCOUNT_ID=$(printf '%s' "$ACCOUNT_JSON" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
STRIPE_PATH="/webhooks/stripe/$ACCOUNT_ID"
log "created integrated account $ACCOUNT_ID"

# One signed webhook before any load: the route must accept it, or every figure below would be about errors.
generate preflight "$STRIPE_PATH" 1
python3 - "$OUT/requests/preflight-0.req" "$PORT" <<'PY' || fail "the service did not accept a signed Stripe webhook"
import socket
import sys

with open(sys.argv[1], "rb") as f:
    data = f.read()
newline = data.index(b"\n")
request = data[newline + 1:newline + 1 + int(data[:newline])]
with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=30) as connection:
    connection.sendall(request)
    reply = b""
    while b"\r\n\r\n" not in reply:
        chunk = connection.recv(65536)
        if not chunk:
            break
        reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next((int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")), 0)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
print(f"  preflight: {lines[0]} {body.decode('utf-8', 'replace')}")
sys.exit(0 if lines[0].split()[1] == "200" else 1)
PY

log "no-storage route: warm-up ($WARMUP) and runs"
generate noop /bench/noop 20000
run_wrk noop-warmup 32 "$WARMUP" "$OUT/requests/noop"
for c in $CONNECTIONS; do
    wait_for_quiet "noop-c$c"
    run_wrk "noop-c$c" "$c" "$DURATION" "$OUT/requests/noop"
done

log "Stripe webhooks: warm-up ($WARMUP)"
generate warmup "$STRIPE_PATH" 50000
run_wrk stripe-warmup 32 "$WARMUP" "$OUT/requests/warmup"
WARMUP_RPS=$(sed -n 's/^Requests\/sec: *//p' "$OUT/wrk-stripe-warmup.txt")
# Enough unique requests for 15,000 per second, or three times the warm-up rate if higher, over the whole run, so
# that event ids do not repeat. The warm-up rate alone is too low a guide while the JIT compiler is still busy.
PER_RUN=$(python3 -c "import math; d = $(seconds_of "$DURATION"); print(min(2000000, math.ceil(max(15000, $WARMUP_RPS * 3) * d)))")
fact stripe_requests_generated_per_run "$PER_RUN"
for c in $CONNECTIONS; do
    log "Stripe webhooks: $c connections for $DURATION"
    rm -f "$OUT"/requests/c*.req
    wait_for_quiet "stripe-c$c"
    # Generated after the wait, so that the signatures are seconds old when wrk sends them.
    generate "c$c" "$STRIPE_PATH" $((PER_RUN / WRK_THREADS))
    start_sampler "stripe-c$c"
    run_wrk "stripe-c$c" "$c" "$DURATION" "$OUT/requests/c$c"
    stop_sampler
done

fact accepted_events_phase1 "$(metric cio_bridge_webhook_events_total 'outcome="accepted"')"
fact duplicate_events_phase1 "$(metric cio_bridge_webhook_events_total 'outcome="duplicate"')"
fact ignored_events_phase1 "$(metric cio_bridge_webhook_events_total 'outcome="ignored"')"
fact peak_rss_kib_intake "$(peak_rss_kib "$SERVICE_PID")"
log "phase 1: stopping the service"
stop_service
rm -rf "$OUT/requests"
mkdir -p "$OUT/requests"
fact h2_bytes_after_intake "$(stat -c %s "$OUT/data/cio-bridge.mv.db")"
BACKLOG=$(h2_count outbox)
fact outbox_rows_after_intake "$BACKLOG"
fact received_rows_after_intake "$(h2_count received_event)"
log "phase 1 done: $BACKLOG operations waiting in the outbox"
[ "$BACKLOG" -gt 0 ] || fail "phase 1 stored nothing, so there is no backlog to deliver"

# Copies stored operations (same entities, new outbox ids) until the backlog reaches TARGET_BACKLOG, at most
# doubling it per statement. This makes the drain long enough to measure whatever the intake rate was.
while [ "$BACKLOG" -lt "$TARGET_BACKLOG" ]; do
    h2_sql "INSERT INTO outbox (account_id, person_key, source, source_event_id, entity, entity_bytes, attempts,
            next_attempt_at, created_at)
            SELECT account_id, person_key, source, source_event_id, entity, entity_bytes, attempts, next_attempt_at,
            created_at FROM outbox ORDER BY id FETCH FIRST $((TARGET_BACKLOG - BACKLOG)) ROWS ONLY" > /dev/null
    BACKLOG=$(h2_count outbox)
done
fact backlog "$BACKLOG"
fact h2_bytes_before_drain "$(stat -c %s "$OUT/data/cio-bridge.mv.db")"
log "backlog for phase 2: $BACKLOG operations"

# ---------------------------------------------------------------------------------------------------------------
# Phase 2: delivery

log "phase 2: restarting the service with delivery enabled against the stub"
SERVICE_PID=$STUB_PID wait_for_quiet drain
curl -sf "$STUB_URL/stats" > "$OUT/stub-before-drain.json"
DRAIN_LAUNCH_MS=$(date +%s%3N)
start_service delivery -Dcio-bridge.delivery.enabled=true
DRAIN_READY_MS=$(date +%s%3N)
fact drain_launch_ms "$DRAIN_LAUNCH_MS"
fact drain_ready_ms "$DRAIN_READY_MS"
fact service_pid_delivery "$SERVICE_PID"

DELIVERY_CPU_BEFORE=$(cpu_ticks "$SERVICE_PID")
DELIVERY_STUB_CPU_BEFORE=$(cpu_ticks "$STUB_PID")
DELIVERY_MACHINE_BEFORE=$(machine_ticks)
DRAINED=no
last_events=-1
last_change_ms=$(date +%s%3N)
echo "elapsed_s,events_total" > "$OUT/drain.csv"
while true; do
    events=$(curl -sf "$STUB_URL/stats" | python3 -c 'import json, sys; print(json.load(sys.stdin)["events"])')
    now_ms=$(date +%s%3N)
    awk -v now="$now_ms" -v ready="$DRAIN_READY_MS" -v events="$events" \
        'BEGIN {printf "%.2f,%s\n", (now - ready) / 1000, events}' >> "$OUT/drain.csv"
    if [ "$events" -ge "$BACKLOG" ]; then
        DRAINED=yes
        break
    fi
    if [ "$events" != "$last_events" ]; then
        last_events=$events
        last_change_ms=$now_ms
    elif [ $((now_ms - last_change_ms)) -gt 30000 ]; then
        log "no progress for 30 s at $events of $BACKLOG events; giving up"
        break
    fi
    if [ $((now_ms - DRAIN_READY_MS)) -gt $((DRAIN_TIMEOUT_S * 1000)) ]; then
        log "drain timed out after ${DRAIN_TIMEOUT_S}s at $events of $BACKLOG events"
        break
    fi
    sleep 0.25
done
DRAIN_DONE_MS=$(date +%s%3N)
fact drain_done_ms "$DRAIN_DONE_MS"
fact drained "$DRAINED"
fact cpu_service_s_delivery "$(python3 -c "print(f'{($(cpu_ticks "$SERVICE_PID") - $DELIVERY_CPU_BEFORE) / $CLK_TCK:.1f}')")"
fact cpu_stub_s_delivery "$(python3 -c "print(f'{($(cpu_ticks "$STUB_PID") - $DELIVERY_STUB_CPU_BEFORE) / $CLK_TCK:.1f}')")"
read -r busy_after _ <<< "$(machine_ticks)"
fact cpu_machine_busy_s_delivery "$(python3 -c "print(f'{($busy_after - ${DELIVERY_MACHINE_BEFORE% *}) / $CLK_TCK:.1f}')")"
# Lets the dispatcher finish deleting the last batch before the outbox is counted.
sleep 2
curl -sf "$STUB_URL/stats" > "$OUT/stub-after-drain.json"
curl -sf "$BASE_URL/observe/metrics" > "$OUT/metrics-after-drain.txt" || true
fact peak_rss_kib_delivery "$(peak_rss_kib "$SERVICE_PID")"
log "phase 2: stopping the service"
stop_service
fact h2_bytes_after_drain "$(stat -c %s "$OUT/data/cio-bridge.mv.db")"
fact outbox_rows_after_drain "$(h2_count outbox)"
fact dead_letter_rows_after_drain "$(h2_count dead_letter)"
stop_process "$STUB_PID" 10
STUB_PID=""

# ---------------------------------------------------------------------------------------------------------------
# Report

fact finished_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
python3 bench/report.py "$OUT" > "$OUT/results.md"
cat "$OUT/results.md"
log "wrote $OUT/results.md"
