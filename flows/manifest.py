"""The manifest: what the crawler knew about each file (URL, publication date, title, outlet,
region, any other attributes), read from `manifest.csv` / `manifest.jsonl` / `sources.csv` in
the input folder or from `fupin run --manifest FILE`.

Stdlib only: the up-to-date check (flows/uptodate.py) reads it before Prefect or polars
are imported. A bad manifest never stops a run: each problem becomes an Issue (shown in
the run summary, stored in `manifest_issues`) and the rows that can be used are used.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

# sources.csv: the name a crawl's delivery gives it (../shared's dev sets have one)
NAMES = ("manifest.csv", "manifest.jsonl", "sources.csv")
KNOWN_FIELDS = ("url", "published", "title", "outlet", "region")
FILE_FIELD = "file"

_DATE_RE = re.compile(r"\s*((?:1[89]|20)\d\d)\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?"
                      r"(?:(?:[T\s]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?)?\s*")


@dataclass(frozen=True)
class Issue:
    manifest_path: str
    line_no: int  # 1-based line of the manifest; 0 for the manifest as a whole
    file: str | None
    issue: str    # missing_file | bad_date | duplicate | no_file | bad_line | unreadable | not_csv_or_jsonl
    detail: str


@dataclass(frozen=True)
class Entry:
    """One manifest row: `known` holds the known_* values extraction takes
    (transforms.extract.extract_article(known=...)), `attributes` the extra columns."""
    path: str       # absolute path of the file it describes
    line_no: int
    known: dict
    attributes: dict

    def digest(self) -> str:
        """What a run compares to tell that the manifest's word on this file changed."""
        blob = json.dumps([self.known, self.attributes], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        """Plain values, as a batch task takes them (flows.stage.stage_file)."""
        return {"known": self.known, "attributes": self.attributes, "digest": self.digest()}


@dataclass
class Manifest:
    path: str | None = None
    digest: str | None = None  # sha256 of the manifest's bytes
    entries: dict[str, Entry] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def known_digest(self, path: str) -> str | None:
        e = self.entries.get(path)
        return e.digest() if e else None


def parse_date(value) -> dt.date | None:
    """A date or date-time in the usual forms (2020-04-21, 2020/4/21, 2020年4月21日,
    2020-04-21T08:00:00+08:00) as the date written; None when it is none of them."""
    m = _DATE_RE.fullmatch(str(value))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def locate(input_dir: str | os.PathLike, manifest: str | os.PathLike | None = None) -> Path | None:
    """--manifest FILE, else manifest.csv / manifest.jsonl / sources.csv in the input folder, else None."""
    if manifest:
        return Path(manifest).expanduser().resolve()
    for name in NAMES:
        p = Path(input_dir) / name
        if p.is_file():
            return p.resolve()
    return None


def _records(path: Path, data: bytes, issues: list[Issue]) -> list[tuple[int, dict]]:
    """(line number, row as a dict of strings) for each row of a CSV or JSON Lines manifest."""
    where = str(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        issues.append(Issue(where, 0, None, "unreadable", f"manifest {path.name} is not UTF-8 text; it was not used"))
        return []
    suffix = path.suffix.lower()
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or FILE_FIELD not in [f.strip() for f in reader.fieldnames]:
            issues.append(Issue(where, 1, None, "no_file", f"manifest {path.name} has no `file` column "
                                                           f"(columns: {reader.fieldnames}); it was not used"))
            return []
        # DictReader.line_num counts physical lines: a quoted newline inside a field stays right
        return [(reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items() if k is not None})
                for row in reader]
    if suffix in (".jsonl", ".ndjson"):
        out = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                issues.append(Issue(where, n, None, "bad_line", f"line {n} of {path.name} is not JSON ({e.msg})"))
                continue
            if not isinstance(rec, dict):
                issues.append(Issue(where, n, None, "bad_line", f"line {n} of {path.name} is not a JSON object"))
                continue
            out.append((n, {str(k): "" if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                            for k, v in rec.items()}))
        return out
    issues.append(Issue(where, 0, None, "not_csv_or_jsonl",
                        f"manifest {path.name} is neither CSV (.csv) nor JSON Lines (.jsonl); it was not used"))
    return []


def _target(root: Path, name: str, by_name: dict[str, list[str]]) -> str:
    """The absolute path a manifest row names: relative to the input folder; a bare file name
    that is not there is the one file of that name below it, if there is exactly one (a
    crawl delivers sources.csv beside an articles/ folder and names files by their name)."""
    if os.path.isabs(name):
        return str(Path(name).resolve())
    target = root / name
    if target.exists() or os.path.basename(name) != name:
        return str(target.resolve())
    if not by_name:
        for folder, _, files in os.walk(root):
            for f in files:
                by_name.setdefault(f, []).append(os.path.join(folder, f))
    found = by_name.get(name, [])
    return str(Path(found[0]).resolve()) if len(found) == 1 else str(target.resolve())


def read(manifest: str | os.PathLike | None, input_dir: str | os.PathLike) -> Manifest:
    """The manifest's usable rows by absolute path, and its issues. No manifest: empty."""
    if manifest is None:
        return Manifest()
    path, root = Path(manifest), Path(input_dir).resolve()
    out = Manifest(path=str(path))
    try:
        data = path.read_bytes()
    except OSError as e:
        out.issues.append(Issue(str(path), 0, None, "unreadable", f"manifest {path} could not be read: "
                                                                   f"{e.strerror or e}; it was not used"))
        return out
    out.digest = hashlib.sha256(data).hexdigest()
    first_line: dict[str, int] = {}
    by_name: dict[str, list[str]] = {}
    for n, row in _records(path, data, out.issues):
        name = row.get(FILE_FIELD, "").strip()
        if not name:
            out.issues.append(Issue(str(path), n, None, "no_file", f"line {n} of {path.name} names no file"))
            continue
        target = _target(root, name, by_name)
        if target in first_line:
            out.issues.append(Issue(str(path), n, name, "duplicate",
                                    f"line {n} of {path.name} describes {name} again (first on line "
                                    f"{first_line[target]}); the first row is used"))
            continue
        first_line[target] = n
        if not os.path.exists(target):
            out.issues.append(Issue(str(path), n, name, "missing_file",
                                    f"line {n} of {path.name} names {name}, which is not in {root}"))
        published = row.get("published", "").strip()
        date = parse_date(published) if published else None
        if published and date is None:
            out.issues.append(Issue(str(path), n, name, "bad_date",
                                    f"line {n} of {path.name}: published {published!r} is not a date "
                                    f"(use YYYY-MM-DD); the date is inferred from the text instead"))
        known = {"known_pub_date": date.isoformat() if date else None,
                 "known_pub_date_source": "manifest" if date else None,
                 "known_title": row.get("title", "").strip() or None,
                 "known_url": row.get("url", "").strip() or None,
                 "known_outlet": row.get("outlet", "").strip() or None,
                 "known_region": row.get("region", "").strip() or None}
        attributes = {k: v for k, v in row.items() if k and k != FILE_FIELD and k not in KNOWN_FIELDS and v != ""}
        out.entries[target] = Entry(target, n, known, attributes)
    return out
