"""Staging: find article files, read them safely, decode them (transforms.decode), extract
them (transforms.extract) and write a batch's Parquet partition, in a process pool for
large batches (flows.pool).

Plain Python + polars (no Prefect, no DuckDB), so it runs the same in the flow's threads,
on Dask workers and in tests.

Decisions (also in README "Inputs"):

* Offsets everywhere are Python ``str`` indices into the decoded text. A UTF-8 BOM is
  stripped (``utf-8-sig``); nothing else is changed (CRLF stays).
* Encodings: BOM first (UTF-8, UTF-16 LE/BE, UTF-32), then strict UTF-8, then GB18030 and
  Big5 (cp950) are both tried and the decoding whose characters are most often common
  Chinese characters wins (a wrong legacy decoding yields rare characters).
* Truncated UTF-8 (a file cut inside its last multi-byte character) is staged, decoded as
  UTF-8 with the incomplete last character replaced by U+FFFD: every earlier offset is
  unaffected and the article's facts are kept.
* Files larger than ``MAX_FILE_BYTES`` (default 8 MiB, env ``FUPIN_MAX_FILE_BYTES``) are
  rejected as ``too_large`` from their size alone, before reading: a news article is a few
  kB; a 20 MB single line is not an article and would only cost memory and time.
* Inputs are *.txt (article text), *.jsonl (one article per line) and *.html / *.htm (and
  HTML saved as .txt): flows/readers.py reads the last two; a manifest (flows/manifest.py)
  adds what the crawler knew about each file (the ``known_*`` columns of the ARTICLE frame).
* Unreadable inputs are rejected with a reason a person understands: ``vanished`` (listed,
  then gone), ``unreadable`` (permission denied, I/O error, dangling symlink),
  ``not_a_file`` (a directory, FIFO, socket or device named *.txt; opened non-blocking so a
  FIFO never hangs the run), ``empty``, ``binary``, ``undecodable``.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

import polars as pl

from fupin.flows import readers
from fupin.flows.manifest import NAMES as MANIFEST_NAMES
from fupin.transforms.decode import StageError, check_text, decode
# REJECT_STAGED: a reject as written to the stage partitions, the REJECT contract plus what
# the planner needs to skip an unchanged rejected file next run (file_path: the file on disk,
# which a JSON Lines line's reject shares with its file's other lines).
# (Reject reasons that depend only on the file's bytes are contracts.CONTENT_REASONS: an
# unchanged file with one of these is not read again.)
from fupin.transforms.contracts import ARTICLE, ARTICLE_META, FACT, REJECT_STAGED, conform, empty
from fupin.transforms.settings import settings

READ_CHUNK = 1 << 20


def max_file_bytes() -> int:
    return settings().max_file_bytes
# ----------------------------------------------------------------------------- discovery

def discover(input_dir: str | os.PathLike, manifest: str | os.PathLike | None = None) -> list[str]:
    """Every entry named *.txt, *.jsonl, *.html or *.htm (any case) under input_dir,
    recursively, as sorted absolute paths; not the manifest (manifest.jsonl in the input
    folder, or the file given). Non-regular entries (directories, FIFOs, dangling symlinks)
    with those names are listed too so that they end as rejects with a reason instead of
    vanishing silently. Symlinked directories are not followed (no loops)."""
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    skip = {os.path.abspath(root / n) for n in MANIFEST_NAMES}
    if manifest:
        skip.add(os.path.abspath(manifest))
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in filenames + dirnames:
            if name.lower().endswith(readers.SUFFIXES):
                out.append(os.path.abspath(os.path.join(dirpath, name)))
    return sorted(p for p in out if p not in skip)


# ----------------------------------------------------------------------------- reading

_KIND = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
         (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device")]


def _open_regular(path: str) -> tuple[int, os.stat_result]:
    """Open without blocking (a FIFO would otherwise wait for a writer forever) and make
    sure the thing opened is a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise StageError("unreadable", f"is a symbolic link to {os.readlink(path)!r}, which does not exist")
        raise StageError("vanished", "was listed when the run started but was gone when it was read "
                                     "(deleted or moved during the run); it will be picked up next run if it comes back")
    except IsADirectoryError:
        raise StageError("not_a_file", "is a directory named like a text file, not a file")
    except PermissionError:
        raise StageError("unreadable", "permission denied: the user running fupin may not read this file "
                                       "(check its owner and mode)")
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise StageError("unreadable", "is a symbolic link that loops back on itself")
        if e.errno == errno.ENXIO:
            raise StageError("not_a_file", "is a socket or device, not a file")
        raise StageError("unreadable", f"could not be opened: {e.strerror or e}")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        what = next((w for test, w in _KIND if test(st.st_mode)), "not a regular file")
        raise StageError("not_a_file", f"is {what} named like a text file, not a file")
    return fd, st


def hash_file(path: str) -> tuple[str, int] | None:
    """(sha256 hex, size) of a regular file, streamed; None when it cannot be read."""
    try:
        fd, _ = _open_regular(path)
    except StageError:
        return None
    h, n = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "rb", closefd=True) as f:
            while chunk := f.read(READ_CHUNK):
                h.update(chunk)
                n += len(chunk)
    except OSError:
        return None
    return h.hexdigest(), n


def read_file(path: str, limit: int | None = None) -> bytes:
    """The file's bytes, or StageError. Files over `limit` bytes are rejected from their size
    (hash computed by streaming so an unchanged one is skipped next run)."""
    limit = max_file_bytes() if limit is None else limit
    fd, st = _open_regular(path)
    try:
        if st.st_size > limit:
            os.close(fd)
            fd = -1
            hs = hash_file(path)
            raise StageError("too_large",
                             f"is {st.st_size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit for one article "
                             f"(set FUPIN_MAX_FILE_BYTES to raise it); not read",
                             content_hash=hs[0] if hs else None, size=st.st_size)
        parts, n = [], 0
        try:
            while True:
                chunk = os.read(fd, READ_CHUNK)
                if not chunk:
                    break
                parts.append(chunk)
                n += len(chunk)
                if n > limit:  # grew while we read it
                    raise StageError("too_large", f"grew past the {limit / 1e6:.1f} MB limit while it was read", size=n)
        except BlockingIOError:
            raise StageError("unreadable", "could not be read without blocking")
        except OSError as e:
            raise StageError("unreadable", f"could not be read: {e.strerror or e}")
        return b"".join(parts)
    finally:
        if fd >= 0:
            os.close(fd)


# ----------------------------------------------------------------------------- one file

def _read_any(path: str, data: bytes) -> tuple[list[dict], list[dict]]:
    """(article rows, reject rows) of one file's bytes, by its kind."""
    kind = readers.kind(path)
    if kind == "jsonl":
        return readers.read_jsonl(path, data)
    if kind == "html":
        return [readers.read_html(path, data)], []
    digest = hashlib.sha256(data).hexdigest()
    text, enc = decode(data)
    try:
        check_text(text)
    except StageError as e:
        if e.reason != "html":
            raise
        return [readers.read_html(path, data)], []  # a web page saved as .txt
    return [{"article_id": digest, "source_file": os.path.basename(path), "source_path": path,
             "size_bytes": len(data), "encoding": enc, "input_kind": "txt", "raw_text": text, "file_path": path,
             "file_hash": digest}], []


def stage_file(path: str, limit: int | None = None) -> dict:
    """Stage one .txt or HTML file: an ARTICLE row (dict) or a reject row (dict with 'reason')."""
    arts, rejs = stage_rows(path, limit)
    return (arts or rejs)[0]


def stage_rows(path: str, limit: int | None = None, manifest_entry=None) -> tuple[list[dict], list[dict]]:
    """Stage one file: (ARTICLE rows, reject rows). A .txt or HTML file gives one row, a
    JSON Lines file one per line. manifest_entry (flows.manifest.Entry.as_dict()) adds what
    the manifest said about the file."""
    name = os.path.basename(path)
    digest, size = None, None
    try:
        data = read_file(path, limit)
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
        arts, rejs = _read_any(path, data)
    except StageError as e:
        return [], [{"source_path": path, "source_file": name, "reason": e.reason, "detail": f"{name} {e.detail}",
                     "content_hash": e.content_hash or digest, "size_bytes": e.size if e.size is not None else size,
                     "file_path": path}]
    e = manifest_entry or {}
    return [readers.with_manifest(a, e.get("known"), e.get("attributes"), e.get("digest")) for a in arts], rejs


def stage_files(paths: list[str], limit: int | None = None,
                manifest: dict | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(ARTICLE frame, REJECT_STAGED frame) for the given paths; manifest: path -> Entry.as_dict()."""
    arts, rejs = [], []
    for p in paths:
        a, r = stage_rows(p, limit, (manifest or {}).get(p))
        arts.extend(a)
        rejs.extend(r)
    a = pl.DataFrame(arts, schema=ARTICLE) if arts else empty(ARTICLE)
    r = pl.DataFrame(rejs, schema=REJECT_STAGED) if rejs else empty(REJECT_STAGED)
    return a, r


# ----------------------------------------------------------------------------- one batch

PARTITION_FILES = ("articles", "meta", "facts", "rejects")


def _extract(articles: pl.DataFrame, warnings: list[str]) -> tuple[pl.DataFrame, pl.DataFrame, list[dict]]:
    """Run extraction (in this process) on unique articles. If the batch call raises, retry
    one article at a time so one bad article cannot sink its neighbours; articles whose
    extraction still fails come back as reject rows (reason extraction_failed; retried next
    run)."""
    from fupin.transforms.extract import extract_batch

    if articles.is_empty():
        return empty(ARTICLE_META), empty(FACT), []
    try:
        meta, facts = extract_batch(articles)
        return conform(meta, ARTICLE_META), conform(facts, FACT), []
    except Exception as e:  # noqa: BLE001 - isolate the failing article below
        warnings.append(f"extraction failed for a batch of {articles.height} articles ({e}); retrying one by one")
    metas, factss, failed = [], [], []
    for i in range(articles.height):
        one = articles.slice(i, 1)
        try:
            m, f = extract_batch(one)
            metas.append(conform(m, ARTICLE_META))
            factss.append(conform(f, FACT))
        except Exception as e:  # noqa: BLE001
            failed.append({"source_path": one["source_path"][0], "source_file": one["source_file"][0],
                           "reason": "extraction_failed",
                           "detail": f"{one['source_file'][0]} was decoded but extraction failed: "
                                     f"{type(e).__name__}: {e}"[:1000],
                           "content_hash": one["article_id"][0], "size_bytes": one["size_bytes"][0]})
    meta = pl.concat(metas) if metas else empty(ARTICLE_META)
    facts = pl.concat(factss) if factss else empty(FACT)
    return meta, facts, failed


def stage_and_extract(paths: list[str], skip_extract: frozenset | set = frozenset(),
                      manifest: dict | None = None) -> dict:
    """Stage and extract some files in this process: the job a pool process runs. Returns
    frames (articles, rejects, meta, facts), the ids of the unique articles it extracted and
    warnings to log. manifest: path -> flows.manifest.Entry.as_dict() for these paths."""

    warnings: list[str] = []
    articles, rejects = stage_files(paths, manifest=manifest)
    todo = articles.unique(subset="article_id", keep="first", maintain_order=True)
    if skip_extract:
        todo = todo.filter(~pl.col("article_id").is_in(list(skip_extract)))
    meta, facts, failed = _extract(todo, warnings)
    if failed:
        bad = {r["content_hash"] for r in failed}
        failed_rows = (articles.filter(pl.col("article_id").is_in(list(bad)))
                       .select("source_path", "source_file", "article_id", "size_bytes", "file_path", "file_hash"))
        detail = {r["content_hash"]: r["detail"] for r in failed}
        rejects = pl.concat([rejects, pl.DataFrame([
            {"source_path": r["source_path"], "source_file": r["source_file"], "reason": "extraction_failed",
             "detail": detail[r["article_id"]], "content_hash": r["file_hash"], "size_bytes": r["size_bytes"],
             "file_path": r["file_path"]}
            for r in failed_rows.iter_rows(named=True)], schema=REJECT_STAGED)])
        articles = articles.filter(~pl.col("article_id").is_in(list(bad)))
        meta = meta.filter(~pl.col("article_id").is_in(list(bad)))
        facts = facts.filter(~pl.col("article_id").is_in(list(bad)))
    return {"articles": conform(articles, ARTICLE), "rejects": conform(rejects, REJECT_STAGED),
            "meta": conform(meta, ARTICLE_META), "facts": conform(facts, FACT),
            "todo_ids": todo["article_id"].to_list(), "warnings": warnings}


def _combine(parts: list[dict]) -> dict:
    """One batch from its jobs, in order. Content that two jobs both held (one text under
    two names) keeps the meta and facts of the first job only, as one job would have."""
    if len(parts) == 1:
        return parts[0]

    def tagged(name: str) -> pl.DataFrame:
        return pl.concat([p[name].with_columns(pl.lit(k).alias("__job")) for k, p in enumerate(parts)])

    metas, facts = tagged("meta"), tagged("facts")
    owner = metas.group_by("article_id").agg(pl.col("__job").min())  # first job that extracted it
    metas, facts = (df.join(owner, on=["article_id", "__job"], how="semi", maintain_order="left").drop("__job")
                    for df in (metas, facts))
    return {"articles": pl.concat([p["articles"] for p in parts]), "rejects": pl.concat([p["rejects"] for p in parts]),
            "meta": metas, "facts": facts,
            "todo_ids": list(dict.fromkeys(i for p in parts for i in p["todo_ids"])),
            "warnings": [w for p in parts for w in p["warnings"]]}


def process_batch_local(paths: list[str], out_dir: str | os.PathLike, skip_extract: frozenset | set = frozenset(),
                        log=None, workers: int | None = None, manifest: dict | None = None) -> dict:
    """Read, decode and extract one batch of files; write its Parquet partition
    out_dir/{articles,meta,facts,rejects}.parquet. Articles whose id is in skip_extract
    (content already in the warehouse, e.g. a copy under a new name) are staged but not
    extracted again. A large batch is staged and extracted in the process pool, in jobs of
    pool.CHUNK files (so the calling process, which runs the flow, stays nearly idle).
    manifest: path -> flows.manifest.Entry.as_dict(). Returns counts."""
    from fupin.flows import pool

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    workers = pool.workers() if workers is None else workers
    parts = None
    if workers > 1 and len(paths) >= pool.MIN_PARALLEL:
        parts = pool.map_in_pool(stage_and_extract, pool.split(paths, workers), workers, frozenset(skip_extract),
                                 manifest or {})
    if parts is None:
        parts = [stage_and_extract(paths, skip_extract, manifest)]
    res = _combine(parts)
    for w in res["warnings"]:
        if log:
            log.warning(w)
    # Write to temporary names, then rename: a partition folder with all four files is complete.
    for name, sch in (("articles", ARTICLE), ("meta", ARTICLE_META), ("facts", FACT), ("rejects", REJECT_STAGED)):
        tmp = out / f".{name}.parquet.tmp"
        conform(res[name], sch).write_parquet(tmp)
        os.replace(tmp, out / f"{name}.parquet")
    return {"partition": str(out), "files": len(paths), "articles": res["articles"].height,
            "unique_articles": len(res["todo_ids"]), "rejects": res["rejects"].height,
            "facts": res["facts"].height}
