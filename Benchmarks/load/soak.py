#!/usr/bin/env python3
"""A soak of `trendmix serve` (issue 23): minutes at 80 % of its measured peak with a mixed load, rebuilds, and
hostile connections held open all along.

    python3 Benchmarks/load/soak.py [--minutes 10] [--data 1m|deskdrop|demo] [--rebuild-every 120]
                                    [--idle 5000] [--slow 200] [--connections 250] [--bin PATH] [--json FILE]

The load (Benchmarks/load/mixed.lua, wrk -t2 -c250 --timeout 5s): 4 in 10 boxes under articles, 1 trending,
2 widget HTML, 2 posted events, 1 posted batch of four impressions (one a click). First 30 s as fast as possible
give the peak; the soak then paces wrk at 80 % of it, in 20-second runs (wrk reports each run's latency
percentiles, so each window's p99 is exact). `trendmix build` (under `chrt --idle 0`, docs/operations.md) writes
a new model every --rebuild-every seconds from the first minute on; the server swaps it in. Beside it,
Benchmarks/load/hostile.py keeps --idle idle connections and --slow slowloris heads open (the server closes them by
its timeouts and at its cap; the client opens them again) and probes /healthz every 100 ms. The server's RSS
is read every 5 s.

Prints a row a minute (requests, errors, non-2xx, the worst 20 s p99, /healthz p99 and max, RSS), then the
totals, RSS after the first minute against the end, and the median 20 s p99 in windows with a rebuild against
those without. Exits 1 on a socket error, a timeout or a non-2xx answer.
"""

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WINDOW = 20


def run(command, **kwargs):
    return subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)


def milliseconds(text):
    value = float(re.match(r"[0-9.]+", text).group(0))
    if text.endswith("us"):
        return value / 1000
    if text.endswith("ms"):
        return value
    if text.endswith("m"):
        return value * 60_000
    if text.endswith("s"):
        return value * 1000
    return value


def parse_wrk(text):
    """requests, errors (connect, read, write, timeout), timeouts, non-2xx, p50 and p99 in ms, requests/s."""
    result = {"requests": 0, "errors": 0, "timeouts": 0, "non2xx": 0, "p50_ms": 0.0, "p99_ms": 0.0, "rate": 0.0}
    for line in text.splitlines():
        line = line.strip()
        if m := re.match(r"(\d+) requests in", line):
            result["requests"] = int(m.group(1))
        elif m := re.match(r"50%\s+(\S+)", line):
            result["p50_ms"] = milliseconds(m.group(1))
        elif m := re.match(r"99%\s+(\S+)", line):
            result["p99_ms"] = milliseconds(m.group(1))
        elif m := re.match(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", line):
            counts = [int(x) for x in m.groups()]
            result["errors"] = sum(counts)
            result["timeouts"] = counts[3]
        elif m := re.match(r"Non-2xx or 3xx responses: (\d+)", line):
            result["non2xx"] = int(m.group(1))
        elif m := re.match(r"Requests/sec:\s+([0-9.]+)", line):
            result["rate"] = float(m.group(1))
    return result


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--data", default="1m", choices=["1m", "deskdrop", "demo"])
    parser.add_argument("--rebuild-every", type=float, default=120)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--connections", type=int, default=250)
    parser.add_argument("--share", type=float, default=0.8, help="the share of the peak to load at")
    parser.add_argument("--posts", type=int, default=2, help="requests in ten that post an event")
    parser.add_argument("--impressions", type=int, default=1, help="requests in ten that post impressions")
    parser.add_argument("--bin")
    parser.add_argument("--json")
    args = parser.parse_args()
    for tool in ("wrk",):
        if shutil.which(tool) is None:
            sys.exit(f"needs {tool} (apt-get install {tool})")

    env = dict(os.environ, PATH="/opt/swift/usr/bin:" + os.environ.get("PATH", ""))
    binary = args.bin
    if binary is None:
        run(["swift", "build", "-c", "release", "--product", "trendmix"], cwd=ROOT, env=env)
        path = subprocess.run(
            ["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, env=env, check=True,
            capture_output=True, text=True).stdout.strip()
        binary = os.path.join(path, "trendmix")
    work = tempfile.mkdtemp(prefix="trendmix-soak.")
    server = hostile = None
    try:
        db = os.path.join(work, "data.sqlite")
        if args.data == "1m":
            run([binary, "generate", "--out", os.path.join(work, "generated"), "--events", "1000000"])
            run([binary, "import", "canonical", os.path.join(work, "generated"), "--db", db])
        elif args.data == "deskdrop":
            source = os.path.join(
                os.environ.get("TRENDMIX_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data")),
                "deskdrop", "users_interactions.csv")
            if not os.path.exists(source):
                print(f"skipped: {source} is absent")
                return 0
            run([binary, "import", "deskdrop", source, "--db", db])
        else:
            run([binary, "import", "canonical", os.path.join(ROOT, "Data"), "--db", db])
        run([binary, "build", "--db", db])
        with sqlite3.connect(db) as connection:
            ids = connection.execute(
                "SELECT a.external_id, s.slug FROM article a JOIN site s ON s.id = a.site_id "
                "WHERE a.id IN (SELECT article_id FROM model_article) LIMIT 2000").fetchall()
            sites = [row[0] for row in connection.execute("SELECT slug FROM site")]
        with open(os.path.join(work, "ids.txt"), "w") as out:
            out.writelines(f"{i}|{s}\n" for i, s in ids)
        with open(os.path.join(work, "sites.txt"), "w") as out:
            out.writelines(f"{s}\n" for s in sites)

        server_log = open(os.path.join(work, "serve.err"), "w")
        server = subprocess.Popen(
            [binary, "serve", "--db", db, "--port", "0", "--reload-seconds", "1"],
            stdout=subprocess.PIPE, stderr=server_log, text=True)
        line = server.stdout.readline()
        if "listening on" not in line:
            sys.exit(f"the server did not start: {line}")
        base = line.split()[-1]
        load_env = dict(
            os.environ, LOAD_IDS=os.path.join(work, "ids.txt"), LOAD_SITES=os.path.join(work, "sites.txt"),
            LOAD_CONNECTIONS=str(args.connections), LOAD_POSTS=str(args.posts),
            LOAD_IMPRESSIONS=str(args.impressions))

        def wrk(seconds, rate):
            out = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "5s", "--latency",
                 "-s", os.path.join(ROOT, "Benchmarks", "load", "mixed.lua"), base],
                env=dict(load_env, LOAD_RATE=str(rate)), capture_output=True, text=True, check=True).stdout
            return parse_wrk(out)

        peak = wrk(30, 0)
        rate = int(peak["rate"] * args.share)
        print(
            f"peak: {peak['rate']:.0f} req/s (p50 {peak['p50_ms']:.1f} ms, p99 {peak['p99_ms']:.1f} ms, errors "
            f"{peak['errors']}, non-2xx {peak['non2xx']}); soak at {args.share:.0%}: {rate} req/s for "
            f"{args.minutes:g} min, a rebuild every {args.rebuild_every:g} s, {args.idle} idle and {args.slow} slow "
            f"connections held", flush=True)
        time.sleep(5)

        seconds = int(args.minutes * 60)
        hostile = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "Benchmarks", "load", "hostile.py"), "--url", base,
             "--idle", str(args.idle), "--slow", str(args.slow), "--hold", "--open-rate", "2000", "--probe",
             "--report-every", "60", "--duration", str(seconds), "--json", os.path.join(work, "hostile.json"),
             "--name", "hostile"],
            stdout=open(os.path.join(work, "hostile.txt"), "w"), stderr=subprocess.STDOUT)

        started = time.monotonic()
        rss = []  # (seconds, MiB)
        heap = []  # (seconds, MiB in use by the allocator: the server's trendmix_heap_in_use_bytes)
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                now = time.monotonic() - started
                rss.append((now, rss_mib(server.pid)))
                try:
                    with urllib.request.urlopen(base + "/metrics", timeout=5) as answer:
                        for line in answer.read().decode().splitlines():
                            if line.startswith("trendmix_heap_in_use_bytes "):
                                heap.append((now, float(line.split()[1]) / 1048576))
                except OSError:
                    pass
                stop.wait(5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        builds = []  # [start, end] seconds
        build_threads = []

        def rebuild():
            begun = time.monotonic() - started
            subprocess.run(["chrt", "--idle", "0", binary, "build", "--db", db], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            builds.append((begun, time.monotonic() - started))

        windows = []
        next_build = 60.0
        for index in range(seconds // WINDOW):
            window_start = time.monotonic() - started
            if window_start >= next_build - 1:
                thread = threading.Thread(target=rebuild)
                thread.start()
                build_threads.append(thread)
                next_build += args.rebuild_every
            result = wrk(WINDOW, rate)
            result["start"] = window_start
            result["end"] = time.monotonic() - started
            windows.append(result)
        for thread in build_threads:
            thread.join()
        stop.set()
        sampler.join()
        hostile.wait()
        with open(os.path.join(work, "hostile.json")) as source:
            crowd = json.load(source)
        with open(os.path.join(work, "serve.err")) as source:
            swaps = sum(1 for line in source if "loaded a new model" in line)

        def overlaps(window):
            # A window "with a reload" saw a build or the swap that follows it (the server checks every second).
            return any(begin < window["end"] and end + 2 > window["start"] for begin, end in builds)

        print(f"{'minute':>6} {'rebuild':>7} {'requests':>9} {'errors':>6} {'non-2xx':>7} {'p50 ms':>7} "
              f"{'p99 ms':>7} {'healthz p99':>11} {'max ms':>7} {'RSS MiB':>8}")
        minutes = []
        probes = crowd["intervals"]
        for minute in range(len(windows) // 3):
            group = windows[3 * minute: 3 * minute + 3]
            end = group[-1]["end"]
            memory = [m for t, m in rss if t <= end]
            row = {
                "minute": minute + 1,
                "rebuild": any(overlaps(w) for w in group),
                "requests": sum(w["requests"] for w in group),
                "errors": sum(w["errors"] for w in group),
                "non2xx": sum(w["non2xx"] for w in group),
                "p50_ms": max(w["p50_ms"] for w in group),
                "p99_ms": max(w["p99_ms"] for w in group),
                "healthz_p99_ms": probes[minute]["probe_p99_ms"] if minute < len(probes) else None,
                "healthz_max_ms": probes[minute]["probe_max_ms"] if minute < len(probes) else None,
                "rss_mib": memory[-1] if memory else None,
            }
            minutes.append(row)
            print(f"{row['minute']:>6} {'yes' if row['rebuild'] else '':>7} {row['requests']:>9} {row['errors']:>6} "
                  f"{row['non2xx']:>7} {row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} "
                  f"{row['healthz_p99_ms'] or 0:>11.1f} {row['healthz_max_ms'] or 0:>7.1f} "
                  f"{row['rss_mib'] or 0:>8.0f}")
        with_reload = [w["p99_ms"] for w in windows if overlaps(w)]
        without = [w["p99_ms"] for w in windows if not overlaps(w)]
        warm = next((m for t, m in rss if t >= 60), rss[0][1] if rss else 0)
        final = rss[-1][1] if rss else 0
        heap_warm = next((m for t, m in heap if t >= 60), heap[0][1] if heap else 0)
        heap_final = heap[-1][1] if heap else 0
        totals = {
            "requests": sum(w["requests"] for w in windows),
            "errors": sum(w["errors"] for w in windows),
            "timeouts": sum(w["timeouts"] for w in windows),
            "non2xx": sum(w["non2xx"] for w in windows),
            "rss_after_warmup_mib": round(warm, 1),
            "rss_end_mib": round(final, 1),
            "rss_peak_mib": round(max((m for _, m in rss), default=0), 1),
            "rss_growth": round(final / warm - 1, 4) if warm else None,
            "heap_in_use_after_warmup_mib": round(heap_warm, 1),
            "heap_in_use_end_mib": round(heap_final, 1),
            "p99_with_reload_ms": round(statistics.median(with_reload), 2) if with_reload else None,
            "p99_without_ms": round(statistics.median(without), 2) if without else None,
            "builds": len(builds),
            "swaps": swaps,
            "healthz_probes": crowd["probes"],
            "healthz_failed": crowd["probe_failed"],
            "healthz_max_ms": crowd["probe_max_ms"],
            "hostile_attempted": crowd["attempted"],
            "hostile_closed_by_server": crowd["closed_by_server"],
        }
        print(
            f"total: {totals['requests']} requests, {totals['errors']} socket errors ({totals['timeouts']} "
            f"timeouts), {totals['non2xx']} non-2xx; {totals['builds']} rebuilds, {swaps} swaps")
        print(
            f"RSS: {warm:.0f} MiB after the first minute, {final:.0f} MiB at the end "
            f"({(final / warm - 1) * 100 if warm else 0:+.1f} %), peak {totals['rss_peak_mib']:.0f} MiB; in use by the "
            f"allocator {heap_warm:.0f} MiB and {heap_final:.0f} MiB")
        if with_reload and without:
            print(
                f"20 s windows' p99, median: {totals['p99_with_reload_ms']} ms with a rebuild or swap "
                f"({len(with_reload)} windows) against {totals['p99_without_ms']} ms without ({len(without)}): "
                f"{totals['p99_with_reload_ms'] / totals['p99_without_ms']:.2f}x")
        print(
            f"/healthz: {crowd['probes']} probes, {crowd['probe_failed']} failed, p99 {crowd['probe_p99_ms']} ms, max "
            f"{crowd['probe_max_ms']} ms; hostile connections opened {sum(crowd['attempted'].values())}, closed by "
            f"the server {sum(crowd['closed_by_server'].values())} (idle {crowd['closed_by_server']['idle']}, "
            f"slow {crowd['closed_by_server']['slow']})")
        if args.json:
            with open(args.json, "w") as out:
                json.dump({"peak": peak, "rate": rate, "minutes": minutes, "windows": windows, "totals": totals,
                           "rss": rss, "heap": heap}, out, indent=1)
        failed = totals["errors"] + totals["non2xx"] + crowd["probe_failed"]
        if failed:
            print(f"FAILED: {totals['errors']} socket errors, {totals['non2xx']} non-2xx, "
                  f"{crowd['probe_failed']} failed probes")
            return 1
        return 0
    finally:
        if hostile and hostile.poll() is None:
            hostile.kill()
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it: its cap is 4/5 of it
    sys.exit(main())
