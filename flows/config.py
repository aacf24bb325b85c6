"""Where a run reads and writes: command-line flags, else the settings (FUPIN_* variables,
read once in transforms/settings.py and re-exported here), else the defaults (no heavy imports).
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

from fupin import SEEDS
from fupin.transforms.settings import (DEFAULT_BATCH_SIZE, DEFAULT_CRON, DEFAULT_DUCKDB_MEMORY,  # noqa: F401
                                       DEFAULT_MAX_FILE_BYTES, DEFAULT_RUN_REVIEW_PAGES,
                                       DEFAULT_VALIDATE_CHUNK_FACTS, Settings, SettingsError, reload_settings,
                                       settings)

DEFAULT_INPUT = SEEDS / "articles"
# Relative to the current folder: user data never goes inside the installed package.
DEFAULT_WAREHOUSE = Path("warehouse") / "fupin.duckdb"


def _path(p: str | os.PathLike) -> Path:
    return Path(p).expanduser().resolve()


def resolve_input(input_dir: str | os.PathLike | None = None) -> Path:
    """--input, else $FUPIN_INPUT, else the bundled seeds/articles."""
    return _path(input_dir or settings().input_dir or DEFAULT_INPUT)


def resolve_warehouse(warehouse: str | os.PathLike | None = None) -> Path:
    """--warehouse, else $FUPIN_WAREHOUSE, else ./warehouse/fupin.duckdb under the current folder."""
    return _path(warehouse or settings().warehouse or DEFAULT_WAREHOUSE)


# Files a warehouse owns sit beside it under its full file name plus a suffix, as DuckDB's
# own <name>.wal and fupin's <name>.lock do: two warehouses in one folder (even a.duckdb and
# a.db) never share one.
def owned_path(warehouse: Path, suffix: str) -> Path:
    return warehouse.with_name(f"{warehouse.name}.{suffix}")


def resolve_stage_dir(stage_dir: str | os.PathLike | None, warehouse: Path) -> Path:
    """--stage-dir, else $FUPIN_STAGE_DIR, else <warehouse>.stage/ beside the warehouse."""
    return _path(stage_dir or settings().stage_dir or owned_path(Path(warehouse), "stage"))


def resolve_report_dir(report_dir: str | os.PathLike | None, warehouse: Path) -> Path:
    """--report-dir / --out, else $FUPIN_REPORT_DIR, else <warehouse>.reports/ beside the warehouse."""
    return _path(report_dir or settings().report_dir or owned_path(Path(warehouse), "reports"))


def resolve_docs_dir(warehouse: Path) -> Path:
    """Great Expectations Data Docs of a warehouse: <warehouse>.data_docs/ beside it."""
    return owned_path(_path(warehouse), "data_docs")


def new_run_id() -> str:
    """A run's id: UTC start time and a random suffix (sortable, unique)."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
