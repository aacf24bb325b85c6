"""dim_region: China's administrative divisions (county level and above) with their exact
history, and a matcher that finds region names in text.

Built from seeds/areacodes.csv, the national code table 1981-2025 (CC0, see
seeds/README.md): one row per code and period of use, with the year it came into use, the
year it changed or went out of use and its successor codes. `dim_region` holds those rows
as they are, so a code's name resolves as of a date (361121 上饶县 until 2019, then 361104
广信区). The Gazetteer sees one region per code: its latest name, every earlier name as an
alias, and validity over all its periods.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import polars as pl
from fupin import SEEDS
from fupin.transforms import lexicon

COUNTRY_CODE = "100000"
AREACODES = "areacodes.csv"
SOURCE = "areacodes"  # dim_region.source of the table's rows

# Placeholders that are not regions a text can name.
# A period that ended before this year is found in a text by its full name only: the short
# forms of long-gone names (城北 of 南宁市城北区 until 2004, 惠民 of 惠民地区 until 1992) are
# ordinary words in the news of the poverty campaign (2013-2020) far more often than names.
SHORT_NAMES_SINCE = 2010
_PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
_STATUS = {"在用": "in_use", "弃用": "retired", "变更": "changed"}
# 新代码 entries: "361104" is a successor; "130108[2001]" is part of the area moved there in
# 2001 while the code lived on, not a successor.
_NEW_CODE = re.compile(r"(\d{6})(\[\d{4}\])?")


@lru_cache(maxsize=1)
def common_word_aliases() -> frozenset[str]:
    """seeds/region_alias_stopwords.csv: short region names that are ordinary words in news
    text (合作, 资源, 乐业); never matched as region names."""
    return frozenset(r["alias"].strip() for r in lexicon.rows("region_alias_stopwords") if r["alias"].strip())


@lru_cache(maxsize=1)
def _ethnic_pattern() -> re.Pattern:
    """seeds/ethnic_groups.csv (China's 56 nationalities), to shorten 隆林各族自治县 -> 隆林,
    黔东南苗族侗族自治州 -> 黔东南 and 伊犁哈萨克自治州 -> 伊犁."""
    with open(SEEDS / "ethnic_groups.csv", encoding="utf-8", newline="") as f:
        names = {r["name"].strip() for r in csv.DictReader(f) if r["name"].strip()}
    names = {n if n.endswith("族") else n + "族" for n in names}
    # 伊犁哈萨克自治州, 博尔塔拉蒙古自治州: a name of two or more characters may drop its 族
    names |= {n[:-1] for n in names if len(n) >= 3}
    alts = sorted(names | {"各族"}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, alts)) + ")+自治(?:县|旗|州|区)$")


_ETHNIC_FIRST = re.compile(r"^[\u4e00-\u9fff]{2,4}?族")


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
            if len(s) < 2:  # 东乡族自治县: the place bears its people's name (东乡)
                s = next((g[:-1] for g in _ETHNIC_FIRST.findall(m.group()) if len(g) >= 3), s)
        else:
            s = re.sub(r"(省|市|地区|盟|县|区|旗|自治县|自治旗|林区|特区)$", "", name)
    if s == name or len(s) < 2:
        return None
    return s


@lru_cache(maxsize=1)
def history() -> pl.DataFrame:
    """seeds/areacodes.csv as typed rows: one per code and period of use. valid_to is the
    year the code changed or went out of use (the first year it no longer holds); null
    while in use. successor_codes: the codes that took over then."""
    raw = pl.read_csv(SEEDS / AREACODES, infer_schema=False, encoding="utf8-lossy")
    status = pl.col("状态").str.strip_chars().replace_strict(_STATUS)
    return raw.select(
        pl.col("代码").str.strip_chars().alias("region_code"),
        pl.col("名称").str.strip_chars().alias("name"),
        pl.col("级别").str.strip_chars().replace_strict(_LEVELS).alias("level"),
        status.alias("status"),
        pl.col("启用时间").cast(pl.Int64).alias("valid_from"),
        pl.when(status != "in_use").then(pl.col("变更/弃用时间").cast(pl.Int64)).alias("valid_to"),
        pl.col("新代码").fill_null("").str.extract_all(_NEW_CODE.pattern)
        .list.eval(pl.element().filter(~pl.element().str.contains("[", literal=True))).alias("successor_codes"),
    )


def build_dim_region() -> pl.DataFrame:
    """dim_region: one row per code and period of use (key region_code, valid_from), from
    seeds/areacodes.csv, plus the country (100000, for national figures: GB/T 2260 has no
    row for it; valid from 1949). Columns: region_code, name, short_name, level, parent_code,
    province_code, valid_from, valid_to (years; valid_to = first year no longer valid, null
    = in force), status (in_use | retired | changed), successor_code (the first successor;
    a renamed code's successor is itself), successor_codes, source, aliases (the names a
    text may use for this period: its name, and its short name unless it ended before
    SHORT_NAMES_SINCE)."""
    h = history()
    code = pl.col("region_code")
    pref = code.str.slice(0, 4) + "00"
    rows = h.with_columns(
        pl.Series("short_name", [short_name(n, lv) for n, lv in zip(h["name"], h["level"])], dtype=pl.Utf8),
        pl.when(pl.col("level") == "province").then(None)
        .when((pl.col("level") == "county") & pref.is_in(h["region_code"].unique().implode())).then(pref)
        .otherwise(code.str.slice(0, 2) + "0000").alias("parent_code"),
        (code.str.slice(0, 2) + "0000").alias("province_code"),
        pl.col("successor_codes").list.first().alias("successor_code"),
        pl.lit(SOURCE).alias("source"),
    ).join(_listed_aliases(), on="region_code", how="left").with_columns(
        pl.concat_list("name", pl.when(pl.col("valid_to").is_null() | (pl.col("valid_to") > SHORT_NAMES_SINCE))
                       .then(pl.concat_list("short_name", _autonomous_alias(), _autonomous_alias(3),
                                            pl.col("listed").fill_null([])))
                       .otherwise(pl.lit([], dtype=pl.List(pl.Utf8))))
        .list.drop_nulls().list.unique().list.sort().alias("aliases"))
    country = pl.DataFrame([{
        "region_code": COUNTRY_CODE, "name": "中华人民共和国", "short_name": "全国", "level": "country",
        "parent_code": None, "province_code": COUNTRY_CODE, "valid_from": 1949, "valid_to": None,
        "status": "in_use", "successor_code": None, "successor_codes": [], "source": "fixed",
        "aliases": ["中华人民共和国", "全国", *_country_aliases()]}], schema=DIM_REGION)
    return pl.concat([country, rows.select(list(DIM_REGION)).cast(DIM_REGION)]).sort("region_code", "valid_from")


def _autonomous_alias(chars: int = 1) -> pl.Expr:
    """伊犁哈萨克自治州 -> 伊犁州, 塔什库尔干塔吉克自治县 -> 塔什库尔干县 (chars 1), 威宁彝族回族苗族
    自治县 -> 威宁自治县 (chars 3): an autonomous region's short name with the end of its
    level's word, as news text writes it."""
    name = pl.col("name")
    return (pl.when(name.str.ends_with("自治州") | name.str.ends_with("自治县") | name.str.ends_with("自治旗"))
            .then(pl.col("short_name") + name.str.slice(-chars)))


def _country_aliases() -> list[str]:
    """seeds/region_aliases.csv rows of the country: names of groups across provinces (三区三州)."""
    return sorted(r["alias"].strip() for r in lexicon.rows("region_aliases") if r["region_code"].strip() == COUNTRY_CODE)


def _listed_aliases() -> pl.DataFrame:
    """seeds/region_aliases.csv: abbreviations (塔县, 克州) by region code."""
    rows = lexicon.rows("region_aliases")
    return (pl.DataFrame({"region_code": [r["region_code"].strip() for r in rows],
                          "alias": [r["alias"].strip() for r in rows]}, schema={"region_code": pl.Utf8, "alias": pl.Utf8})
            .group_by("region_code").agg(pl.col("alias").alias("listed")))


DIM_REGION = {
    "region_code": pl.Utf8, "name": pl.Utf8, "short_name": pl.Utf8, "level": pl.Utf8, "parent_code": pl.Utf8,
    "province_code": pl.Utf8, "valid_from": pl.Int64, "valid_to": pl.Int64, "status": pl.Utf8,
    "successor_code": pl.Utf8, "successor_codes": pl.List(pl.Utf8), "source": pl.Utf8,
    "aliases": pl.List(pl.Utf8),
}


def region_codes(dim: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per code for the Gazetteer: the latest period's name, short name and
    successor; aliases of all its periods (an old name in a text still finds the code);
    valid from its first period's start to its last period's end (null while in use).
    A period that ended in a rename to the same code does not end the code."""
    dim = build_dim_region() if dim is None else dim
    latest = pl.col("valid_from").fill_null(0)
    return (dim.sort("region_code", latest)
            .group_by("region_code", maintain_order=True)
            .agg(pl.col("name", "short_name", "level", "parent_code", "province_code", "successor_code",
                        "source").last(),
                 pl.col("valid_from").min(),
                 # null (still in use) wins over any end year
                 pl.when(pl.col("valid_to").is_null().any()).then(None)
                 .otherwise(pl.col("valid_to").max()).alias("valid_to"),
                 pl.col("aliases").list.explode(keep_nulls=False, empty_as_null=False).unique().sort()
                 .alias("aliases")))


# ---------------------------------------------------------------- matching in text

# after a name: a mountain range and its flanks, poverty areas, a valley (吕梁山区, 大兴安岭南麓片区, 怒江峡谷)
_SMALLER_PLACE = frozenset("村镇乡")
_RANGE_AFTER = re.compile("山|[南北东西]麓|峡谷|河谷|两岸|流域|沿岸")


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


_LEVEL_RANK = {"country": 0, "province": 1, "prefecture": 2, "county": 3}  # resolve: broader first


class Gazetteer:
    """Finds region names in (simplified) text. Full names match anywhere; short names of
    counties only inside the province the article is about (a two-character county stem is
    too often an ordinary word elsewhere)."""

    def __init__(self, dim: pl.DataFrame):
        self.by_code: dict[str, Region] = {}
        self._ancestors: dict[str, list[str]] = {}
        self.full: dict[str, list[Region]] = {}
        self.short: dict[str, list[Region]] = {}
        # 和田, 中山: short names that are ordinary words, found only right after their
        # province's name (新疆和田, 广东中山)
        self.guarded: dict[str, list[Region]] = {}
        stop = common_word_aliases()
        for r in dim.iter_rows(named=True):
            reg = Region(r["region_code"], r["name"], r["level"], r["parent_code"], r["province_code"],
                         r["valid_from"], r["valid_to"], r["successor_code"])
            self.by_code[reg.code] = reg
            short = r["short_name"]
            for a in r["aliases"]:
                if reg.level == "country" and a in (r["name"], r["short_name"]):
                    continue  # 全国 is resolved as an anaphor in context, not as a name; 三区三州 is a name
                if a in stop and a == short:
                    self.guarded.setdefault(a, []).append(reg)
                if a in _PLACEHOLDER_NAMES or a in stop or len(a) < 2:
                    continue
                is_short = (a == short) or (short_name(a, reg.level) is None and a != r["name"] and len(a) <= 3)
                (self.short if is_short else self.full).setdefault(a, []).append(reg)
        self._name_years = _name_years()
        # Longest first: polars' leftmost Aho-Corasick then prefers the longest name that
        # starts at a position (leftmost-longest, non-overlapping).
        self.blockers = frozenset(r["word"].strip() for r in lexicon.rows("region_word_blockers")) - set(self.full)
        self.guarded = {a: regs for a, regs in self.guarded.items() if a not in self.full and a not in self.short}
        self.words = sorted(set(self.full) | set(self.short) | self.blockers | set(self.guarded), key=lambda w: (-len(w), w))
        self._names: dict[str, list[Mention]] = {}
        self._counties: dict[tuple[str, int | None], int] = {}

    def region(self, code: str | None) -> Region | None:
        return self.by_code.get(code) if code else None

    def name_valid_in(self, surface: str, region: Region, year: int | None) -> bool:
        """The region bore this name (or its short forms) in that year: 新市区 in 2020 is
        乌鲁木齐's, not 保定's (130602, renamed 竞秀区 in 2015 under the same code)."""
        span = self._name_years.get((surface, region.code))
        if span is None:
            return region.valid_in(year)  # a listed alias (塔县): as long as the code
        lo, hi = span
        if year is None:
            return hi is None
        return (lo is None or lo <= year) and (hi is None or year < hi)

    def counties_under(self, code: str, year: int | None) -> int:
        """How many county-level regions in force in year lie under code."""
        key = (code, year)
        if key not in self._counties:
            self._counties[key] = sum(1 for r in self.by_code.values()
                                      if r.level == "county" and r.valid_in(year) and code in self.ancestors(r.code)[1:])
        return self._counties[key]

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
        # Provinces have no parent in the code table; the country contains them all
        # (内蒙古、广西…5个自治区: a group of provinces is the country's).
        return COUNTRY_CODE if COUNTRY_CODE in self.by_code and all(chains) else None

    def find(self, text: str) -> list[Mention]:
        """Leftmost-longest matches, unresolved (candidates may be several)."""
        return self.find_many([text])[0]

    def find_name(self, name: str) -> list[Mention]:
        """find() of a short text that recurs (a region the input names: a manifest's or a JSON
        record's), remembered: each find() builds the automaton anew (~11 ms, as much as
        extracting a whole article). Fresh copies: resolve() sets their region."""
        if name not in self._names:
            self._names[name] = self.find(name)
        return [replace(m) for m in self._names[name]]

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
            if w in self.blockers:
                continue  # 真金白银: a word that only holds a name (seeds/region_word_blockers.csv)
            if w in self.guarded:
                if (after := self._after_province(out, s, w)):
                    out.append(Mention(s, e, w, after, is_short=True))
                    last_end = e
                continue
            # Two-character names (范县, 和县) hide inside words (示范县): only at a boundary.
            if (e - s == 2 and w in self.full and w[-1] in "县区市旗" and s > 0 and s != last_end
                    and "\u4e00" <= text[s - 1] <= "\u9fff" and text[s - 1] not in "省市州区县盟"
                    and text[s - 2:s] != "其中"):  # 其中临县一县…: a name after 其中 opens its word
                continue
            full = self.full.get(w, [])
            if not full and _RANGE_AFTER.match(text, e):
                continue  # 吕梁山区, 武陵山片区, 大兴安岭南麓片区: a mountain range (a poverty area), not the region
            if not full and text[e:e + 1] in _SMALLER_PLACE:
                continue  # 江门村, 瑞金镇: a village or town of that name, not the region
            cands = tuple(full) if full else tuple(self.short.get(w, []))
            out.append(Mention(s, e, w, cands, is_short=not full))
            last_end = e
        return out

    def _after_province(self, found: list[Mention], s: int, w: str) -> tuple[Region, ...]:
        """The regions a guarded short name (和田) names right after its province's name (新疆)."""
        if not found or found[-1].end != s:
            return ()
        provinces = {c.code for c in found[-1].candidates if c.level == "province"}
        return tuple(r for r in self.guarded[w] if r.province in provinces)

    def resolve(self, mentions: list[Mention], year: int | None, province: str | None) -> list[Mention]:
        """Pick one region per mention: valid at the article's year, in the article's
        province, and under a region named just before it (南宁市兴宁区). Short county names
        outside the article's province are dropped, unless the article names that county in
        full (都安瑶族自治县…都安有…): then the short name is that county's."""
        kept, prev = [], None
        # (阜平县: one county in force, though the code table also holds its code of before 1990)
        named_in_full = {c.code for m in mentions if not m.is_short
                         for valid in [[c for c in m.candidates if c.valid_in(year)] or list(m.candidates)]
                         if len(valid) == 1 for c in valid}
        # regions the text names without doubt (临夏州, 东乡族自治县): an ambiguous name (东乡县)
        # is the one among them or under them
        certain = {m.candidates[0].code for m in mentions if len(m.candidates) == 1}
        for m in mentions:
            cands = list(m.candidates)
            if m.is_short and province:
                cands = [c for c in cands if c.province == province or c.level == "province"
                         or c.level == "prefecture" or c.code in named_in_full]
            elif m.is_short and not province:
                cands = [c for c in cands if c.level != "county" or c.code in named_in_full]
            if not cands:
                continue
            if len(cands) == 1:
                best = cands[0]  # nothing to rank: most names stand for one region
            else:
                adjacent_parent = prev.region.code if (prev and prev.region and prev.end == m.start) else None

                def rank(c: Region):
                    return (
                        0 if adjacent_parent and adjacent_parent in self.ancestors(c.code)[1:] else 1,
                        0 if self.name_valid_in(m.surface, c, year) else 1,
                        0 if certain.intersection(self.ancestors(c.code)) else 1,
                        0 if province and c.province == province else 1,
                        _LEVEL_RANK[c.level],
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
def _name_years() -> dict[tuple[str, str], tuple[int | None, int | None]]:
    """(name form, code) -> (first year, first year no longer) the code bore that name: the
    name, its short name and an autonomous region's short form (伊犁州), over all periods."""
    spans: dict[tuple[str, str], tuple[int | None, int | None]] = {}
    for code, name, level, lo, hi in history().select("region_code", "name", "level", "valid_from", "valid_to").iter_rows():
        short = short_name(name, level)
        forms = {name, short} | ({short + name[-1], short + name[-3:]}
                                 if short and name.endswith(("自治州", "自治县", "自治旗")) else set())
        for form in forms - {None}:
            old = spans.get((form, code))
            spans[(form, code)] = (lo, hi) if old is None else (
                None if old[0] is None or lo is None else min(old[0], lo),
                None if old[1] is None or hi is None else max(old[1], hi))
    return spans


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer(region_codes())
