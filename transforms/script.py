"""Traditional -> simplified conversion.

Two backends install the same module name `opencc`: the native binding (`opencc`, default,
~28 MB/s measured here) and `opencc-python-reimplemented` (pure Python, ~0.8 MB/s). Both
expose OpenCC(config).convert(text); the config name differs ("t2s" vs "t2s.json" in some
builds), so we try both spellings. benchmarks/script_conversion.py measures the choices.
"""
from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    last = None
    for cfg in ("t2s", "t2s.json"):
        try:
            return opencc.OpenCC(cfg)
        except Exception as e:  # the two backends spell the config differently
            last = e
    raise RuntimeError(f"OpenCC could not load a t2s config: {last}")


def backend_name() -> str:
    import opencc

    return "native" if hasattr(opencc, "__version__") and "reimplemented" not in (opencc.__file__ or "") else "pure-python"


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified. OpenCC's t2s maps character for
    character (phrase tables only pick among single characters), so the length is kept;
    callers check that and fall back to per-character conversion when it is not."""
    return _converter().convert(text)
