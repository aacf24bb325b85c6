"""Article-level facts: title, publication date (dateline, else inferred), outlet."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DATE_RE = re.compile(r"((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
OUTLET_RE = re.compile(r"(?:来源|转自|稿源|出处)\s*[:：]\s*([^\s,，。;；()（）【】|]{2,30})")
DATELINE_HINT = re.compile(r"来源|发布|时间|编辑|作者|责编|稿源|日期")
YEAR_ONLY_RE = re.compile(r"((?:19|20)\d\d)\s*年")


@dataclass
class ArticleMeta:
    title: str | None
    pub_date: dt.date | None
    pub_date_source: str  # dateline | text_latest_year | unknown
    outlet: str | None


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def find_title(text: str) -> str | None:
    lines = _lines(text)
    if not lines:
        return None
    first = lines[0]
    if len(first) <= 80 and "。" not in first.rstrip("。") and not DATE_RE.match(first):
        return first
    return None


def find_dateline(text: str) -> tuple[dt.date | None, int | None, int | None]:
    """A full date on a short line near the top (or the bottom) that reads as a dateline:
    the line is mostly the date, or it names the source/time. Returns (date, start, end)."""
    lines = text.splitlines(keepends=True)
    pos, candidates = 0, []
    for i, ln in enumerate(lines):
        candidates.append((i, pos, ln))
        pos += len(ln)
    head = [c for c in candidates if c[2].strip()][:8]
    tail = [c for c in candidates if c[2].strip()][-5:]
    for _, start, ln in head + tail:
        s = ln.strip()
        m = DATE_RE.search(s)
        if not m:
            continue
        short = len(s) <= 40 or DATELINE_HINT.search(s) is not None
        at_start = m.start() <= 2
        if short and (at_start or DATELINE_HINT.search(s)):
            try:
                d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            off = start + ln.index(s) + m.start()
            return d, off, off + len(m.group(0))
    return None, None, None


WIRE_DATE_RE = re.compile(r"(?:电|讯)?[\u4e00-\u9fff]{0,12}?(\d{1,2})月(\d{1,2})日(?:电|讯)")


def wire_month_day(text: str) -> tuple[int, int] | None:
    """新华社西宁10月17日电: a month and day with no year, near the top."""
    m = WIRE_DATE_RE.search(text[:300])
    return (int(m.group(1)), int(m.group(2))) if m else None


def find_outlet(text: str) -> str | None:
    m = OUTLET_RE.search(text[:400]) or OUTLET_RE.search(text[-400:])
    return m.group(1).strip("-—") if m else None
