"""Tests of share reading: a case table, the lexicon, properties and linear time."""

from __future__ import annotations

from typing import Any

import pytest
from casetools import check_linear_time, check_spans, load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract.numbers import find_numbers
from checker.extract.shares import (
    PERCENT,
    PERCENTAGE_POINT,
    ShareMatch,
    find_shares,
    percent_after,
)
from checker.lexicon import load
from checker.text import tokenize


def _read(text: str) -> list[tuple[str, float, str]]:
    """Return every share in the text as the claim extractor would: ratios and
    fractions first, then figures followed by a percent sign or word."""
    tokens = tokenize(text)
    shares = find_shares(text, tokens)
    found = [(m.start, text[m.start : m.end], m.nominal, m.unit) for m in shares]
    for n in find_numbers(text):
        if any(m.start < n.end and n.start < m.end for m in shares) or n.value is None:
            continue
        if (hit := percent_after(text, tokens, n.end)) is not None:
            found.append((n.start, text[n.start : hit[0]], n.value, hit[1]))
    return [(quote, value, unit) for _, quote, value, unit in sorted(found)]


@pytest.mark.parametrize("row", load_cases("shares.json"))
def test_share_case(row: dict[str, Any]) -> None:
    got = _read(row["text"])
    expected = [(quote, pytest.approx(value), unit) for quote, value, unit in row["expected"]]
    assert got == expected


def _forms(section: str, key: str) -> list[Any]:
    return [pytest.param(f, id=f"{section}-{key}-{f}") for f in load("shares")[section][key]]


@pytest.mark.parametrize("form", _forms("percent", "words"))
def test_every_percent_word_is_read(form: str) -> None:
    text = f"Prices rose 7 {form} last year."
    assert _read(text) == [(f"7 {form}", 7, PERCENT)]


@pytest.mark.parametrize("form", _forms("points", "words"))
def test_every_point_word_is_read(form: str) -> None:
    text = f"Support fell 7 {form} last year."
    assert _read(text) == [(f"7 {form}", 7, PERCENTAGE_POINT)]


@pytest.mark.parametrize("form", _forms("percent", "tight") + _forms("points", "tight"))
def test_every_tight_form_is_read(form: str) -> None:
    text = f"Margins rose 7{form} last year."
    unit = PERCENTAGE_POINT if form in load("shares")["points"]["tight"] else PERCENT
    assert _read(text) == [(f"7{form}", 7, unit)]


@pytest.mark.parametrize("joiner", _forms("ratios", "joiners"))
def test_every_ratio_joiner_is_read(joiner: str) -> None:
    text = f"Officials said 1 {joiner} 4 homes were damaged."
    assert _read(text) == [(f"1 {joiner} 4", 25, PERCENT)]


@pytest.mark.parametrize("unit", _forms("fractions", "not_of"))
def test_fraction_of_a_unit_is_no_share(unit: str) -> None:
    assert _read(f"It took two-thirds of a {unit} to finish.") == []


def test_share_match_checks_itself() -> None:
    with pytest.raises(ValueError):
        ShareMatch(3, 3, 20, 20, 20)
    assert ShareMatch(0, 3, 20, 20, 20).approx


def test_percent_after_out_of_range() -> None:
    text = "5%"
    assert percent_after(text, tokenize(text), 99) is None
    assert percent_after(text, tokenize(text), 2) is None
    assert find_shares(text, []) == []


_PIECES = [*"0123456789 ,.-%", " in ", " out of ", " of ", "one", "five", "half", "third"]
_PIECES += ["two-thirds", " per cent", " points", " pp", "pct", "hour", " the ", "a "]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@given(_TEXTS)
@settings(max_examples=300, deadline=None)
def test_find_shares_properties(text: str) -> None:
    tokens = tokenize(text)
    shares = find_shares(text, tokens)
    check_spans(text, shares, 0, None)
    for m in shares:
        assert m.unit == PERCENT and 0 < m.nominal <= 100 and m.low == m.nominal == m.high


@given(st.text(max_size=60), st.integers(-3, 70))
@settings(max_examples=300, deadline=None)
def test_percent_after_never_raises(text: str, end: int) -> None:
    tokens = tokenize(text)
    hit = percent_after(text, tokens, end)
    if hit is not None:
        assert end < hit[0] <= len(text)
        assert hit[1] in (PERCENT, PERCENTAGE_POINT)
    check_spans(text, find_shares(text, tokens), 0, None)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("one in five " * 8_000, id="ratios"),
        pytest.param("5 points 4% " * 8_000, id="points"),
        pytest.param("half of the " * 8_000, id="fractions"),
    ],
)
def test_linear_time(text: str) -> None:
    def read_all(t: str) -> None:
        tokens = tokenize(t)
        find_shares(t, tokens)
        for n in find_numbers(t):
            percent_after(t, tokens, n.end)

    check_linear_time(read_all, text)
