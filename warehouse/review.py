"""Article review pages: one HTML page per article with every fact highlighted in its raw
text, its details on hover/click, and a sortable, filterable facts table.

    write_pages(reader, out_dir)           -> pages of every article whose data changed
    write_page(reader, out_dir, article_id) -> that article's page, always rewritten
    resolve(reader, "001_2db1.txt")         -> the article id a file name, id or prefix names

Pages go to <report>/articles/<article_id>.html. The data of many articles is read with one
query per table for a chunk of articles (never one query per article). A manifest beside the
pages keeps a digest of each article's rows; the report rewrites only the pages whose digest
changed, or all of them when the templates or the dimension tables changed.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup

from fupin.transforms.contracts import KINDS, SCOPES
from fupin.warehouse import highlight
from fupin.warehouse.snapshot import Reader
from fupin.warehouse.templating import asset, csp_hash, environment, raw_text

PAGES = "articles"
MANIFEST = "manifest.json"
CHUNK = 1000  # articles read and written together
# the facts table's filters: (name, field of a fact)
FILTERS = [("status", "status"), ("indicator", "indicator_code"), ("region", "region_code"),
           ("year", "year"), ("kind", "kind"), ("scope", "scope")]


class ArticleNotFound(LookupError):
    pass


def page_name(article_id: str) -> str:
    return f"{PAGES}/{article_id}.html"


# ----------------------------------------------------------------------------- queries

_ARTICLES = """
select s.article_id, s.raw_text, s.encoding, s.size_bytes, s.n_chars, s.run_id,
       d.title, d.pub_date, d.pub_date_source, d.outlet, d.main_region_code
from stg_articles s left join dim_article d using (article_id)
where s.article_id in (select unnest(?::varchar[]))
"""

_SOURCES = """
select article_id, source_path, source_file from article_sources
where article_id in (select unnest(?::varchar[])) order by article_id, source_path
"""

_FACT_COLS = ("fact_id, char_start, char_end, surface, value, value_base, unit_code, qualifier, year, "
              "year_source, region_code, region_source, indicator_code, indicator_text, kind, scope, change_direction, confidence, context")
# Loaded and quarantined facts together, in text order.
_FACTS = f"""
select article_id, 'loaded' as status, {_FACT_COLS}, null as failed_expectation from fct_facts
where article_id in (select unnest($ids::varchar[]))
union all
select article_id, 'quarantined', {_FACT_COLS}, failed_expectation from quarantine_facts
where article_id in (select unnest($ids::varchar[]))
order by article_id, char_start, char_end desc, status, fact_id
"""

# One digest per article over every row its page shows: order-free xor of row hashes, so
# the query aggregates to a number per article (hashing the rows' text with md5 and
# string_agg took ~24 s and 1.2 GB for 20,000 articles; this ~1.5 s).
_DIGESTS = """
with a as (select s.article_id, hash(s, d) h from stg_articles s left join dim_article d using (article_id)),
src as (select article_id, bit_xor(hash(x)) h from article_sources x group by 1),
fa as (select article_id, bit_xor(hash(f)) h, count(*) n from fct_facts f group by 1),
qa as (select article_id, bit_xor(hash(q)) h, count(*) n from quarantine_facts q group by 1)
select a.article_id, hash(a.h, src.h, fa.h, fa.n, qa.h, qa.n)::varchar as digest
from a left join src using (article_id) left join fa using (article_id) left join qa using (article_id)
"""

# Names the pages show come from these; when they change every page is rewritten.
_DIMS_DIGEST = """
select hash((select bit_xor(hash(r)) from dim_region r), (select bit_xor(hash(i)) from dim_indicator i),
            (select bit_xor(hash(u)) from dim_unit u))::varchar
"""


@dataclass
class Names:
    """Names of region, indicator and unit codes, read once for many pages."""
    regions: dict[str, list[tuple]]
    indicators: dict[str, str]
    units: dict[str, str]

    @classmethod
    def load(cls, reader: Reader) -> "Names":
        regions: dict[str, list[tuple]] = {}
        for code, name, vf, vt in reader.con.execute(
                "select region_code, name, valid_from, valid_to from dim_region").fetchall():
            regions.setdefault(code, []).append((vf.year if vf else 0, vt.year if vt else 9999,
                                                 vf.toordinal() if vf else -1, name or ""))
        return cls(regions,
                   dict(reader.con.execute("select indicator_code, any_value(name_zh) from dim_indicator group by 1").fetchall()),
                   dict(reader.con.execute("select unit_code, any_value(name_zh) from dim_unit group by 1").fetchall()))

    def region(self, code: str | None, year: int | None) -> str | None:
        """The name valid in that year (as v_facts picks it): valid then, else the latest."""
        rows = self.regions.get(code) if code else None
        if not rows:
            return None
        y = 9999 if year is None else year
        return min(rows, key=lambda r: (not r[0] <= y <= r[1], -r[2], r[3]))[3]


def _group(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r.pop("article_id"), []).append(r)
    return out


def read_articles(reader: Reader, ids: list[str], names: Names | None = None) -> list[dict]:
    """Everything the pages of these articles show, in three queries."""
    names = names or Names.load(reader)
    arts = reader.rows(_ARTICLES, [ids])
    sources = _group(reader.rows(_SOURCES, [ids]))
    facts = _group(reader.rows(_FACTS, {"ids": ids}))
    for a in arts:
        a["main_region_name"] = names.region(a["main_region_code"], a["pub_date"].year if a["pub_date"] else None)
        a["sources"] = sources.get(a["article_id"], [])
        a["facts"] = facts.get(a["article_id"], [])
        for f in a["facts"]:
            f["region_name"] = names.region(f["region_code"], f["year"])
            f["indicator_name"] = names.indicators.get(f["indicator_code"])
            f["unit_name"] = names.units.get(f["unit_code"])
    return arts


def resolve(reader: Reader, name: str) -> str:
    """The article id that NAME denotes: an article id, a file name or path of one of its
    sources, or a prefix of exactly one article id or file name."""
    name = name.strip()
    path = os.path.abspath(name)
    for sql, params in (
        ("select article_id from stg_articles where article_id = lower(?)", [name]),
        ("select article_id from article_sources where source_path = ? or source_file = ?", [path, name]),
        ("select article_id from stg_articles where starts_with(article_id, lower(?)) "
         "union select article_id from article_sources where starts_with(source_file, ?)", [name, name]),
    ):
        if not name:
            break
        ids = sorted({r["article_id"] for r in reader.rows(sql, params)})
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise ArticleNotFound(f"{name!r} names {len(ids)} articles ({', '.join(i[:12] for i in ids[:5])}"
                                  f"{', ...' if len(ids) > 5 else ''}); give more of the id or the file name")
    raise ArticleNotFound(f"no article in the warehouse is named {name!r} (a file name, an article id or a prefix)")


# ----------------------------------------------------------------------------- rendering

# the facts as the page's script reads them: column names once, then one array per fact
DETAIL_COLS = ("status", "fact_id", "surface", "value", "value_base", "unit_code", "unit_name", "qualifier",
               "year", "year_source", "region_code", "region_name", "region_source", "indicator_code",
               "indicator_name", "indicator_text", "kind", "scope", "change_direction", "confidence", "failed_expectation", "char_start",
               "char_end", "context")


def _klass(f: dict) -> str:
    kind = f["kind"] if f["kind"] in KINDS else "other"
    scope = f["scope"] if f["scope"] in SCOPES else "other"
    return f"hl k-{kind} s-{scope}" + (" q" if f["status"] == "quarantined" else "")


def highlighted_text(text: str, facts: list[dict]) -> Markup:
    """The article text as HTML with a <mark> per fact (per piece of a split one). The one
    piece of markup built in Python: a template loop over the text's runs was the largest
    part of a page's render time, and a first report writes 20,000 pages. Text runs go
    through escape (and a CR through a character reference, which the HTML parser keeps);
    the rest is fixed vocabulary and integers."""
    klass = [_klass(f) for f in facts]
    out = []
    for t in highlight.segment(text, [(f["char_start"], f["char_end"]) for f in facts]):
        if t.tag == "text":
            out.append(raw_text(t.text))
        elif t.tag == "open":
            anchor = f' id="f{t.index}"' if t.piece == 0 else ""
            part = " part" if t.split else ""
            out.append(f'<mark class="{klass[t.index]}{part}" data-f="{t.index}"{anchor} tabindex="0">')
        else:
            out.append("</mark>")
    return Markup("".join(out))


def render_page(article: dict, generated: str) -> str:
    facts = article["facts"]
    script = asset("review.js")
    return environment().get_template("review.html.j2").render(
        a=article, n_facts=len(facts), generated=generated,
        text=highlighted_text(article["raw_text"] or "", facts),
        details={"cols": DETAIL_COLS, "rows": [[f[c] for c in DETAIL_COLS] for f in facts]},
        n_loaded=sum(f["status"] == "loaded" for f in facts),
        n_quarantined=sum(f["status"] == "quarantined" for f in facts),
        filters=FILTERS, scopes=SCOPES, script=script, script_hash=csp_hash(script),
        review_css=asset("review.css"))


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_page(reader: Reader, out_dir: Path, article_id: str, generated: str) -> Path:
    arts = read_articles(reader, [article_id])
    if not arts:
        raise ArticleNotFound(f"article {article_id} is not in the warehouse")
    path = Path(out_dir) / page_name(article_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, render_page(arts[0], generated))
    return path


def _render_key(reader: Reader) -> str:
    """Changes when the page's code, templates or the names it shows change."""
    h = hashlib.sha256()
    for name in ("review.html.j2", "review.js", "review.css", "report.css"):
        h.update((files("fupin.warehouse") / "templates" / name).read_bytes())
    for mod in ("review.py", "highlight.py", "templating.py"):
        h.update((files("fupin.warehouse") / mod).read_bytes())
    h.update(str(reader.scalar(_DIMS_DIGEST)).encode())
    return h.hexdigest()


def write_pages(reader: Reader, out_dir: Path, generated: str, max_written: int | None = None) -> dict:
    """Write the page of every article whose rows changed since its page was written (all
    of them the first time); remove the pages of articles no longer in the warehouse. With
    max_written, when more pages than that are due none is written (`deferred`): a large
    first load leaves them to `fupin report`. Returns counts: written, kept, removed, deferred."""
    folder = Path(out_dir) / PAGES
    folder.mkdir(parents=True, exist_ok=True)
    mpath = folder / MANIFEST
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    key = _render_key(reader)
    old = manifest.get("pages", {}) if manifest.get("key") == key else {}
    digests = dict(reader.con.execute(_DIGESTS).fetchall())
    todo = sorted(a for a, d in digests.items()
                  if old.get(a) != d or not (folder / f"{a}.html").exists())
    if max_written is not None and len(todo) > max_written:
        return {"written": 0, "kept": len(digests) - len(todo), "removed": 0, "deferred": len(todo)}
    names = Names.load(reader) if todo else None
    for k in range(0, len(todo), CHUNK):
        for art in read_articles(reader, todo[k:k + CHUNK], names):
            _write(folder / f"{art['article_id']}.html", render_page(art, generated))
    removed = 0
    for a in set(manifest.get("pages", {})) - set(digests):
        (folder / f"{a}.html").unlink(missing_ok=True)
        removed += 1
    _write(mpath, json.dumps({"key": key, "pages": digests}, sort_keys=True))
    return {"written": len(todo), "kept": len(digests) - len(todo), "removed": removed, "deferred": 0}
