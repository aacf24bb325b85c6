"""End-to-end benchmark: the pipeline through its CLI against a floor, per corpus size.

  .venv/bin/python benchmarks/run.py [--sizes 1000,10000,20000] [--out DIR]
        [--gbk-share 0.05] [--floor-only] [--cli-args "--dask-local 2"] [--json FILE]

For each size N it
  1. writes a synthetic corpus of N articles (../shared/tools/make_corpus.py when present,
     else the copy in benchmarks/corpus.py; same bytes), kept in DIR/corpus_N for reuse;
  2. FLOOR, in a child process: read every file, decode (UTF-8, else GB18030), convert to
     simplified with native OpenCC, one regex pass for numbers with units. No extraction,
     no validation, no load: the least any pipeline has to do with this input, 1 core;
  3. FULL: `fupin run --input DIR/corpus_N --warehouse DIR/wh_N.duckdb` into a fresh
     warehouse (and fresh DIR/stage_N, passed as --stage-dir when the CLI has it);
  4. INCREMENTAL: the same command again, nothing new.
Each child's wall time and peak RSS are measured: the peak of the summed RSS of the child
and all its descendants (psutil, polled every 50 ms) and ru_maxrss of the largest single
process (getrusage(RUSAGE_CHILDREN) in a wrapper process).

Targets (figures, not tests): 10k full <= 4x floor; incremental <= 10% of full;
time(20k)/time(10k) <= 2.2; peak RSS at 20k <= 2 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

# Numbers with units, in simplified script (the floor runs after t2s).
UNIT_RE = (r"(\d+(?:\.\d+)?)\s*(万|亿|千)?\s*(元|人|户|亩|个|家|公里|千米|米|吨|斤|公斤|%|％|"
           r"平方米|套|座|所|条|项|名|万元|亿元|村|乡|镇|县|年)")

FLOOR_CHILD = r"""
import re, sys, time, json
from pathlib import Path
import opencc
cc = opencc.OpenCC("t2s")
rx = re.compile(sys.argv[2])
t0 = time.perf_counter()
n = nbytes = nums = 0
for p in sorted(Path(sys.argv[1]).iterdir()):
    b = p.read_bytes()
    nbytes += len(b)
    try:
        text = b.decode("utf-8")
    except UnicodeDecodeError:
        text = b.decode("gb18030")
    s = cc.convert(text)
    nums += sum(1 for _ in rx.finditer(s))
    n += 1
print(json.dumps({"articles": n, "bytes": nbytes, "numbers": nums, "inner_seconds": time.perf_counter() - t0}))
"""

# Runs argv, then reports its own RUSAGE_CHILDREN: ru_maxrss of the largest process in
# that command's tree (KiB on Linux).
WRAP = r"""
import json, resource, subprocess, sys
r = subprocess.run(sys.argv[1:])
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write("\n@@RUSAGE " + json.dumps({"rc": r.returncode, "maxrss_kib": ru.ru_maxrss,
                                               "cpu_s": ru.ru_utime + ru.ru_stime}) + "\n")
sys.exit(r.returncode)
"""


def measure(argv: list[str], log: Path, env=None) -> dict:
    """Run argv (wrapped), return wall seconds, rc, peak tree RSS, max single RSS, stdout."""
    import psutil

    t0 = time.perf_counter()
    with open(log, "w") as errf:
        proc = subprocess.Popen([sys.executable, "-c", WRAP, *argv], stdout=subprocess.PIPE,
                                stderr=errf, text=True, env=env)
        ps = psutil.Process(proc.pid)
        peak = 0
        out_chunks = []
        import threading

        reader = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
        reader.start()
        while proc.poll() is None:
            try:
                procs = [ps] + ps.children(recursive=True)
                total = 0
                for p in procs[1:]:  # the wrapper itself is not the workload
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(0.05)
        reader.join()
    wall = time.perf_counter() - t0
    ru = {}
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("@@RUSAGE "):
            ru = json.loads(line[len("@@RUSAGE "):])
    return {"seconds": wall, "rc": proc.returncode, "peak_tree_rss_mb": peak / 2**20,
            "max_rss_mb": ru.get("maxrss_kib", 0) / 1024, "cpu_s": ru.get("cpu_s", 0.0), "stdout": "".join(out_chunks), "log": str(log)}


def start_prefect_server(env: dict, log: Path):
    """`prefect server start` on a free local port; returns (process, API URL) once healthy."""
    import socket
    import urllib.request

    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    exe = Path(sys.executable).with_name("prefect")
    proc = subprocess.Popen([str(exe), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except Exception:
            time.sleep(1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"prefect server did not start, see {log}")


def fupin_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("fupin")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "flows.cli"]


def cli_has(flag: str) -> bool:
    try:
        r = subprocess.run(fupin_cmd() + ["run", "--help"], capture_output=True, text=True, timeout=120)
        return flag in r.stdout
    except Exception:
        return False


def corpus_ready(out: Path, n: int, gbk_share: float, seed: int) -> tuple[Path, str]:
    d = out / f"corpus_{n}"
    stamp = out / f"corpus_{n}.json"
    want = {"n": n, "gbk_share": gbk_share, "seed": seed}
    if d.exists() and stamp.exists() and json.loads(stamp.read_text()) == want:
        return d, "cached"
    shutil.rmtree(d, ignore_errors=True)
    tmp = out / f".corpus_{n}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    used = corpus.build(n, tmp, seed=seed, gbk_share=gbk_share)
    tmp.rename(d)
    stamp.write_text(json.dumps(want))
    return d, used


def fmt_rate(n, nbytes, sec):
    return f"{n / sec:8.0f} art/s {nbytes / 1e6 / sec:6.2f} MB/s"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,20000")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "fupin-bench"))
    ap.add_argument("--gbk-share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--floor-only", action="store_true", help="corpora and floor only, no pipeline")
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--no-warmup", action="store_true", help="skip the two runs over the seed articles")
    ap.add_argument("--prefect-server", choices=["ephemeral", "persistent"], default="ephemeral",
                    help="ephemeral: every `fupin run` starts its own temporary Prefect server (one-shot CLI "
                         "use); persistent: one `prefect server start` for the whole benchmark, as a "
                         "scheduled deployment has (its CPU/RSS is then not in the figures)")
    ap.add_argument("--cli-args", default="", help="extra arguments for `fupin run`, e.g. '--dask-local 2'")
    ap.add_argument("--json", help="write all figures here too (default OUT/results.json)")
    a = ap.parse_args(argv)

    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "logs"
    logs.mkdir(exist_ok=True)
    extra = shlex.split(a.cli_args)
    stage_flag = (not a.floor_only) and cli_has("--stage-dir")
    env = dict(os.environ)
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # A Prefect home of its own: no sqlite contention with other runs on the machine
    # ("database is locked"), and the same state for every measured run.
    env.setdefault("PREFECT_HOME", str(out / "prefect_home"))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

    server = None
    if not a.floor_only and a.prefect_server == "persistent" and "PREFECT_API_URL" not in env:
        server, env["PREFECT_API_URL"] = start_prefect_server(env, logs / "prefect_server.log")
    print(f"fupin benchmark: sizes={sizes} out={out} gbk_share={a.gbk_share} cores={os.cpu_count()} "
          f"prefect server={a.prefect_server} "
          f"load avg {os.getloadavg()[0]:.1f} (wall times stretch when the machine is shared; cpu = user+sys "
          f"of the whole child tree)")
    results = []
    if not a.floor_only and not a.no_warmup:
        # Warm-up and fixed cost: the 5 seed articles into a scratch warehouse (creates the
        # Prefect database on first use; afterwards this is interpreter + imports + the
        # temporary Prefect server + one tiny run).
        scratch = out / "warmup"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        cmd = fupin_cmd() + ["run", "--input", str(ROOT / "seeds" / "articles"), "--warehouse",
                             str(scratch / "w.duckdb")] + (["--stage-dir", str(scratch / "stage")] if stage_flag else []) + extra
        for label in ("warm-up (seeds, first)", "fixed cost (seeds again)"):
            w = measure(cmd, logs / "warmup.log", env=env)
            print(f"   {label:26s} {w['seconds']:7.2f} s (cpu {w['cpu_s']:.1f} s)  rc={w['rc']}  rss {w['max_rss_mb']:.0f} MB")
            for pth in scratch.glob("w.duckdb*"):
                pth.unlink()
    for n in sizes:
        t = time.perf_counter()
        d, used = corpus_ready(out, n, a.gbk_share, a.seed)
        nbytes = sum(p.stat().st_size for p in d.glob("*.txt"))
        print(f"\n== {n} articles, {nbytes / 1e6:.1f} MB (corpus: {used}, {time.perf_counter() - t:.1f}s)")
        row = {"n": n, "bytes": nbytes}

        fl = measure([sys.executable, "-c", FLOOR_CHILD, str(d), UNIT_RE], logs / f"floor_{n}.log")
        if fl["rc"] != 0:
            print(f"   floor FAILED rc={fl['rc']}, see {fl['log']}")
            continue
        info = json.loads(fl["stdout"].strip().splitlines()[-1])
        row["floor"] = {k: fl[k] for k in ("seconds", "cpu_s", "peak_tree_rss_mb", "max_rss_mb")} | info
        print(f"   floor        {fl['seconds']:8.2f} s (cpu {fl['cpu_s']:7.1f} s) {fmt_rate(n, nbytes, fl['seconds'])}  "
              f"rss {fl['max_rss_mb']:6.0f} MB  ({info['numbers']} numbers; in-loop {info['inner_seconds']:.2f}s)")

        if not a.floor_only:
            wh = out / f"wh_{n}.duckdb"
            stage = out / f"stage_{n}"
            for pth in (wh, Path(str(wh) + ".wal")):
                pth.unlink(missing_ok=True)
            shutil.rmtree(stage, ignore_errors=True)
            cmd = fupin_cmd() + ["run", "--input", str(d), "--warehouse", str(wh)]
            if stage_flag:
                cmd += ["--stage-dir", str(stage)]
            cmd += extra
            runs = [("full", logs / f"full_{n}.log")]
            if not a.no_incremental:
                runs.append(("incremental", logs / f"incr_{n}.log"))
            for label, log in runs:
                r = measure(cmd, log, env=env)
                row[label] = {k: r[k] for k in ("seconds", "cpu_s", "rc", "peak_tree_rss_mb", "max_rss_mb")}
                status = "" if r["rc"] == 0 else f"  FAILED rc={r['rc']} (log {log})"
                print(f"   {label:12s} {r['seconds']:8.2f} s (cpu {r['cpu_s']:7.1f} s) {fmt_rate(n, nbytes, r['seconds'])}  "
                      f"rss {r['max_rss_mb']:6.0f} MB (tree peak {r['peak_tree_rss_mb']:6.0f} MB){status}")
                if r["rc"] != 0:
                    break
            if row.get("full", {}).get("rc") == 0:
                row["ratio_full_to_floor"] = row["full"]["seconds"] / fl["seconds"]
                row["cpu_ratio_full_to_floor"] = row["full"]["cpu_s"] / max(fl["cpu_s"], 1e-9)
                print(f"   pipeline / floor = {row['ratio_full_to_floor']:.2f}x wall, "
                      f"{row['cpu_ratio_full_to_floor']:.2f}x cpu")
                if row.get("incremental", {}).get("rc") == 0:
                    row["incremental_share"] = row["incremental"]["seconds"] / row["full"]["seconds"]
                    print(f"   incremental / full = {100 * row['incremental_share']:.1f}%")
        results.append(row)

    print("\n== summary (wall seconds unless marked cpu)")
    print(f"{'n':>7s} {'MB':>6s} {'floor s':>8s} {'full s':>8s} {'art/s':>7s} {'MB/s':>6s} {'ratio':>6s} "
          f"{'cpu ratio':>9s} {'incr s':>7s} {'incr%':>6s} {'RSS MB':>7s} {'tree MB':>8s}")
    by_n = {}
    for r in results:
        f = r.get("full", {})
        ok_ = f.get("rc") == 0
        by_n[r["n"]] = r
        line = f"{r['n']:7d} {r['bytes'] / 1e6:6.1f} {r['floor']['seconds']:8.2f} "
        if ok_:
            line += (f"{f['seconds']:8.2f} {r['n'] / f['seconds']:7.0f} {r['bytes'] / 1e6 / f['seconds']:6.2f} "
                     f"{r['ratio_full_to_floor']:6.2f} {r['cpu_ratio_full_to_floor']:9.2f} ")
            line += (f"{r['incremental']['seconds']:7.2f} {100 * r['incremental_share']:5.1f}% "
                     if "incremental_share" in r else f"{'-':>7s} {'-':>6s} ")
            line += f"{f['max_rss_mb']:7.0f} {f['peak_tree_rss_mb']:8.0f}"
        else:
            line += "   (pipeline not run or failed)"
        print(line)

    def ok(n):
        return n in by_n and by_n[n].get("full", {}).get("rc") == 0

    checks = []
    if ok(10000):
        checks.append(("10k full <= 4x floor", by_n[10000]["ratio_full_to_floor"], 4.0))
    big = max((n for n in by_n if ok(n)), default=None)
    if big and "incremental_share" in by_n[big]:
        checks.append((f"incremental <= 10% of full ({big})", by_n[big]["incremental_share"], 0.10))
    if ok(10000) and ok(20000):
        checks.append(("time(20k)/time(10k) <= 2.2",
                       by_n[20000]["full"]["seconds"] / by_n[10000]["full"]["seconds"], 2.2))
    if ok(20000):
        checks.append(("peak RSS at 20k <= 2 GB (tree, MB)", by_n[20000]["full"]["peak_tree_rss_mb"], 2048))
    if checks:
        print("\n== targets")
        for name, val, lim in checks:
            print(f"   {'OK  ' if val <= lim else 'MISS'} {name}: {val:.3g} (limit {lim:g})")
    if server is not None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    path = Path(a.json) if a.json else out / "results.json"
    path.write_text(json.dumps(results, indent=1))
    print(f"\nfigures: {path}")
    return results


if __name__ == "__main__":
    main()
