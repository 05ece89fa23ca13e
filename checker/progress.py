"""A progress bar on the terminal for runs long enough to want one.

It appears only after a run has taken a second (a five-file check finishes before
any bar could be read), only when standard error is a terminal, and never with
`--quiet`, so logs and CI output stay clean. rich comes with typer.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from checker.parallel import Tick

# Seconds a run must last before a bar is drawn.
_DELAY = 1.0


class TerminalProgress:
    """Show each stage of a run as a bar on standard error, once the run is slow."""

    def __init__(self) -> None:
        self.began = time.monotonic()
        self.bar: Progress | None = None
        self.pending: tuple[str, int, int] | None = None
        self.task: TaskID | None = None

    @classmethod
    def for_terminal(cls, quiet: bool) -> TerminalProgress | None:
        """Return a progress display, or None when nobody is watching the terminal."""
        if quiet or not sys.stderr.isatty():
            return None
        return cls()

    def stage(self, name: str, total: int) -> Tick:
        """Start a stage of `total` steps; return the callable that reports steps done."""
        self.pending = (name, total, 0)
        if self.bar is not None:
            self._show()
        elif self._late():
            self._start()

        def tick(done: int) -> None:
            if self.bar is None:
                if self.pending is not None:
                    name, total, sofar = self.pending
                    self.pending = (name, total, sofar + done)
                if self._late():
                    self._start()
                return
            if self.task is not None:
                self.bar.advance(self.task, done)

        return tick

    def _late(self) -> bool:
        return time.monotonic() - self.began > _DELAY

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self._show()

    def _show(self) -> None:
        assert self.bar is not None
        if self.pending is None:
            return
        name, total, done = self.pending
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(name, total=total or None, completed=done)

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.stop()
