"""The extractor version: a digest of exactly what decides which facts an article yields, so
that editing anything else (an indicator's display name, this file) does not re-extract the
warehouse. Stdlib only, so that `fupin run` can compare it with the warehouse's before
importing the extraction code. transforms.extract.extractor_version() returns this value.

It covers:
* the extraction modules: every module of transforms/ except NOT_EXTRACTION;
* the lexicons: every seeds/*.csv except the label files declared in LABEL_FILES, the one
  place that decides. Label files name things for readers of the warehouse (dim_indicator,
  dim_unit) and no extraction rule reads them. So a new lexicon under seeds/ is covered with
  no change here, and a forgotten label file costs a needless re-extraction, never stale
  facts; tests/test_extractor_version.py checks both lists against the files extraction
  actually opens;
  The region data extraction resolves names with (seeds/areacodes.csv, seeds/ethnic_groups.csv)
  are lexicons in this sense.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from fupin import SEEDS  # fupin/__init__ is stdlib only

HERE = Path(__file__).resolve().parent
# Modules of transforms/ that do not decide facts: decoding (staging), the package marker, this file,
# the settings and the test checkpoints.
NOT_EXTRACTION = frozenset({"decode.py", "__init__.py", "version.py", "settings.py", "checkpoints.py"})
# seeds/*.csv that only label codes for readers (loaded into dim_indicator / dim_unit).
LABEL_FILES = frozenset({"indicators.csv", "units.csv", "provenance.csv"})


@lru_cache(maxsize=1)
def extractor_digest() -> str:
    return digest(digest_inputs(HERE, SEEDS))


def digest_inputs(transforms_dir: Path, seeds_dir: Path) -> list[tuple[str, Path | None]]:
    """(label, file) of everything the version covers, in digest order; file None: missing."""
    modules = [(f"transforms/{p.name}", p) for p in sorted(Path(transforms_dir).glob("*.py"))
               if p.name not in NOT_EXTRACTION]
    lexicons = [(f"seeds/{p.name}", p) for p in sorted(Path(seeds_dir).glob("*.csv"))
                if p.name not in LABEL_FILES]
    return modules + lexicons


def digest(inputs: list[tuple[str, Path | None]]) -> str:
    h = hashlib.sha256()
    for label, path in inputs:
        data = path.read_bytes() if path is not None else b""
        h.update(f"{label}\0{len(data) if path is not None else 'missing'}\0".encode())
        h.update(data)
    return h.hexdigest()[:16]
