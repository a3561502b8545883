#!/usr/bin/env python3
"""Hostile clients for `trendmix serve`: idle connections, slowloris heads, and a /healthz probe.

    python3 Benchmarks/load/hostile.py --url http://127.0.0.1:8080 [--idle N] [--slow N] [--hold]
                                       [--duration S] [--probe] [--report-every S] [--json FILE]

--idle N opens N TCP connections that never send a byte; --slow N opens N that send a request head one header
line every --slow-interval seconds and never finish it. Without --hold each is opened once (the count of
connections *attempted*); with --hold a connection the server closes is opened again, so N are kept trying.
--probe sends GET /healthz on a new connection every --probe-interval seconds (5 s timeout) and reports its
latency per --report-every seconds (p50, p99, max, answers over 100 ms, failures). One process holds as many
sockets as its file limit allows (raised to the hard limit): run two for more.
Prints one line per report interval and a summary; --json writes the summary and the intervals.
"""

import argparse
import errno
import json
import resource
import selectors
import socket
import sys
import threading
import time


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Probe(threading.Thread):
    """GET /healthz on a fresh connection every `interval` seconds; latencies in ms (None: failed)."""

    def __init__(self, host, port, interval):
        super().__init__(daemon=True)
        self.host, self.port, self.interval = host, port, interval
        self.lock = threading.Lock()
        self.samples = []  # (time, ms or None)
        self.stopped = threading.Event()

    def once(self):
        started = time.monotonic()
        try:
            with socket.create_connection((self.host, self.port), timeout=5) as s:
                s.settimeout(max(0.01, 5 - (time.monotonic() - started)))
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
                data = b""
                while b"\r\n" not in data:
                    chunk = s.recv(256)
                    if not chunk:
                        break
                    data += chunk
                if not data.startswith(b"HTTP/1.1 200"):
                    return None
            return (time.monotonic() - started) * 1000
        except OSError:
            return None

    def run(self):
        while not self.stopped.is_set():
            ms = self.once()
            with self.lock:
                self.samples.append((time.monotonic(), ms))
            self.stopped.wait(self.interval)

    def take(self):
        with self.lock:
            taken, self.samples = self.samples, []
        return taken


class Crowd:
    """Idle and slow connections, multiplexed on one selector."""

    def __init__(self, host, port, idle, slow, slow_interval, hold, open_rate):
        self.host, self.port = host, port
        self.want = {"idle": idle, "slow": slow}
        self.slow_interval, self.hold, self.open_rate = slow_interval, hold, open_rate
        self.selector = selectors.DefaultSelector()
        self.sockets = {}  # fd -> (kind, socket, opened at, lines sent)
        self.attempted = {"idle": 0, "slow": 0}
        self.connected = {"idle": 0, "slow": 0}
        self.closed_by_server = {"idle": 0, "slow": 0}
        self.refused = 0
        self.opened_budget = 0.0
        self.last_tick = time.monotonic()

    def open_one(self, kind):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect((self.host, self.port))
        except BlockingIOError:
            pass
        except OSError as error:
            s.close()
            self.refused += 1
            if error.errno in (errno.EMFILE, errno.ENFILE, errno.EADDRNOTAVAIL):
                raise
            return
        self.attempted[kind] += 1
        self.sockets[s.fileno()] = [kind, s, time.monotonic(), 0, False]
        self.selector.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)

    def open_count(self, kind):
        return sum(1 for entry in self.sockets.values() if entry[0] == kind)

    def top_up(self):
        now = time.monotonic()
        self.opened_budget += (now - self.last_tick) * self.open_rate if self.open_rate > 0 else 1e9
        self.last_tick = now
        for kind in ("idle", "slow"):
            target = self.want[kind] if self.hold else self.want[kind] - self.attempted[kind]
            have = self.open_count(kind) if self.hold else 0
            missing = max(0, target - have)
            while missing > 0 and self.opened_budget >= 1:
                try:
                    self.open_one(kind)
                except OSError as error:
                    print(f"cannot open more sockets: {error}", file=sys.stderr)
                    self.want[kind] = self.open_count(kind)
                    break
                missing -= 1
                self.opened_budget -= 1
        self.opened_budget = min(self.opened_budget, 1000)

    def drop(self, fd, by_server):
        kind, s = self.sockets.pop(fd)[:2]
        self.selector.unregister(s)
        s.close()
        if by_server:
            self.closed_by_server[kind] += 1

    def step(self, timeout):
        for key, events in self.selector.select(timeout):
            fd = key.fd
            entry = self.sockets.get(fd)
            if entry is None:
                continue
            kind, s = entry[0], entry[1]
            if events & selectors.EVENT_WRITE:
                error = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    self.refused += 1
                    self.drop(fd, False)
                    continue
                if not entry[4]:
                    entry[4] = True
                    self.connected[kind] += 1
                self.selector.modify(s, selectors.EVENT_READ)
            if events & selectors.EVENT_READ:
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    self.drop(fd, True)
        now = time.monotonic()
        for fd, entry in list(self.sockets.items()):
            if entry[0] != "slow" or not entry[4]:
                continue
            due = entry[2] + entry[3] * self.slow_interval
            if now >= due:
                line = b"GET /healthz HTTP/1.1\r\n" if entry[3] == 0 else b"X-Slow-%d: x\r\n" % entry[3]
                try:
                    entry[1].send(line)
                    entry[3] += 1
                except OSError:
                    self.drop(fd, True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--idle", type=int, default=0)
    parser.add_argument("--slow", type=int, default=0)
    parser.add_argument("--slow-interval", type=float, default=5.0)
    parser.add_argument("--hold", action="store_true")
    parser.add_argument("--open-rate", type=float, default=0, help="connections opened a second (0: at once)")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--probe", action="store_true")
    parser.add_argument("--probe-interval", type=float, default=0.1)
    parser.add_argument("--report-every", type=float, default=10)
    parser.add_argument("--json")
    parser.add_argument("--name", default="hostile")
    args = parser.parse_args()

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    address = args.url.split("//", 1)[-1].rstrip("/")
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        parser.error(f"--url: expected http://host:port, got '{args.url}'")
    port = int(port)

    crowd = Crowd(host, port, args.idle, args.slow, args.slow_interval, args.hold, args.open_rate)
    probe = Probe(host, port, args.probe_interval) if args.probe else None
    if probe:
        probe.start()
    started = time.monotonic()
    next_report = started + args.report_every
    intervals, all_ms, failures = [], [], 0

    def report():
        nonlocal failures
        samples = probe.take() if probe else []
        ms = [m for _, m in samples if m is not None]
        failed = sum(1 for _, m in samples if m is None)
        failures += failed
        all_ms.extend(ms)
        row = {
            "seconds": round(time.monotonic() - started, 1),
            "open_idle": crowd.open_count("idle"),
            "open_slow": crowd.open_count("slow"),
            "attempted": sum(crowd.attempted.values()),
            "connected": sum(crowd.connected.values()),
            "closed_by_server": sum(crowd.closed_by_server.values()),
            "probes": len(samples),
            "probe_p50_ms": round(percentile(ms, 0.5), 1),
            "probe_p99_ms": round(percentile(ms, 0.99), 1),
            "probe_max_ms": round(max(ms) if ms else 0, 1),
            "probe_over_100ms": sum(1 for m in ms if m > 100),
            "probe_failed": failed,
        }
        intervals.append(row)
        print(
            f"{args.name} {row['seconds']:>7.1f} s  open idle {row['open_idle']:>6}  slow {row['open_slow']:>4}  "
            f"attempted {row['attempted']:>6}  closed by server {row['closed_by_server']:>6}"
            + (
                f"  probe p50 {row['probe_p50_ms']:.1f} p99 {row['probe_p99_ms']:.1f} max {row['probe_max_ms']:.1f} ms"
                f"  >100 ms {row['probe_over_100ms']}  failed {failed}"
                if probe
                else ""
            ),
            flush=True,
        )

    while time.monotonic() - started < args.duration:
        crowd.top_up()
        crowd.step(0.05)
        if time.monotonic() >= next_report:
            report()
            next_report += args.report_every
    if probe:
        probe.stopped.set()
        probe.join()
    report()
    summary = {
        "name": args.name,
        "idle": args.idle,
        "slow": args.slow,
        "hold": args.hold,
        "attempted": crowd.attempted,
        "connected": crowd.connected,
        "closed_by_server": crowd.closed_by_server,
        "refused": crowd.refused,
        "probes": len(all_ms) + failures,
        "probe_failed": failures,
        "probe_p50_ms": round(percentile(all_ms, 0.5), 1),
        "probe_p99_ms": round(percentile(all_ms, 0.99), 1),
        "probe_max_ms": round(max(all_ms) if all_ms else 0, 1),
        "probe_over_100ms": sum(1 for m in all_ms if m > 100),
        "intervals": intervals,
    }
    print(
        f"{args.name}: attempted {sum(crowd.attempted.values())}, connected {sum(crowd.connected.values())}, "
        f"closed by the server {sum(crowd.closed_by_server.values())}, refused {crowd.refused}"
        + (
            f"; /healthz {summary['probes']} probes: p50 {summary['probe_p50_ms']} ms, p99 {summary['probe_p99_ms']} ms, "
            f"max {summary['probe_max_ms']} ms, over 100 ms {summary['probe_over_100ms']}, failed {failures}"
            if probe
            else ""
        )
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(summary, out, indent=1)
    for entry in list(crowd.sockets.values()):
        entry[1].close()


if __name__ == "__main__":
    main()
