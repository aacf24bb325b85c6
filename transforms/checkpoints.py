"""Named points of a run where a test may act (stop the process, hold it, raise): `discover`,
`batch`, `validate:batch`, `validator:job`, `load:begin`, `load:after_sources`,
`load:after_delete`, `load:after_facts`, `load:before_commit`, `load:after_commit`.

Production code only calls `checkpoint(name)`, which does nothing unless a test has
installed a hook: in this process with `install(fn)`, or in every process of a run (the CLI,
the extraction pool, the validator process) by naming a Python file in
FUPIN_CHECKPOINT_HOOK whose `checkpoint(point)` function is then called (tests/faults.py).
Bottom layer: stdlib and the settings only.
"""
from __future__ import annotations

import importlib.util
from typing import Callable

from fupin.transforms.settings import settings

_hooks: list[Callable[[str], None]] = []
_from_env: dict[str, Callable[[str], None]] = {}


def install(hook: Callable[[str], None]) -> Callable[[], None]:
    """Call hook(point) at every checkpoint of this process; returns the function that removes it."""
    _hooks.append(hook)
    return lambda: _hooks.remove(hook)


def _env_hook() -> Callable[[str], None] | None:
    path = settings().checkpoint_hook
    if not path:
        return None
    if path not in _from_env:
        spec = importlib.util.spec_from_file_location("fupin_checkpoint_hook", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _from_env[path] = module.checkpoint
    return _from_env[path]


def checkpoint(point: str, **context) -> None:
    """context: what a hook may act on at that point (load:after_facts passes the load's
    connection, con=, so a test can hold DuckDB busy inside the transaction)."""
    for hook in [*_hooks, *filter(None, [_env_hook()])]:
        hook(point, **context)
