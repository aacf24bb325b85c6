"""The progress bar of `fupin run`: files done, total, rate and time left, drawn by rich
(installed with Prefect) on stderr, only when stderr is a terminal and the run has enough
files for a bar to say something."""
from __future__ import annotations

import sys

MIN_FILES = 300  # smaller runs take a few seconds: a bar would only flash


def wanted(n_files: int, stream=None) -> bool:
    stream = stream or sys.stderr
    return n_files >= MIN_FILES and stream.isatty()


class FilesBar:
    """The progress callback of the flow (fupin_pipeline(progress=...)): total=N starts the bar, advance=n moves it,
    step names what the run does once the files are extracted (validating, loading)."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f} files/s" if speed else "- files/s")

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                                  Rate(), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=False)
        self._task = None

    def __call__(self, total: int | None = None, advance: int = 0, step: str | None = None) -> None:
        if total:
            if self._task is None:
                self._progress.start()
                self._task = self._progress.add_task("extracting", total=total)
            else:
                self._progress.update(self._task, total=total)
        if advance and self._task is not None:
            self._progress.advance(self._task, advance)
        if step and self._task is not None:
            self._progress.update(self._task, description=step)

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()
            self._task = None
