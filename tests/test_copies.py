"""Syndicated copies: found by shared text, dated from each other, counted once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.copies import _WORD, _words, group_shingles, shingles
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


def test_shingles_are_the_same_in_every_process() -> None:
    """Workers of one run compare shingles: no per-process salt may enter them."""
    code = "import sys; from checker.copies import shingles; print(sorted(shingles(sys.argv[1])))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code, WIRE],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert runs == {f"{sorted(shingles(WIRE))}\n"}


@given(st.text(alphabet=st.sampled_from("aZ9_ İéßſ²½’“-.\n"), max_size=40) | st.text(max_size=40))
def test_words_lower_each_word(text: str) -> None:
    assert _words(text) == [w.lower() for w in _WORD.findall(text)]


def _brute_force_groups(found: dict[str, set[int]]) -> set[frozenset[str]]:
    """Compare every pair: the definition `group_shingles` must agree with."""
    holders = Counter(s for shingle_set in found.values() for s in shingle_set)
    limit = max(2, int(0.5 * len(found)))
    groups = {d: {d} for d in found}
    ids = sorted(found)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            count = sum(1 for s in found[a] & found[b] if 1 < holders[s] <= limit)
            union = len(found[a]) + len(found[b]) - count
            if union and count / union >= 0.5:
                merged = groups[a] | groups[b]
                for d in merged:
                    groups[d] = merged
    return {frozenset(g) for g in groups.values()}


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.sets(st.integers(0, 12))))
def test_groups_match_every_pair_compared(found: dict[str, set[int]]) -> None:
    numbers = group_shingles(found)
    by_number: dict[int, set[str]] = {}
    for doc_id, n in numbers.items():
        by_number.setdefault(n, set()).add(doc_id)
    assert {frozenset(g) for g in by_number.values()} == _brute_force_groups(found)
    # Numbered in the order of each group's first id, whatever the merge order.
    firsts = sorted(min(g) for g in by_number.values())
    assert [numbers[d] for d in firsts] == list(range(len(firsts)))
