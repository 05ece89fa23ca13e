"""Approximators ("nearly", "more than", "some") and what they do to a figure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from checker.lexicon import load
from checker.text import Token, normalise_word


@dataclass(frozen=True, slots=True)
class Rule:
    """How one family of approximators widens a stated figure X."""

    name: str
    low: float
    high: float
    low_open: bool
    high_open: bool

    def apply(self, low: float, high: float | None) -> tuple[float, float | None, bool, bool]:
        """Widen [low, high] (high None: unbounded): return (low, high, low_open, high_open)."""
        top = high if high is not None else low
        new_low = low * self.low
        new_high = None if math.isinf(self.high) or high is None else top * self.high
        low_open, high_open = self.low_open, self.high_open and new_high is not None
        if new_high is not None and new_low > new_high:
            # Factors scale a magnitude: below zero they mirror the interval ("about -4"
            # is [-4.4, -3.6], not [-3.6, -4.4]), and each bound keeps its openness.
            return new_high, new_low, high_open, low_open
        return new_low, new_high, low_open, high_open


@cache
def _table() -> tuple[dict[tuple[str, ...], Rule], int]:
    forms: dict[tuple[str, ...], Rule] = {}
    for name, spec in load("approximators")["rules"].items():
        high = float(spec["high"])  # "inf" parses as infinity
        rule = Rule(
            name,
            float(spec["low"]),
            high,
            spec.get("low_open", False),
            spec.get("high_open", False),
        )
        for phrase in spec["phrases"]:
            forms[tuple(normalise_word(w) for w in phrase.split())] = rule
    return forms, max(len(k) for k in forms)


@cache
def _last_words() -> frozenset[str]:
    """Return the words an approximator can end with ("than" of "more than")."""
    return frozenset(words[-1] for words in _table()[0] if words)


def approximator_before(tokens: Sequence[Token], index: int) -> tuple[Rule, int] | None:
    """Return the rule and token count of the approximator ending right before token `index`."""
    # Every form ends with the word right before the figure: most figures have no such
    # word, and then no form of any length can match.
    if index <= 0 or (index <= len(tokens) and tokens[index - 1].low not in _last_words()):
        return None
    forms, longest = _table()
    for n in range(min(longest, index), 0, -1):
        words = tuple([t.low for t in tokens[index - n : index]])
        rule = forms.get(words)
        if rule is not None:
            return rule, n
    return None
