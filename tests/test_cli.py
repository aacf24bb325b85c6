"""The command line as a user meets it (issue #14): Ctrl-C, outputs per warehouse, quiet and
honest output, empty and bad input, dates and provenance, the serve summary, the Makefile.

Ctrl-C is sent as a terminal sends it: SIGINT to the whole process group of a real `fupin
run` (started in a session of its own), at a point the checkpoint hook of tests/faults.py holds it."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import faults
from conftest import REPO, SEEDS, fupin, fupin_cmd, fupin_env, query, run_flow

# ----------------------------------------------------------------------------- no Prefect


def _plain_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUPIN_")}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _cli(*args, cwd=None, **env) -> subprocess.CompletedProcess:
    return subprocess.run(fupin_cmd(*args), cwd=cwd or REPO, env=_plain_env(**env), capture_output=True,
                          text=True, timeout=300)


def test_empty_input_warns_and_starts_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.md").write_text("not an article")
    wh = tmp_path / "w.duckdb"
    r = _cli("run", "--input", tmp_path / "in", "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    assert "warning: no *.txt, *.jsonl, *.html or *.htm files under" in r.stderr and "Traceback" not in r.stderr
    assert not wh.exists() and not list(tmp_path.glob("w.duckdb*"))  # no flow, no run, no files


def _bad_invocations(tmp: Path) -> list[tuple[tuple, dict, int, str]]:
    garbage = tmp / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    (tmp / "in").mkdir(exist_ok=True)
    (tmp / "in" / "a.txt").write_text("2019年，全县贫困发生率降至1.2%。", encoding="utf-8")
    inp = str(tmp / "in")
    return [
        (("query", ""), {}, 2, "the SQL is empty"),
        (("query", "  \n\t "), {}, 2, "the SQL is empty"),
        (("query", "select 1", "--max-width", "0"), {}, 2, "must be at least 1"),
        (("query", "select 1", "--warehouse", garbage), {}, 1, "Could not open the warehouse"),
        (("query", "select 1", "--warehouse", tmp / "none.duckdb"), {}, 1, "no warehouse"),
        (("run", "--input", inp, "--batch-size", "0"), {}, 2, "must be at least 1"),
        (("run", "--input", inp, "--batch-size", "many"), {}, 2, "not a whole number"),
        (("run", "--input", inp, "--wait", "-1"), {}, 2, "must be 0 or more"),
        (("run", "--input", inp, "--dask-local", "0"), {}, 2, "must be at least 1"),
        (("run", "--input", tmp / "missing"), {}, 2, "does not exist"),
        (("run", "--input", inp, "--warehouse", tmp), {}, 2, "is a folder"),
        (("run", "--input", inp, "--warehouse", garbage), {}, 1, "Could not open the warehouse"),
        (("run", "--input", inp, "--warehouse", "/proc/fupin/w.duckdb"), {}, 2, "cannot create the warehouse folder"),
        (("run", "--input", inp, "--warehouse", tmp / "w.duckdb", "--report-dir", garbage), {}, 2,
         "cannot create the report folder"),
        (("run", "--input", inp), {"FUPIN_BATCH_SIZE": "lots"}, 2, "FUPIN_BATCH_SIZE='lots' is not a whole number"),
        (("query", "select 1"), {"FUPIN_MAX_FILE_BYTES": "-3"}, 2, "FUPIN_MAX_FILE_BYTES='-3' must be at least"),
        (("report", "--warehouse", tmp / "none.duckdb"), {}, 1, "no warehouse"),
        (("serve", "--input", tmp / "missing"), {}, 2, "does not exist"),
        (("serve", "--input", inp, "--cron", "every morning"), {}, 2, "not a valid cron expression"),
        ((), {}, 2, "usage:"),
    ]


def test_user_errors_are_messages_not_tracebacks(tmp_path):
    for args, env, code, text in _bad_invocations(tmp_path):
        r = _cli(*args, cwd=tmp_path, **env)
        out = r.stdout + r.stderr
        assert "Traceback" not in out, (args, out)
        assert r.returncode == code and text in out, (args, r.returncode, out)


def test_change_classes():
    from fupin.warehouse.changes import (AT_REST, CHANGED, MANIFEST_CHANGED, NEW, RETRY_REJECT, SKIPPED, UNCHANGED,
                                         UNCHANGED_CLEARS_REJECT, UNCHANGED_REJECT, UNREADABLE, classify)

    sources = {"/a": "h1", "/b": "h2"}
    rejects = {"/b": ("vanished", None), "/c": ("empty", "h3"), "/d": ("unreadable", None)}
    assert classify("/a", "h1", sources, rejects) == UNCHANGED
    assert classify("/a", "h9", sources, rejects) == CHANGED
    assert classify("/b", "h2", sources, rejects) == UNCHANGED_CLEARS_REJECT
    assert classify("/c", "h3", sources, rejects) == UNCHANGED_REJECT
    assert classify("/c", "h4", sources, rejects) == RETRY_REJECT
    assert classify("/d", "h5", sources, rejects) == RETRY_REJECT
    assert classify("/e", "h6", sources, rejects) == NEW
    assert classify("/a", None, sources, rejects) == UNREADABLE
    assert classify("/a", "h1", sources, rejects, known_same=False) == MANIFEST_CHANGED  # its manifest row changed
    assert AT_REST < SKIPPED and UNCHANGED_CLEARS_REJECT in SKIPPED - AT_REST and MANIFEST_CHANGED not in SKIPPED


def test_settings_read_once_and_checked(monkeypatch):
    from fupin.flows.config import Settings, SettingsError, reload_settings, settings

    monkeypatch.setenv("FUPIN_BATCH_SIZE", "7")
    assert reload_settings().batch_size == 7
    monkeypatch.setenv("FUPIN_BATCH_SIZE", "9")
    assert settings().batch_size == 7  # read once
    assert Settings.from_env({}).batch_size == 500 and Settings.from_env({}).duckdb_memory == "512MB"
    with pytest.raises(SettingsError, match="FUPIN_EXTRACT_WORKERS"):
        Settings.from_env({"FUPIN_EXTRACT_WORKERS": "two"})


def test_outputs_are_named_after_their_warehouse(tmp_path):
    from fupin.flows.config import resolve_docs_dir, resolve_report_dir, resolve_stage_dir

    a, b = tmp_path / "a.duckdb", tmp_path / "a.db"
    owned = [f(a) for f in (lambda w: resolve_report_dir(None, w), resolve_docs_dir,
                            lambda w: resolve_stage_dir(None, w))]
    assert owned == [tmp_path / "a.duckdb.reports", tmp_path / "a.duckdb.data_docs", tmp_path / "a.duckdb.stage"]
    assert resolve_report_dir(None, b) not in owned and resolve_report_dir(tmp_path / "r", a) == tmp_path / "r"


def test_progress_bar_only_on_a_terminal(tmp_path):
    from fupin.flows.progress import MIN_FILES, FilesBar, wanted

    with open(tmp_path / "log", "w") as f:
        assert not wanted(10_000, f)
    master, slave = os.openpty()
    with os.fdopen(slave, "w") as tty:
        assert wanted(MIN_FILES, tty) and not wanted(MIN_FILES - 1, tty)
    os.close(master)
    bar = FilesBar()  # drives without a terminal too (rich then prints no animation)
    bar(total=1000)
    bar(advance=500)
    bar(advance=500)
    bar.close()


MAKE = shutil.which("make")


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_finds_a_supported_python_or_says_so(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("python3", "python3.11", "python3.12"):  # a Python 3.13 shim, say: not supported
        (fake / name).write_text("#!/bin/sh\nexit 1\n")
        (fake / name).chmod(0o755)
    r = subprocess.run([MAKE, "-s", "check-python"], cwd=REPO, env={"PATH": str(fake)}, capture_output=True,
                       text=True)
    assert r.returncode != 0 and "fupin needs Python 3.11 or 3.12, and none was found" in r.stderr

    # a .venv made with another Python is rebuilt: check-python removes it
    work = tmp_path / "repo"
    (work / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(REPO / "Makefile", work)
    (work / ".venv" / "bin" / "python").write_text("#!/bin/sh\n[ \"$1\" = -V ] && { echo Python 3.13.0; exit 0; }\nexit 1\n")
    (work / ".venv" / "bin" / "python").chmod(0o755)
    r = subprocess.run([MAKE, "-s", "check-python", f"PY={sys.executable}"], cwd=work, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    assert "was made with Python 3.13.0, which fupin does not support; rebuilding it" in r.stdout
    assert not (work / ".venv").exists()


# ----------------------------------------------------------------------------- with Prefect

prefect = pytest.mark.usefixtures("prefect_harness")


def _summary_seconds(out: str) -> float:
    return float(re.search(r": succeeded in ([0-9.]+) s", out).group(1))


@prefect
def test_summary_time_is_wall_time_and_prefect_logs_stay_off_the_terminal(prefect_harness, seed_dir, tmp_path):
    wh = tmp_path / "w.duckdb"
    t0 = time.monotonic()
    r = fupin(prefect_harness, "run", "--input", seed_dir, "--warehouse", wh, "--no-report")
    wall = time.monotonic() - t0
    assert r.returncode == 0, r.stdout + r.stderr
    assert wall - 1.5 <= _summary_seconds(r.stdout) <= wall
    assert "| INFO" not in r.stderr and "Task run" not in r.stderr  # quiet by default
    # -v brings Prefect's lines back
    r = fupin(prefect_harness, "run", "--input", seed_dir, "--warehouse", wh, "--no-report", "--always-flow", "-v")
    assert r.returncode == 0 and "| INFO" in r.stderr and "Finished in state Completed" in r.stderr
    # ... and without -v they still went to Prefect: the API holds the flow run's logs
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter

    async def logs():
        async with get_client() as c:
            return await c.read_logs(LogFilter(), limit=200)
    assert any("plan:" in lg.message for lg in asyncio.run(logs()))


@prefect
def test_two_warehouses_in_one_folder_keep_their_own_files(tmp_path, seed_dir):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    assert run_flow(seed_dir, a, report=True)["status"] == "succeeded"
    a_files = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    assert (tmp_path / "a.duckdb.reports" / "index.html").exists()
    assert (tmp_path / "a.duckdb.data_docs" / "index.html").exists()
    assert run_flow(seed_dir, b, report=True)["status"] == "succeeded"
    assert (tmp_path / "b.duckdb.reports" / "index.html").exists()
    assert (tmp_path / "b.duckdb.data_docs" / "index.html").exists()
    for p, mtime in a_files.items():  # b's run touched none of a's files
        assert p.stat().st_mtime_ns == mtime, p
    html = (tmp_path / "b.duckdb.reports" / "index.html").read_text(encoding="utf-8")
    assert "b.duckdb.data_docs/index.html" in html and "a.duckdb" not in html


@prefect
def test_report_dir_flag(prefect_harness, seed_dir, tmp_path):
    wh, rep = tmp_path / "w.duckdb", tmp_path / "my reports"
    r = fupin(prefect_harness, "run", "--input", seed_dir, "--warehouse", wh, "--report-dir", rep)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"report      {rep / 'index.html'}" in r.stdout
    assert (rep / "data_docs" / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input", "my reports", "w.duckdb", "w.duckdb.lock"]


@prefect
def test_scheduled_runs_print_the_summary(capfd, tmp_path, seed_dir):
    s = run_flow(seed_dir, tmp_path / "w.duckdb", print_summary=True)
    out = capfd.readouterr().out
    assert f"fupin run {s['run_id']}: succeeded in" in out and "facts       225 loaded" in out
    from fupin.flows.cli import build_deployment_params, build_parser

    assert build_deployment_params(build_parser().parse_args(["serve"]))["print_summary"] is True


@prefect
def test_dates_only_as_precise_as_known_and_provenance_explained(tmp_path, seed_dir):
    (seed_dir / "no_dateline.txt").write_text("全县脱贫攻坚\n2019年，全县贫困发生率降至1.2%。\n", encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    assert run_flow(seed_dir, wh)["status"] == "succeeded"
    rows = dict(query(wh, "select pub_date_source, count(distinct pub_date_precision) from dim_article group by 1"))
    assert set(rows) <= {"dateline", "wire_dateline_year_inferred", "text_latest_year", "unknown"}
    assert query(wh, "select a.pub_date, a.pub_date_precision, a.pub_date_source from dim_article a "
                     "join article_sources s using (article_id) where s.source_file = 'no_dateline.txt'") == [
        (__import__("datetime").date(2020, 1, 1), "year", "text_latest_year")]  # 2019 reported as over
    assert query(wh, "select count(*) from dim_article where pub_date_source = 'dateline' "
                     "and pub_date_precision <> 'day'") == [(0,)]
    assert query(wh, "select count(*) from v_facts where pub_date_precision is null and pub_date is not null") == [(0,)]
    # every provenance value in the warehouse has a one-line meaning
    missing = query(wh, """select 'year_source', year_source from (select distinct year_source from fct_facts)
                           where year_source not in (select value from dim_provenance where field = 'year_source')
                           union all
                           select 'region_source', region_source from (select distinct region_source from fct_facts)
                           where region_source not in (select value from dim_provenance where field = 'region_source')
                           union all
                           select 'pub_date_source', pub_date_source from (select distinct pub_date_source from dim_article)
                           where pub_date_source not in (select value from dim_provenance
                                                         where field = 'pub_date_source')""")
    assert missing == []
    assert query(wh, "select count(*) from dim_provenance where meaning is null or meaning = ''") == [(0,)]


# ----------------------------------------------------------------------------- Ctrl-C

def _interrupt_at(env: dict, args: list, point: str, marker: Path, timeout: float = 240):
    """Start `fupin run` in a session of its own, wait until it reaches `point`, send SIGINT
    to its whole process group (what Ctrl-C in a terminal does) and time its exit."""
    env = {**env, **faults.env(f"{point}:sleep", marker, sleep=5)}
    proc = subprocess.Popen(fupin_cmd(*args), cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"fupin never reached {point}: {out}\n{err}")
        time.sleep(0.1)
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"fupin did not stop within 60 s of Ctrl-C at {point}: {out}\n{err}")
    return proc.returncode, time.monotonic() - t0, out, err


POINTS = [  # fault point, where it is, the run's status after, facts kept
    ("discover", "discovery", "interrupted", 0),
    ("batch", "extraction", "interrupted", 0),
    ("validator:job", "validation", "interrupted", 0),
    ("load:after_facts", "the load, inside its transaction", "interrupted", 0),
    ("load:after_commit", "after the load committed", "succeeded", 225),
]


@prefect
@pytest.mark.slow
@pytest.mark.parametrize("point,where,status,facts", POINTS, ids=[p[0] for p in POINTS])
def test_ctrl_c_stops_promptly_and_says_what_was_kept(prefect_harness, tmp_path, seed_dir, point, where, status,
                                                      facts):
    wh = tmp_path / "w.duckdb"
    code, seconds, out, err = _interrupt_at(fupin_env(prefect_harness), [
        "run", "--input", seed_dir, "--warehouse", wh, "--no-report"], point, tmp_path / "marker")
    assert code == 130, (where, out, err)
    assert seconds < 20, (where, seconds)
    assert "Traceback" not in err and "failed" not in err, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("fupin: interrupted"), err
    assert ("recorded as succeeded" if status == "succeeded" else "nothing of it was loaded") in last
    assert query(wh, "select status from runs") == [(status,)]
    assert query(wh, "select count(*) from fct_facts") == [(facts,)]
    assert not (tmp_path / "w.duckdb.stage").exists() or not any((tmp_path / "w.duckdb.stage").iterdir())


@pytest.mark.slow
def test_ctrl_c_with_fupins_own_prefect_server(tmp_path, seed_dir):
    """Without PREFECT_API_URL: the Prefect server fupin starts is in a session of its own, so
    the terminal's Ctrl-C leaves it alive to hear the flow's end (was: a 70-77 s hang, then
    'ConnectError' and exit 1)."""
    env = {k: v for k, v in fupin_env("").items() if k != "PREFECT_API_URL"}
    env["FUPIN_PREFECT_SERVER_IDLE"] = "0"  # its kept server stops as the run ends (#19)
    wh = tmp_path / "w.duckdb"
    code, seconds, out, err = _interrupt_at(env, ["run", "--input", seed_dir, "--warehouse", wh, "--no-report"],
                                            "load:after_facts", tmp_path / "marker")
    assert code == 130 and seconds < 20, (seconds, out, err)
    assert "ConnectError" not in err and "Traceback" not in err
    assert query(wh, "select status from runs") == [("interrupted",)]
    # FUPIN_PREFECT_SERVER_IDLE=0: the kept server stops as the run ends, Ctrl-C or not (#19)
    assert "stopped as the run ends" in err
    state = tmp_path / "w.duckdb.prefect" / "server.json"
    deadline = time.monotonic() + 30
    while state.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not state.exists()
