"""A value written twice, in two units ("41.3C (102F)"): one fact, checked against itself."""

from __future__ import annotations

from pathlib import Path

from casetools import document

from checker.ambiguity import vague_subjects
from checker.compare import is_conversion
from checker.engine import check
from checker.extract.claims import extract
from checker.model import FindingKind, Kind


def test_a_bracketed_conversion_shares_the_subject_of_its_value() -> None:
    doc = document("The new span is 312 metres (1,024 feet) long.")
    first, second = [c for c in extract(doc).claims if c.kind is Kind.QUANTITY]
    assert (first.text, second.text) == ("312 metres", "1,024 feet")
    assert second.subject == first.subject


def test_a_wrong_conversion_is_not_a_vague_subject() -> None:
    claims = extract(document("Saturday's record of 41.3C (102F) stood.")).claims
    assert [c.text for c in claims if c.kind is Kind.QUANTITY] == ["41.3C", "102F"]
    assert vague_subjects(claims) == frozenset()


def _write(folder: Path, **texts: str) -> Path:
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_report_whose_conversion_is_wrong_gets_a_conflict(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        post="Published 20 July 2026\n\nSaturday's record of 41.3C (102F) stood for a day.",
    )
    (finding,) = check([folder]).findings
    assert finding.kind is FindingKind.CONFLICT
    assert [c.text for c in finding.claims] == ["41.3C", "102F"]
    assert "conversion is wrong" in finding.message


def test_a_right_conversion_raises_nothing(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        wire="Published 18 July 2026\n\nSaturday's record of 41.3C (106.3F) stood for a day.",
        post="Published 20 July 2026\n\nThe bridge is 312 metres (1,024 feet) long.",
    )
    assert check([folder]).findings == ()


def test_two_values_of_one_report_far_apart_are_no_conversion(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        post=(
            "Published 20 July 2026\n\nThe record of 41.3C stood. By Monday it was 102F "
            "in the old town."
        ),
    )
    assert [f for f in check([folder]).findings if "conversion" in f.message] == []


def test_a_list_of_one_unit_is_no_conversion() -> None:
    claims = extract(document("The three courses run 5 km, 10 km and 21 km.")).claims
    five, ten = [c for c in claims if c.kind is Kind.QUANTITY][:2]
    assert not is_conversion(five, ten)
    celsius, fahrenheit = [
        c for c in extract(document("A record 41.3C (102F).")).claims if c.kind is Kind.QUANTITY
    ]
    assert is_conversion(celsius, fahrenheit)
