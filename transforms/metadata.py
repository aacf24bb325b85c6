"""Article-level facts: title, publication date (dateline, else inferred), outlet."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from fupin.transforms import lexicon
from fupin.transforms.numbers import parse_cn_integer

# (?!…): 2019年11.26万贫困人口 is a year and an amount, not a date
DATE_RE = re.compile(r"((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})(?![\d.]|万|亿|千)\s*日?")
# 25.11.2016 11:05 (day first, as some page headers write it)
# 2019年三月五日 (二〇一九年 already in digits after normalisation): an official document's date
CN_DATE_RE = re.compile(r"((?:19|20)\d\d)年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
DMY_RE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)(?![\d.])")
OUTLET_RE = re.compile(f"(?:{lexicon.alternation('datelines', 'source_label')})" + r"\s*[:：]\s*([^\s,，。;；()（）【】|]{2,30})")
DATELINE_HINT = re.compile(lexicon.alternation("datelines", "dateline_hint"))
_FIELD_HINT = re.compile(r"(?<![\u4e00-\u9fff])(?:" + lexicon.alternation("datelines", "dateline_hint") + ")")
_CLOCK = re.compile(r"\s*\d{1,2}:\d{2}")

# A furniture word stands as an item of its line (字号:大 中 小, 记者 张三, 首页 > 正文), never run
# into the words of a headline (“桂”字号品牌, 记者蹲点)
_CHROME_RE = re.compile("(?:" + lexicon.alternation("page_chrome") + r")(?![\u4e00-\u9fff])")
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_SITE_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{1,8}(?:网|在线)$")
_SITE_OWNER = re.compile(r"^[\u4e00-\u9fff]{2,16}?(?:" + lexicon.alternation("site_owners") + ")$")
_BULLET = " •·●▪-*"
TITLE_MIN_HANZI = 5
CHROME_MAX_CHARS = 40  # a byline or toolbar line; a lead paragraph naming its 记者 is article text


def is_chrome(line: str) -> bool:
    """A line of page furniture: navigation (several | or /), a byline or counter line, a
    site name (江苏龙网), a link, or a line naming page furniture (首页, 字号, 来源)."""
    s = line.strip().lstrip(_BULLET)
    return (s.count("|") >= 2 or s.count("/") >= 3 or s.startswith(("http", ">"))
            or (len(s) <= CHROME_MAX_CHARS and _CHROME_RE.search(s) is not None) or _SITE_NAME.match(s) is not None
            or _SITE_OWNER.match(s) is not None
            or (s.count(" ") >= 4 and len(s) / (s.count(" ") + 1) <= 4 and not _table_row(s.split())))


_TABLE_CELL = re.compile(r"\d[\d,]*(?:\.\d+)?|—|－|-")


def _table_row(items: list[str]) -> bool:
    """科右中旗  12658  31420  96: a label then cells of numbers, a row of a table (no menu)."""
    return len(items) >= 3 and all(map(_TABLE_CELL.fullmatch, items[-2:])) and not _TABLE_CELL.fullmatch(items[0])


@lru_cache(maxsize=1)
def _lines(text: str) -> tuple[str, ...]:
    """text.splitlines(keepends=True), split once per text: six readers of the page's lines
    (title, dateline, links, chrome, site owner) are called for the same article in turn."""
    return tuple(text.splitlines(keepends=True))


_LINK_HEADING = re.compile(r"[\s\u3000【\[]*(?:" + lexicon.alternation("link_headings") + r")[\s\u3000】\]:：>»更多]*$")
# 上一篇:… / 下一篇:…: a link to the site's neighbouring page, after the body
_NEIGHBOUR_LINK = re.compile(r"[\s\u3000【\[]*(?:上一篇|下一篇|上一条|下一条)[】\]]?[:：]")
# 【热门推荐】手机兼职日结,每天300元起,点击了解>>: a bracketed link heading opening a line of its own
_LINK_LINE = re.compile(r"[\s\u3000]*[【\[](?:" + lexicon.alternation("link_headings") + r")[】\]]")


def links_tail(text: str) -> int:
    """Where the page's link lists and footer begin: a line that is only a heading of
    seeds/link_headings.csv (相关新闻) after a line of the body; the text's end if none."""
    pos, body_seen = 0, False
    for ln in _lines(text):
        if body_seen and (_LINK_HEADING.match(ln.strip()) or _NEIGHBOUR_LINK.match(ln)):
            return pos
        body_seen = body_seen or "。" in ln
        pos += len(ln)
    return len(text)


def link_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines that open with a bracketed link heading (【热门推荐】…): an
    advertisement or a link wherever it stands, no fact of the article."""
    spans, pos = [], 0
    for ln in _lines(text):
        if _LINK_LINE.match(ln):
            spans.append((pos, pos + len(ln)))
        pos += len(ln)
    return spans


def chrome_spans(text: str, head_lines: int = 15) -> list[tuple[int, int]]:
    """(start, end) of the page-furniture lines among the first head_lines non-empty lines."""
    spans, pos, seen = [], 0, 0
    for ln in _lines(text):
        if ln.strip():
            seen += 1
            if seen > head_lines:
                break
            if is_chrome(ln):
                spans.append((pos, pos + len(ln)))
        pos += len(ln)
    return spans


_BODY_MIN_CHARS = 80  # a line this long is a paragraph of the article, never its headline
_MENU_ITEM_MAX = 6    # 今日国内 百态社会 今日财经: a row of short items is a menu, not a headline
_SENTENCE_PUNCT = re.compile(r"[，,。：:；;“”「」《》!?！？]")
_CRUMB = re.compile(r"(?<=[\s\u4e00-\u9fff])(?:>>|[>»›])(?=[\s\u4e00-\u9fff])")  # 首页 > 新闻, 人民网>>辽宁频道 (not <b>)
# 标题：甘肃定西…, [2018-12-21] 内蒙古：今年…摘帽 | 正北方网: a crawl's labelled or dated title line
_TITLE_LABEL = re.compile(r"^(?:文章标题|新闻标题|标题|题目|title)\s*[:：]\s*", re.IGNORECASE)
_DATED_TITLE = re.compile(r"^[\[【]\s*" + DATE_RE.pattern + r"[^\]】]{0,9}[\]】]\s*")
_WIRE_TITLE = re.compile(r"(?:电|讯|消息)\s*[)）]?\s*(?:标)?题\s*[:：]\s*(\S.*)$")


# 【转载】…[复制链接]: a forum's or a mirror's tags around the headline
_TITLE_TAGS = re.compile(r"^[【\[](?:转载|转帖|原创|图文|视频|组图)[】\]]\s*|\s*[【\[](?:复制链接|打印|收藏|推荐)[】\]]$")


def _is_body(s: str) -> bool:
    """A line of the article's body: it holds a full stop, or is paragraph-long."""
    return "。" in s or len(s) > _BODY_MIN_CHARS


def _is_menu(s: str) -> bool:
    """A row of navigation: four or more short items separated by spaces, without sentence
    punctuation, or a breadcrumb trail (首页 > 新闻 > 正文)."""
    items = s.split()
    return ((len(items) >= 4 and max(map(len, items)) <= _MENU_ITEM_MAX and not _SENTENCE_PUNCT.search(s)
             and not _table_row(items))
            or len(_CRUMB.findall(s)) >= 2)


def find_title(text: str) -> tuple[str, int] | None:
    """(title, offset): the first line above the article's body that reads as a headline --
    no sentence end, not a date, not page furniture or a menu, at least TITLE_MIN_HANZI
    Chinese characters. A line `栏目|标题` keeps its longest part; a wire dateline that names
    its title (新华社成都3月3日电 题:…) gives what follows 题:. None when the body starts before
    any such line: a heading inside the text, or furniture after it (related links, a
    footer), is never the title -- no title is better than a wrong one."""
    pos, seen = 0, 0
    for ln in _lines(text):
        s = ln.strip()
        if s:
            seen += 1
            wire = _WIRE_TITLE.search(s) if WIRE_DATE_RE.match(s) else None
            if wire and len(_HANZI.findall(wire.group(1))) >= TITLE_MIN_HANZI and not _is_body(wire.group(1)):
                t = wire.group(1).strip()
                return t, pos + ln.index(t)
            if seen > 12 or _is_body(s):
                break
            s = _TITLE_LABEL.sub("", s, count=1)
            if (dated := _DATED_TITLE.match(s)) and not DATELINE_HINT.search(s, dated.end()):
                s = s[dated.end():]
            if (not DATE_RE.search(s) and not is_chrome(s) and not _is_menu(s)
                    and len(_HANZI.findall(s)) >= TITLE_MIN_HANZI):
                if "|" in s:
                    s = max(s.split("|"), key=len).strip()
                s = _TITLE_TAGS.sub("", s) or s
                return s, pos + ln.index(s)
        pos += len(ln)
    return None


def _date_part(s: str) -> int:
    return int(s) if s.isdigit() else (parse_cn_integer(s) or 0)


_MENU_WORD = re.compile(r"[^\d]{1,6}")


REPOST_MARK_LINES = 20
_REPOST_MARK = re.compile(f"(?:{lexicon.alternation('datelines', 'repost_mark')})")


def find_dateline(text: str) -> tuple[dt.date | None, int | None, int | None]:
    """A full date on a short line near the top (or the bottom) that reads as a dateline:
    the line is mostly the date, or it names the source/time. Returns (date, start, end)."""
    lines = _lines(text)
    pos, candidates = 0, []
    for i, ln in enumerate(lines):
        candidates.append((i, pos, ln))
        pos += len(ln)
    # the first 8 lines that could hold a date: a crawl's menu (首页, 新闻中心, 政务公开 …, a
    # line of a few characters and no digit) may fill the top of the page before the header
    head = [c for c in candidates if c[2].strip() and not _MENU_WORD.fullmatch(c[2].strip())][:8]
    tail = [c for c in candidates if c[2].strip()][-5:]
    repost = next((i for i, _, ln in candidates[:REPOST_MARK_LINES] if _REPOST_MARK.fullmatch(ln.strip())), None)
    if repost is not None:  # 【转载】 under a forum post's own date: the story's header follows
        head = [c for c in candidates[repost + 1:] if c[2].strip()][:8] + head
    for _, start, ln in head + tail:
        s = ln.strip()
        m = DATE_RE.search(s)
        ymd = (1, 2, 3)
        if not m and (m := DMY_RE.search(s)):
            ymd = (3, 2, 1)
        if not m and (m := CN_DATE_RE.search(s)):
            ymd = (1, 2, 3)
        if not m:
            continue
        # In a long line a hint counts only where it opens a field (发布时间：…), not inside
        # running words (- 脱贫时间:黑龙江省在2020年2月26日宣布…)
        hint = (DATELINE_HINT if len(s) <= 40 else _FIELD_HINT).search(s) is not None
        short = len(s) <= 40 or hint
        at_start = m.start() <= 2
        at_end = m.end() >= len(s) - 1  # 国家统计局 2017年12月16日: an issuer and its date
        with_time = _CLOCK.match(s, m.end()) is not None  # 范存宝 2020-04-26 18:48:48 央广网
        if short and (at_start or at_end or with_time or hint):
            try:
                d = dt.date(*(_date_part(m.group(k)) for k in ymd))
            except ValueError:
                continue
            off = start + ln.index(s) + m.start()
            return d, off, off + len(m.group(0))
    return None, None, None


_WIRE = lexicon.alternation("datelines", "wire_mark")
WIRE_DATE_RE = re.compile(r"[\u4e00-\u9fff]{0,14}?(\d{1,2})月(\d{1,2})日" + f"(?:{_WIRE})")
_WIRE_TAIL = re.compile(r"月\d{1,2}日" + f"(?:{_WIRE})")


# (原载《甘肃日报》2017年8月15日第3版), 转自宁夏日报 2015年11月06日: where a reposted story first appeared, and when
_ORIGINAL_MARKS = lexicon.words("datelines", "original_mark")
_ORIGINAL = re.compile(f"(?:{'|'.join(_ORIGINAL_MARKS)})" + r"[^\n。]{0,24}?" + DATE_RE.pattern)
# a text holding none of these is not searched; each is looked for with `in` (in C), not by
# testing every character of the text against a set (a string made and hashed per character)
_ORIGINAL_FIRST = tuple(sorted({w[0] for w in _ORIGINAL_MARKS}))


def original_date(text: str) -> tuple[dt.date, int, int] | None:
    """The date a reposted story says it first appeared (原载《…》2017年8月15日), with its span."""
    m = _ORIGINAL.search(text) if any(ch in text for ch in _ORIGINAL_FIRST) else None
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(1), m.end()
    except ValueError:
        return None


def wire_dateline(text: str) -> tuple[int, int, int, int] | None:
    """新华社西宁10月17日电, 央广网银川11月18日消息: (month, day, start, end) of a dateline with
    no year near the top. Its place names say where the news was issued, not what it is about."""
    head = text[:400]
    # every match holds 月N日 and a wire word: where none stands (most texts), no search from
    # each position
    m = WIRE_DATE_RE.search(head) if _WIRE_TAIL.search(head) else None
    return (int(m.group(1)), int(m.group(2)), m.start(), m.end()) if m else None


# 浙江日报 2023年02月14日 第00002版：要闻 / 《 人民日报 》（ 2019年04月08日　 01 版）: a paper's issue line
_PAPER_ISSUE = re.compile(r"^[ \u3000]*《?[ \u3000]*([\u4e00-\u9fff]{2,8}(?:日报|晚报|时报|商报))[ \u3000]*》?[ \u3000]*[（(]?[ \u3000]*"
                          r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日", re.M)


def outlet_span(text: str) -> tuple[int, int] | None:
    """Where the outlet's name (来源:山西晚报, or a paper's issue line) stands in the text."""
    m = OUTLET_RE.search(text[:400]) or _PAPER_ISSUE.search(text[:400])
    if m:
        return m.span(1)
    tail = max(0, len(text) - 400)
    m = OUTLET_RE.search(text[tail:])
    return (tail + m.start(1), tail + m.end(1)) if m else None


SITE_OWNER_LINES = 3  # a site's header stands among the page's first lines


def site_owner_span(text: str) -> tuple[int, int] | None:
    """Where the name of the government body owning the page (青海省乡村振兴局) stands, as a
    header line of its own at the top of the page (seeds/site_owners.csv)."""
    pos, seen = 0, 0
    for ln in _lines(text):
        s = ln.strip()
        if s:
            seen += 1
            if seen > SITE_OWNER_LINES:
                break
            if _SITE_OWNER.match(s):
                return pos + ln.index(s), pos + ln.index(s) + len(s)
        pos += len(ln)
    return None


# 首页 > 新闻中心 > 天津新闻, 人民网>>甘肃频道: a site's section named for a region
_SECTION_OF_REGION = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:新闻|要闻|频道|动态)$")


def crumb_section(text: str) -> str | None:
    """The last item of a breadcrumb trail near the top of the page that names a region's
    section (天津新闻 of 首页 > 新闻中心 > 天津新闻): the region the site files the page under."""
    for ln in _lines(text)[:SITE_OWNER_LINES]:
        s = ln.strip()
        if _CRUMB.search(s) and (m := _SECTION_OF_REGION.search(_CRUMB.split(s)[-1].strip())):
            return m.group(1)
    return None


def find_outlet(text: str) -> str | None:
    span = outlet_span(text)
    return text[span[0]:span[1]].strip("-—") if span else None
