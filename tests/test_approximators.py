"""Approximate language: every row of DESIGN.md's table, read from a sentence.

The case table lives in tests/cases/approximators.json; each row gives a sentence, the
words that locate the claim and the interval the claim must carry.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from casetools import claim_at, document, load_cases

from checker.extract.approximators import Rule, approximator_before
from checker.text import tokenize


def same_bound(actual: object, expected: float | None) -> bool:
    """Return whether a bound equals the expected number (None: open)."""
    if expected is None:
        return actual is None
    return isinstance(actual, int | float) and actual == pytest.approx(expected)


@pytest.mark.parametrize("case", load_cases("approximators.json"))
def test_approximate_language(case: dict[str, Any]) -> None:
    doc = document(case["text"])
    claim = claim_at(doc, case["phrase"])
    assert claim.kind.value == case.get("kind", "count")
    assert claim.text == case.get("text_is", case["phrase"])
    v = claim.value
    assert same_bound(v.low, case["low"]), v
    assert same_bound(v.high, case["high"]), v
    assert v.low_open is case.get("low_open", False), v
    assert v.high_open is case.get("high_open", False), v
    if "nominal" in case:
        assert same_bound(v.nominal, case["nominal"]), v
    slack = case.get("slack")
    if slack == "positive":
        assert v.slack > 0, v
    elif slack is not None:
        assert v.slack == slack, v


# (id, rule, low, high, expected (low, high, low_open, high_open))
RULES: list[tuple[str, Rule, float, float | None, tuple[float, float | None, bool, bool]]] = [
    ("nearly", Rule("nearly", 0.9, 1.0, False, False), 100, 100, (90, 100, False, False)),
    ("about", Rule("about", 0.9, 1.1, False, False), 100, 100, (90, 110, False, False)),
    (
        "more-than",
        Rule("more_than", 1.0, math.inf, True, False),
        100,
        100,
        (100, None, True, False),
    ),
    (
        "fewer-than",
        Rule("fewer_than", 0.0, 1.0, False, True),
        100,
        100,
        (0, 100, False, True),
    ),
    (
        "about-a-range-widens-both-ends",
        Rule("about", 0.9, 1.1, False, False),
        100,
        200,
        (90, 220, False, False),
    ),
    (
        "fewer-than-open-figure-stays-open",
        Rule("fewer_than", 0.0, 1.0, False, True),
        100,
        None,
        (0, None, False, False),
    ),
]


@pytest.mark.parametrize(
    ("rule", "low", "high", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in RULES],
)
def test_rule_apply(
    rule: Rule,
    low: float,
    high: float | None,
    expected: tuple[float, float | None, bool, bool],
) -> None:
    new_low, new_high, low_open, high_open = rule.apply(low, high)
    assert new_low == pytest.approx(expected[0])
    assert same_bound(new_high, expected[1])
    assert (low_open, high_open) == expected[2:]


# (id, text, expected rule name or None, expected number of words)
BEFORE: list[tuple[str, str, str | None, int]] = [
    ("one-word", "nearly 40", "nearly", 1),
    ("two-words", "more than 40", "more_than", 2),
    ("longest-wins", "slightly more than 40", "more_than", 3),
    ("case-insensitive", "AT LEAST 40", "at_least", 2),
    ("none", "the 40", None, 0),
    ("not-adjacent", "nearly all of the 40", None, 0),
]


@pytest.mark.parametrize(
    ("text", "rule", "words"), [pytest.param(*row[1:], id=row[0]) for row in BEFORE]
)
def test_approximator_before(text: str, rule: str | None, words: int) -> None:
    tokens = tokenize(text, 0, len(text))
    hit = approximator_before(tokens, len(tokens) - 1)
    if rule is None:
        assert hit is None
    else:
        assert hit is not None
        assert (hit[0].name, hit[1]) == (rule, words)
