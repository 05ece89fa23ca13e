"""The engine with its cache: same output cold, warm and without, and only changed work."""

from __future__ import annotations

import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest

from checker import engine
from checker.engine import check
from checker.extract.claims import Extraction, Options
from checker.gate.store import ExtractionCache
from checker.model import Document
from checker.report import render_json

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _store(directory: Path) -> ExtractionCache:
    store, problems = ExtractionCache.open(directory, "test-config")
    assert store is not None and not problems
    return store


def _run(corpus: Path, cache_dir: Path | None) -> str:
    store = _store(cache_dir) if cache_dir else None
    try:
        return render_json(check([corpus], store=store))
    finally:
        if store is not None:
            assert store.close() == []


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLES, tmp_path / "examples"))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the id of every document actually extracted (not taken from the cache)."""
    seen: list[str] = []
    real = engine.extract

    def extract(doc: Document, options: Options) -> Extraction:
        seen.append(doc.id)
        return real(doc, options)

    monkeypatch.setattr("checker.engine.extract", extract)
    return seen


def test_cold_warm_and_uncached_runs_are_byte_identical(corpus: Path, tmp_path: Path) -> None:
    uncached = _run(corpus, None)
    assert _run(corpus, tmp_path / "cache") == uncached
    assert _run(corpus, tmp_path / "cache") == uncached


def test_a_warm_run_extracts_nothing(corpus: Path, tmp_path: Path, counted: list[str]) -> None:
    _run(corpus, tmp_path / "cache")
    assert counted
    counted.clear()
    _run(corpus, tmp_path / "cache")
    assert counted == []


def test_only_a_changed_document_is_read_again(
    corpus: Path, tmp_path: Path, counted: list[str]
) -> None:
    _run(corpus, tmp_path / "cache")
    changed = sorted(corpus.iterdir())[0]
    changed.write_text(changed.read_text("utf-8") + "\nA late paragraph.\n", "utf-8")
    counted.clear()
    warm = _run(corpus, tmp_path / "cache")
    assert set(counted) == {changed.stem}
    assert warm == _run(corpus, None)


def test_a_changed_configuration_misses(corpus: Path, tmp_path: Path, counted: list[str]) -> None:
    _run(corpus, tmp_path / "cache")
    counted.clear()
    store, _ = ExtractionCache.open(tmp_path / "cache", "another-config")
    assert store is not None
    check([corpus], store=store)
    store.close()
    assert counted


def test_a_planted_or_damaged_cache_is_a_miss_not_a_crash(corpus: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    _run(corpus, cache_dir)
    with sqlite3.connect(cache_dir / "cache.sqlite3") as db:
        changed = db.execute("update entries set value = ?", (zlib.compress(b"[1, 2]"),))
        assert changed.rowcount > 0
    assert _run(corpus, cache_dir) == _run(corpus, None)


def test_an_unusable_cache_folder_is_a_diagnostic(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    store, problems = ExtractionCache.open(blocker, "x")
    assert store is None
    assert [p.code for p in problems] == ["cache.unavailable"]
