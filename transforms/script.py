"""Traditional -> simplified conversion, always length-preserving.

Per-text backends, chosen by FUPIN_OPENCC=native|table|pure (default: `native` if the opencc
wheel is installed, else `table`, else `pure`), plus a vectorised polars form for columns.
Measured by benchmarks/script_conversion.py (2 cores, 2,005 articles, 8.9 MB):

  native         opencc 1.4.2 (C++), convert() per article            ~25 MB/s  reference
  table          OpenCC's t2s dictionaries in Python (this module)    ~21 MB/s  == native
  polars column  simplified_expr / to_simplified_series               ~50 MB/s  == native
  pure           opencc-python-reimplemented 0.1.7                    ~0.6 MB/s

* table: transforms/t2s_table.py holds OpenCC's own dictionaries, dumped from the native
  wheel's .ocd2 files by `python -m transforms.script --regen-table`. Applied with OpenCC's
  rules: CJK-compatibility normalisation, then at each position the longest TSPhrases
  match, else TSCharactersExt, else TSCharacters (first candidate). Output equals native t2s
  (tests/test_script.py: seeds, every dictionary key, every code point, a synthetic corpus).
* pure installs the same module name `opencc`, so it cannot sit beside the native one in a
  venv; it is used only when it is the installed `opencc` or FUPIN_OPENCC=pure.

Length: every entry of OpenCC's t2s dictionaries maps a key to a value of the same number
of code points (checked in tests), so t2s keeps `len(text)` and offsets into the simplified
text are offsets into the raw text. `to_simplified` / `to_simplified_series` still check and
fall back to character-by-character conversion if a backend ever changed the length.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Iterable

BACKENDS = ("native", "table", "pure")
# CJK Compatibility Ideographs (+ Supplement): the only code points t2s normalises.
_COMPAT_RE = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")


# ---------------------------------------------------------------- backend discovery
def _opencc_module_kind() -> str | None:
    """'native' (opencc wheel, has opencc.clib), 'pure' (opencc-python-reimplemented) or None."""
    try:
        import opencc  # noqa: F401
    except ImportError:
        return None
    try:
        import opencc.clib  # noqa: F401  (only the native wheel has it)
        return "native"
    except ImportError:
        return "pure"


@lru_cache(maxsize=1)
def backend_name() -> str:
    """The per-text backend: FUPIN_OPENCC if set, else `native` when the opencc wheel is
    installed (fastest per article, and the reference), else `table` (same output, no
    compiled code), else `pure`."""
    want = os.environ.get("FUPIN_OPENCC", "").strip().lower()
    if want:
        if want not in BACKENDS:
            raise ValueError(f"FUPIN_OPENCC={want!r}: expected one of {BACKENDS}")
        if want in ("native", "pure") and _opencc_module_kind() != want:
            raise RuntimeError(f"FUPIN_OPENCC={want} but the installed `opencc` module is {_opencc_module_kind()!r}")
        return want
    kind = _opencc_module_kind()
    if kind == "native":
        return "native"
    try:
        _table()
        return "table"
    except Exception:
        if kind is None:
            raise RuntimeError("no t2s backend: transforms/t2s_table.py is missing and `opencc` is not installed")
        return kind


@lru_cache(maxsize=1)
def _opencc_converter():
    import opencc

    last = None
    for cfg in ("t2s", "t2s.json"):  # the two packages spell the config differently
        try:
            return opencc.OpenCC(cfg)
        except Exception as e:
            last = e
    raise RuntimeError(f"OpenCC could not load a t2s config: {last}")


# ---------------------------------------------------------------- table backend
def _trie_regex(words) -> re.Pattern:
    """One regex for a word list, nested as a trie (`乾(?:隆(?:年間|皇帝)?|...)`): Python's
    re tries far fewer branches per position than with a flat alternation (54 vs 31 MB/s),
    and greedy `?` makes the longest word win, as OpenCC's max-prefix match does."""
    root: dict = {}
    for w in words:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node) -> str:
        kids = [(c, sub) for c, sub in sorted(node.items()) if c != ""]
        if not kids:
            return ""
        alts = [re.escape(c) + build(sub) for c, sub in kids]
        body = alts[0] if len(alts) == 1 and len(alts[0]) == 1 else "(?:" + "|".join(alts) + ")"
        return body + ("?" if "" in node else "")

    return re.compile(build(root))


class _Table:
    def __init__(self, compat: dict, chars: dict, phrases: dict):
        self.compat = {ord(k): v for k, v in compat.items() if k != v}
        # str.translate with a dict raises and swallows KeyError for every unmapped
        # character (17 MB/s); a list covering every code point up to the last key avoids
        # that (38 MB/s). Characters past the end raise IndexError = "leave as is".
        mapped = {ord(k): v for k, v in chars.items() if k != v}
        table: list = list(range(max(mapped) + 1 if mapped else 0))
        for k, v in mapped.items():
            table[k] = v
        self.chars = table
        self.phrases = phrases
        self.phrase_re = _trie_regex(phrases) if phrases else None

    def convert(self, text: str) -> str:
        if _COMPAT_RE.search(text):
            text = text.translate(self.compat)
        out = text.translate(self.chars)
        if self.phrase_re is None:
            return out
        # Phrases win over characters where they match (OpenCC tries TSPhrases first at each
        # position). Every entry keeps its length, so a match in `text` is at the same
        # offsets in `out`: overwrite those slices.
        parts, pos = [], 0
        for m in self.phrase_re.finditer(text):
            s, e = m.span()
            parts.append(out[pos:s])
            parts.append(self.phrases[m.group()])
            pos = e
        if not parts:
            return out
        parts.append(out[pos:])
        return "".join(parts)


@lru_cache(maxsize=1)
def _table() -> _Table:
    from transforms import t2s_table as t

    return _Table(t.COMPAT, t.CHARS, t.PHRASES)


# ---------------------------------------------------------------- public API
def convert_raw(text: str, backend: str | None = None) -> str:
    """One backend's output, unchecked (benchmarks and tests use this)."""
    b = backend or backend_name()
    if b == "table":
        return _table().convert(text)
    return _opencc_converter().convert(text)


def _charwise(text: str, backend: str) -> str:
    out = []
    for c in text:
        s = convert_raw(c, backend)
        out.append(s if len(s) == 1 else c)
    return "".join(out)


def to_simplified(text: str) -> str:
    """Traditional -> simplified with len(result) == len(text), always."""
    if not text:
        return text
    b = backend_name()
    out = convert_raw(text, b)
    if len(out) != len(text):  # never seen with OpenCC's t2s; kept so offsets can't drift
        out = _charwise(text, b)
    return out


def to_simplified_many(texts: Iterable[str | None]) -> list[str | None]:
    """Per-text conversion of a list (None stays None)."""
    return [None if t is None else to_simplified(t) for t in texts]


@lru_cache(maxsize=1)
def _polars_patterns():
    from transforms import t2s_table as t

    compat = {k: v for k, v in t.COMPAT.items() if k != v}
    # Aho-Corasick with leftmost-first semantics: at the leftmost match the pattern listed
    # first wins, so phrases (longest first) beat characters, as in OpenCC.
    pats = sorted(t.PHRASES, key=lambda p: (-len(p), p)) + sorted(k for k, v in t.CHARS.items() if k != v)
    vals = [t.PHRASES[p] if p in t.PHRASES else t.CHARS[p] for p in pats]
    return compat, pats, vals


def simplified_expr(expr):
    """A polars expression: t2s of a string column, vectorised and multi-threaded with
    OpenCC's own dictionaries (~2x native per-article calls on 2 cores; output equal to
    native t2s, see tests/test_script.py). `df.with_columns(simplified_expr(pl.col("raw_text")))`"""
    compat, pats, vals = _polars_patterns()
    return expr.str.replace_many(compat).str.replace_many(pats, vals, leftmost=True)


def to_simplified_series(s):
    """t2s of a polars Series of strings; every value keeps its length. Uses the polars
    table unless FUPIN_OPENCC asks for `native`/`pure` explicitly (then per text)."""
    import polars as pl

    if os.environ.get("FUPIN_OPENCC", "").strip().lower() in ("native", "pure"):
        return pl.Series(s.name, to_simplified_many(s.to_list()), dtype=pl.Utf8)
    df = pl.DataFrame({"t": s}).with_columns(out=simplified_expr(pl.col("t")))
    bad = df.select((pl.col("t").str.len_chars() != pl.col("out").str.len_chars()).fill_null(False).any()).item()
    out = df["out"]
    if bad:  # never seen; keep offsets exact anyway
        out = pl.Series(to_simplified_many(s.to_list()), dtype=pl.Utf8)
    return out.alias(s.name)


# ---------------------------------------------------------------- table generation
def _dump_native_tables() -> tuple[dict, dict, dict]:
    """Read OpenCC's t2s dictionaries out of the native package's .ocd2 files."""
    import subprocess
    import tempfile

    import opencc

    root = os.path.join(os.path.dirname(opencc.__file__), "clib")
    tool = os.path.join(root, "bin", "opencc_dict")

    def dump(name):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, name + ".txt")
            subprocess.run([tool, "-i", os.path.join(root, "share", "opencc", name + ".ocd2"),
                            "-o", out, "-f", "ocd2", "-t", "text"], check=True)
            rows = {}
            with open(out, encoding="utf-8") as f:
                for line in f:
                    k, v = line.rstrip("\n").split("\t")
                    rows[k] = v.split(" ")[0]  # OpenCC uses the first candidate
            return rows

    compat = dump("CJK_Compatibility_Ideographs")
    chars = dump("TSCharacters")
    chars.update(dump("TSCharactersExt"))  # group order: ...Ext is tried before TSCharacters
    phrases = dump("TSPhrases")
    return compat, chars, phrases


def regen_table(path: str | None = None) -> str:
    compat, chars, phrases = _dump_native_tables()
    path = path or os.path.join(os.path.dirname(__file__), "t2s_table.py")
    import opencc

    with open(path, "w", encoding="utf-8") as f:
        f.write('"""Generated by `python -m transforms.script --regen-table` from OpenCC '
                f'{getattr(opencc, "__version__", "?")} t2s dictionaries. Do not edit."""\n')
        for name, d in (("COMPAT", compat), ("CHARS", chars), ("PHRASES", phrases)):
            f.write(f"{name} = {{\n")
            for k in sorted(d):
                f.write(f"    {k!r}: {d[k]!r},\n")
            f.write("}\n")
    return path


if __name__ == "__main__":
    import sys

    if "--regen-table" in sys.argv:
        print("wrote", regen_table())
    else:
        print(backend_name())
