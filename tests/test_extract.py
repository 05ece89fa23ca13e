"""Claim extraction: what is not a claim, what a claim is about, and who says so.

Case tables: tests/cases/nonclaims.json, subjects.json and attribution.json. The last
test reads every sentence of every case table and checks the offsets of every claim.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from casetools import CASES, claim_at, document, load_cases, overlapping
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.align import block_key
from checker.extract.claims import (
    _CLAUSE_MARK,
    _DIGIT_RUN,
    Options,
    _data_runs,
    _DocState,
    _in_digit_run,
    _Sentence,
    extract,
)
from checker.model import Document, Kind


@pytest.mark.parametrize("case", load_cases("nonclaims.json"))
def test_not_a_claim(case: dict[str, Any]) -> None:
    doc = document(case["text"])
    claims = extract(doc).claims
    kinds = case.get("kinds")
    wrong = [
        c
        for c in overlapping(doc, claims, case["absent"])
        if kinds is None or c.kind.value in kinds
    ]
    assert wrong == [], [c.text for c in wrong]
    for phrase in case.get("present", []):
        hits = overlapping(doc, claims, phrase)
        assert [c.kind for c in hits] == [Kind.COUNT], [c.text for c in claims]


@pytest.mark.parametrize("case", load_cases("subjects.json"))
def test_subject(case: dict[str, Any]) -> None:
    doc = document(case["text"])
    claim = claim_at(doc, case["phrase"])
    s = claim.subject
    assert claim.kind.value == case.get("kind", "count")
    if "text_is" in case:
        assert claim.text == case["text_is"]
    for key in ("thing", "role", "place", "event"):
        if key in case:
            assert getattr(s, key) == case[key], s
    for word in case.get("text_lacks", []):
        assert word not in s.text.lower().split(), s
    if "subject_text_contains" in case:
        assert case["subject_text_contains"] in s.text, s
    for modifier in case.get("modifiers_lack", []):
        assert modifier not in s.modifiers, s
    for modifier in case.get("modifiers_contain", []):
        assert modifier in s.modifiers, s
    if "unit" in case:
        assert claim.value.unit == case["unit"]
    if "value" in case:
        assert claim.value.low == pytest.approx(case["value"])
        assert claim.value.high == pytest.approx(case["value"])
    if "attribution_contains" in case:
        assert claim.attribution is not None
        assert case["attribution_contains"] in claim.attribution.lower()


@pytest.mark.parametrize("case", load_cases("attribution.json"))
def test_attribution(case: dict[str, Any]) -> None:
    claim = claim_at(document(case["text"]), case["phrase"])
    if "contains" in case:
        assert claim.attribution is not None and case["contains"] in claim.attribution
    else:
        assert claim.attribution == case["attribution"]


def test_killed_and_injured_never_swap() -> None:
    doc = document("The landslide killed 3 people and injured 12 others on the road.")
    claims = extract(doc).claims
    roles = {c.text: c.subject.role for c in claims if c.kind is Kind.COUNT}
    assert roles == {"3": "killed", "12": "injured"}


def test_a_span_after_between_dates_its_event_and_its_first_day_is_no_count() -> None:
    doc = document("There were 268 excess deaths between 10 and 20 July 2026.")
    claims = {c.text: c for c in extract(doc).claims}
    assert set(claims) == {"268", "10 and 20 July 2026"}
    span = claims["10 and 20 July 2026"].value
    assert (span.low, span.high) == (date(2026, 7, 10), date(2026, 7, 20))


def test_a_bound_still_dates_nothing() -> None:
    doc = document("The road will stay closed until 20 July 2026.")
    assert [c.kind for c in extract(doc).claims] == []


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("The union announced two more strike days, on 14 and 15 April 2026.", True),
        ("Another strike is planned for 3 May 2026.", True),
        ("The strike will be held on 24 March 2026.", False),
        ("More than 30 strikes were held in May 2026.", False),
    ],
)
def test_a_date_of_an_added_occurrence_is_not_aligned(text: str, added: bool) -> None:
    (claim,) = [c for c in extract(document(text)).claims if c.kind is Kind.DATE]
    assert claim.subject.part is added
    assert (block_key(claim) is None) is added


@pytest.mark.parametrize(
    ("text", "phrase", "part"),
    [
        ("Five people were killed and a further 20 were injured, police said.", "20", False),
        ("Two people died on Monday. A further three died in hospital on Tuesday.", "three", True),
        ("Three more passengers died in hospital, bringing the toll to 15.", "Three", True),
    ],
)
def test_a_further_figure_adds_only_to_a_figure_of_its_role(
    text: str, phrase: str, part: bool
) -> None:
    assert claim_at(document(text), phrase).subject.part is part


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("The strike began on 3 May 2026, the union said.", "began"),
        ("The quake struck on 3 May 2026.", "began"),
        ("The strike took place on 3 May 2026.", "began"),
        ("The strike ended late on 10 May 2026.", "ended"),
        ("The match was called off on 10 May 2026.", "ended"),
        ("The dam was completed in 1987.", "ended"),
        ("The dam, built in 1987, is failing.", None),
    ],
)
def test_a_date_marks_the_phase_its_verb_names(text: str, phase: str | None) -> None:
    (claim,) = [c for c in extract(document(text)).claims if c.kind is Kind.DATE]
    assert claim.subject.phase == phase
    assert claim.subject.text.startswith("end ") is (phase == "ended")


# (id, day_first, expected date or None for "no claim, but a diagnostic")
DAY_FIRST: list[Any] = [
    pytest.param(True, date(2020, 1, 3), id="day-first"),
    pytest.param(False, date(2020, 3, 1), id="month-first"),
    pytest.param(None, None, id="ambiguous-is-reported"),
]


@pytest.mark.parametrize(("day_first", "expected"), DAY_FIRST)
def test_numeric_date_order(day_first: bool | None, expected: date | None) -> None:
    doc = document("The pier was reopened on 3/1/2020 after repairs.")
    result = extract(doc, Options(day_first=day_first))
    dates = [c.value.low for c in result.claims if c.kind is Kind.DATE]
    if expected is None:
        assert dates == []
        assert result.diagnostics, "an unread date must leave a diagnostic"
    else:
        assert dates == [expected]


def _all_case_texts() -> list[Any]:
    texts: dict[str, None] = {}
    for path in sorted(CASES.glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            if "text" in row:
                texts.setdefault(row["text"], None)
            for doc in row.get("docs", {}).values() if isinstance(row.get("docs"), dict) else []:
                texts.setdefault(doc[1], None)
            for doc in row.get("docs", []) if isinstance(row.get("docs"), list) else []:
                texts.setdefault(doc[1], None)
    return [pytest.param(t, id=f"text{n}") for n, t in enumerate(texts)]


@pytest.mark.parametrize("text", _all_case_texts())
def test_offsets_index_the_text(text: str) -> None:
    """Every claim's span indexes its text and lies inside its sentence (STYLE.md 1)."""
    doc = document(text)
    for claim in extract(doc).claims:
        assert doc.text[claim.span.start : claim.span.end] == claim.text
        assert claim.sentence.start <= claim.span.start <= claim.span.end <= claim.sentence.end
        assert claim.span.doc_id == claim.sentence.doc_id == doc.id
        if claim.value.low is not None and claim.value.high is not None:
            assert claim.value.low <= claim.value.high  # type: ignore[operator]


@given(
    st.lists(st.sampled_from([*" ,;:()-–—.", "a", "B", "1,500", "U.S.", " - ", "x"]), max_size=16)
)
@settings(max_examples=400, deadline=None)
def test_clause_breaks_are_the_gaps_that_hold_a_mark(parts: list[str]) -> None:
    """One search of the sentence finds the gaps a search of each gap would."""
    text = "".join(parts)
    sentence = _Sentence(Document("d", "d.txt", text), Options(), _DocState(), 0, 0, len(text))
    tokens = sentence.tokens
    expected = {
        k
        for k in range(1, len(tokens))
        if _CLAUSE_MARK.search(text, tokens[k - 1].end, tokens[k].start)
    }
    assert set(sentence.clause_breaks) == expected


def _plain_in_digit_run(text: str, start: int, end: int) -> bool:
    lo, hi = max(0, start - 24), min(len(text), end + 24)
    return any(
        m.start() <= start and end <= m.end() and m.group() != text[start:end]
        for m in _DIGIT_RUN.finditer(text, lo, hi)
    )


@given(st.lists(st.sampled_from([*"0123- a,.", "٣", "²", "0800", "555"]), max_size=14))
@settings(max_examples=400, deadline=None)
def test_digit_run_precheck_changes_nothing(parts: list[str]) -> None:
    text = "".join(parts)
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 6) + 1):
            assert _in_digit_run(text, start, end) == _plain_in_digit_run(text, start, end)


def _plain_data_runs(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every figure and word of each sentence counted, as `_data_runs` first did."""
    runs: list[tuple[int, int]] = []
    first, figures = -1, 0
    for index, (start, end) in enumerate([*sentences, (0, 0)]):
        count = len(re.findall(r"\d+", text[start:end]))
        if count > 0 and count > len(re.findall(r"[^\W\d_]{2,}", text[start:end])):
            if first < 0:
                first, figures = index, 0
            figures += count
            continue
        if first >= 0:
            last = index - 1
            if sentences[last][1] - sentences[first][0] >= 400 and figures >= 40:
                runs.append((first, last))
            first = -1
    return runs


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["12", "3", "ab", "x", "word", "é2", "_", " "]), max_size=30),
        max_size=40,
    )
)
def test_data_runs_count_as_every_word_would(pieces: list[list[str]]) -> None:
    sentences, parts, offset = [], [], 0
    for words in pieces:
        body = " ".join(words) or "z"
        sentences.append((offset, offset + len(body)))
        parts.append(body + ". ")
        offset += len(body) + 2
    text = "".join(parts)
    assert _data_runs(text, sentences) == _plain_data_runs(text, sentences)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["12", "3", "٣", "ab", "x", "word", "é2", " "]), max_size=30),
            st.sampled_from(["", " ", ". ", "7"]),
        ),
        max_size=40,
    )
)
def test_data_runs_count_figures_cut_by_a_sentence_start(
    pieces: list[tuple[list[str], str]],
) -> None:
    # Sentences that touch (no gap) may cut a figure in two: each counts its own part.
    sentences, parts, offset = [], [], 0
    for words, gap in pieces:
        body = "".join(words) or "9"
        sentences.append((offset, offset + len(body)))
        parts.append(body + gap)
        offset += len(body) + len(gap)
    text = "".join(parts)
    assert _data_runs(text, sentences) == _plain_data_runs(text, sentences)
