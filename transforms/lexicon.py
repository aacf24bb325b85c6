"""The vocabulary extraction reads, as data: one CSV per list under seeds/, each opening with
a `#` line that says what a row means, then a header. Loaded once per process.

Rows are regex fragments (most are plain words). `alternation(file, role)` joins a list's
rows in file order, which is the order a regex tries them in."""
from __future__ import annotations

import csv
import io
from functools import lru_cache
from typing import NamedTuple

from fupin import SEEDS


class Entry(NamedTuple):
    pattern: str
    role: str
    row: dict


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict, ...]:
    """The rows of seeds/<name>.csv, without its `#` lines."""
    text = (SEEDS / f"{name}.csv").read_text(encoding="utf-8")
    body = "".join(ln for ln in io.StringIO(text) if not ln.startswith("#"))
    return tuple(csv.DictReader(io.StringIO(body)))


@lru_cache(maxsize=None)
def entries(name: str) -> tuple[Entry, ...]:
    return tuple(Entry(r["pattern"], r.get("role") or "", r) for r in rows(name))


@lru_cache(maxsize=None)
def words(name: str, *roles: str) -> tuple[str, ...]:
    """The patterns of a list, or of the given roles in it, in file order."""
    return tuple(e.pattern for e in entries(name) if not roles or e.role in roles)


@lru_cache(maxsize=None)
def alternation(name: str, *roles: str) -> str:
    """`a|b|c` of words(name, *roles)."""
    return "|".join(words(name, *roles))


def expand(pattern: str) -> str:
    """A rule pattern with `{file.role}` placeholders replaced by that list's alternation
    (indicator_rules.csv names change verbs as {change_verbs.down_to})."""
    out, pos = [], 0
    while (i := pattern.find("{", pos)) >= 0:
        j = pattern.find("}", i)
        if j < 0:
            break
        ref = pattern[i + 1:j] if j > i else ""
        if "." in ref and ref.replace(".", "").replace("_", "").isalnum():
            name, role = ref.split(".", 1)
            out.append(pattern[pos:i] + alternation(name, role))
        else:  # a regex repeat such as {0,16}
            out.append(pattern[pos:j + 1])
        pos = j + 1
    out.append(pattern[pos:])
    return "".join(out)
