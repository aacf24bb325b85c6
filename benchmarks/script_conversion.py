"""Traditional -> simplified throughput and correctness for each backend.

  .venv/bin/python benchmarks/script_conversion.py [--n 2000] [--repeat 3] [--no-pure]

Backends measured (MB = MB of UTF-8 input text):
  native        opencc 1.4.2 (C++), one convert() call per article   -- the reference output
  table         transforms.script table backend (str.translate + phrase regex), per article
  polars-table  the same dictionaries with polars str.replace_many over a column
  pure          opencc-python-reimplemented, per article. It installs the module name
                `opencc` too, so it runs in a child process with the unpacked wheel first on
                sys.path (wheel fetched once with `pip download` into --cache); the project
                venv is not touched. Skipped when the wheel cannot be had.
Each line says whether the output equals native t2s on every article and whether the
length (code points) is kept.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402


def read_texts(d: Path) -> list[str]:
    out = []
    for p in sorted(d.glob("*.txt")):
        b = p.read_bytes()
        try:
            out.append(b.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(b.decode("gb18030"))
    return out


def timed(fn, texts, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(texts)
        best = min(best, time.perf_counter() - t)
    return best, out


PURE_CHILD = r"""
import sys, json, time
sys.path.insert(0, sys.argv[1])
import opencc
texts = json.load(open(sys.argv[2], encoding="utf-8"))
cc = opencc.OpenCC("t2s")
best = 1e9
for _ in range(int(sys.argv[4])):
    t = time.perf_counter(); out = [cc.convert(x) for x in texts]; best = min(best, time.perf_counter() - t)
json.dump({"seconds": best, "out": out, "file": opencc.__file__}, open(sys.argv[3], "w", encoding="utf-8"))
"""


def pure_wheel_dir(cache: Path) -> Path | None:
    target = cache / "opencc_pure"
    if (target / "opencc" / "opencc.py").exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache),
                        "opencc-python-reimplemented==0.1.7"], capture_output=True, text=True)
    wheels = sorted(cache.glob("opencc_python_reimplemented-*.whl"))
    if r.returncode != 0 or not wheels:
        return None
    with zipfile.ZipFile(wheels[-1]) as z:
        z.extractall(target)
    return target


def run_pure(texts, cache: Path, repeat: int):
    d = pure_wheel_dir(cache)
    if d is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = Path(tmp, "in.json"), Path(tmp, "out.json")
        inp.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        subprocess.run([sys.executable, "-c", PURE_CHILD, str(d), str(inp), str(outp), str(repeat)], check=True)
        res = json.loads(outp.read_text(encoding="utf-8"))
    return res["seconds"], res["out"]


def polars_table():
    import polars as pl

    from transforms import t2s_table as T

    compat = {k: v for k, v in T.COMPAT.items() if k != v}
    # leftmost-first Aho-Corasick: phrases (longest first) win over characters at a position
    pats = sorted(T.PHRASES, key=lambda p: (-len(p), p)) + [k for k, v in T.CHARS.items() if k != v]
    vals = [T.PHRASES.get(p) or T.CHARS[p] for p in pats]

    def fn(texts):
        s = pl.Series("t", texts)
        return (pl.DataFrame({"t": s}).select(
            pl.col("t").str.replace_many(compat).str.replace_many(pats, vals, leftmost=True))
            .to_series().to_list())

    return fn


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="synthetic articles (plus the seeds)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gbk-share", type=float, default=0.05)
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "fupin-bench-cache"))
    ap.add_argument("--no-pure", action="store_true")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args(argv)

    from transforms import script as S

    with tempfile.TemporaryDirectory() as tmp:
        corpus.build(a.n, tmp, gbk_share=a.gbk_share)
        texts = read_texts(ROOT / "seeds" / "articles") + read_texts(Path(tmp))
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} articles (5 seeds + {a.n} synthetic), {mb:.2f} MB UTF-8, best of {a.repeat}")

    ref_s, ref = timed(lambda ts: [S.convert_raw(t, "native") for t in ts], texts, a.repeat)
    rows = [("native", ref_s, ref)]
    s, out = timed(lambda ts: [S.convert_raw(t, "table") for t in ts], texts, a.repeat)
    rows.append(("table", s, out))
    s, out = timed(lambda ts: S.to_simplified_many(ts), texts, a.repeat)
    rows.append((f"to_simplified ({S.backend_name()})", s, out))
    try:
        fn = polars_table()
        fn(texts[:10])
        s, out = timed(fn, texts, a.repeat)
        rows.append(("polars-table", s, out))
    except Exception as e:  # older polars without leftmost=
        print(f"polars-table: skipped ({e})")
    if not a.no_pure:
        r = run_pure(texts, Path(a.cache), max(1, a.repeat // 3))
        if r is None:
            print("pure: skipped (opencc-python-reimplemented wheel not available)")
        else:
            rows.append(("pure", r[0], r[1]))

    results = []
    print(f"{'backend':28s} {'MB/s':>8s} {'art/s':>9s}  same-as-native  length-kept")
    for name, sec, out in rows:
        same = sum(o == r for o, r in zip(out, ref))
        kept = sum(len(o) == len(t) for o, t in zip(out, texts))
        print(f"{name:28s} {mb / sec:8.1f} {len(texts) / sec:9.0f}  {same:5d}/{len(texts):<5d}     {kept:5d}/{len(texts)}")
        results.append({"backend": name, "mb_per_s": mb / sec, "articles_per_s": len(texts) / sec,
                        "same_as_native": same, "length_kept": kept, "n": len(texts)})
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
