"""Real flow runs (Prefect harness, real extraction, real GX, real DuckDB files)."""
from __future__ import annotations

import re
import shutil

import pytest

import faults
from conftest import SEEDS, checksums, query, run_flow

pytestmark = pytest.mark.usefixtures("prefect_harness")

SCORE_COLUMNS = ["source_file", "char_start", "char_end", "value_base", "unit_code", "year", "region_code",
                 "indicator_code", "kind", "qualifier", "scope", "region_name", "indicator_name", "unit_name",
                 "surface", "indicator_text", "article_title"]
CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳參陸"


def facts_by_file(wh) -> dict[str, set]:
    out: dict[str, set] = {}
    for sf, s, e, v, u in query(wh, "select source_file, char_start, char_end, value_base, unit_code from v_facts"):
        out.setdefault(sf, set()).add((s, e, v, u))
    return out


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The bundled seeds run once into a warehouse; tests that only read share it."""
    d = tmp_path_factory.mktemp("seeded")
    inp = d / "input"
    shutil.copytree(SEEDS, inp)
    wh = d / "wh" / "fupin.duckdb"
    summary = run_flow(inp, wh)
    return inp, wh, summary


def test_end_to_end_on_seeds(seeded):
    inp, wh, s = seeded
    assert s["status"] == "succeeded"
    assert (s["discovered"], s["staged"], s["skipped"], s["rejected"]) == (5, 5, 0, 0)
    assert s["facts_loaded"] > 0 and s["facts_loaded"] + s["facts_quarantined"] > 0
    cols = [r[0] for r in query(wh, "select column_name from information_schema.columns "
                                    "where table_name = 'v_facts'")]
    assert set(SCORE_COLUMNS) <= set(cols)
    # every fact's span in the raw text is its surface and holds its number
    rows = query(wh, "select a.raw_text, f.char_start, f.char_end, f.surface from fct_facts f "
                     "join stg_articles a using (article_id)")
    assert len(rows) == s["facts_loaded"]
    for text, a, b, surface in rows:
        assert text[a:b] == surface
        assert re.search(rf"[0-9０-９{CN_DIGITS}]", surface), surface
    # source_file is the bare file name of a seed; all five articles have facts
    names = {p.name for p in SEEDS.glob("*.txt")}
    assert set(facts_by_file(wh)) == names
    assert query(wh, "select count(*) from dim_article where source_file is null") == [(0,)]
    assert query(wh, "select count(*), count(distinct source_path) from article_sources") == [(5, 5)]
    for t in ("dim_region", "dim_indicator", "dim_unit", "dim_year"):
        assert query(wh, f"select count(*) > 0 from {t}") == [(True,)], t
    assert query(wh, "select count(*) from v_timeseries where value_latest is null") == [(0,)]
    assert query(wh, "select status, articles_staged, facts_loaded from runs") == [
        ("succeeded", 5, s["facts_loaded"])]
    assert query(wh, "select count(*) > 0 from validation_results") == [(True,)]
    assert not (wh.parent / f"{wh.name}.stage").exists()  # partitions cleaned after the load
    # fact ids are unique
    assert query(wh, "select count(*) = count(distinct fact_id) from fct_facts") == [(True,)]


def test_second_run_changes_nothing(seeded):
    inp, wh, _ = seeded
    before = checksums(wh)
    s = run_flow(inp, wh)
    assert (s["staged"], s["skipped"], s["facts_loaded"]) == (0, 5, 0)
    assert checksums(wh) == before
    assert query(wh, "select count(*), count(*) filter (status = 'succeeded') from runs")[0] == (2, 2)


def test_changed_file_replaces_only_its_own_facts(seed_dir, tmp_path):
    wh = tmp_path / "w.duckdb"
    run_flow(seed_dir, wh)
    before = facts_by_file(wh)
    ids_before = dict(query(wh, "select source_file, article_id from dim_article"))
    victim = sorted(seed_dir.glob("*.txt"))[1]
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text[: len(text) // 2], encoding="utf-8")  # the second half is gone
    s = run_flow(seed_dir, wh)
    assert (s["staged"], s["skipped"]) == (1, 4)
    after = facts_by_file(wh)
    for name in before:
        if name != victim.name:
            assert after[name] == before[name], name
    assert after[victim.name] < before[victim.name]  # a strict subset: only the first half's facts
    assert ids_before[victim.name] not in {r[0] for r in query(wh, "select article_id from stg_articles")}
    assert query(wh, "select count(*) from article_sources") == [(5,)]


def test_removed_file_keeps_facts_unless_prune(seed_dir, tmp_path):
    wh = tmp_path / "w.duckdb"
    run_flow(seed_dir, wh)
    before = facts_by_file(wh)
    gone, unreadable = sorted(seed_dir.glob("*.txt"))[:2]
    gone.unlink()
    # a file that cannot be read for now (here: replaced by a dangling symlink) also keeps its facts
    unreadable.unlink()
    unreadable.symlink_to(seed_dir / "missing-target.txt")
    s = run_flow(seed_dir, wh)
    assert (s["discovered"], s["skipped"], s["staged"], s["rejected"]) == (4, 3, 0, 1)
    assert facts_by_file(wh) == before
    assert query(wh, "select source_file, reason from rejects") == [(unreadable.name, "unreadable")]
    s = run_flow(seed_dir, wh, prune=True)
    assert s["sources_pruned"] == 1
    after = facts_by_file(wh)
    assert gone.name not in after and after == {k: v for k, v in before.items() if k != gone.name}
    assert query(wh, "select count(*) from stg_articles") == [(4,)]
    # readable again, unchanged: skipped, and no longer a reject
    assert unreadable.name in after
    unreadable.unlink()
    shutil.copyfile(SEEDS / unreadable.name, unreadable)
    s = run_flow(seed_dir, wh)
    assert (s["staged"], s["skipped"]) == (0, 4)
    assert query(wh, "select count(*) from rejects") == [(0,)] and facts_by_file(wh) == after
    # an emptied file is a changed file: its facts go
    unreadable.unlink()
    unreadable.write_bytes(b"")
    run_flow(seed_dir, wh)
    assert unreadable.name not in facts_by_file(wh)
    assert query(wh, "select source_file, reason from rejects") == [(unreadable.name, "empty")]


def test_same_content_two_names_and_bad_inputs_alongside(seed_dir, tmp_path, seeded):
    """Good articles load exactly as alone; each bad file is one reject with a reason;
    a copy is one article with two sources; a re-run changes nothing."""
    _, alone_wh, _ = seeded
    first = sorted(seed_dir.glob("*.txt"))[0]
    (seed_dir / "sub").mkdir()
    shutil.copyfile(first, seed_dir / "sub" / "zz_copy.txt")
    (seed_dir / "empty.txt").write_bytes(b"")
    (seed_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    # a web page saved as .txt is read as a page (tests/test_inputs*.py); this one has no article
    (seed_dir / "page.txt").write_text("<html><body><nav><a href='/'>首页</a></nav></body></html>",
                                       encoding="utf-8")
    (seed_dir / "folder.txt").mkdir()
    (seed_dir / "dangling.txt").symlink_to(seed_dir / "missing.txt")
    wh = tmp_path / "w.duckdb"
    s = run_flow(seed_dir, wh, batch_size=2)  # the copy lands in another batch than its original
    assert s["status"] == "succeeded"
    assert (s["staged"], s["rejected"]) == (6, 5)
    assert facts_by_file(wh) == facts_by_file(alone_wh)
    assert query(wh, "select count(*) from fct_facts") == query(alone_wh, "select count(*) from fct_facts")
    assert query(wh, "select count(*) from stg_articles") == [(5,)]
    assert query(wh, "select source_file from article_sources where article_id = "
                     "(select article_id from article_sources where source_file = 'zz_copy.txt') "
                     "order by source_path") == [(first.name,), ("zz_copy.txt",)]
    assert dict(query(wh, "select source_file, reason from rejects")) == {
        "empty.txt": "empty", "image.txt": "binary", "page.txt": "no_main_text", "folder.txt": "not_a_file",
        "dangling.txt": "unreadable"}
    before = checksums(wh)
    s2 = run_flow(seed_dir, wh)
    assert s2["staged"] == 0 and checksums(wh) == before
    # a fixed file leaves the rejects table
    (seed_dir / "empty.txt").write_bytes(first.read_bytes()[:3000].decode("utf-8", "ignore").encode("utf-8"))
    run_flow(seed_dir, wh)
    assert "empty.txt" not in {r[0] for r in query(wh, "select source_file from rejects")}


def test_failed_validation_quarantines_and_loses_nothing(seed_dir, tmp_path, seeded):
    from fupin.flows.summary import format_summary
    from fupin.transforms import checkpoints

    _, alone_wh, alone = seeded
    remove = checkpoints.install(lambda point, **_: point == "validate:batch" and faults.act(point, "raise"))
    try:
        wh = tmp_path / "w.duckdb"
        s = run_flow(seed_dir, wh)
    finally:
        remove()
    assert s["status"] == "succeeded" and s["validation_passed"] is False
    assert "validation  FAILED: validation could not run" in format_summary(s)
    assert query(wh, "select count(*) from fct_facts") == [(0,)]
    n = alone["facts_loaded"] + alone["facts_quarantined"]
    assert query(wh, "select count(*), count(*) filter (failed_expectation like 'validation_error%') "
                     "from quarantine_facts") == [(n, n)]


def test_reprocess_is_idempotent_too(seeded, tmp_path):
    inp, wh, _ = seeded
    w2 = tmp_path / "w.duckdb"
    shutil.copyfile(wh, w2)
    before = checksums(w2)
    s = run_flow(inp, w2, reprocess=True)
    assert s["staged"] == 5 and s["skipped"] == 0
    after = checksums(w2)
    for t in ("fct_facts", "quarantine_facts", "dim_article", "dim_region", "rejects"):
        # run_id and load times change on re-extraction; contents otherwise equal
        assert after[t][0] == before[t][0], t


# ----------------------------------------------------------------------------- CLI

def test_cli_run_exits_0_with_rejected_files(tmp_path, capsys):
    from fupin.flows.cli import main

    inp = tmp_path / "in"
    inp.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[3]
    (inp / seed.name).write_bytes(seed.read_bytes())
    (inp / "blank.txt").write_bytes(b"")
    wh = tmp_path / "w.duckdb"
    assert main(["run", "--input", str(inp), "--warehouse", str(wh), "--no-report", "--batch-size", "1"]) == 0
    out = capsys.readouterr().out
    assert "1 staged, 0 skipped (unchanged), 1 rejected" in out
    assert "[empty] blank.txt is empty" in out and "validation  passed" in out
    assert main(["run", "--input", str(tmp_path / "nope"), "--warehouse", str(wh)]) == 2  # a usage error (#19)
    assert "does not exist" in capsys.readouterr().err


def test_cli_query(seeded, tmp_path, capsys):
    from fupin.flows.cli import main

    _, wh, s = seeded
    assert main(["query", "select count(*) as n from v_facts", "--warehouse", str(wh)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].strip() == "n" and str(s["facts_loaded"]) in out and "(1 row)" in out
    assert main(["query", "select region_name, surface from v_facts order by fact_id limit 3",
                 "--warehouse", str(wh), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "region_name,surface"
    assert main(["query", "select * from no_such_table", "--warehouse", str(wh)]) == 1
    err = capsys.readouterr().err
    assert "query failed" in err and "no_such_table" in err and "Traceback" not in err
    assert main(["query", "select 1", "--warehouse", str(tmp_path / "none.duckdb")]) == 1
    assert "run `fupin run` first" in capsys.readouterr().err
    # read-only: writes are refused
    assert main(["query", "delete from fct_facts", "--warehouse", str(wh)]) == 1
    assert query(wh, "select count(*) from fct_facts") == [(s["facts_loaded"],)]


def test_query_path_does_not_import_prefect_or_gx(seeded):
    import subprocess
    import sys

    _, wh, _ = seeded
    code = ("import sys; from fupin.flows.cli import main; rc = main(['query', 'select 1', '--warehouse', sys.argv[1]]); "
            "bad = [m for m in ('prefect', 'great_expectations', 'polars') if m in sys.modules]; "
            "print('HEAVY', bad); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, str(wh)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "HEAVY []" in r.stdout, r.stdout + r.stderr


def test_serve_builds_a_cron_deployment():
    from fupin.flows.cli import build_parser, build_deployment_params
    from fupin.flows.pipeline import fupin_pipeline

    a = build_parser().parse_args(["serve", "--cron", "30 5 * * 1"])
    assert a.cron == "30 5 * * 1" and a.name == "fupin-daily"
    d = fupin_pipeline.to_deployment(name=a.name, cron=a.cron, parameters=build_deployment_params(a))
    assert d.schedules[0].schedule.cron == "30 5 * * 1"
    assert d.parameters["input_dir"].endswith("articles") and d.parameters["warehouse"].endswith(".duckdb")
    assert build_parser().parse_args(["serve"]).cron == "0 6 * * *"


def test_cli_report(seeded, tmp_path, capsys):
    from fupin.flows.cli import main

    _, wh, _ = seeded
    assert main(["report", "--warehouse", str(wh), "--out", str(tmp_path / "rep")]) == 0
    assert "report written to" in capsys.readouterr().out
    assert any((tmp_path / "rep").glob("*.html"))


def test_paths_from_flags_env_and_defaults(monkeypatch, tmp_path):
    from fupin.flows.config import (DEFAULT_INPUT, DEFAULT_WAREHOUSE, reload_settings, resolve_input,
                                    resolve_stage_dir, resolve_warehouse)

    for k in ("FUPIN_INPUT", "FUPIN_WAREHOUSE", "FUPIN_STAGE_DIR"):
        monkeypatch.delenv(k, raising=False)
    assert resolve_input() == DEFAULT_INPUT and DEFAULT_INPUT.is_dir()
    monkeypatch.chdir(tmp_path)  # the default warehouse is ./warehouse/fupin.duckdb, wherever fupin runs
    assert resolve_warehouse() == tmp_path / "warehouse" / "fupin.duckdb"
    assert resolve_warehouse() == DEFAULT_WAREHOUSE.resolve()
    monkeypatch.setenv("FUPIN_INPUT", str(tmp_path / "env_in"))
    monkeypatch.setenv("FUPIN_WAREHOUSE", str(tmp_path / "env.duckdb"))
    reload_settings()  # the environment is read once per process
    assert resolve_input() == tmp_path / "env_in"
    assert resolve_warehouse() == tmp_path / "env.duckdb"
    assert resolve_input(tmp_path / "flag") == tmp_path / "flag"  # a flag beats the environment
    assert resolve_stage_dir(None, tmp_path / "env.duckdb") == tmp_path / "env.duckdb.stage"
