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
from importlib.resources import files
from pathlib import Path

from fupin.warehouse import highlight
from fupin.warehouse.snapshot import Reader
from fupin.warehouse.templating import asset, csp_hash, environment

PAGES = "articles"
MANIFEST = "manifest.json"
CHUNK = 500
KINDS = ("actual", "target")
SCOPES = ("region", "local", "entity", "person", "threshold")
# the facts table's filters: (name, field of a fact)
FILTERS = [("status", "status"), ("indicator", "indicator_code"), ("region", "region_code"),
           ("year", "year"), ("kind", "kind"), ("scope", "scope")]


class ArticleNotFound(LookupError):
    pass


def page_name(article_id: str) -> str:
    return f"{PAGES}/{article_id}.html"


# ----------------------------------------------------------------------------- queries

_ARTICLES = """
select s.article_id, s.raw_text, s.encoding, s.size_bytes, s.n_chars, s.loaded_at, s.run_id,
       d.title, d.pub_date, d.pub_date_source, d.outlet, d.main_region_code,
       (select r.name from dim_region r where r.region_code = d.main_region_code
        order by (coalesce(year(d.pub_date), 9999) between coalesce(year(r.valid_from), 0)
                  and coalesce(year(r.valid_to), 9999)) desc, r.valid_from desc nulls last, r.name
        limit 1) as main_region_name
from stg_articles s left join dim_article d using (article_id)
where s.article_id in (select unnest(?::varchar[]))
order by s.article_id
"""

_SOURCES = """
select article_id, source_path, source_file from article_sources
where article_id in (select unnest(?::varchar[])) order by article_id, source_path
"""

# Loaded and quarantined facts together, with the names of their codes; a region's name is
# the one valid in the fact's year (as in v_facts).
_FACTS = """
with f as (
    select 'loaded' as status, *, null::varchar as failed_expectation from fct_facts
    where article_id in (select unnest($ids::varchar[]))
    union all by name
    select 'quarantined' as status, * from quarantine_facts
    where article_id in (select unnest($ids::varchar[]))
), rn as (
    select f.status, f.fact_id, r.name from f join dim_region r on r.region_code = f.region_code
    qualify row_number() over (
        partition by f.status, f.fact_id
        order by (coalesce(f.year, 9999) between coalesce(year(r.valid_from), 0)
                  and coalesce(year(r.valid_to), 9999)) desc, r.valid_from desc nulls last, r.name) = 1
)
select f.article_id, f.status, f.fact_id, f.char_start, f.char_end, f.surface, f.value, f.value_base,
       f.unit_code, u.name_zh as unit_name, f.qualifier, f.year, f.year_source,
       f.region_code, rn.name as region_name, f.region_source,
       f.indicator_code, i.name_zh as indicator_name, f.indicator_text,
       f.kind, f.scope, f.context, f.failed_expectation, f.run_id
from f
left join rn using (status, fact_id)
left join (select indicator_code, any_value(name_zh) name_zh from dim_indicator group by 1) i using (indicator_code)
left join (select unit_code, any_value(name_zh) name_zh from dim_unit group by 1) u using (unit_code)
order by f.article_id, f.char_start, f.char_end desc, f.status, f.fact_id
"""

# One digest per article over every row its page shows.
_DIGESTS = """
with a as (select s.article_id, md5(concat(s::varchar, d::varchar)) h
           from stg_articles s left join dim_article d on d.article_id = s.article_id),
src as (select article_id, md5(string_agg(x::varchar, '|' order by source_path)) h
        from article_sources x group by 1),
fa as (select article_id, md5(string_agg(f::varchar, '|' order by fact_id)) h from fct_facts f group by 1),
qa as (select article_id, md5(string_agg(q::varchar, '|' order by fact_id)) h from quarantine_facts q group by 1)
select a.article_id, md5(concat_ws('|', a.h, src.h, fa.h, qa.h)) as digest
from a left join src using (article_id) left join fa using (article_id) left join qa using (article_id)
"""

# Names the pages show come from these; when they change every page is rewritten.
_DIMS_DIGEST = """
select md5(concat_ws('|',
    (select string_agg(r::varchar, '|' order by region_code, valid_from, name) from dim_region r),
    (select string_agg(i::varchar, '|' order by indicator_code) from dim_indicator i),
    (select string_agg(u::varchar, '|' order by unit_code) from dim_unit u)))
"""


def _group(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r.pop("article_id"), []).append(r)
    return out


def read_articles(reader: Reader, ids: list[str]) -> list[dict]:
    """Everything the pages of these articles show, in three queries."""
    arts = reader.rows(_ARTICLES, [ids])
    sources = _group(reader.rows(_SOURCES, [ids]))
    facts = _group(reader.rows(_FACTS, {"ids": ids}))
    for a in arts:
        a["sources"] = sources.get(a["article_id"], [])
        a["facts"] = facts.get(a["article_id"], [])
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

def _klass(f: dict) -> str:
    kind = f["kind"] if f["kind"] in KINDS else "other"
    scope = f["scope"] if f["scope"] in SCOPES else "other"
    return f"hl k-{kind} s-{scope}" + (" q" if f["status"] == "quarantined" else "")


def _details(i: int, f: dict) -> dict:
    """What the page's script shows for a fact (JSON, read with textContent only)."""
    keep = ("status", "fact_id", "surface", "value", "value_base", "unit_code", "unit_name", "qualifier",
            "year", "year_source", "region_code", "region_name", "region_source", "indicator_code",
            "indicator_name", "indicator_text", "kind", "scope", "failed_expectation", "char_start",
            "char_end", "context")
    return {"i": i, **{k: f[k] for k in keep}}


def render_page(article: dict, generated: str) -> str:
    facts = article["facts"]
    spans = [(f["char_start"], f["char_end"]) for f in facts]
    tokens = highlight.segment(article["raw_text"] or "", spans)
    script = asset("review.js")
    return environment().get_template("review.html.j2").render(
        a=article, facts=facts, tokens=tokens, generated=generated,
        klass=[_klass(f) for f in facts],
        details=[_details(i, f) for i, f in enumerate(facts)],
        n_loaded=sum(f["status"] == "loaded" for f in facts),
        n_quarantined=sum(f["status"] == "quarantined" for f in facts),
        filters=FILTERS,
        kinds=KINDS, scopes=SCOPES, script=script, script_hash=csp_hash(script),
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
        h.update(asset(name).encode())
    for mod in ("review.py", "highlight.py", "templating.py"):
        h.update((files("fupin.warehouse") / mod).read_bytes())
    h.update(str(reader.scalar(_DIMS_DIGEST)).encode())
    return h.hexdigest()


def write_pages(reader: Reader, out_dir: Path, generated: str) -> dict:
    """Write the page of every article whose rows changed since its page was written (all
    of them the first time); remove the pages of articles no longer in the warehouse.
    Returns counts: written, kept, removed."""
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
    for k in range(0, len(todo), CHUNK):
        for art in read_articles(reader, todo[k:k + CHUNK]):
            _write(folder / f"{art['article_id']}.html", render_page(art, generated))
    removed = 0
    for a in set(manifest.get("pages", {})) - set(digests):
        (folder / f"{a}.html").unlink(missing_ok=True)
        removed += 1
    _write(mpath, json.dumps({"key": key, "pages": digests}, sort_keys=True))
    return {"written": len(todo), "kept": len(digests) - len(todo), "removed": removed}
