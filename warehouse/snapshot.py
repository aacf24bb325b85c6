"""Open the warehouse for reading, whatever state it is in, for the HTML report and pages.

* the file exists: a read-only connection;
* a writer holds it (a run's load): a snapshot copy of the file (and its WAL), read-only,
  removed on close -- the report must not wait for or block a run;
* no file yet: an in-memory database with warehouse/schema.sql applied, so every query
  runs against the declared schema and finds no rows.
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import duckdb

from fupin.warehouse.store import WarehouseUnavailable, _is_lock_error, ensure_schema


def _params(p):
    """Positional (?) or named ($name) parameters, as DuckDB takes them."""
    return dict(p) if isinstance(p, Mapping) else list(p)


class Reader:
    """A read-only connection with small helpers returning rows as dicts."""

    def __init__(self, con: duckdb.DuckDBPyConnection, note: str = ""):
        self.con = con
        self.note = note  # a sentence for the report when the warehouse was not read directly

    def rows(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> list[dict]:
        cur = self.con.execute(sql, _params(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def scalar(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> Any:
        r = self.con.execute(sql, _params(params)).fetchone()
        return r[0] if r else None


@contextmanager
def open_reader(path: Path) -> Iterator[Reader]:
    path = Path(path)
    tmp = None
    if not path.exists():
        con = duckdb.connect(":memory:")
        ensure_schema(con)
        reader = Reader(con, f"warehouse {path} does not exist yet")
    else:
        try:
            reader = Reader(duckdb.connect(str(path), read_only=True))
        except duckdb.Error as e:
            if not _is_lock_error(e):  # not a DuckDB file, damaged: no copy would open either
                raise WarehouseUnavailable(f"Could not open the warehouse {path}: {e}") from None
            tmp = tempfile.mkdtemp(prefix="fupin_report_")
            try:
                copy = Path(tmp) / path.name
                shutil.copy2(path, copy)
                wal = path.with_name(path.name + ".wal")
                if wal.exists():
                    shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
                reader = Reader(duckdb.connect(str(copy), read_only=True),
                                f"read from a snapshot copy (warehouse busy: {str(e).splitlines()[0][:120]})")
            except BaseException:  # a failed copy leaves no temporary folder behind
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    try:
        yield reader
    finally:
        reader.con.close()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
