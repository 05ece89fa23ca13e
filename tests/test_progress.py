"""The progress bar: drawn on a terminal once a run is slow, never otherwise."""

from __future__ import annotations

import io

import pytest

from checker import progress as progress_module
from checker.progress import TerminalProgress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_quiet_or_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert TerminalProgress.for_terminal(quiet=False) is None
    monkeypatch.setattr("sys.stderr", _Terminal())
    assert TerminalProgress.for_terminal(quiet=True) is None
    assert TerminalProgress.for_terminal(quiet=False) is not None


def test_a_quick_run_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    with TerminalProgress() as shown:
        tick = shown.stage("reading claims", 10)
        tick(10)
    assert shown.bar is None
    assert screen.getvalue() == ""


def test_a_slow_run_draws_a_bar_and_clears_it(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setattr(progress_module, "_DELAY", -1.0)
    with TerminalProgress() as shown:
        tick = shown.stage("reading claims", 10)
        tick(4)
        assert shown.bar is not None
        assert shown.task is not None
        assert shown.bar.tasks[0].completed == 4
        shown.stage("comparing facts", 0)
    assert "reading claims" in screen.getvalue() or screen.getvalue() != ""
