"""Syndicated copies: found by shared text, dated from each other, counted once."""

from __future__ import annotations

from pathlib import Path

from checker.engine import check
from checker.model import DateSource

WIRE = (
    "Flood waters rose through the night in the river town, and emergency services said "
    "nearly 1,200 people had been moved to schools and sports halls on higher ground. "
    "The regional council said the main bridge would stay closed until engineers had "
    "inspected its piers, and that 40 pumps had been brought in from neighbouring districts. "
    "Residents described water reaching the first floor of houses near the old mill, where "
    "the flood of 1998 had also struck hardest."
)


def test_a_reprint_is_dated_from_its_copy_and_not_counted_twice(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2025-02-10\n\n" + WIRE + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Reprinted from the wire.\n\n" + WIRE + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(
        "date 2025-02-11\n\nEmergency services said nearly 1,200 people had been moved to "
        "schools and sports halls on higher ground as flood waters rose in the river town.\n",
        encoding="utf-8",
    )
    report = check([tmp_path])
    dates = {d.id: d.published for d in report.documents}
    b = dates["b"]
    assert b is not None and b.source is DateSource.INFERRED
    assert b.earliest.isoformat() == "2025-02-07" and b.latest.isoformat() == "2025-02-13"
    [moved] = [f for f in report.facts if {c.span.doc_id for c in f.claims} == {"a", "b", "c"}]
    assert moved.independent == 2


def test_different_reports_are_not_copies(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2025-02-10\n\n" + WIRE + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "The council met on Tuesday about the 40 pumps.\n", encoding="utf-8"
    )
    report = check([tmp_path])
    assert {d.id: d.published for d in report.documents}["b"] is None
