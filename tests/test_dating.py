"""Estimating an undated document's publication date from its own text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker.dating import infer_publication
from checker.engine import check
from checker.extract.claims import extract, with_publication
from checker.model import DateSource, Document, Kind

# (id, undated text, expected (earliest, latest) or None); the range may be a few days
# wider or narrower than stated, as years are counted in days.
CASES: list[tuple[str, str, tuple[date, date] | None]] = [
    (
        "same-sentence",
        "The ferry terminal was completed four years ago, on January 3, 2020.",
        (date(2023, 7, 3), date(2025, 1, 3)),
    ),
    (
        "same-event-two-sentences",
        "Four years ago the ferry terminal was completed. It was completed on January 3, 2020.",
        (date(2023, 7, 3), date(2025, 1, 3)),
    ),
    (
        "months-ago",
        "The ferry terminal was completed two months ago, on March 10, 2023.",
        (date(2023, 4, 25), date(2023, 6, 10)),
    ),
    (
        "different-events-no-pair",
        "The footbridge opened four years ago. A flood hit the harbour on January 3, 2020.",
        None,
    ),
    ("relative-only", "The ferry terminal was completed four years ago.", None),
    ("absolute-only", "The ferry terminal was completed on January 3, 2020.", None),
    ("nothing", "The ferry terminal is busy in summer.", None),
]

SLACK_DAYS = 3


def undated(text: str) -> Document:
    return Document(id="u", path="u.txt", text=text, published=None)


@pytest.mark.parametrize(("text", "expected"), [pytest.param(*r[1:], id=r[0]) for r in CASES])
def test_infer_publication(text: str, expected: tuple[date, date] | None) -> None:
    got = infer_publication(extract(undated(text)).claims)
    if expected is None:
        assert got is None
        return
    assert got is not None
    assert got.source is DateSource.INFERRED
    assert abs((got.earliest - expected[0]).days) <= SLACK_DAYS, got
    assert abs((got.latest - expected[1]).days) <= SLACK_DAYS, got


def test_inferred_date_resolves_relative_claims() -> None:
    doc = undated("The ferry terminal was completed four years ago, on January 3, 2020.")
    claims = extract(doc).claims
    estimate = infer_publication(claims)
    assert estimate is not None
    (relative,) = [c for c in claims if c.time_ref is not None]
    assert relative.value.low is None  # unresolved while the date is unknown
    resolved = with_publication(relative, estimate)
    assert resolved.kind is Kind.DATE
    assert isinstance(resolved.value.low, date) and isinstance(resolved.value.high, date)
    assert resolved.value.low <= date(2020, 1, 3) <= resolved.value.high
    assert resolved.as_of == estimate


def test_check_marks_the_estimate(tmp_path: Path) -> None:
    (tmp_path / "u.txt").write_text(
        "The ferry terminal was completed four years ago, on January 3, 2020.\n",
        encoding="utf-8",
    )
    report = check([tmp_path])
    (doc,) = report.documents
    assert doc.published is not None
    assert doc.published.source is DateSource.INFERRED
    assert doc.published.earliest.year == 2023 and doc.published.latest.year in (2024, 2025)
