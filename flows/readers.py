"""Readers for the inputs that are not plain article text: JSON Lines exports (one article
per line) and HTML pages (main text and the page's own metadata, by trafilatura).

Each reader takes a file's path and bytes and returns rows: article rows (the
transforms.contracts.ARTICLE columns) and reject rows (reason, detail). Offsets of the facts
index the stored `raw_text`: the record's text, or the text trafilatura extracted.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os

from fupin.flows.manifest import parse_date
from fupin.transforms.decode import StageError

SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
# The field names crawlers' exports use (news-please, Scrapy projects), in order of preference.
TEXT_FIELDS = ("text", "maintext", "content", "body", "article", "正文")
DATE_FIELDS = ("date_publish", "published", "date", "publish_time", "publish_date", "pub_date", "pubtime",
               "pub_time", "datetime", "time", "发布时间")
TITLE_FIELDS = ("title", "headline", "标题")
URL_FIELDS = ("url", "link", "source_url", "href")


def kind(path: str) -> str:
    """txt | jsonl | html, from the file name."""
    low = path.lower()
    if low.endswith(".jsonl"):
        return "jsonl"
    if low.endswith((".html", ".htm")):
        return "html"
    return "txt"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _first(rec: dict, names: tuple[str, ...]):
    return next((rec[n] for n in names if isinstance(rec.get(n), str) and rec[n].strip()), None)


def read_jsonl(path: str, data: bytes) -> tuple[list[dict], list[dict]]:
    """One article per line: its text (TEXT_FIELDS: text | maintext | content | …) is the
    article, identified by the text's sha256; url, date and title (URL_FIELDS, DATE_FIELDS,
    TITLE_FIELDS) are what the record knew. A line that is not JSON or has no text is a reject naming file and line."""
    name, file_hash = os.path.basename(path), _sha(data)
    arts, rejs = [], []
    codec = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise StageError("undecodable", f"is not UTF-8, as JSON Lines must be ({e.reason} at byte {e.start})")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = {"source_path": f"{path}#L{n}", "source_file": f"{name}#L{n}", "file_path": path, "line_no": n,
                 "content_hash": file_hash, "size_bytes": len(line.encode())}
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            rejs.append({**where, "reason": "bad_line", "detail": f"{name} line {n} is not JSON ({e.msg})"})
            continue
        body = _first(rec, TEXT_FIELDS) if isinstance(rec, dict) else None
        if body is None:
            rejs.append({**where, "reason": "bad_line",
                         "detail": f"{name} line {n} has no article text (fields {', '.join(TEXT_FIELDS)})"})
            continue
        date = parse_date(_first(rec, DATE_FIELDS) or "")
        arts.append({"article_id": _sha(body.encode()), "source_file": where["source_file"],
                     "source_path": where["source_path"], "size_bytes": where["size_bytes"], "encoding": codec,
                     "input_kind": "jsonl",
                     "raw_text": body, "file_path": path, "line_no": n, "file_hash": file_hash,
                     "known_pub_date": date, "known_pub_date_source": "jsonl" if date else None,
                     "known_title": _first(rec, TITLE_FIELDS), "known_url": _first(rec, URL_FIELDS)})
    return arts, rejs


def read_html(path: str, data: bytes) -> dict:
    """The page's main text (trafilatura: navigation, footers, related links and comments
    left out) and its own title, date and URL. The article is identified by the page's
    sha256, so an unchanged page is skipped. StageError('no_main_text') when trafilatura
    finds no article in it."""
    import trafilatura

    # Precision, and no fallback extractors (fast): the fallbacks take a navigation bar for
    # the text of a page that has none.
    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True,
                                      favor_precision=True, fast=True)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        raise StageError("no_main_text", "is an HTML page in which no article text was found (trafilatura "
                                         "found no main text: an index page, a form, or empty)",
                         content_hash=_sha(data), size=len(data))
    date = parse_date(doc.date) if doc.date else None
    return {"article_id": _sha(data), "source_file": os.path.basename(path), "source_path": path,
            "size_bytes": len(data), "encoding": page_codec(data), "input_kind": "html", "raw_text": text, "file_path": path, "line_no": None,
            "file_hash": _sha(data), "known_pub_date": date, "known_pub_date_source": "html_meta" if date else None,
            "known_title": doc.title or None, "known_url": doc.url or None}


def page_codec(data: bytes) -> str | None:
    """The codec a page's bytes read as (trafilatura decodes the page itself, the same way):
    UTF-8 when they are valid UTF-8, else the first of trafilatura's guesses that decodes
    them; None when none does (trafilatura then reads it as UTF-8 with replacements)."""
    from trafilatura.utils import detect_encoding

    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for codec in detect_encoding(data):
        try:
            data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        return codecs.lookup(codec).name
    return None


def with_manifest(row: dict, known: dict | None, attributes: dict | None, digest: str | None) -> dict:
    """A staged article row with the manifest's word on its file: a manifest value wins over
    the record's or the page's own (the crawler knew the page), an absent one does not."""
    out = dict(row)
    for k, v in (known or {}).items():
        if v is not None:
            out[k] = dt.date.fromisoformat(v) if k == "known_pub_date" and isinstance(v, str) else v
    out["attributes"] = json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else None
    out["known_digest"] = digest
    return out
