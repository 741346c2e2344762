#!/usr/bin/env python3
"""Benchmark of the unified API against the Customer.io simulator, in one run of two phases.

Phase 1, added latency: one connection at a time (wrk -t1 -c1 --latency), the same read twice, once straight
from the simulator's App API and once through cio-bridge's unified API, whose App API limit is raised out of the
way (100,000 per second) for this phase. The added latency is the difference of the medians and of the p99s.
Reads measured: the workspace list (GET /v1/workspaces against GET /unified/marketing-automation/workspaces) and
one person (GET /v1/customers/{id}/attributes against GET /unified/marketing-automation/contacts/{id}).

Phase 2, listing at the App API limit (after one untimed page): cio-bridge restarted with its default App API limit (10 per second), a
simulator workspace of 100,000 people that enforces 10 requests per second, and the whole contact list read
through /unified/marketing-automation/contacts page by page. The App API calls it needed are counted by the
simulator; the least time the limit allows for N calls is (N - 1) / 10 seconds (the first call starts at once).

Usage: python3 bench/unified.py   (from anywhere; the working directory becomes the repository root)
Settings (environment variables, defaults in brackets): UNIFIED_BENCH_DURATION [15s], UNIFIED_BENCH_WARMUP [5s],
UNIFIED_BENCH_PEOPLE [100000], UNIFIED_BENCH_PAGE_LIMIT [5000, the unified API's largest page], UNIFIED_BENCH_JAR [target/cio-bridge.jar].
Output: a summary on stdout, bench/out/unified.md, and raw files in bench/out/unified/.
Every server runs on 127.0.0.1 and all load goes to servers this script started; it stops them on exit.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
os.chdir(ROOT)

DURATION = os.environ.get("UNIFIED_BENCH_DURATION", "15s")
WARMUP = os.environ.get("UNIFIED_BENCH_WARMUP", "5s")
PEOPLE = int(os.environ.get("UNIFIED_BENCH_PEOPLE", "100000"))
PAGE_LIMIT = int(os.environ.get("UNIFIED_BENCH_PAGE_LIMIT", "5000"))
JAR = os.environ.get("UNIFIED_BENCH_JAR", "target/cio-bridge.jar")
APP_LIMIT = 10
ADMIN_TOKEN = "bench-admin-token"
MASTER_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
RAW = os.path.join("bench", "out", "unified")
REPORT = os.path.join("bench", "out", "unified.md")

processes = []


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


def fail(message):
    log("FAILED: " + message)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, headers=None, body=None, timeout=120):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        return error.code, text


def start(name, command, ready_url, log_path):
    out = open(log_path, "w")
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    processes.append(process)
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            fail(f"{name} exited during start; see {log_path}")
        try:
            with urllib.request.urlopen(ready_url, timeout=2):
                return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.2)
    fail(f"{name} did not start within 90 s; see {log_path}")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wrk(name, url, authorization, duration):
    path = os.path.join(RAW, f"wrk-{name}.txt")
    with open(path, "w") as out:
        subprocess.run(["wrk", "-t1", "-c1", "-d" + duration, "--latency", "--timeout", "10s",
                        "-H", "Authorization: " + authorization, url], stdout=out, stderr=subprocess.STDOUT, check=True)
    figures = {}
    with open(path) as text:
        for line in text:
            parts = line.split()
            if len(parts) == 2 and parts[0] in ("50%", "99%"):
                figures[parts[0]] = to_ms(parts[1])
            if line.startswith("Requests/sec:"):
                figures["rps"] = float(parts[1])
            if "Non-2xx" in line:
                figures["non2xx"] = int(parts[-1])
            if "requests in" in line:
                figures["requests"] = int(parts[0])
    figures.setdefault("non2xx", 0)
    if "50%" not in figures:
        fail(f"wrk printed no latency for {name}; see {path}")
    return figures


def to_ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)


def service_command(port, data_dir, sim_port, app_rate):
    base = f"http://127.0.0.1:{sim_port}"
    properties = {
        "cio-bridge.http.port": port, "cio-bridge.data-dir": data_dir, "cio-bridge.admin-token": ADMIN_TOKEN,
        "cio-bridge.master-key": MASTER_KEY, "camel.main.routes-reload-enabled": "false",
        "customerio.us.track-url": base + "/track", "customerio.us.app-url": base + "/app",
        "customerio.us.pipelines-url": base + "/pipelines", "customerio.app.requests-per-second": app_rate,
    }
    return ["java", "-Xmx1g"] + [f"-D{k}={v}" for k, v in properties.items()] + ["-jar", JAR]


def main():
    for tool in ("java", "wrk"):
        if shutil.which(tool) is None:
            fail(f"{tool} is required (wrk: apt-get install wrk)")
    if not os.path.exists(JAR):
        log(f"building {JAR}")
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], check=True)
    os.makedirs(RAW, exist_ok=True)
    work = tempfile.mkdtemp(prefix="unified-bench.")
    jar_copy = os.path.join(work, "cio-bridge.jar")
    shutil.copy(JAR, jar_copy)
    sim_port, port = free_port(), free_port()
    sim = f"http://127.0.0.1:{sim_port}"
    bridge = f"http://127.0.0.1:{port}"
    admin = "Bearer " + ADMIN_TOKEN
    try:
        log(f"starting the simulator on 127.0.0.1:{sim_port}")
        start("simulator", ["java", "-Xmx2g", "-cp", jar_copy, "dev.ciobridge.sandbox.SimulatorMain",
                            "--port", str(sim_port), "--people", "0", "--deliveries", "0"],
              sim + "/_sandbox/workspaces", os.path.join(RAW, "simulator.log"))
        workspaces = {}
        for name, people, rate in (("latency", 1000, 0), ("listing", PEOPLE, APP_LIMIT)):
            status, body = request("POST", sim + "/_sandbox/workspaces", body={
                "name": name, "seed": 7, "people": people, "deliveries": 0, "app_requests_per_second": rate,
                "site_id": "site-" + name, "track_api_key": "track-" + name, "app_api_key": "app-" + name})
            if status not in (200, 201):
                fail(f"creating simulator workspace {name}: {status} {body}")
            workspaces[name] = body

        # Phase 1: added latency, App API limit out of the way.
        data1 = os.path.join(work, "data1")
        service = start("cio-bridge", service_command(port, data1, sim_port, 100000) + [],
                        bridge + "/observe/health", os.path.join(RAW, "service-latency.log"))
        account = create_account(bridge, admin, "latency")
        status, people = request("POST", sim + "/app/v1/customers?limit=1", {"Authorization": "Bearer app-latency"},
                                 {"filter": {"and": [{"attribute": {"field": "email", "operator": "exists"}}]}})
        if status != 200 or not people.get("ids"):
            fail(f"reading one person id from the simulator: {status} {people}")
        person = people["ids"][0]
        pairs = [
            ("workspaces", sim + "/app/v1/workspaces",
             f"{bridge}/unified/marketing-automation/workspaces?integrated_account_id={account}"),
            ("contact", f"{sim}/app/v1/customers/{person}/attributes",
             f"{bridge}/unified/marketing-automation/contacts/{person}?integrated_account_id={account}"),
        ]
        latency_rows = []
        for name, direct_url, unified_url in pairs:
            status, body = request("GET", unified_url, {"Authorization": admin})
            if status != 200:
                fail(f"unified probe {unified_url}: {status} {body}")
            wrk(name + "-warmup-direct", direct_url, "Bearer app-latency", WARMUP)
            wrk(name + "-warmup-unified", unified_url, admin, WARMUP)
            direct = wrk(name + "-direct", direct_url, "Bearer app-latency", DURATION)
            unified = wrk(name + "-unified", unified_url, admin, DURATION)
            if direct["non2xx"] or unified["non2xx"]:
                fail(f"{name}: non-2xx answers (direct {direct['non2xx']}, unified {unified['non2xx']})")
            latency_rows.append((name, direct, unified))
            log(f"{name}: direct p50 {direct['50%']:.3f} ms p99 {direct['99%']:.3f} ms; unified p50 "
                f"{unified['50%']:.3f} ms p99 {unified['99%']:.3f} ms; added p50 "
                f"{unified['50%'] - direct['50%']:.3f} ms p99 {unified['99%'] - direct['99%']:.3f} ms")
        stop(service)

        # Phase 2: list every contact at the App API limit.
        data2 = os.path.join(work, "data2")
        service = start("cio-bridge", service_command(port, data2, sim_port, APP_LIMIT),
                        bridge + "/observe/health", os.path.join(RAW, "service-listing.log"))
        account = create_account(bridge, admin, "listing")
        stats_url = sim + "/_sandbox/workspaces/site-listing/stats"
        # One page first, so that the timed listing runs on compiled code, as a service that has been up a while does.
        status, warm = request("GET", f"{bridge}/unified/marketing-automation/contacts?integrated_account_id={account}"
                               f"&limit={PAGE_LIMIT}", {"Authorization": admin}, timeout=600)
        if status != 200:
            fail(f"warm-up page: {status} {warm}")
        before = request("GET", stats_url)[1]["requests"]["app"]
        # Lets the one-second windows of the simulator's limit see no call from the warm-up.
        time.sleep(1.2)
        seen = set()
        pages = 0
        cursor = None
        started = time.monotonic()
        while True:
            url = f"{bridge}/unified/marketing-automation/contacts?integrated_account_id={account}&limit={PAGE_LIMIT}"
            if cursor:
                url += "&next_cursor=" + urllib.parse.quote(cursor, safe="")
            status, page = request("GET", url, {"Authorization": admin}, timeout=600)
            if status != 200:
                fail(f"listing page {pages + 1}: {status} {page}")
            pages += 1
            for contact in page["result"]:
                seen.add(contact["id"])
            cursor = page.get("next_cursor")
            if not cursor:
                break
        elapsed = time.monotonic() - started
        stats = request("GET", stats_url)[1]
        calls = stats["requests"]["app"] - before
        stop(service)
        if len(seen) != PEOPLE:
            fail(f"listed {len(seen)} distinct contacts, expected {PEOPLE}")
        least = (calls - 1) / APP_LIMIT
        ratio = elapsed / least if least > 0 else float("nan")
        log(f"listing: {len(seen)} contacts in {pages} pages, {calls} App API calls, {elapsed:.2f} s; least time "
            f"{least:.2f} s; ratio {ratio:.3f}")
        write_report(latency_rows, pages, calls, elapsed, least, ratio, len(seen), stats)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(work, ignore_errors=True)


def create_account(bridge, admin, name):
    status, body = request("POST", bridge + "/integrated-accounts", {"Authorization": admin}, {
        "name": name, "region": "us", "site_id": "site-" + name, "track_api_key": "track-" + name,
        "app_api_key": "app-" + name})
    if status != 201:
        fail(f"creating the integrated account: {status} {body}")
    return body["id"]


def write_report(latency_rows, pages, calls, elapsed, least, ratio, contacts, stats):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Unified API",
        "",
        f"Measured by `python3 bench/unified.py` on {time.strftime('%Y-%m-%d %H:%M')}, commit {commit}, "
        f"{os.cpu_count()} cores, load average at the end {open('/proc/loadavg').read().split()[0]}.",
        "",
        f"## Added latency (wrk -t1 -c1, {DURATION} each after a {WARMUP} warm-up; goal: under 2 ms at p50, under 10 ms at p99)",
        "",
        "| read | direct p50 | unified p50 | added p50 | direct p99 | unified p99 | added p99 | direct req/s | unified req/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, direct, unified in latency_rows:
        lines.append(f"| {name} | {direct['50%']:.3f} ms | {unified['50%']:.3f} ms | "
                     f"{unified['50%'] - direct['50%']:.3f} ms | {direct['99%']:.3f} ms | {unified['99%']:.3f} ms | "
                     f"{unified['99%'] - direct['99%']:.3f} ms | {direct['rps']:.0f} | {unified['rps']:.0f} |")
    lines += [
        "",
        f"## Listing {contacts:,} contacts at {APP_LIMIT} App API requests per second (goal: within 5% of the least time)",
        "",
        "| pages | App API calls | elapsed | least time (calls - 1) / limit | ratio |",
        "| --- | --- | --- | --- | --- |",
        f"| {pages} | {calls} | {elapsed:.2f} s | {least:.2f} s | {ratio:.3f} |",
        "",
        f"Simulator counters after the run: `{json.dumps(stats.get('requests'))}`.",
        "",
    ]
    with open(REPORT, "w") as out:
        out.write("\n".join(lines))
    log(f"report written to {REPORT}")


if __name__ == "__main__":
    main()
