#!/usr/bin/env python3
"""Write the Markdown report of one bench/run.sh run from the files it left in its output folder.

Usage: python3 bench/report.py bench/out > bench/out/results.md
"""

import csv
import json
import os
import platform
import re
import subprocess
import sys

INTAKE_GOAL_RPS = 10_000
INTAKE_GOAL_P99_MS = 30
INTAKE_GOAL_CONNECTIONS = 128
DELIVERY_GOAL_EPS = 20_000


def read_facts(out):
    facts = {}
    with open(os.path.join(out, "facts.env")) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            facts[key] = value
    return facts


def read_wrk(out, name):
    path = os.path.join(out, f"wrk-{name}.txt")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read()
    match = re.search(r"^BENCH_JSON (\{.*\})$", text, re.MULTILINE)
    if not match:
        return None
    run = json.loads(match.group(1))
    run["rps"] = run["requests"] / (run["duration_us"] / 1e6)
    run["socket_errors"] = run["connect_errors"] + run["read_errors"] + run["write_errors"] + run["timeouts"]
    return run


def read_json(out, name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def read_rates(path, column, step_s=2.0):
    """Return the rate of a counter column of a CSV file, over steps of at least step_s, as (elapsed_s, rate) pairs.

    Steps before the counter first moves and after it last moves are left out.
    """
    if not os.path.exists(path):
        return []
    samples = []
    with open(path) as f:
        for row in csv.DictReader(f):
            if row[column]:
                samples.append((float(row["elapsed_s"]), int(row[column])))
    rates = []
    start = None
    for elapsed, count in samples:
        if start is None:
            start = (elapsed, count)
        elif elapsed - start[0] >= step_s:
            rates.append((elapsed, (count - start[1]) / (elapsed - start[0])))
            start = (elapsed, count)
    while rates and rates[0][1] == 0:
        rates.pop(0)
    while rates and rates[-1][1] == 0:
        rates.pop()
    return rates


def command_output(args):
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=30)
        return (result.stdout + result.stderr).strip()
    except (OSError, subprocess.SubprocessError) as e:
        return f"({' '.join(args)} failed: {e})"


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def memory_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0


def ms(us):
    return f"{us / 1000:.1f}"


def mib(value):
    return f"{int(value) / 1024 / 1024:.1f} MiB" if value else "n/a"


def cpu_split(facts, name):
    """Return "service / wrk / other" CPU cores used during one wrk run, from the CPU seconds run.sh recorded."""
    try:
        wall = float(facts[f"wall_s_{name}"])
        service = float(facts[f"cpu_service_s_{name}"]) / wall
        wrk = float(facts[f"cpu_wrk_s_{name}"]) / wall
        busy = float(facts[f"cpu_machine_busy_s_{name}"]) / wall
    except (KeyError, ValueError, ZeroDivisionError):
        return "n/a"
    return f"{service:.2f} / {wrk:.2f} / {max(0.0, busy - service - wrk):.2f}"


def met(ok):
    return "met" if ok else "MISSED"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
    facts = read_facts(out)
    connections = facts["connections"].split()
    lines = []
    add = lines.append

    add("# cio-bridge benchmark results")
    add("")
    add(f"Run from {facts.get('started_at')} to {facts.get('finished_at')} (UTC) by `bash bench/run.sh`: "
        f"wrk -t2, {facts['warmup']} warm-up, {facts['duration']} per measured run.")
    if facts.get("service_opts"):
        add(f"**Diagnosis run:** the service ran with extra options `{facts['service_opts']}`.")
    add("")
    add("## Machine")
    add("")
    add(f"- CPUs (nproc): {command_output(['nproc'])}; model: {cpu_model()}")
    add(f"- Memory: {memory_gib():.1f} GiB; kernel: {platform.release()}")
    add(f"- Java: {'; '.join(command_output(['java', '-version']).splitlines())}")
    add(f"- wrk: {command_output(['wrk', '--version']).splitlines()[0]}")
    add("- wrk, the service and the Track API stub share the same cores. \"Other processes\" in the tables is "
        "the CPU that the rest of the machine used during each run: anything above a few hundredths of a core "
        "means the figures were measured on a busy machine.")
    add(f"- Load average at the start: {facts.get('load_average_at_start')}")
    source = ("given by BENCH_JAR" if facts.get("jar_path") != "target/cio-bridge.jar"
              else "built from this work tree")
    add(f"- Service jar: {facts.get('jar_path')} ({source}), built {facts.get('jar_built_at')}, sha256 "
        f"{facts.get('jar_sha256')}...; the work tree was at commit {facts.get('git_head')} with "
        f"{facts.get('git_uncommitted_src_files')} uncommitted changes under src/, config/ or pom.xml")
    add("")

    add("## Phase 1: webhooks accepted per second")
    add("")
    add("Stripe: signed `invoice.payment_failed` webhooks (1.2 KB body, unique event ids) to "
        "`POST /webhooks/stripe/{account}`, stored durably in H2 before the 200, delivery disabled. "
        "No storage: the same requests to `POST /bench/noop` (bench/routes/noop.camel.yaml), which reads the body "
        "and answers a small JSON.")
    add("")
    add("| Route | Connections | Requests/s | Ratio to no storage | p50 ms | p90 ms | p99 ms | max ms "
        "| Non-2xx | Socket errors/timeouts | CPU cores: service / wrk / other processes |")
    add("|---|---|---|---|---|---|---|---|---|---|---|")
    runs = {}
    for route in ("noop", "stripe"):
        for c in connections:
            name = f"{route}-c{c}"
            run = read_wrk(out, name)
            runs[name] = run
            if run is None:
                add(f"| {route} | {c} | (no result) | | | | | | | | |")
                continue
            baseline = runs.get(f"noop-c{c}")
            ratio = f"{run['rps'] / baseline['rps']:.3f}" if baseline else "n/a"
            label = "no storage (/bench/noop)" if route == "noop" else "Stripe, durable"
            add(f"| {label} | {c} | {run['rps']:,.0f} | {ratio} | {ms(run['p50_us'])} | {ms(run['p90_us'])} "
                f"| {ms(run['p99_us'])} | {ms(run['max_us'])} | {run['non_2xx_3xx']} | {run['socket_errors']} "
                f"| {cpu_split(facts, name)} |")
    add("")
    before = [f"{name} {facts[f'other_cores_before_{name}']}" for name in runs if f"other_cores_before_{name}" in facts]
    if before:
        add(f"- CPU cores used by other processes in the 3 s before each run: {', '.join(before)}.")
    for name in [f"stripe-c{c}" for c in connections]:
        run = runs.get(name)
        if run and run["file_wraps"]:
            add(f"- Warning: in {name} wrk ran out of unique requests and reused event ids {run['file_wraps']} times.")
    accepted = int(facts.get("accepted_events_phase1", 0))
    duplicates = int(facts.get("duplicate_events_phase1", 0))
    stripe_requests = sum(runs[f"stripe-c{c}"]["requests"] for c in connections if runs.get(f"stripe-c{c}"))
    warmup = read_wrk(out, "stripe-warmup")
    if warmup:
        stripe_requests += warmup["requests"]
    add(f"- Stripe requests answered in phase 1 (warm-up included): {stripe_requests:,}; events the service "
        f"counted as accepted: {accepted:,}, as duplicates: {duplicates:,}, as ignored: "
        f"{int(facts.get('ignored_events_phase1', 0)):,}.")
    add(f"- Outbox rows after phase 1: {int(facts.get('outbox_rows_after_intake', 0)):,}; deduplication rows: "
        f"{int(facts.get('received_rows_after_intake', 0)):,}.")
    add(f"- H2 file after phase 1 (service stopped): {mib(facts.get('h2_bytes_after_intake'))}.")
    add(f"- Peak RSS of the service in phase 1: {mib(int(facts.get('peak_rss_kib_intake', 0)) * 1024)}.")
    add("")
    for c in connections:
        rates = read_rates(os.path.join(out, f"accepted-stripe-c{c}.csv"), "accepted_total")
        if rates:
            rate_list = ", ".join(f"{rate:,.0f}" for _, rate in rates)
            add(f"- Accepted events/s in 2 s steps during the {c}-connection Stripe run: {rate_list}")
    add("")

    stripe_goal = runs.get(f"stripe-c{INTAKE_GOAL_CONNECTIONS}")
    add("## Phase 2: delivery of the backlog")
    add("")
    stats = read_json(out, "stub-after-drain.json") or {}
    from_intake = int(facts.get("outbox_rows_after_intake", 0))
    backlog = int(facts.get("backlog", from_intake))
    events = stats.get("events", 0)
    window_ms = stats.get("last_delivery_ms", 0) - stats.get("first_request_ms", 0)
    stub_rate = events / (window_ms / 1000) if window_ms > 0 else 0
    ready_ms = int(facts.get("drain_ready_ms", 0))
    end_ms = stats.get("last_delivery_ms", 0)
    ready_rate = events / ((end_ms - ready_ms) / 1000) if end_ms > ready_ms else 0
    add("The service restarted with delivery enabled (default delivery settings) against bench/TrackStub.java, "
        "which enforces the batch limits (request at most 511,999 bytes, item at most 32,767 bytes). Before the "
        "restart, run.sh topped the outbox up with copies of the stored operations (SQL on the stopped service's "
        "H2 file), so the drain lasts long enough to measure.")
    add("")
    add("| Figure | Value |")
    add("|---|---|")
    add(f"| Backlog (outbox rows at the restart) | {backlog:,}: {from_intake:,} stored in phase 1 and "
        f"{backlog - from_intake:,} copies of them |")
    add(f"| H2 file before the restart, copies included | {mib(facts.get('h2_bytes_before_drain'))} |")
    add(f"| Drained | {facts.get('drained')} |")
    add(f"| Events counted by the stub | {events:,} |")
    add(f"| Other operations counted by the stub | {stats.get('other_operations', 0):,} |")
    add(f"| Requests (batch / single) | {stats.get('requests', 0):,} ({stats.get('batch_requests', 0):,} / "
        f"{stats.get('single_requests', 0):,}) |")
    add(f"| Limit violations | {stats.get('violations', 0)} |")
    add(f"| Requests to unknown paths | {stats.get('unknown_paths', 0)} |")
    add(f"| Largest request / largest item / most items in a batch | {stats.get('max_request_bytes', 0):,} bytes / "
        f"{stats.get('max_item_bytes', 0):,} bytes / {stats.get('max_items', 0):,} |")
    add(f"| First request to last answer at the stub | {window_ms / 1000:.2f} s |")
    add(f"| **Events/s at the stub (that window)** | **{stub_rate:,.0f}** |")
    add(f"| Events/s from the service's health check passing to the last answer | {ready_rate:,.0f} |")
    add(f"| Service start (launch to healthy) | {(ready_ms - int(facts.get('drain_launch_ms', 0))) / 1000:.1f} s |")
    drain_s = (int(facts.get("drain_done_ms", 0)) - ready_ms) / 1000
    add(f"| CPU seconds while draining ({drain_s:.1f} s): service / stub / whole machine | "
        f"{facts.get('cpu_service_s_delivery', '?')} / {facts.get('cpu_stub_s_delivery', '?')} / "
        f"{facts.get('cpu_machine_busy_s_delivery', '?')} |")
    try:
        other_s = (float(facts["cpu_machine_busy_s_delivery"]) - float(facts["cpu_service_s_delivery"])
                   - float(facts["cpu_stub_s_delivery"]))
        add(f"| CPU cores used by other processes while draining | {max(0.0, other_s) / drain_s:.2f} |")
    except (KeyError, ValueError, ZeroDivisionError):
        pass
    add(f"| Outbox rows left / dead letters | {facts.get('outbox_rows_after_drain', '?')} / "
        f"{facts.get('dead_letter_rows_after_drain', '?')} |")
    add(f"| H2 file after the drain (service stopped) | {mib(facts.get('h2_bytes_after_drain'))} |")
    add(f"| Peak RSS of the service in phase 2 | {mib(int(facts.get('peak_rss_kib_delivery', 0)) * 1024)} |")
    add("")
    drain_rates = read_rates(os.path.join(out, "drain.csv"), "events_total")
    if drain_rates:
        add("Events/s at the stub in 2 s steps, from the service's health check passing: "
            + ", ".join(f"{rate:,.0f}" for _, rate in drain_rates))
        add("")
    metrics_path = os.path.join(out, "metrics-after-drain.txt")
    if os.path.exists(metrics_path):
        with open(metrics_path) as f:
            meter_lines = [line.strip() for line in f
                           if line.startswith(("cio_bridge_track_requests_total", "cio_bridge_operations_total"))]
        if meter_lines:
            add("Service meters after the drain:")
            add("")
            add("```")
            lines.extend(meter_lines)
            add("```")
            add("")

    add("## Goals")
    add("")
    add("| Goal | Measured | Result |")
    add("|---|---|---|")
    if stripe_goal:
        add(f"| >= {INTAKE_GOAL_RPS:,} accepted/s at {INTAKE_GOAL_CONNECTIONS} connections | "
            f"{stripe_goal['rps']:,.0f}/s | {met(stripe_goal['rps'] >= INTAKE_GOAL_RPS)} |")
        add(f"| p99 < {INTAKE_GOAL_P99_MS} ms at {INTAKE_GOAL_CONNECTIONS} connections | {ms(stripe_goal['p99_us'])} ms "
            f"| {met(stripe_goal['p99_us'] / 1000 < INTAKE_GOAL_P99_MS)} |")
        add(f"| Every phase 1 request answered 2xx | {sum(runs[f'stripe-c{c}']['non_2xx_3xx'] for c in connections)} "
            f"non-2xx, {sum(runs[f'stripe-c{c}']['socket_errors'] for c in connections)} socket errors/timeouts | "
            f"{met(all(runs[f'stripe-c{c}']['non_2xx_3xx'] == 0 and runs[f'stripe-c{c}']['socket_errors'] == 0 for c in connections))} |")
    add(f"| >= {DELIVERY_GOAL_EPS:,} delivered events/s | {stub_rate:,.0f}/s | {met(stub_rate >= DELIVERY_GOAL_EPS)} |")
    add(f"| 0 limit violations | {stats.get('violations', 0)} | {met(stats.get('violations', 0) == 0)} |")
    add("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
