"""Defaults and path resolution shared by the CLI and the flow (no heavy imports)."""
from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

from fupin import SEEDS

DEFAULT_INPUT = SEEDS / "articles"
# Relative to the current folder: user data never goes inside the installed package.
DEFAULT_WAREHOUSE = Path("warehouse") / "fupin.duckdb"
DEFAULT_BATCH_SIZE = 500
DEFAULT_CRON = "0 6 * * *"


def resolve_input(input_dir: str | os.PathLike | None = None) -> Path:
    """--input, else $FUPIN_INPUT, else the bundled seeds/articles."""
    return Path(input_dir or os.environ.get("FUPIN_INPUT") or DEFAULT_INPUT).expanduser().resolve()


def resolve_warehouse(warehouse: str | os.PathLike | None = None) -> Path:
    """--warehouse, else $FUPIN_WAREHOUSE, else ./warehouse/fupin.duckdb under the current folder."""
    return Path(warehouse or os.environ.get("FUPIN_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()


def resolve_stage_dir(stage_dir: str | os.PathLike | None, warehouse: Path) -> Path:
    """--stage-dir, else $FUPIN_STAGE_DIR, else <warehouse folder>/stage."""
    return Path(stage_dir or os.environ.get("FUPIN_STAGE_DIR") or warehouse.parent / "stage").expanduser().resolve()


def new_run_id() -> str:
    """A run's id: UTC start time and a random suffix (sortable, unique)."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
