"""The distribution: a wheel built from the repo, installed into a fresh virtual environment
outside it, runs the pipeline and answers a query (the lexicons and SQL ship inside it)."""
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, fupin_env

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]


def test_wheel_installs_and_runs_outside_the_repo(tmp_path, prefect_harness):
    # Built from a copy of the source: an in-tree build reuses a build/ folder of old copies.
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "*.duckdb*",
        "*.reports", "*.data_docs", "*.stage", "docs"))
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
                   check=True, capture_output=True, timeout=600)
    (whl,) = dist.glob("fupin-*.whl")
    names = set(zipfile.ZipFile(whl).namelist())
    assert {"fupin/seeds/unit_words.csv", "fupin/warehouse/schema.sql", "fupin/flows/cli.py"} <= names
    assert not any(n.startswith(("fupin/tests/", "tests/")) for n in names)

    # A fresh virtual environment that gets the wheel alone (--no-deps); its dependencies are
    # the ones `make setup` installed, seen through a path line in a .pth file (a path line
    # adds that folder, not the .pth files in it, so the editable fupin of .venv stays out).
    # Resolving and installing ~150 packages again took 60-90 s of the suite; that the
    # wheel's declared dependencies are met is checked by `pip check` below.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(py)]
    subprocess.run([*pip, "install", "-q", "--no-deps", str(whl)], check=True, capture_output=True, timeout=300)
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "fupin_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    deps = subprocess.run([*pip, "check"], capture_output=True, text=True, timeout=300)
    assert deps.returncode == 0, deps.stdout + deps.stderr

    work = tmp_path / "elsewhere"
    shutil.copytree(SEEDS, work / "articles")
    env = fupin_env(prefect_harness)
    env.pop("PYTHONPATH", None)
    exe = env_dir / "bin" / "fupin"
    r = subprocess.run([str(exe), "run", "--input", "articles"], cwd=work, env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (work / "warehouse" / "fupin.duckdb").exists()  # ./warehouse under the current folder
    q = subprocess.run([str(exe), "query", "select count(*) as n from fct_facts"], cwd=work, env=env,
                       capture_output=True, text=True, timeout=120)
    assert q.returncode == 0, q.stderr
    assert any(tok.isdigit() and int(tok) > 100 for tok in q.stdout.split()), q.stdout + r.stdout
    imported = subprocess.run([str(py), "-c", "import fupin; print(fupin.__file__)"], cwd=work, env=env,
                              capture_output=True, text=True)
    assert str(env_dir) in imported.stdout and str(REPO) not in imported.stdout
