"""hashlake's stream processor side by side with Spark Structured Streaming (run.sh runs this).

One real Kafka broker (scripts/kafka.sh) on a free port; synthetic posts produced with
`hashlake collect`; each engine runs alone, pinned with taskset to the same N cores
(`hashlake process --threads N`, Spark local[N] with N shuffle partitions):

  throughput  P posts already in a topic; each engine in available-now mode: wall time from
              start to exit (process tree gone), CPU seconds and peak RSS of the process tree
  latency     each engine running with a 1 s trigger on its own topic while the producer
              writes RATE posts/s for SECONDS s; poll_latency.py reads the posts table's new
              versions every 20 ms: visible time - ingested_at, p50/p99
  check       hashtag_counts (and area_hashtag_counts) of both throughput runs as multisets
              of (window..., key, count), counts summed per key first

Prints a table and the hashlake/Spark ratios, and writes everything as JSON (--out).
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


# --- measuring a process tree ----------------------------------------------------------------

def proc_stat(pid: int):
    """(ppid, cpu seconds, rss bytes) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # fields[0] is state (stat field 3): ppid 4, utime 14, stime 15, rss 24.
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE


class Measured:
    """A command pinned to CPUS, with its process tree sampled every 100 ms: peak of the summed
    RSS, CPU seconds (last sample of each process), wall time until the whole tree is gone."""

    def __init__(self, cmd, cpus, cwd, log_path, env=None):
        self.log = open(log_path, "wb")
        self.start = time.monotonic()
        self.proc = subprocess.Popen(["taskset", "-c", cpus, *cmd], cwd=cwd, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.known = {self.proc.pid}
        self.cpu = {}
        self.peak_rss = 0
        self.end = None
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while True:
            rss, alive = 0, False
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                pid = int(entry)
                stat = proc_stat(pid)
                if stat is None:
                    continue
                ppid, cpu, mem = stat
                if pid in self.known or ppid in self.known:
                    self.known.add(pid)
                    self.cpu[pid] = cpu
                    rss += mem
                    alive = True
            self.peak_rss = max(self.peak_rss, rss)
            if not alive and self.proc.poll() is not None:
                self.end = time.monotonic()
                return
            time.sleep(0.1)

    def signal(self, sig):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def wait(self, timeout):
        """Exit status; on timeout the tree is killed and None returned."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_tree()
            self.proc.wait()
            rc = None
        self._thread.join(timeout=30)
        if self._thread.is_alive():  # a descendant outlived the command: end it
            self.kill_tree()
            self._thread.join()
        self.log.close()
        return rc

    def kill_tree(self):
        for pid in sorted(self.known, reverse=True):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def result(self) -> dict:
        return {"wall_s": round((self.end or time.monotonic()) - self.start, 3),
                "cpu_s": round(sum(self.cpu.values()), 2),
                "peak_rss_mib": round(self.peak_rss / 2**20, 1)}


# --- the pieces ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_pair() -> int:
    """A port P with P+1 free as well (the broker's controller listener)."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket() as t:
                t.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def pinned(cpus, cmd):
    return (["taskset", "-c", cpus] if cpus else []) + list(cmd)


def hashlake_process_flags(binary: Path) -> set | None:
    """The long flags of `hashlake process`, or None when the binary has no such command."""
    if not binary.exists():
        return None
    out = subprocess.run([str(binary), "process", "--help"], capture_output=True, text=True)
    text = out.stdout + out.stderr
    if out.returncode != 0 or "hashlake process" not in text:
        return None
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", text))


def table_rows(path: Path) -> int | None:
    from deltalake import DeltaTable
    if not DeltaTable.is_deltatable(str(path)):
        return None
    return DeltaTable(str(path)).count()


def wait_rows(path: Path, want: int, timeout: float, engine: Measured) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if engine.proc.poll() is not None:
            return False
        try:
            if (table_rows(path) or 0) >= want:
                return True
        except Exception:  # a commit in flight; try again
            pass
        time.sleep(0.2)
    return False


class Engines:
    """How each engine is started on a topic, writing its lake into a folder."""

    def __init__(self, args, bootstrap):
        self.args = args
        self.bootstrap = bootstrap
        self.binary = Path(args.build_dir) / "hashlake"
        self.hashlake_flags = hashlake_process_flags(self.binary)
        self.jars = None

    def available(self, engine) -> str | None:
        """Why ENGINE cannot run, or None."""
        if engine == "hashlake" and self.hashlake_flags is None:
            return f"{self.binary} has no `process` command (build the hashlake target)"
        return None

    def command(self, engine, topic, lake: Path, live: bool, metrics_port: int = 0):
        a = self.args
        if engine == "spark":
            if self.jars is None:
                self.jars = subprocess.run([str(HERE / "fetch_jars.sh"), sys.executable],
                                           check=True, capture_output=True,
                                           text=True).stdout.strip()
            cmd = [sys.executable, str(HERE / "spark_job.py"), "--bootstrap", self.bootstrap,
                   "--topic", topic, "--lake", str(lake), "--cores", str(a.cores),
                   "--window", a.window, "--watermark", a.watermark, "--jars", self.jars,
                   "--driver-memory", a.spark_driver_memory]
            cmd += ["--slide", a.slide] if a.slide else []
            return cmd + (["--trigger", a.trigger] if live else ["--available-now"])
        cmd = [str(self.binary.resolve()), "process", "--from",
               f"kafka://{self.bootstrap}/{topic}", "--lake", str(lake),
               "--group", f"bench-{topic}", "--checkpoint", str(lake.parent / f"{lake.name}-ckpt"),
               "--data", str(lake.parent / f"{lake.name}-data"), "--window", a.window,
               "--watermark", a.watermark]
        cmd += ["--slide", a.slide] if a.slide else []  # its default: tumbling
        if "--threads" in self.hashlake_flags:
            cmd += ["--threads", str(a.cores)]
        if metrics_port:  # the live dashboard and /metrics, for the live-view latency
            cmd += ["--serve", "--port", str(metrics_port)]
        return cmd + (["--trigger", a.trigger] if live else ["--available-now"])


def create_topic(binary, bootstrap, topic, partitions):
    run([str(binary), "topics", "create", "--bootstrap", bootstrap, "--topic", topic,
         "--partitions", str(partitions)], stdout=subprocess.DEVNULL)


def produce(binary, bootstrap, topic, posts, rate, seed, cpus, log: Path):
    with open(log, "wb") as f:
        run(pinned(cpus, [str(binary), "collect", "--source", "synth", "--rate", str(rate),
                          "--seed", str(seed), "--limit", str(posts),
                          "--to", f"kafka://{bootstrap}/{topic}"]),
            stdout=f, stderr=subprocess.STDOUT)


# --- the window-count check ------------------------------------------------------------------

def keyed_counts(table: Path, keys) -> dict | None:
    from deltalake import DeltaTable
    import pyarrow.compute as pc
    if not DeltaTable.is_deltatable(str(table)):
        return None
    t = DeltaTable(str(table)).to_pyarrow_table(columns=["window_start", "window_end", *keys,
                                                         "count"])
    t = t.set_column(0, "window_start", pc.cast(t.column("window_start"), "int64"))
    t = t.set_column(1, "window_end", pc.cast(t.column("window_end"), "int64"))
    summed = t.group_by(["window_start", "window_end", *keys]).aggregate([("count", "sum")])
    # A missing region is null in one engine and "" in the other: the same key.
    cols = [["" if v is None else v for v in summed.column(c).to_pylist()]
            for c in ["window_start", "window_end", *keys]]
    return dict(zip(zip(*cols), summed.column("count_sum").to_pylist()))


def iso(micros: int) -> str:
    return dt.datetime.fromtimestamp(micros / 1e6, dt.timezone.utc).strftime("%H:%M:%S")


def compare_counts(a: dict, b: dict) -> dict:
    """Same rows in the windows both engines closed; a window only one engine closed must come
    after every window both closed (left open at exit by the other's watermark)."""
    win_a = {k[:2] for k in a}
    win_b = {k[:2] for k in b}
    common = win_a & win_b
    keys = {k for k in a.keys() | b.keys() if k[:2] in common}
    differing = sorted(k for k in keys if a.get(k) != b.get(k))
    last_common = max((w[1] for w in common), default=None)
    only_a, only_b = sorted(win_a - win_b), sorted(win_b - win_a)
    stray = [w for w in only_a + only_b if last_common is None or w[0] < last_common]
    return {
        "match": bool(common) and not differing and not stray,
        "common_windows": len(common),
        "rows_compared": len(keys),
        "posts_counted_in_common_windows": sum(v for k, v in a.items() if k[:2] in common),
        "differing_rows": len(differing),
        "differing_examples": [
            {"key": [iso(k[0]), iso(k[1]), *k[2:]], "hashlake": a.get(k), "spark": b.get(k)}
            for k in differing[:5]],
        "windows_only_hashlake": [f"{iso(w[0])}-{iso(w[1])}" for w in only_a],
        "windows_only_spark": [f"{iso(w[0])}-{iso(w[1])}" for w in only_b],
        "non_trailing_windows_in_one_engine": len(stray),
    }


# --- the benchmark ---------------------------------------------------------------------------

def main(argv) -> int:
    ncpu = len(os.sched_getaffinity(0))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--posts", type=int, default=200_000, help="throughput posts (default 200000)")
    p.add_argument("--partitions", type=int, default=4, help="topic partitions (default 4)")
    p.add_argument("--cores", type=int, default=max(1, ncpu - 1),
                   help="cores per engine (default: all but one, so that Kafka, the producer and "
                        "the poller have their own)")
    p.add_argument("--rate", type=int, default=2000, help="latency mode posts/s (default 2000)")
    p.add_argument("--seconds", type=int, default=60, help="latency mode duration (default 60)")
    p.add_argument("--window", default="1m")
    p.add_argument("--slide", default=None, help="default: the window (tumbling)")
    p.add_argument("--watermark", default="30s")
    p.add_argument("--trigger", default="1s", help="latency mode trigger (default 1s)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--engines", default="hashlake,spark")
    p.add_argument("--modes", default="throughput,latency")
    p.add_argument("--spark-driver-memory", default="1g")
    p.add_argument("--timeout-throughput", type=float, default=900,
                   help="seconds an available-now run may take (default 900)")
    p.add_argument("--timeout-startup", type=float, default=180,
                   help="seconds until a live engine commits the warm-up posts (default 180)")
    p.add_argument("--timeout-drain", type=float, default=60,
                   help="seconds after the live producer ends to see every post (default 60)")
    p.add_argument("--build-dir", default=os.environ.get("HASHLAKE_BUILD_DIR", str(ROOT / "build")))
    p.add_argument("--out", default=None,
                   help="results JSON (default /tmp/hashlake-spark-stream-<time>.json)")
    p.add_argument("--keep", action="store_true", help="keep the work folder (lakes, logs)")
    args = p.parse_args(argv)
    engines_wanted = [e for e in args.engines.split(",") if e]
    modes = [m for m in args.modes.split(",") if m]
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out_path = Path(args.out or f"/tmp/hashlake-spark-stream-{stamp}.json")
    if args.cores > ncpu:
        sys.exit(f"bench: --cores {args.cores} but only {ncpu} CPUs")
    engine_cpus = f"0-{args.cores - 1}"
    other_cpus = f"{args.cores}-{ncpu - 1}" if args.cores < ncpu else None
    binary = Path(args.build_dir) / "hashlake"
    if not binary.exists():
        sys.exit(f"bench: {binary} not found (ninja -C {args.build_dir} hashlake, or --build-dir)")

    work = Path(tempfile.mkdtemp(prefix="hashlake-spark-stream-"))
    port = free_port_pair()
    bootstrap = f"127.0.0.1:{port}"
    env = dict(os.environ, HASHLAKE_KAFKA_DIR=str(work / "kafka"))
    kafka = str(ROOT / "scripts" / "kafka.sh")
    results = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": ncpu, "loadavg_at_start": os.getloadavg()},
        "config": {k: v for k, v in vars(args).items() if k not in ("out", "keep")},
        "engine_cpus": engine_cpus, "other_cpus": other_cpus,
        "throughput": {}, "latency": {}, "skipped": {},
    }
    log = lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True)  # noqa: E731
    try:
        run(pinned(other_cpus, [kafka, "start", str(port)]), env=env, stdout=subprocess.DEVNULL)
        engines = Engines(args, bootstrap)
        active = []
        for e in engines_wanted:
            why = engines.available(e)
            if why:
                results["skipped"][e] = why
                log(f"skipping {e}: {why}")
            else:
                active.append(e)

        if "throughput" in modes and active:
            create_topic(binary, bootstrap, "tput", args.partitions)
            log(f"producing {args.posts} posts into tput ({args.partitions} partitions)")
            produce(binary, bootstrap, "tput", args.posts, 0, args.seed, other_cpus,
                    work / "produce-tput.log")
            for e in active:
                lake = work / f"tput-{e}"
                log(f"throughput: {e} on cores {engine_cpus}, available-now")
                m = Measured(engines.command(e, "tput", lake, live=False), engine_cpus,
                             cwd=work, log_path=work / f"tput-{e}.log")
                rc = m.wait(timeout=args.timeout_throughput)
                r = m.result()
                r.update(rc=rc, log=str(work / f"tput-{e}.log"),
                         posts_rows=table_rows(lake / "posts"))
                r["posts_per_s"] = round(args.posts / r["wall_s"], 1)
                r["posts_per_s_per_core"] = round(r["posts_per_s"] / args.cores, 1)
                r["posts_per_cpu_s"] = round(args.posts / r["cpu_s"], 1) if r["cpu_s"] else None
                if e == "spark":
                    r["spark_job"] = spark_job_line(work / f"tput-{e}.log")
                results["throughput"][e] = r
                log(f"  {json.dumps(r)}")

            if {"hashlake", "spark"} <= set(active):
                checks = {}
                # Areas by country only: hashlake also resolves each post's region (US states
                # by point in polygon) and areas from profiles, which Spark's job cannot; the
                # country a source gave is kept, so per country the counts must agree.
                for table, keys in (("hashtag_counts", ["hashtag"]),
                                    ("area_hashtag_counts", ["country_code", "hashtag"])):
                    a = keyed_counts(work / "tput-hashlake" / table, keys)
                    b = keyed_counts(work / "tput-spark" / table, keys)
                    missing = [e for e, t in (("hashlake", a), ("spark", b)) if t is None]
                    checks[table] = (compare_counts(a, b) if not missing
                                     else {"match": None, "missing": missing})
                results["check"] = checks

        if "latency" in modes:
            for e in active:
                results["latency"][e] = latency_run(args, e, engines, binary, bootstrap, work,
                                                    engine_cpus, other_cpus, log)
    finally:
        subprocess.run([kafka, "stop", str(port)], env=env, stdout=subprocess.DEVNULL)
        if args.keep:
            log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    results["machine"]["loadavg_at_end"] = os.getloadavg()
    print_table(results, args)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results: {out_path}")
    check = results.get("check", {}).get("hashtag_counts", {})
    return 1 if check.get("match") is False else 0


def spark_job_line(log_path: Path):
    for line in reversed(log_path.read_text(errors="replace").splitlines()):
        if line.startswith("SPARK_JOB "):
            return json.loads(line[len("SPARK_JOB "):])
    return None


def live_histogram(port: int) -> dict:
    """hashlake's live-view latency histogram from /metrics: {upper bound s: count}."""
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    out = {}
    for line in text.splitlines():
        if line.startswith("hashlake_stream_live_latency_seconds_bucket{"):
            le = line.split('le="')[1].split('"')[0]
            out[float("inf") if le == "+Inf" else float(le)] = float(line.rsplit(" ", 1)[1])
    return out


def histogram_quantile(buckets: dict, q: float) -> float | None:
    """As Prometheus' histogram_quantile: linear within the bucket holding the rank."""
    bounds = sorted(buckets)
    total = buckets[bounds[-1]] if bounds else 0
    if total <= 0:
        return None
    rank, lower, below = q * total, 0.0, 0.0
    for upper in bounds:
        if buckets[upper] >= rank:
            if upper == float("inf"):
                return lower
            return lower + (upper - lower) * (rank - below) / max(buckets[upper] - below, 1e-9)
        lower, below = upper, buckets[upper]
    return lower


def latency_run(args, e, engines, binary, bootstrap, work, engine_cpus, other_cpus, log) -> dict:
    topic = f"live-{e}"
    lake = work / f"live-{e}"
    create_topic(binary, bootstrap, topic, args.partitions)
    log(f"latency: {e} on cores {engine_cpus}, trigger {args.trigger}")
    metrics_port = free_port() if e == "hashlake" else 0
    m = Measured(engines.command(e, topic, lake, live=True, metrics_port=metrics_port),
                 engine_cpus, cwd=work, log_path=work / f"live-{e}.log")
    # Warm-up: the engine is up and has committed once before the measured posts start.
    warmup = 1000
    produce(binary, bootstrap, topic, warmup, 0, args.seed + 1, other_cpus,
            work / f"produce-warmup-{e}.log")
    if not wait_rows(lake / "posts", warmup, args.timeout_startup, m):
        m.signal(signal.SIGINT)
        m.wait(timeout=30)
        return {"error": "engine did not commit the warm-up posts",
                "log": str(work / f"live-{e}.log")}
    expect = args.rate * args.seconds
    since_us = time.time_ns() // 1000
    poll_out, ready = work / f"poll-{e}.json", work / f"poll-{e}.ready"
    poller = subprocess.Popen(pinned(other_cpus, [
        sys.executable, str(HERE / "poll_latency.py"), str(lake / "posts"),
        "--since-us", str(since_us), "--expect", str(expect),
        "--timeout", str(args.seconds + args.timeout_drain + 30), "--out", str(poll_out),
        "--ready", str(ready)]), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not ready.exists() and poller.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    cpu_before = sum(m.cpu.values())
    live_before = live_histogram(metrics_port) if metrics_port else {}
    produce(binary, bootstrap, topic, expect, args.rate, args.seed, other_cpus,
            work / f"produce-live-{e}.log")
    poller.wait()
    cpu_live = sum(m.cpu.values()) - cpu_before
    live = {}
    if metrics_port:  # the measured posts only: the warm-up's counts are subtracted
        after = live_histogram(metrics_port)
        delta = {le: n - live_before.get(le, 0) for le, n in after.items()}
        for q in (0.5, 0.99):
            v = histogram_quantile(delta, q)
            live[f"live_p{int(q * 100)}_ms"] = None if v is None else round(v * 1000, 1)
    m.signal(signal.SIGINT)
    rc = m.wait(timeout=60)
    r = json.loads(poll_out.read_text()) if poll_out.exists() else {"error": "poller wrote nothing"}
    r.update(live)
    r.update(rc_after_sigint=rc, peak_rss_mib=m.result()["peak_rss_mib"],
             cpu_s_during_live=round(cpu_live, 2),
             cpu_share_of_one_core=round(cpu_live / args.seconds, 2),
             log=str(work / f"live-{e}.log"))
    if e == "spark":
        r["spark_job"] = spark_job_line(work / f"live-{e}.log")
    log(f"  {json.dumps(r)}")
    return r


def fmt(v, spec):
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def print_table(results, args):
    tp, lat = results["throughput"], results["latency"]
    engines = [e for e in ("hashlake", "spark") if e in tp or e in lat]
    print(f"\nStream processor: {args.posts} posts, {args.partitions} partitions, "
          f"{args.cores} core(s) per engine; latency at {args.rate} posts/s for {args.seconds} s, "
          f"trigger {args.trigger}; window {args.window}, watermark {args.watermark}")
    head = (f"{'engine':10}{'posts/s':>10}{'/core':>9}{'posts/CPU-s':>13}{'wall s':>8}"
            f"{'peak MiB':>10}{'p50 ms':>9}{'p99 ms':>9}{'live MiB':>10}")
    print(head)
    row = {}
    for e in engines:
        t, l = tp.get(e, {}), lat.get(e, {})
        row[e] = [t.get("posts_per_s"), t.get("posts_per_s_per_core"), t.get("posts_per_cpu_s"),
                  t.get("wall_s"), t.get("peak_rss_mib"), l.get("p50_ms"), l.get("p99_ms"),
                  l.get("peak_rss_mib")]
        v = row[e]
        print(f"{e:10}{fmt(v[0], ',.0f'):>10}{fmt(v[1], ',.0f'):>9}{fmt(v[2], ',.0f'):>13}"
              f"{fmt(v[3], '.1f'):>8}{fmt(v[4], ',.0f'):>10}{fmt(v[5], '.0f'):>9}"
              f"{fmt(v[6], '.0f'):>9}{fmt(v[7], ',.0f'):>10}")
    if len(row) == 2:
        number = lambda v: isinstance(v, (int, float))  # noqa: E731
        ratio = [a / b if number(a) and number(b) and b else None
                 for a, b in zip(row["hashlake"], row["spark"])]
        results["ratios_hashlake_over_spark"] = dict(zip(
            ["posts_per_s", "posts_per_s_per_core", "posts_per_cpu_s", "wall_s", "peak_rss_mib",
             "p50_ms", "p99_ms", "live_peak_rss_mib"], ratio))
        print(f"{'hl/Spark':10}" + "".join(f"{fmt(r, '.2f') + ('x' if r else ''):>{w}}"
                                            for r, w in zip(ratio, (10, 9, 13, 8, 10, 9, 9, 10))))
        print("(throughput: >1 is hashlake faster; wall, memory, latency: <1 is hashlake lower)")
    hl = lat.get("hashlake", {})
    if hl.get("live_p99_ms") is not None:
        print(f"hashlake to the live view (its /metrics histogram): p50 {hl['live_p50_ms']} ms, "
              f"p99 {hl['live_p99_ms']} ms; p50/p99 above are to the lake")
    for table, c in results.get("check", {}).items():
        if c.get("match") is None:
            print(f"check {table}: not compared (missing in {', '.join(c['missing'])})")
        else:
            print(f"check {table}: {'SAME' if c['match'] else 'DIFFERENT'} — "
                  f"{c['common_windows']} windows closed by both, {c['rows_compared']} rows, "
                  f"{c['differing_rows']} differ; only hashlake {c['windows_only_hashlake']}, "
                  f"only Spark {c['windows_only_spark']}")
    for e, why in results["skipped"].items():
        print(f"skipped {e}: {why}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
