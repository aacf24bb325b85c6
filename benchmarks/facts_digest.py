"""Digest of a warehouse's facts, for checking that a refactoring keeps them byte-identical.

  python benchmarks/facts_digest.py WAREHOUSE [--out FILE.csv]

Prints one sha256 over fct_facts, quarantine_facts and dim_article (run bookkeeping columns
left out), rows in a fixed order. Run the old and the new code on the same input folder and
compare the two lines; --out writes the rows too, for a diff."""
from __future__ import annotations

import argparse
import hashlib

import duckdb

TABLES = {
    "fct_facts": "run_id",
    "quarantine_facts": "run_id",
    "dim_article": "run_id",
}


def rows(con, table: str, drop: str | None) -> list[tuple]:
    cols = [c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall() if c != drop and not c.endswith("_at")]
    sel = ", ".join(f'"{c}"' for c in cols)
    return [(table, *r) for r in con.execute(f"SELECT {sel} FROM {table} ORDER BY ALL").fetchall()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("warehouse")
    ap.add_argument("--out")
    a = ap.parse_args()
    con = duckdb.connect(a.warehouse, read_only=True)
    allrows = [r for t, d in TABLES.items() for r in rows(con, t, d)]
    h = hashlib.sha256("\n".join(map(repr, allrows)).encode()).hexdigest()
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.writelines(repr(r) + "\n" for r in allrows)
    print(f"{h}  {len(allrows)} rows  {a.warehouse}")


if __name__ == "__main__":
    main()
