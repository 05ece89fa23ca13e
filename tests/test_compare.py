"""Comparison: interval logic, and whole runs of `checker.check` on small folders.

Case table: tests/cases/compare.json. Each case writes its documents to a temporary
folder (a dated one as Markdown with front matter, an undated one as plain text), runs
the checker and expects exactly the listed findings, each naming exactly the claims
that disagree (CONTRACT.md, "Facts and findings").
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from casetools import load_cases

from checker.compare import Range, figure_range
from checker.engine import check
from checker.model import Claim, Interval, Kind, Report, Span, Subject


def write_docs(folder: Path, docs: dict[str, list[Any]]) -> None:
    """Write each document; a dated one gets front matter with its date."""
    for name, (published, body) in docs.items():
        head = f"---\ntitle: {Path(name).stem}\ndate: {published}\n---\n\n" if published else ""
        (folder / name).write_text(head + body + "\n", encoding="utf-8")


def find(report: Report, ref: list[str]) -> Claim:
    """Return the claim of document ref[0] overlapping the words ref[1]."""
    (doc,) = [d for d in report.documents if d.id == ref[0]]
    # Whole words only, so that "20" is not found inside the front matter's "2024-05-06".
    match = re.search(rf"(?<![\w-]){re.escape(ref[1])}(?![\w-])", doc.text)
    assert match is not None, ref
    start, end = match.span()
    hits = [
        c
        for c in report.claims
        if c.span.doc_id == doc.id and c.span.start < end and start < c.span.end
    ]
    assert len(hits) == 1, f"claims over {ref}: {[c.text for c in report.claims]}"
    return hits[0]


def check_invariants(report: Report) -> None:
    """Assert what every report must satisfy, whatever its findings."""
    texts = {d.id: d.text for d in report.documents}
    for c in report.claims:
        assert texts[c.span.doc_id][c.span.start : c.span.end] == c.text
    facts = {f.id: f for f in report.facts}
    for finding in report.findings:
        assert finding.fact in facts
        fact_claims = {c.id for c in facts[finding.fact].claims}
        assert {c.id for c in finding.claims} <= fact_claims
        assert len(finding.claims) >= 2
        docs = {c.span.doc_id for c in finding.claims}
        if finding.kind.value != "disputed":
            assert len(docs) >= 2, "a cross-document finding names two documents"


@pytest.mark.parametrize("case", load_cases("compare.json"))
def test_check(case: dict[str, Any], tmp_path: Path) -> None:
    write_docs(tmp_path, case["docs"])
    report = check([tmp_path])
    check_invariants(report)
    got = sorted(
        (f.kind.value, f.severity.value, tuple(sorted(c.id for c in f.claims)))
        for f in report.findings
    )
    expected = sorted(
        (f["kind"], f["severity"], tuple(sorted(find(report, ref).id for ref in f["claims"])))
        for f in case["findings"]
    )
    assert got == expected, [f.message for f in report.findings]
    for want, finding in zip(
        sorted(case["findings"], key=lambda f: (f["kind"], f["severity"])),
        sorted(report.findings, key=lambda f: (f.kind.value, f.severity.value)),
        strict=True,
    ):
        for words in want.get("message_contains", []):
            assert words in finding.message


def test_undated_document_takes_part(tmp_path: Path) -> None:
    write_docs(
        tmp_path,
        {
            "a.md": ["2024-03-04", "The Orlen Dam was completed in 1987 and holds back the river."],
            "b.txt": [None, "Engineers said the Orlen Dam was completed in 1994 after delays."],
        },
    )
    report = check([tmp_path])
    assert {d.id: d.published is None for d in report.documents} == {"a": False, "b": True}
    assert [(f.kind.value, f.severity.value) for f in report.findings] == [("conflict", "error")]


def claim(low: float | None, high: float | None, **kw: Any) -> Claim:
    """Return a bare count claim with the given interval."""
    return Claim(
        id="d#1",
        span=Span("d", 0, 1),
        text="x",
        kind=Kind.COUNT,
        value=Interval(low, high, None, **kw),
        subject=Subject("things"),
        sentence=Span("d", 0, 1),
    )


# (id, range a, range b, disjoint)
DISJOINT: list[tuple[str, Range, Range, bool]] = [
    ("overlap", Range(1, 5), Range(4, 9), False),
    ("apart", Range(1, 3), Range(4, 9), True),
    ("touching-closed", Range(1, 4), Range(4, 9), False),
    ("touching-high-open", Range(19, 20, high_open=True), Range(20, 21, high_open=True), True),
    ("touching-low-open", Range(19, 20), Range(20, None, low_open=True), True),
    ("open-above-covers", Range(10, None, low_open=True), Range(19, 20, high_open=True), False),
    ("open-below-covers", Range(None, 5), Range(1, 2), False),
    ("both-unbounded", Range(None, None), Range(3, 3), False),
]


@pytest.mark.parametrize(("a", "b", "expected"), [pytest.param(*r[1:], id=r[0]) for r in DISJOINT])
def test_range_disjoint(a: Range, b: Range, expected: bool) -> None:
    assert a.disjoint(b) is expected
    assert b.disjoint(a) is expected


# (id, claim, expected range)
FIGURES: list[tuple[str, Claim, Range]] = [
    ("exact", claim(19, 19), Range(19, 19)),
    ("slack-widens", claim(2500, 2500, slack=50), Range(2450, 2550)),
    ("open-kept", claim(600, None, low_open=True), Range(600, None, low_open=True)),
    ("open-high-bound", claim(0, 75, high_open=True), Range(0, 75, high_open=True)),
]


@pytest.mark.parametrize(("c", "expected"), [pytest.param(*r[1:], id=r[0]) for r in FIGURES])
def test_figure_range(c: Claim, expected: Range) -> None:
    got = figure_range(c)
    assert got == expected
    assert got.high is None or not math.isinf(got.high)
