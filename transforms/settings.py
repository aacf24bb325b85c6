"""fupin's settings: one object, read from the environment once (stdlib only).

Every FUPIN_* variable is read here and nowhere else; command-line flags override them
(flows/config.py resolves flags and settings into paths). `settings()` is read once per
process and cached; `reload_settings()` reads the environment again (tests that change it).
Child processes (extraction pool, validator, Dask workers) inherit the environment and so
read the same values. Bottom layer, beside transforms/contracts.py: every layer may read it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_BATCH_SIZE = 500
# A first load of more articles than this leaves their review pages to `fupin report` (~1 s per
# 1,000 pages on one core: the run stays about as fast as without pages).
DEFAULT_RUN_REVIEW_PAGES = 2000
DEFAULT_CRON = "0 6 * * *"
DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024
DEFAULT_DUCKDB_MEMORY = "512MB"
# Each Great Expectations call has a fixed cost (two suites: ~0.5 s) and holds its group in
# pandas (~0.4 KB per fact): 400k facts per call kept a 20k-article run under 2 GB.
DEFAULT_VALIDATE_CHUNK_FACTS = 400_000
# A Prefect server fupin starts for a warehouse is kept for the next run this long after
# the last one (seconds; 0: stopped when the run ends). See flows/prefect_server.py.
DEFAULT_PREFECT_SERVER_IDLE = 600


class SettingsError(ValueError):
    """A FUPIN_* variable holds a value fupin cannot use (the message names it)."""


def _int(env, name: str, default: int | None, minimum: int = 0) -> int | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r} must be at least {minimum}")
    return value


@dataclass(frozen=True)
class Settings:
    input_dir: str | None            # FUPIN_INPUT
    warehouse: str | None            # FUPIN_WAREHOUSE
    stage_dir: str | None            # FUPIN_STAGE_DIR
    report_dir: str | None           # FUPIN_REPORT_DIR
    batch_size: int                  # FUPIN_BATCH_SIZE
    dask_address: str | None         # FUPIN_DASK_ADDRESS
    dask_local: int | None           # FUPIN_DASK_LOCAL
    extract_workers: int | None      # FUPIN_EXTRACT_WORKERS (None: one per core)
    run_review_pages: int            # FUPIN_RUN_REVIEW_PAGES: most review pages `fupin run` writes
    max_file_bytes: int              # FUPIN_MAX_FILE_BYTES
    duckdb_memory: str               # FUPIN_DUCKDB_MEMORY
    validate_chunk_facts: int        # FUPIN_VALIDATE_CHUNK_FACTS
    prefect_api_url: str | None      # PREFECT_API_URL (Prefect reads it too)
    prefect_server_idle: int         # FUPIN_PREFECT_SERVER_IDLE: seconds a kept server waits for the next run
    checkpoint_hook: str | None      # FUPIN_CHECKPOINT_HOOK (tests: a file whose checkpoint(point) runs at each checkpoint)

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            input_dir=env.get("FUPIN_INPUT") or None,
            warehouse=env.get("FUPIN_WAREHOUSE") or None,
            stage_dir=env.get("FUPIN_STAGE_DIR") or None,
            report_dir=env.get("FUPIN_REPORT_DIR") or None,
            batch_size=_int(env, "FUPIN_BATCH_SIZE", DEFAULT_BATCH_SIZE, minimum=1),
            dask_address=env.get("FUPIN_DASK_ADDRESS") or None,
            dask_local=_int(env, "FUPIN_DASK_LOCAL", 0) or None,
            extract_workers=_int(env, "FUPIN_EXTRACT_WORKERS", 0) or None,
            run_review_pages=_int(env, "FUPIN_RUN_REVIEW_PAGES", DEFAULT_RUN_REVIEW_PAGES),
            max_file_bytes=_int(env, "FUPIN_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES, minimum=1),
            duckdb_memory=env.get("FUPIN_DUCKDB_MEMORY") or DEFAULT_DUCKDB_MEMORY,
            validate_chunk_facts=_int(env, "FUPIN_VALIDATE_CHUNK_FACTS", DEFAULT_VALIDATE_CHUNK_FACTS, minimum=1),
            prefect_api_url=env.get("PREFECT_API_URL") or None,
            prefect_server_idle=_int(env, "FUPIN_PREFECT_SERVER_IDLE", DEFAULT_PREFECT_SERVER_IDLE),
            checkpoint_hook=env.get("FUPIN_CHECKPOINT_HOOK") or None,
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings.from_env()


def reload_settings() -> Settings:
    settings.cache_clear()
    return settings()
