"""Exit codes a scheduler can trust (#19): whatever goes wrong, `fupin` says it in one line
and exits non-zero; nothing is left behind beside a path that is not a warehouse.

Every subcommand runs as the real `fupin` command (entry(), with its fast-exit hook) in a
subprocess, against three warehouse paths that are not warehouses."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO

SUBCOMMANDS = {  # the arguments besides --warehouse; none of them gets as far as Prefect
    "run": ["run", "--no-report"],
    "query": ["query", "select 1"],
    "report": ["report"],
    "review": ["review", "003"],
    "serve": ["serve"],
}
# a folder where a file is expected is a usage error (2); a file DuckDB cannot open, a failure (1)
BAD_WAREHOUSES = {"empty file": 1, "not a DuckDB file": 1, "a folder": 2}


def _entry(*args, cwd, env=None, code="from fupin.flows.cli import entry; entry()") -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FUPIN_")}, **(env or {})}
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def _bad_path(tmp_path, kind: str):
    if kind == "empty file":
        p = tmp_path / "empty.duckdb"
        p.write_bytes(b"")
    elif kind == "not a DuckDB file":
        p = tmp_path / "notes.duckdb"
        p.write_text("these are my notes, not a database\n" * 40)
    else:
        p = tmp_path / "folder"
        p.mkdir()
    return p


def _temp_leftovers(folder) -> set[str]:
    return {n for n in os.listdir(folder) if n.startswith("fupin_report_")}


@pytest.mark.parametrize("kind", list(BAD_WAREHOUSES))
@pytest.mark.parametrize("cmd", list(SUBCOMMANDS))
def test_every_subcommand_fails_in_one_line_on_a_bad_warehouse(tmp_path, cmd, kind):
    wh = _bad_path(tmp_path, kind)
    # a temp folder of the command's own: other tests' reports, running beside it, use the shared one
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    before = sorted(os.listdir(tmp_path))
    r = _entry(*SUBCOMMANDS[cmd], "--warehouse", wh, cwd=tmp_path, env={"TMPDIR": str(own_tmp)})
    assert r.returncode == BAD_WAREHOUSES[kind], (cmd, kind, r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fupin: "), r.stderr
    # nothing created beside the path (no <path>.reports/), no temporary copy left behind
    assert sorted(os.listdir(tmp_path)) == before
    assert _temp_leftovers(own_tmp) == set()


def test_an_unexpected_error_is_one_line_and_exit_1(tmp_path):
    """Any exception escaping a subcommand: one line and exit code 1 through entry()'s exit
    hook (which used to exit 0 after a traceback); -v adds the traceback."""
    code = ("import sys, fupin.flows.cli as cli\n"
            "def broken(a):\n    raise ValueError('something nobody expected')\n"
            "cli.cmd_query = broken\n"
            "sys.argv = ['fupin'] + sys.argv[1:]\n"
            "cli.entry()\n")
    r = _entry("query", "select 1", cwd=tmp_path, code=code)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert r.stderr.strip() == ("fupin: query failed: ValueError: something nobody expected "
                                "(run it again with -v for the traceback)")
    r = _entry("query", "select 1", "-v", cwd=tmp_path, code=code)
    assert r.returncode == 1 and "Traceback" in r.stderr and "something nobody expected" in r.stderr


def test_an_exception_escaping_main_never_exits_0(tmp_path):
    """The last guard: even an error main() itself lets through exits 1, not 0."""
    code = ("import sys, fupin.flows.cli as cli\n"
            "def main(argv=None):\n    raise RuntimeError('escaped')\n"
            "cli.main = main\n"
            "cli.entry()\n")
    r = _entry(cwd=tmp_path, code=code)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "escaped" in r.stderr


@pytest.mark.parametrize("what", ["a file", "a missing folder"])
def test_input_that_is_not_a_folder_is_a_usage_error(tmp_path, what):
    inp = tmp_path / "article.txt" if what == "a file" else tmp_path / "nowhere"
    if what == "a file":
        inp.write_text("2019年，全县贫困发生率降至1.2%。", encoding="utf-8")
    for args in (["run", "--input", inp, "--warehouse", tmp_path / "w.duckdb"], ["serve", "--input", inp]):
        r = _entry(*args, cwd=tmp_path)
        assert r.returncode == 2, (args, r.stderr)
        assert "does not exist or is not a folder" in r.stderr and "Traceback" not in r.stderr
