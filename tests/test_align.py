"""Alignment: which claims are statements of one fact.

Case table: tests/cases/align.json. Each case gives dated documents and pairs of claims
(document index, words of the claim) that must, or must never, share a fact.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from casetools import load_cases

from checker.align import align, block_key, main_events, times_compatible
from checker.extract.claims import extract
from checker.model import Claim, DateRange, DateSource, Document, Fact, Subject


def documents(rows: list[list[str]]) -> list[Document]:
    """Return documents d1, d2, ... from (ISO publication date, text) rows."""
    out = []
    for n, (published, text) in enumerate(rows, 1):
        day = date.fromisoformat(published)
        out.append(
            Document(
                id=f"d{n}",
                path=f"d{n}.txt",
                text=text,
                published=DateRange(day, day, DateSource.TEXT),
            )
        )
    return out


def find(docs: list[Document], claims: list[Claim], ref: list[Any]) -> Claim:
    """Return the claim of document ref[0] that overlaps the words ref[1]."""
    doc = docs[ref[0]]
    start = doc.text.index(ref[1])
    end = start + len(ref[1])
    hits = [
        c for c in claims if c.span.doc_id == doc.id and c.span.start < end and start < c.span.end
    ]
    assert len(hits) == 1, f"claims over {ref}: {[c.text for c in claims]}"
    return hits[0]


def fact_of(facts: tuple[Fact, ...], claim: Claim) -> str:
    found = [f.id for f in facts if claim in f.claims]
    assert len(found) == 1, "every claim belongs to exactly one fact"
    return found[0]


@pytest.mark.parametrize("case", load_cases("align.json"))
def test_align(case: dict[str, Any]) -> None:
    docs = documents(case["docs"])
    claims = [c for d in docs for c in extract(d).claims]
    facts = align(claims)
    assert sorted(c.id for f in facts for c in f.claims) == sorted(c.id for c in claims)
    for a, b in case.get("same", []):
        ca, cb = find(docs, claims, a), find(docs, claims, b)
        assert fact_of(facts, ca) == fact_of(facts, cb), (ca.subject, cb.subject)
    for a, b in case.get("different", []):
        ca, cb = find(docs, claims, a), find(docs, claims, b)
        assert fact_of(facts, ca) != fact_of(facts, cb), (ca.subject, cb.subject)
    if "one_fact" in case:
        members = [find(docs, claims, ref) for ref in case["one_fact"]]
        (fact,) = {fact_of(facts, c) for c in members}
        (whole,) = [f for f in facts if f.id == fact]
        assert set(whole.claims) == set(members)


def test_align_is_deterministic() -> None:
    docs = documents(
        [
            ["2024-05-06", "The blast in the bus depot killed 12 people."],
            ["2024-05-07", "Twelve people died in the bus depot blast, police said."],
            ["2024-05-07", "The Pentagon keeps 2,500 troops in Iraq, officials said."],
        ]
    )
    claims = [c for d in docs for c in extract(d).claims]
    assert align(claims) == align(list(claims))
    assert [f.id for f in align(claims)] == [f"F{n}" for n in range(1, len(align(claims)) + 1)]


MONDAY = DateRange(date(2024, 5, 6), date(2024, 5, 6))
WEEK = DateRange(date(2024, 5, 6), date(2024, 5, 12))

# (id, subject a, subject b, compatible)
TIMES: list[tuple[str, Subject, Subject, bool]] = [
    (
        "same-weekday",
        Subject("a", event="attack", event_weekday=0),
        Subject("b", event="attack", event_weekday=0),
        True,
    ),
    (
        "different-weekdays",
        Subject("a", event="attack", event_weekday=0),
        Subject("b", event="attack", event_weekday=2),
        False,
    ),
    (
        "weekday-inside-day-range",
        Subject("a", event="attack", event_weekday=3),
        Subject("b", event="attack", event_day=WEEK),
        True,
    ),
    (
        "weekday-outside-day",
        Subject("a", event="attack", event_weekday=3),
        Subject("b", event="attack", event_day=MONDAY),
        False,
    ),
    (
        "disjoint-days",
        Subject("a", event="attack", event_day=MONDAY),
        Subject("b", event="attack", event_day=DateRange(date(2024, 5, 9), date(2024, 5, 9))),
        False,
    ),
    (
        "no-event-times-not-compared",
        Subject("a", event_weekday=0),
        Subject("b", event_weekday=2),
        True,
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), [pytest.param(*r[1:], id=r[0]) for r in TIMES])
def test_times_compatible(a: Subject, b: Subject, expected: bool) -> None:
    assert times_compatible(a, b) is expected
    assert times_compatible(b, a) is expected


def test_duration_of_no_named_event_stands_alone() -> None:
    text = "The lease on the old pier ran for 19 years in total."
    docs = documents([["2024-05-06", text], ["2024-05-07", text]])
    claims = [c for d in docs for c in extract(d).claims]
    assert [c.text for c in claims] == ["19 years", "19 years"]
    assert all(block_key(c) is None for c in claims)
    facts = align(claims)
    assert [(len(f.claims), f.status) for f in facts] == [(1, "single"), (1, "single")]


def test_main_event_is_the_one_the_story_names() -> None:
    # The release "announces" its figures, but the landslide it also dates is the event
    # the story's other reports name: that is its main event. A report that never names
    # the landslide keeps its own.
    docs = documents(
        [
            [
                "2025-11-04",
                "The agency announced 27 houses destroyed. The landslide struck on 3 November.",
            ],
            ["2025-11-04", "The landslide destroyed at least 34 homes in the valley."],
            ["2025-11-05", "Rescuers searched after the landslide killed nine people."],
            ["2025-11-05", "The mayor announced 12 new shelters for 400 people."],
        ]
    )
    claims = [c for d in docs for c in extract(d).claims]
    main = main_events(claims)
    assert main["d1"] == main["d2"] == main["d3"] == "landslide"
    assert main["d4"] == "announcement"
