"""Time expressions: durations, elapsed times and relative dates.

Case tables: tests/cases/durations.json, elapsed.json and relative_dates.json. Every
document here is published on Wednesday 2024-08-28 unless a case says otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from casetools import PUBLISHED, claim_at, document, load_cases

from checker.extract.timex import resolve
from checker.model import DateRange, DateSource, Kind, TimeRef


def day(iso: str) -> date:
    return date.fromisoformat(iso)


def near(actual: object, expected: str, tolerance: int) -> bool:
    """Return whether a date lies within `tolerance` days of an ISO date."""
    return isinstance(actual, date) and abs((actual - day(expected)).days) <= tolerance


@pytest.mark.parametrize("case", load_cases("durations.json"))
def test_duration(case: dict[str, Any]) -> None:
    doc = document(case["text"])
    claim = claim_at(doc, case["phrase"])
    assert claim.kind is Kind.DURATION
    assert claim.text == case["phrase"]
    v = claim.value
    assert v.unit == case["unit"]
    assert v.low == pytest.approx(case["low"]), v
    if case["high"] is None:
        assert v.high is None, v
    else:
        assert v.high == pytest.approx(case["high"]), v
    assert v.low_open is case.get("low_open", False), v
    assert v.high_open is case.get("high_open", False), v
    assert v.nominal == pytest.approx(case["nominal"]), v


@pytest.mark.parametrize("case", load_cases("elapsed.json"))
def test_elapsed_time(case: dict[str, Any]) -> None:
    doc = document(case["text"])
    claim = claim_at(doc, case["phrase"])
    assert claim.kind is Kind.DURATION
    assert claim.subject.event == case["event"]
    if case.get("time_ref") is False:
        assert claim.time_ref is None
        return
    ref = claim.time_ref
    assert ref is not None
    assert ref.from_publication is case["from_publication"]
    if case["anchor"] is None:
        assert ref.anchor == doc.published
    else:
        assert ref.anchor is not None
        assert ref.anchor.earliest == ref.anchor.latest == day(case["anchor"])


@pytest.mark.parametrize("case", load_cases("relative_dates.json"))
def test_relative_date(case: dict[str, Any]) -> None:
    doc = document(case["text"])
    claim = claim_at(doc, case["phrase"])
    if "date_low" in case:
        assert claim.kind is Kind.DATE
        assert claim.text == case["phrase"]
        tolerance = case.get("tolerance_days", 0)
        assert near(claim.value.low, case["date_low"], tolerance), claim.value
        assert near(claim.value.high, case["date_high"], tolerance), claim.value
        assert claim.time_ref is not None and claim.time_ref.from_publication
    if "event_weekday" in case:
        assert claim.subject.event_weekday == case["event_weekday"], claim.subject
    if "event_day" in case:
        first, last = case["event_day"]
        assert claim.subject.event_day is not None, claim.subject
        assert claim.subject.event_day.earliest == day(first)
        assert claim.subject.event_day.latest == day(last)


def test_years_ago_undated_is_honestly_open() -> None:
    doc = document("The old ferry terminal was completed four years ago.", published=None)
    claim = claim_at(doc, "four years ago")
    assert claim.kind is Kind.DATE
    assert claim.value.low is None and claim.value.high is None
    assert claim.time_ref is not None and claim.time_ref.from_publication


WEDNESDAY = DateRange(PUBLISHED, PUBLISHED, DateSource.TEXT)

# (id, reference, publication, expected (low, high) as ISO dates)
RESOLVE: list[tuple[str, TimeRef, DateRange | None, tuple[str, str] | None]] = [
    (
        "years-ago",
        TimeRef(-5.0, -3.5, "year", WEDNESDAY, True),
        WEDNESDAY,
        ("2019-08-28", "2021-02-28"),
    ),
    ("days-before", TimeRef(-2.0, -2.0, "day", WEDNESDAY, True), WEDNESDAY, ("2024-08-26",) * 2),
    (
        "story-anchor",
        TimeRef(3.0, 3.0, "day", DateRange(date(2024, 8, 20), date(2024, 8, 20)), False),
        WEDNESDAY,
        ("2024-08-23",) * 2,
    ),
    (
        "weekday-of-publication-week",
        TimeRef(0.0, 0.0, "day", WEDNESDAY, True, weekday=0),
        WEDNESDAY,
        ("2024-08-26",) * 2,
    ),
    ("unknown-anchor", TimeRef(-5.0, -3.5, "year", None, True), None, None),
]


@pytest.mark.parametrize(
    ("ref", "published", "expected"), [pytest.param(*row[1:], id=row[0]) for row in RESOLVE]
)
def test_resolve(
    ref: TimeRef, published: DateRange | None, expected: tuple[str, str] | None
) -> None:
    value = resolve(ref, published)
    assert value.unit == "date"
    if expected is None:
        assert value.low is None and value.high is None
        return
    assert near(value.low, expected[0], 1), value
    assert near(value.high, expected[1], 1), value


def test_resolve_never_reads_the_clock() -> None:
    earlier = DateRange(date(1990, 1, 1), date(1990, 1, 1))
    value = resolve(TimeRef(-1.0, -1.0, "day", earlier, True), earlier)
    assert value.low == date(1990, 1, 1) - timedelta(days=1)
