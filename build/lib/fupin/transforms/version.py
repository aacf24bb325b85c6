"""The extractor version: a digest of everything that decides what facts an article yields
(the extraction modules in transforms/ and the lexicons in seeds/). Stdlib only, so that
`fupin run` can compare it with the warehouse's before importing the extraction code.
transforms.extract.extractor_version() returns this value.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"  # the package's own data, as fupin.SEEDS (not imported: stdlib only)
# Modules that do not decide facts: staging (reading, decoding), the package marker, this file.
NOT_EXTRACTION = frozenset({"decode.py", "__init__.py", "version.py"})


@lru_cache(maxsize=1)
def extractor_digest() -> str:
    h = hashlib.sha256()
    files = sorted(HERE.glob("*.py")) + sorted(SEEDS.glob("*.csv"))
    for f in files:
        if f.name in NOT_EXTRACTION:
            continue
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]
