"""Helpers shared by the test modules: case tables, one-document fixtures, span checks.

Imported as `from casetools import ...`: pytest puts this folder on `sys.path` because
the tests are not a package (its default `prepend` import mode), as for report_fixtures.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import pytest

from checker.extract.claims import extract
from checker.model import Claim, DateRange, DateSource, Document

CASES = Path(__file__).parent / "cases"
PUBLISHED = date(2024, 8, 28)  # a Wednesday
LINEAR_SECONDS = 5.0  # a finder given a long, hostile text must finish within this


class Spanned(Protocol):
    """A match found in a text: code-point offsets into it."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def load_cases(name: str) -> list[Any]:
    """Return the rows of a case file as pytest params, ids from their names."""
    rows = json.loads((CASES / name).read_text(encoding="utf-8"))
    return [
        pytest.param(
            row,
            id=row["id"],
            marks=[pytest.mark.xfail(strict=True, reason=row["xfail"])] if "xfail" in row else [],
        )
        for row in rows
    ]


def document(text: str, published: date | None = PUBLISHED) -> Document:
    """Return a document published on `published` (None: undated)."""
    when = DateRange(published, published, DateSource.TEXT) if published else None
    return Document(id="d1", path="d1.txt", text=text, published=when)


def overlapping(doc: Document, claims: tuple[Claim, ...], phrase: str) -> list[Claim]:
    """Return the claims whose spans overlap the first occurrence of `phrase`."""
    start = doc.text.index(phrase)
    end = start + len(phrase)
    return [c for c in claims if c.span.start < end and start < c.span.end]


def claim_at(doc: Document, phrase: str) -> Claim:
    """Return the one claim whose span overlaps the first occurrence of `phrase`."""
    claims = extract(doc).claims
    for c in claims:
        assert doc.text[c.span.start : c.span.end] == c.text
    hits = overlapping(doc, claims, phrase)
    assert len(hits) == 1, f"claims over {phrase!r}: {[c.text for c in claims]}"
    return hits[0]


def check_spans(text: str, found: Iterable[Spanned], start: int, end: int | None) -> None:
    """Assert that matches lie inside text[start:end], in order, apart, and not blank."""
    lo = max(0, start)
    hi = len(text) if end is None else min(end, len(text))
    previous_end = lo
    for m in found:
        assert lo <= m.start < m.end <= hi
        assert m.start >= previous_end
        previous_end = m.end
        assert text[m.start : m.end].strip()


def check_linear_time(find: Callable[[str], object], text: str) -> None:
    """Assert that `find` reads a long, hostile text in well under quadratic time."""
    started = time.perf_counter()
    find(text)
    assert time.perf_counter() - started < LINEAR_SECONDS
