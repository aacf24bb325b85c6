"""`fupin run` with nothing new starts no flow ("Nothing to be done"): it records an
'up_to_date' run and exits 0. Every change a flow run would act on still starts the flow.
Real flow runs, real DuckDB files, the session's Prefect harness (no mocks)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import REPO, SEEDS, checksums, fupin_env, query, run_flow
from fupin.flows.uptodate import check
from fupin.transforms.version import extractor_digest

pytestmark = pytest.mark.usefixtures("prefect_harness")

LAST_RUN = ("select status, files_discovered, articles_staged, files_skipped, files_rejected, facts_loaded, "
            "facts_quarantined, sources_pruned, prefect_flow_run_id, message from runs "
            "order by started_at desc limit 1")


def n_flow_runs() -> int:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.count_flow_runs()


def last_run(wh) -> tuple:
    return query(wh, LAST_RUN)[0]


def make_input(tmp_path):
    """Two seed articles and an empty file (a content reject), loaded by a first flow run."""
    inp = tmp_path / "input"
    inp.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copyfile(p, inp / p.name)
    (inp / "blank.txt").write_bytes(b"")
    wh = tmp_path / "wh" / "fupin.duckdb"
    s = run_flow(inp, wh)
    assert (s["staged"], s["rejected"]) == (2, 1)
    return inp, wh


def cli_run(inp, wh, *extra) -> int:
    from fupin.flows.cli import main

    return main(["run", "--input", str(inp), "--warehouse", str(wh), "--no-report", *map(str, extra)])


def assert_flow_ran(inp, wh, *extra, staged: int | None = None) -> tuple:
    flows = n_flow_runs()
    assert cli_run(inp, wh, *extra) == 0
    row = last_run(wh)
    assert row[0] == "succeeded" and row[8] is not None, row  # a Prefect flow run recorded it
    assert n_flow_runs() == flows + 1
    if staged is not None:
        assert row[2] == staged, row
    return row


def assert_up_to_date(inp, wh, files: int, *extra) -> None:
    flows, before = n_flow_runs(), checksums(wh)
    assert cli_run(inp, wh, *extra) == 0
    assert last_run(wh) == ("up_to_date", files, 0, files, 0, 0, 0, 0, None, "nothing new: no flow run started")
    assert n_flow_runs() == flows
    assert checksums(wh) == before


def test_unchanged_rerun_starts_no_flow(tmp_path, prefect_harness, capsys):
    inp, wh = make_input(tmp_path)
    assert check(inp, wh).up_to_date
    before, flows = checksums(wh), n_flow_runs()
    # the real CLI in a fresh process: done without importing Prefect, GX or the extractor
    code = ("import sys; from fupin.flows.cli import main; rc = main(sys.argv[1:]); "
            "print('heavy:', [m for m in ('prefect', 'great_expectations', 'fupin.transforms.extract') "
            "if m in sys.modules]); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, "run", "--input", str(inp), "--warehouse", str(wh)],
                       cwd=REPO, env=fupin_env(prefect_harness), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert ": up_to_date in " in r.stdout and "0 staged, 3 skipped (unchanged), 0 rejected" in r.stdout
    assert "none started" in r.stdout and "heavy: []" in r.stdout
    assert n_flow_runs() == flows
    assert checksums(wh) == before  # every table but the run bookkeeping
    assert last_run(wh) == ("up_to_date", 3, 0, 3, 0, 0, 0, 0, None, "nothing new: no flow run started")
    assert query(wh, "select count(*) from runs where finished_at >= started_at") == [(2,)]
    # in-process too, and with --prune when nothing was removed
    assert_up_to_date(inp, wh, 3, "--prune")
    assert "up to date" in capsys.readouterr().out

    # the report shows the new status, and validation of the last flow run
    from fupin.warehouse.report import write_report

    page = write_report(wh, tmp_path / "report").read_text(encoding="utf-8")
    assert '<span class="ok">up_to_date</span>' in page
    first = query(wh, "select run_id from runs where status = 'succeeded'")[0][0]
    assert f"Validation (latest run: {first})" in page

    # asked-for flows
    assert_flow_ran(inp, wh, "--always-flow", staged=0)
    assert_flow_ran(inp, wh, "--reprocess", staged=2)
    # another extractor made the warehouse: the flow re-extracts (another process writes:
    # DuckDB allows one configuration per database file per process)
    subprocess.run([sys.executable, "-c", (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]);"
        "con.execute(\"update warehouse_settings set value = 'older' where key = 'extractor_version'\");"
        "con.close()"), str(wh)], check=True)
    assert "extractor older" in check(inp, wh).reason
    assert_flow_ran(inp, wh, staged=2)
    assert query(wh, "select value from warehouse_settings where key = 'extractor_version'") == [(extractor_digest(),)]
    # a run left 'running' (crashed): the flow marks it and cleans up
    subprocess.run([sys.executable, "-c", (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]);"
        "con.execute(\"insert into runs (run_id, started_at, status) values ('dead', now(), 'running')\");"
        "con.close()"), str(wh)], check=True)
    assert not check(inp, wh).up_to_date
    assert_flow_ran(inp, wh, staged=0)
    assert query(wh, "select status from runs where run_id = 'dead'") == [("crashed",)]
    assert_up_to_date(inp, wh, 3)


def test_changes_go_through_the_flow(tmp_path, prefect_harness):
    inp, wh = make_input(tmp_path)
    a, b = sorted(inp.glob("0*.txt"))
    # a changed file
    with open(a, "a", encoding="utf-8") as f:
        f.write("\n全县脱贫1000户。\n")
    assert "changed" in check(inp, wh).reason
    assert_flow_ran(inp, wh, staged=1)
    # a new file
    new = sorted(SEEDS.glob("*.txt"))[2]
    shutil.copyfile(new, inp / new.name)
    assert_flow_ran(inp, wh, staged=1)
    assert_up_to_date(inp, wh, 4)
    # a removed rejected file leaves `rejects`
    (inp / "blank.txt").unlink()
    assert "blank.txt" in check(inp, wh).reason
    assert_flow_ran(inp, wh, staged=0)
    assert query(wh, "select count(*) from rejects") == [(0,)]
    # a removed article keeps its facts (nothing to do) unless --prune
    b.unlink()
    assert_up_to_date(inp, wh, 2)
    assert not check(inp, wh, prune=True).up_to_date
    row = assert_flow_ran(inp, wh, "--prune", staged=0)
    assert row[7] == 1  # sources_pruned
    assert_up_to_date(inp, wh, 2, "--prune")
    # a reject for a retryable reason (here a folder named *.txt) is retried by every run
    (inp / "folder.txt").mkdir()
    assert_flow_ran(inp, wh, staged=0)
    assert query(wh, "select reason from rejects") == [("not_a_file",)]
    assert "retries" in check(inp, wh).reason
