"""The Jinja2 environment of the HTML report and the review pages: templates shipped as
package data (fupin/warehouse/templates), autoescape on, and the few value filters the
pages share. Static assets (CSS, the review page's script) are read from the same folder and
inlined, so every page is one file that needs nothing at view time."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Link:
    """A table cell that links somewhere."""
    href: str
    text: str


@dataclass(frozen=True)
class Badge:
    """A table cell shown with a class (ok, bad, warn)."""
    text: str
    klass: str


def fmt(v: Any, col: str = "") -> Markup:
    """A cell value as a person reads it; None as a muted dash."""
    if v is None:
        return Markup('<span class="muted">–</span>')
    if isinstance(v, bool):
        return Markup('<span class="ok">yes</span>' if v else '<span class="bad">no</span>')
    if isinstance(v, int):
        return escape(str(v) if "year" in col else f"{v:,}")
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return escape(str(v))
        if abs(v) >= 1000:
            return escape(f"{v:,.0f}" if v == int(v) else f"{v:,.2f}")
        return escape(f"{v:.4g}")
    if isinstance(v, dt.datetime):
        return escape(v.strftime("%Y-%m-%d %H:%M"))
    return escape(v)


def slug(s: Any) -> str:
    """A run id as a file name (runs/<slug>.html)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(s))[:120] or "run"


def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def raw_text(s: str) -> Markup:
    """Article text as HTML character data. The HTML parser turns CR and CRLF into LF; a
    character reference keeps a stored CR, so the page's text is the stored text."""
    return Markup(str(escape(s)).replace("\r", "&#13;"))


@cache
def asset(name: str) -> str:
    """A static file of templates/, inlined in every page: CSS on one line, JS without its
    indentation and comment lines (thousands of pages carry it)."""
    text = (files("fupin.warehouse") / "templates" / name).read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines()]
    if name.endswith(".js"):
        return "\n".join(ln for ln in lines if ln and not ln.startswith("//"))
    return "".join(lines)


@cache
def csp_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script and nothing else."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("fupin.warehouse", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(fmt=fmt, raw_text=raw_text, slug=slug)
    env.tests.update(num=is_num, link=lambda v: isinstance(v, Link), badge=lambda v: isinstance(v, Badge))
    env.globals["css"] = Markup(asset("report.css"))
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
