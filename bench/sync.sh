#!/usr/bin/env bash
# Benchmark of a contact attribute sync of 1,000,000 rows from an H2 source database.
#   1. Builds an H2 file database with BENCH_SYNC_ROWS rows (id, email and six attribute columns of mixed types).
#   2. Starts bench/TrackStub.java (a Track API stub that rejects batches over Customer.io's size limits) and the
#      service with -Xmx512m and GC logging, creates an account on the stub, and restarts the service with a
#      contact-attribute-sync file that names that account.
#   3. Runs the sync twice through POST /syncs/bench/runs: the first run sends every row, the second finds no change.
# Usage: bash bench/sync.sh   (from anywhere; the working directory becomes the repository root)
# Settings (environment variables, defaults in brackets): BENCH_SYNC_ROWS [1000000], BENCH_PORT [18080],
#   BENCH_STUB_PORT [18090], BENCH_OUT [bench/out-sync], BENCH_JAR [target/cio-bridge.jar, built when missing],
#   BENCH_HEAP [512m], the service's maximum heap; BENCH_SERVICE_OPTS, extra JVM options or -D properties for the
#   service (empty for the recorded figures).
# Output: a summary on stdout and in $BENCH_OUT/sync-results.md, with the raw files beside it.
# Every server listens on 127.0.0.1 and is started and stopped by this script.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${BENCH_SYNC_ROWS:-1000000}
PORT=${BENCH_PORT:-18080}
STUB_PORT=${BENCH_STUB_PORT:-18090}
OUT=${BENCH_OUT:-bench/out-sync}
JAR=${BENCH_JAR:-target/cio-bridge.jar}
HEAP=${BENCH_HEAP:-512m}
SERVICE_OPTS=${BENCH_SERVICE_OPTS:-}
ADMIN_TOKEN=bench-admin-token
# Base64 of 32 zero bytes: a fixed master key, so the restarted service reads the stored credentials.
MASTER_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
BASE_URL="http://127.0.0.1:$PORT"
STUB_URL="http://127.0.0.1:$STUB_PORT"
SERVICE_PID=""
STUB_PID=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*" >&2; exit 1; }

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
    stop_process "$SERVICE_PID" 40
    stop_process "$STUB_PID" 10
    [ $status -ne 0 ] && log "benchmark ended with exit status $status; logs are in $OUT/" >&2
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_url() {
    local url=$1 timeout_s=$2 pid=$3
    for _ in $(seq 1 $((timeout_s * 10))); do
        curl -sf -o /dev/null "$url" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

admin() {
    curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' "$@"
}

json_field() {
    python3 -c 'import json,sys; d=json.load(sys.stdin); [d := d[k] for k in sys.argv[1].split(".")]; print(d)' "$1"
}

start_service() {
    local name=$1
    # shellcheck disable=SC2086 # SERVICE_OPTS is a list of options
    java -Xmx"$HEAP" -Xlog:gc:file="$OUT/gc-$name.log" $SERVICE_OPTS \
        -Dcio-bridge.http.port="$PORT" \
        -Dcio-bridge.data-dir="$OUT/data" \
        -Dcio-bridge.admin-token="$ADMIN_TOKEN" \
        -Dcio-bridge.master-key="$MASTER_KEY" \
        -Dcustomerio.us.track-url="$STUB_URL" \
        -Dcio-bridge.sources.bench.url="jdbc:h2:file:$SOURCE_FILE;ACCESS_MODE_DATA=r" \
        -Dcio-bridge.sources.bench.username=sa \
        -Dcamel.main.routes-reload-enabled=false \
        "-Dcamel.main.routes-include-pattern=classpath:routes/*.camel.yaml,file:$OUT/routes/*.camel.yaml" \
        -jar "$JAR" > "$OUT/service-$name.log" 2>&1 &
    SERVICE_PID=$!
    wait_for_url "$BASE_URL/observe/health" 90 "$SERVICE_PID" \
        || { tail -30 "$OUT/service-$name.log" >&2; fail "the service ($name) did not become healthy"; }
}

# Starts a run and waits for its end; prints the run as JSON.
run_sync() {
    local run_id status
    run_id=$(admin -X POST "$BASE_URL/syncs/bench/runs" | json_field id)
    while true; do
        status=$(admin "$BASE_URL/syncs/bench/runs/$run_id" | json_field status)
        [ "$status" != "running" ] && break
        sleep 0.5
    done
    admin "$BASE_URL/syncs/bench/runs/$run_id"
}

# The largest heap occupancy before a collection in a -Xlog:gc file, in MB ("GC(3) Pause Young ... 301M->52M(512M)").
peak_heap_mb() {
    grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$1" | sed 's/M->.*//' | sort -n | tail -1
}

# The largest heap occupancy right after a collection, in MB: an upper bound of the live data, because young
# collections leave old-generation garbage behind.
peak_live_mb() {
    grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$1" | sed 's/.*->//; s/M(.*//' | sort -n | tail -1
}

command -v java >/dev/null || fail "java (17+) is required"
command -v python3 >/dev/null || fail "python3 is required to read JSON answers"
if [ -z "${BENCH_JAR:-}" ] && { [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; }; then
    log "building $JAR"
    mvn -B -q package -DskipTests
fi
for port in "$PORT" "$STUB_PORT"; do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && fail "port $port on 127.0.0.1 is already in use; set BENCH_PORT or BENCH_STUB_PORT"
done

rm -rf "$OUT/data" "$OUT/source" "$OUT/routes"
rm -f "$OUT"/*.log "$OUT"/*.json "$OUT"/sync-results.md
mkdir -p "$OUT/data" "$OUT/source" "$OUT/routes"
OUT=$(cd "$OUT" && pwd)
SOURCE_FILE="$OUT/source/people"

log "creating the source database with $ROWS rows"
java -cp "$JAR" org.h2.tools.Shell -url "jdbc:h2:file:$SOURCE_FILE" -user sa -sql "
CREATE TABLE people (id BIGINT PRIMARY KEY, email VARCHAR(200), plan VARCHAR(20), seats INT, mrr DECIMAL(12,2),
                     active BOOLEAN, country VARCHAR(2), signed_up_at TIMESTAMP);
INSERT INTO people SELECT X, 'user' || X || '@example.com', CASEWHEN(MOD(X, 3) = 0, 'pro', 'free'), MOD(X, 50),
       MOD(X, 10000) / 100.0, MOD(X, 2) = 0, CASEWHEN(MOD(X, 2) = 0, 'DE', 'US'),
       DATEADD('SECOND', X, TIMESTAMP '2025-01-01 00:00:00') FROM SYSTEM_RANGE(1, $ROWS);" > "$OUT/source.log"

java bench/TrackStub.java "$STUB_PORT" > "$OUT/stub.log" 2>&1 &
STUB_PID=$!
wait_for_url "$STUB_URL/stats" 30 "$STUB_PID" || fail "the Track API stub did not start"

start_service setup
ACCOUNT=$(admin -X POST "$BASE_URL/integrated-accounts" \
    -d '{"name":"Bench","region":"us","site_id":"bench-site","track_api_key":"bench-key"}' | json_field id)
stop_process "$SERVICE_PID" 40
cat > "$OUT/routes/sync-bench.camel.yaml" <<YAML
- templatedRoute:
    routeTemplateRef: contact-attribute-sync
    parameters:
      - name: syncId
        value: bench
      - name: account
        value: $ACCOUNT
      - name: source
        value: bench
      - name: query
        value: SELECT id, email, plan, seats, mrr, active, country, signed_up_at FROM people
      - name: idColumn
        value: id
      - name: emailColumn
        value: email
      - name: schedule
        value: "0 0 0 1 1 ? 2099"
YAML

start_service sync
log "first run: every row is new"
run_sync > "$OUT/run-first.json"
log "second run: no row changed"
run_sync > "$OUT/run-second.json"
curl -sf "$STUB_URL/stats" > "$OUT/stub-stats.json"
stop_process "$SERVICE_PID" 40
SERVICE_PID=""

python3 - "$OUT" "$ROWS" "$(peak_heap_mb "$OUT/gc-sync.log")" "$HEAP" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$(git status --porcelain -- src pom.xml bench 2>/dev/null | wc -l)" "$(peak_live_mb "$OUT/gc-sync.log")" "$SERVICE_OPTS" \
    "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee "$OUT/sync-results.md"
import json, os, sys
out, rows, peak, heap, head, dirty, live, opts, cores, load = sys.argv[1:11]
first = json.load(open(os.path.join(out, "run-first.json")))
second = json.load(open(os.path.join(out, "run-second.json")))
stub = json.load(open(os.path.join(out, "stub-stats.json")))
def seconds(run):
    return run["duration_ms"] / 1000.0
first_s, second_s = seconds(first), seconds(second)
print(f"## Sync benchmark: {int(rows):,} rows, commit {head} ({dirty} uncommitted files under src, pom.xml, bench)")
print()
print(f"{cores} cores, load average at the end {load}; extra service options: '{opts or 'none'}'.")
print()
print("| measure | value |")
print("| --- | --- |")
print(f"| first run (all rows new): status | {first['status']} |")
print(f"| first run: rows read / sent / invalid | {first['counts']['rows_read']:,} / {first['counts']['sent']:,} / {first['counts']['invalid']:,} |")
print(f"| first run: time | {first_s:.1f} s |")
print(f"| first run: rows per second | {first['counts']['rows_read'] / first_s:,.0f} |")
print(f"| first run: Track API requests | {first['counts']['api_calls']:,} |")
print(f"| no-change run: status | {second['status']} |")
print(f"| no-change run: rows read / unchanged / sent | {second['counts']['rows_read']:,} / {second['counts']['unchanged']:,} / {second['counts']['sent']:,} |")
print(f"| no-change run: time | {second_s:.1f} s |")
print(f"| no-change run: Track API requests | {second['counts']['api_calls']:,} |")
print(f"| peak heap before a GC (-Xmx{heap}, from -Xlog:gc) | {peak} MB |")
print(f"| peak heap right after a GC (upper bound of live data) | {live} MB |")
print(f"| stub: batch requests / operations received / limit violations | {stub.get('batch_requests'):,} / {stub.get('other_operations'):,} / {stub.get('violations')} |")
print(f"| stub: largest request / most items in one request | {stub.get('max_request_bytes'):,} bytes / {stub.get('max_items')} |")
PY
