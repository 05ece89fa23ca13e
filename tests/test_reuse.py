"""Identical copies of a text are read once, and their claims are those of each copy."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from checker import engine
from checker.engine import check
from checker.extract.claims import extract
from checker.extract.reuse import reading_key, relabelled
from checker.ingest import discover, read_document, unique_ids
from checker.model import DateRange, Document
from checker.parallel import InProcess, Tick
from checker.report.json_report import render_json

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

# Claims of every kind, and the two diagnostics a sentence can give: a date without a
# year and a date whose day and month order is open.
_MIXED = (
    "The flood on 3 May 2021 killed 14 people and cost $2.5 million, officials said. "
    "Some 40% of homes were hit, about 12 km from the coast, four years after the last "
    "one. A review is due on 12 June. Another storm struck on 3/4/2021.\n"
)


def _corpus_documents() -> list[Document]:
    folders = [str(REPO / "examples"), *([str(SEEDS)] if SEEDS.is_dir() else [])]
    sources, _ = discover(folders)
    docs = [read_document(s, i)[0] for s, i in zip(sources, unique_ids(sources), strict=True)]
    return [d for d in docs if d is not None]


def _copy(doc: Document, doc_id: str, path: str) -> Document:
    return replace(doc, id=doc_id, path=path)


@pytest.mark.parametrize("markdown", [False, True])
def test_a_copy_relabelled_reads_as_the_copy_itself(markdown: bool) -> None:
    suffix = ".md" if markdown else ".txt"
    docs = [*_corpus_documents(), Document("mixed", f"mixed{suffix}", _MIXED)]
    for doc in docs:
        copy = _copy(doc, f"{doc.id}-copy", f"elsewhere/{doc.id}-copy{suffix}")
        if doc.path.lower().endswith(".md") != markdown:
            continue  # a copy keeps its kind of file: that is part of the key
        assert reading_key(copy) == reading_key(doc)
        assert relabelled(extract(doc), doc, copy) == extract(copy), doc.path


def test_the_mixed_text_gives_claims_and_both_diagnostics() -> None:
    """Guard the test above: it must cover claims and diagnostics, or it proves little."""
    result = extract(Document("mixed", "mixed.txt", _MIXED))
    codes = {d.code for d in result.diagnostics}
    assert len(result.claims) >= 5
    assert {"extract.date-without-year", "extract.ambiguous-date"} <= codes


def test_what_changes_the_reading_changes_the_key() -> None:
    doc = Document("a", "a.txt", _MIXED)
    day = DateRange(date(2021, 5, 20), date(2021, 5, 20))
    assert reading_key(replace(doc, published=day)) != reading_key(doc)
    assert reading_key(replace(doc, path="a.md")) != reading_key(doc)
    assert reading_key(replace(doc, skipped=((0, 10),))) != reading_key(doc)
    assert reading_key(replace(doc, text=_MIXED + " ")) != reading_key(doc)
    assert reading_key(replace(doc, id="b", path="b.txt", title="B")) == reading_key(doc)


class _CountingRunner(InProcess):
    """Runs here, and remembers how many items each map was given."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], tick: Tick | None = None) -> Any:
        self.sizes.append(len(items))
        return super().map(fn, items, tick)


def test_a_folder_of_copies_is_read_once_with_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    for source in sorted((REPO / "examples").iterdir()):
        for n in range(4):
            shutil.copy(source, folder / f"{n}_{source.name}")
    runner = _CountingRunner()
    shared = check([folder], runner=runner)
    distinct = len({p.read_bytes() for p in (REPO / "examples").iterdir()})
    assert distinct in runner.sizes  # the claims were read once per distinct text
    # Every document read on its own, as before copies were recognised.
    monkeypatch.setattr(engine, "reading_key", id)
    alone = check([folder], runner=(each := _CountingRunner()))
    assert 4 * distinct in each.sizes
    assert render_json(shared) == render_json(alone)
    by_doc = {d.id: d for d in shared.documents}
    for claim in shared.claims:
        doc = by_doc[claim.span.doc_id]
        assert claim.id.startswith(f"{doc.id}#")
        assert claim.text == doc.text[claim.span.start : claim.span.end]
    assert len(shared.claims) == 4 * len(check([REPO / "examples"], jobs=1).claims)
