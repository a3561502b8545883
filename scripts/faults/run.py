#!/usr/bin/env python3
"""Trendmix's fault suite: stops the commands that write at random moments and checks that nothing was lost or
half-written.

    python3 scripts/faults/run.py [--trials 20] [--bin .build/release/trendmix] [--seed N] [--quick]

For each writing command (import, build, widgets, prune, backup) it runs `--trials` copies killed with SIGKILL at
a random moment within the command's own measured run time, and half as many each with SIGTERM and SIGINT; after
each it checks the database (`PRAGMA integrity_check`, `PRAGMA foreign_key_check`) and that the command's effect
is all or nothing:

- import: the events and articles are those before it or those after a whole import, never a mix;
- build: the stored model is the one before (its stamp and row counts) or the new one whole, and it loads;
- widgets: the output folder exists and holds a complete set of widgets (the one before or the new one);
- prune: the events are those before or those after the whole prune;
- backup: the copy is absent or a whole, sound database with every event; the source is unchanged.

Then: a disk filling up (a small tmpfs, where mounting one is allowed) under an import and a build; readers
(`stats`, `trending`) while imports and builds write; two imports and two builds at once over one file. A signal the
command catches (SIGTERM, SIGINT) must end it with 128 + the signal, not a crash.

Prints a table, one row per case, and exits 1 if any trial lost or half-wrote anything. `--quick` (CI) runs two
SIGKILL trials and one each of SIGTERM and SIGINT per command, on 30,000 events, building without calibration
(a debug binary's backtests take 25 s; the model is stored the same way). Needs only Python's standard library and
a `trendmix` binary (built with `swift build -c release --product trendmix` when --bin is not given).
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(args, **kwargs):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def copy_db(source, dest):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dest + suffix):
            os.remove(dest + suffix)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(source + suffix):
            shutil.copyfile(source + suffix, dest + suffix)


def query(db, sql):
    # Closed at once: an open file's space is not given back when it is deleted (the full-disk case).
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as connection:
        return connection.execute(sql).fetchall()


def soundness(db):
    """Problems with the file itself: integrity and foreign keys."""
    problems = []
    try:
        integrity = query(db, "PRAGMA integrity_check")
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:3]}")
        keys = query(db, "PRAGMA foreign_key_check")
        if keys:
            problems.append(f"foreign_key_check: {len(keys)} rows, e.g. {keys[:2]}")
    except sqlite3.Error as error:
        problems.append(f"cannot read: {error}")
    return problems


def counts(db):
    return query(db, "SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM article)")[0]


def model_state(db):
    stamp = query(db, "SELECT computed_at, configuration_hash FROM model")
    rows = query(
        db,
        "SELECT (SELECT count(*) FROM model_neighbour), (SELECT count(*) FROM model_session_neighbour), "
        "(SELECT count(*) FROM model_article), (SELECT count(*) FROM model_affinity)")[0]
    return (stamp[0] if stamp else None), rows


def widget_set(folder):
    """Relative paths of the widget files, or a problem."""
    if not os.path.isdir(folder):
        return None, f"{folder} is missing"
    files = set()
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            files.add(os.path.relpath(path, folder))
            if name.endswith(".json"):
                try:
                    with open(path, encoding="utf-8") as f:
                        json.load(f)
                except (ValueError, OSError) as error:
                    return None, f"{path}: {error}"
    return files, None


class Suite:
    def __init__(self, binary, work, trials, seed):
        self.bin = binary
        self.work = work
        self.trials = trials
        self.random = random.Random(seed)
        self.rows = []
        self.failures = []
        self.build_options = []

    def trendmix(self, *args, **kwargs):
        return run([self.bin, *args], **kwargs)

    # Setup

    def prepare(self, events):
        print(f"preparing: a generated catalogue of {events:,} events, the demo data as a second source", flush=True)
        gen = os.path.join(self.work, "generated")
        self.must(self.trendmix("generate", "--out", gen, "--events", str(events), "--articles", "3000",
                                "--readers", "20000", "--end", "2026-01-01"))
        self.base = os.path.join(self.work, "base.sqlite")
        self.must(self.trendmix("import", "canonical", gen, "--db", self.base))
        self.must(self.trendmix("build", "--db", self.base, "--now", "2026-01-01"))
        with contextlib.closing(sqlite3.connect(self.base)) as connection:  # one file to copy
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.second = os.path.join(ROOT, "Data")
        self.before = counts(self.base)
        self.model_before = model_state(self.base)
        # What each command leaves when it runs to the end, and how long it takes.
        self.after = {}
        self.seconds = {}
        scratch = os.path.join(self.work, "reference.sqlite")
        for name in ("import", "build", "widgets", "prune", "backup"):
            copy_db(self.base, scratch)
            if name == "widgets":
                self.must(self.trendmix(*self.command(name, scratch)))  # the folder's first set
            start = time.monotonic()
            self.must(self.trendmix(*self.command(name, scratch)))
            self.seconds[name] = time.monotonic() - start
            if name == "import":
                self.after[name] = counts(scratch)
            elif name == "build":
                self.after[name] = model_state(scratch)[1]
            elif name == "prune":
                self.after[name] = counts(scratch)
            elif name == "widgets":
                self.after[name], problem = widget_set(self.widgets_out(scratch))
                assert problem is None, problem
        print("  uninterrupted: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items()), flush=True)

    def must(self, result):
        if result.returncode != 0:
            sys.exit(f"setup failed ({result.args}): {result.stderr.strip()}")

    def widgets_out(self, db):
        return db + "-widgets"

    def command(self, name, db):
        if name == "import":
            return ["import", "canonical", self.second, "--db", db]
        if name == "build":
            return ["build", "--db", db, "--now", "2026-01-02", *self.build_options]
        if name == "widgets":
            return ["widgets", "--db", db, "--out", self.widgets_out(db), "--per-article", "--site", "news"]
        if name == "prune":
            return ["prune", "--db", db, "--keep-days", "10", "--now", "2026-01-01"]
        if name == "backup":
            return ["backup", "--db", db, "--to", db + "-backup.sqlite"]
        raise ValueError(name)

    # The checks after a stopped command

    def check(self, name, db):
        problems = soundness(db)
        if problems:
            return problems
        if name == "import":
            now = counts(db)
            if now not in (self.before, self.after["import"]):
                problems.append(f"events, articles {now}: neither {self.before} nor {self.after['import']}")
        elif name == "build":
            stamp, rows = model_state(db)
            if stamp == self.model_before[0]:
                if rows != self.model_before[1]:
                    problems.append(f"the old stamp with rows {rows}, not {self.model_before[1]}")
            elif rows != self.after["build"]:
                problems.append(f"a new stamp with rows {rows}, not {self.after['build']}")
            loads = self.trendmix("trending", "--db", db, "--site", "news", "--k", "3")
            if loads.returncode != 0:
                problems.append(f"the stored model does not load: {loads.stderr.strip()}")
        elif name == "widgets":
            files, problem = widget_set(self.widgets_out(db))
            if problem:
                problems.append(problem)
            elif files != self.after["widgets"]:
                missing = len(self.after["widgets"] - files)
                extra = len(files - self.after["widgets"])
                problems.append(f"the folder holds a partial set ({missing} files missing, {extra} more)")
        elif name == "prune":
            now = counts(db)
            if now not in (self.before, self.after["prune"]):
                problems.append(f"events, articles {now}: neither {self.before} nor {self.after['prune']}")
        elif name == "backup":
            if counts(db) != self.before:
                problems.append("the source changed")
            copy = db + "-backup.sqlite"
            if os.path.exists(copy):
                problems += [f"backup: {p}" for p in soundness(copy)]
                if not problems and counts(copy) != self.before:
                    problems.append(f"backup holds {counts(copy)}, not {self.before}")
        return problems

    # Cases

    def stopped(self, name, sig, trials):
        completed = interrupted = 0
        losses = []
        db = os.path.join(self.work, "trial.sqlite")
        for trial in range(trials):
            copy_db(self.base, db)
            for leftover in (self.widgets_out(db), db + "-backup.sqlite"):
                if os.path.isdir(leftover):
                    shutil.rmtree(leftover)
                elif os.path.exists(leftover):
                    os.remove(leftover)
            if name == "widgets":
                self.must(self.trendmix(*self.command(name, db)))  # a complete set to replace
            delay = self.random.uniform(0.02, self.seconds[name] * 1.05)
            process = subprocess.Popen([self.bin, *self.command(name, db)], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
            try:
                process.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                process.send_signal(sig)
            try:
                _, stderr = process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                _, stderr = process.communicate()
                losses.append(f"trial {trial}: did not stop within 120 s of {sig.name}")
                continue
            code = process.returncode
            if code == 0:
                completed += 1
            else:
                interrupted += 1
                caught = sig in (signal.SIGTERM, signal.SIGINT)
                if caught and code not in (128 + sig.value, -sig.value, 1):
                    losses.append(f"trial {trial}: exit {code} after {sig.name} ({stderr.strip()[-200:]})")
            problems = self.check(name, db)
            if problems:
                losses.append(f"trial {trial} (stopped at {delay:.2f} s, exit {code}): " + "; ".join(problems))
        self.report(f"{sig.name} during {name}", trials, completed, interrupted, losses)

    def disk_full(self):
        mount = os.path.join(self.work, "small-disk")
        os.makedirs(mount, exist_ok=True)
        size_kb = os.path.getsize(self.base) // 1024 + 2048  # the database and 2 MiB
        mounted = run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", mount])
        if mounted.returncode != 0:
            self.report("disk full (import, build)", 0, 0, 0, [], note="skipped: cannot mount a tmpfs here (not root)")
            return
        losses = []
        trials = completed = refused = 0
        try:
            db = os.path.join(mount, "full.sqlite")
            for name in ("import", "build"):
                trials += 1
                copy_db(self.base, db)
                result = self.trendmix(*self.command(name, db))
                if result.returncode == 0:
                    completed += 1
                elif "disk is full" not in result.stderr and "No space left" not in result.stderr:
                    losses.append(f"{name}: not named as a full disk: {result.stderr.strip()[-200:]}")
                else:
                    refused += 1
                problems = self.check(name, db)
                if result.returncode != 0 and name == "import" and counts(db) != self.before:
                    problems.append("a failed import changed the events")
                if result.returncode != 0 and name == "build" and model_state(db)[0] != self.model_before[0]:
                    problems.append("a failed build changed the model")
                losses += [f"{name} on a full disk: {p}" for p in problems]
        except OSError as error:
            losses.append(f"the test itself: {error}")
        finally:
            run(["umount", "-l", mount])
        self.report("disk full (import, build)", trials, completed, refused, losses)

    def readers_during_writes(self, rounds):
        losses = []
        reads = 0
        db = os.path.join(self.work, "readers.sqlite")
        for _ in range(rounds):
            for name in ("import", "build"):
                copy_db(self.base, db)
                writer = subprocess.Popen([self.bin, *self.command(name, db)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, text=True)
                while writer.poll() is None:
                    for args in (["stats", "--db", db], ["trending", "--db", db, "--site", "news", "--k", "3"]):
                        reads += 1
                        result = self.trendmix(*args)
                        if result.returncode != 0:
                            losses.append(f"{args[0]} during {name}: {result.stderr.strip()[-200:]}")
                _, stderr = writer.communicate()
                if writer.returncode != 0:
                    losses.append(f"the {name} failed: {stderr.strip()[-200:]}")
                losses += self.check(name, db)
        self.report("readers during imports, builds", reads, reads - len(losses), 0, losses)

    def two_writers(self):
        losses = []
        db = os.path.join(self.work, "two.sqlite")
        for name in ("import", "build"):
            copy_db(self.base, db)
            processes = [subprocess.Popen([self.bin, *self.command(name, db)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, text=True) for _ in range(2)]
            for p in processes:
                _, stderr = p.communicate()
                # One may be told the database is busy; neither may fail otherwise.
                if p.returncode != 0 and "busy" not in stderr:
                    losses.append(f"two {name}s: one failed: {stderr.strip()[-200:]}")
            losses += [f"two {name}s: {p}" for p in self.check(name, db)]
        self.report("two imports, two builds at once", 4, 4 - len(losses), 0, losses)

    def report(self, case, trials, completed, interrupted, losses, note=""):
        self.rows.append((case, trials, completed, interrupted, len(losses), note))
        self.failures += [f"{case}: {loss}" for loss in losses]
        print(f"  {case}: {trials} trials, {completed} ran to the end, {interrupted} stopped, {len(losses)} losses"
              + (f" ({note})" if note else ""), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20, help="SIGKILL trials per command (SIGTERM, SIGINT: half)")
    parser.add_argument("--quick", action="store_true", help="2 SIGKILL and 1 each of SIGTERM, SIGINT per command")
    parser.add_argument("--bin", help="the trendmix binary (default: a release build)")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="seed of the random moments")
    parser.add_argument("--events", type=int, help="events of the generated catalogue (150,000; --quick 30,000)")
    args = parser.parse_args()
    binary = args.bin
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "trendmix"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        binary = os.path.join(ROOT, ".build", "release", "trendmix")
    binary = os.path.abspath(binary)
    kill_trials = 2 if args.quick else args.trials
    caught_trials = 1 if args.quick else max(1, args.trials // 2)
    with tempfile.TemporaryDirectory(prefix="trendmix-faults.") as work:
        suite = Suite(binary, work, kill_trials, args.seed)
        if args.quick:
            # A debug binary's calibration backtests take 25 s; the model is stored the same way without them.
            suite.build_options = ["--config", os.path.join(ROOT, "Evaluation", "configs", "uncalibrated.json")]
        print(f"fault suite: seed {args.seed}, {os.cpu_count()} cores, binary {binary}", flush=True)
        suite.prepare(args.events or (30_000 if args.quick else 150_000))
        for name in ("import", "build", "widgets", "prune", "backup"):
            suite.stopped(name, signal.SIGKILL, kill_trials)
            suite.stopped(name, signal.SIGTERM, caught_trials)
            suite.stopped(name, signal.SIGINT, caught_trials)
        suite.disk_full()
        suite.readers_during_writes(1 if args.quick else 5)
        suite.two_writers()
    print()
    print(f"{'case':<34} {'trials':>6} {'to end':>7} {'stopped':>8} {'losses':>7}")
    for case, trials, completed, interrupted, losses, note in suite.rows:
        print(f"{case:<34} {trials:>6} {completed:>7} {interrupted:>8} {losses:>7}" + (f"  {note}" if note else ""))
    total = sum(row[1] for row in suite.rows)
    print(f"{'all':<34} {total:>6} {'':>7} {'':>8} {len(suite.failures):>7}")
    if suite.failures:
        print("\nlosses:")
        for failure in suite.failures:
            print("  " + failure)
        sys.exit(1)


if __name__ == "__main__":
    main()
