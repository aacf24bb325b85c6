"""A warehouse remembers which extractor made its facts; a run with other rules or code
re-extracts every article, so old and new facts never sit side by side. The version covers
exactly what decides facts: editing a label file leaves it alone."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, query, run_flow
from fupin import PACKAGE_DIR
from fupin.transforms import version
from fupin.transforms.extract import extractor_version


@pytest.fixture()
def copy(tmp_path) -> tuple[Path, Path]:
    """A writable copy of transforms/ and the seeds/ CSVs."""
    transforms, seeds = tmp_path / "transforms", tmp_path / "seeds"
    shutil.copytree(version.HERE, transforms, ignore=shutil.ignore_patterns("__pycache__"))
    seeds.mkdir()
    for p in version.SEEDS.glob("*.csv"):
        shutil.copyfile(p, seeds / p.name)
    return transforms, seeds


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def test_labels_do_not_change_the_version_lexicons_and_modules_do(copy):
    transforms, seeds = copy

    def now() -> str:
        return version.digest(version.digest_inputs(transforms, seeds))

    base = now()
    assert base == extractor_version()  # the copy is what is installed
    _append(seeds / "indicators.csv", "new_indicator,新指标,person,")
    _append(seeds / "units.csv", "new_unit,新单位")
    _append(transforms / "decode.py", "# staging, not extraction")
    assert now() == base
    for edit in (lambda: _append(seeds / "unit_words.csv", "担,ton,50"),
                 lambda: (seeds / "new_words.csv").write_text("word\n新词\n", encoding="utf-8"),
                 lambda: _append(transforms / "numbers.py", "# a rule changed"),
                 lambda: (transforms / "new_rules.py").write_text("X = 1\n", encoding="utf-8")):
        edit()
        assert now() != base
        base = now()


def test_region_data_is_in_the_version():
    labels = [label for label, _ in version.digest_inputs(version.HERE, version.SEEDS)]
    assert {"seeds/areacodes.csv", "seeds/ethnic_groups.csv"} <= set(labels)


_PROBE = r"""
import json, os, sys
from pathlib import Path

opened = set()


def hook(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)):
        opened.add(os.path.realpath(args[0]))


texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
sys.addaudithook(hook)
import polars as pl
from fupin.transforms.extract import extract_batch

meta, facts = extract_batch(pl.DataFrame({"article_id": [str(i) for i in range(len(texts))], "raw_text": texts}))
assert facts.height > 100
loaded = sorted(m.rsplit(".", 1)[1] + ".py" for m in sys.modules if m.startswith("fupin.transforms."))
from fupin.transforms import version

inputs = version.digest_inputs(version.HERE, version.SEEDS)
print(json.dumps({"opened": sorted(opened), "loaded": loaded, "seeds": os.path.realpath(version.SEEDS),
                  "inputs": [[label, path and os.path.realpath(path)] for label, path in inputs]}))
"""


def test_version_covers_exactly_what_extraction_reads(tmp_path):
    """Extract the seed articles in a fresh process that records every file it opens (a
    Python audit hook): the lexicons and region data it reads are the version's, and the transforms modules it loads are the version's."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_DIR.parent), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", _PROBE, str(SEEDS)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    probe = json.loads(out.splitlines()[-1])
    inputs = {label: path for label, path in probe["inputs"]}
    assert all(inputs.values()), inputs  # nothing missing
    opened = set(probe["opened"])

    lexicons = {path for label, path in inputs.items() if label.startswith("seeds/")}
    # areacodes.csv is read by polars (in Rust: no Python audit event)
    read_by_polars = {os.path.join(probe["seeds"], "areacodes.csv")}
    assert {p for p in opened if os.path.dirname(p) == probe["seeds"] and p.endswith(".csv")} | read_by_polars == lexicons
    assert not version.LABEL_FILES & {os.path.basename(p) for p in lexicons}
    assert version.LABEL_FILES <= {p.name for p in version.SEEDS.glob("*.csv")}  # no stale names

    modules = {label.split("/", 1)[1] for label in inputs if label.startswith("transforms/")}
    assert set(probe["loaded"]) == modules


@pytest.mark.usefixtures("prefect_harness")
def test_changed_extractor_reextracts_everything(tmp_path):
    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    wh = tmp_path / "fupin.duckdb"
    first = run_flow(inp, wh)
    assert first["staged"] == 5 and not first["reprocessed"]
    assert query(wh, "select value from warehouse_settings")[0][0] == extractor_version()
    facts_sql = ("select article_id, char_start, char_end, value_base, unit_code, year, region_code, "
                 "indicator_code, indicator_text, kind, scope from fct_facts order by all")
    before = query(wh, facts_sql)
    # As if an older fupin had built it: its facts must not survive beside ours. (A separate
    # process writes: DuckDB allows one configuration per database file per process.)
    subprocess.run([sys.executable, "-c", (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]);"
        "con.execute(\"update warehouse_settings set value = 'older' where key = 'extractor_version'\");"
        "con.execute(\"update fct_facts set indicator_text = 'stale'\"); con.close()"), str(wh)], check=True)
    second = run_flow(inp, wh)
    assert second["reprocessed"] and second["staged"] == 5 and second["skipped"] == 0
    assert query(wh, facts_sql) == before  # re-extracted: the stale words are gone
    third = run_flow(inp, wh)
    assert not third["reprocessed"] and third["skipped"] == 5
