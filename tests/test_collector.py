"""The run raises the garbage collector's thresholds, and gives the caller's back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.collector import fewer_collections
from checker.engine import check
from checker.errors import NothingReadableError


@pytest.fixture
def thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


@pytest.mark.usefixtures("thresholds")
def test_raises_the_thresholds_inside_and_restores_them_after() -> None:
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] >= 100_000
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.usefixtures("thresholds")
def test_keeps_a_callers_larger_thresholds_and_a_disabled_collector() -> None:
    gc.set_threshold(500_000, 5, 500)
    with fewer_collections():
        assert gc.get_threshold() == (500_000, 50, 500)
    gc.set_threshold(0, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0


@pytest.mark.usefixtures("thresholds")
def test_restores_them_when_the_run_fails(tmp_path: Path) -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(NothingReadableError):
        check([tmp_path])
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.usefixtures("thresholds")
def test_a_check_runs_under_the_raised_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("Officials said 40 people died on Monday.\n")
    seen: list[int] = []
    import checker.engine as engine

    real = engine._analyse

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_analyse", spy)
    gc.set_threshold(700, 10, 10)
    check([tmp_path])
    assert seen and seen[0] >= 100_000
    assert gc.get_threshold() == (700, 10, 10)
