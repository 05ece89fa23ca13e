"""Read shares as percentages: "12%", "12 per cent", "one in five", "two-thirds of".

Two units, never compared with each other: `percent` for a share and
`percentage_point` for a change stated in points ("rose 3 percentage points"). Ratios
and fractions become percent values ("one in five" = 20, "two-thirds" = 66.67); they
are rounded ways of stating a share, so their matches are marked `approx`. Every word
comes from `checker/lexicon/shares.toml`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from operator import attrgetter
from typing import Any

from checker.extract.numbers import NumberMatch, find_numbers
from checker.lexicon import load
from checker.text import Token

__all__ = ["PERCENT", "PERCENTAGE_POINT", "ShareMatch", "find_shares", "percent_after"]

PERCENT = "percent"
PERCENTAGE_POINT = "percentage_point"


@dataclass(frozen=True, slots=True)
class ShareMatch:
    """A share stated as a ratio or a fraction, in percent, by offsets into the text.

    `nominal` is the share as stated ("two-thirds" -> 66.67) and `low == high ==
    nominal`; `approx` says the wording is a rounded one, for the caller's slack.
    """

    start: int
    end: int
    low: float
    high: float
    nominal: float
    unit: str = PERCENT
    approx: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or self.low > self.high:
            raise ValueError(f"bad share [{self.start}, {self.end}) {self.low}..{self.high}")


# -- the lexicon, compiled once ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lexicon:
    signs: tuple[str, ...]
    sign_starts: frozenset[str]
    percent_words: _Phrases  # longest first
    percent_tight: frozenset[str]
    point_words: _Phrases
    point_tight: frozenset[str]
    after_sign: _Phrases
    bare: _Phrases
    max_bare: float
    not_with: frozenset[str]
    joiners: frozenset[str]
    ratio_not_before: frozenset[str]
    not_of: frozenset[str]
    skip: frozenset[str]


# Phrases by their first word, each word's longest first.
_Phrases = dict[str, tuple[tuple[str, ...], ...]]


def _phrases(words: Sequence[str]) -> _Phrases:
    split = {tuple(re.split(r"[ -]", w.lower())) for w in words}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(split, key=lambda p: (-len(p), p)):
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(phrases) for first, phrases in by_first.items()}


@cache
def _lexicon() -> _Lexicon:
    lex: dict[str, Any] = load("shares")
    pct, pts = lex["percent"], lex["points"]
    return _Lexicon(
        signs=tuple(pct["signs"]),
        sign_starts=frozenset(sign[:1] for sign in pct["signs"]),
        percent_words=_phrases(pct["words"]),
        percent_tight=frozenset(pct["tight"]),
        point_words=_phrases(pts["words"]),
        point_tight=frozenset(pts["tight"]),
        after_sign=_phrases(pts["after_sign"]),
        bare=_phrases(pts["bare"]),
        max_bare=float(pts["max_bare"]),
        not_with=frozenset(pts["not_with"]),
        joiners=frozenset(lex["ratios"]["joiners"]),
        ratio_not_before=frozenset(lex["ratios"]["not_before"]),
        not_of=frozenset(lex["fractions"]["not_of"]),
        skip=frozenset(lex["fractions"]["skip"]),
    )


_SPACES = " \u00a0\u202f"
_SPACE_CHARS = tuple(_SPACES)
# Words either side of "points" that count as its sentence's context.
_CONTEXT = 25
_JOINS = frozenset(" -\u00a0\u2010\u2011")
_WORD_GAP = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")
_YEAR = re.compile(r"1[89][0-9]{2}|20[0-9]{2}|2100")


# -- percent after a figure -------------------------------------------------------------


def percent_after(text: str, tokens: Sequence[Token], fig_end: int) -> tuple[int, str] | None:
    """Return (end, unit) of a percent sign or word right after a figure ending at fig_end."""
    if not 0 <= fig_end <= len(text):
        return None
    lex = _lexicon()
    pos = fig_end + (1 if text[fig_end : fig_end + 1] in _SPACE_CHARS else 0)
    if text[pos : pos + 1] in lex.sign_starts:
        sign = next((s for s in lex.signs if text.startswith(s, pos)), None)
        if sign is not None:
            end = pos + len(sign)
            k = _token_at(tokens, text, end, spaced=True)
            n = _phrase_at(text, tokens, k, lex.after_sign) if k is not None else 0
            if k is not None and n:
                return tokens[k + n - 1].end, PERCENTAGE_POINT
            return end, PERCENT
    # The token after the figure: touching its digits, or after exactly one space.
    k = bisect.bisect_left(tokens, fig_end, key=_start)
    if k >= len(tokens):
        return None
    gap = text[fig_end : tokens[k].start]
    if not gap:  # touching the digits: "5pc", "3pp"
        low = tokens[k].low
        if low in lex.point_tight and _ends_word(text, tokens[k].end):
            return tokens[k].end, PERCENTAGE_POINT
        if low in lex.percent_tight and _ends_word(text, tokens[k].end):
            return tokens[k].end, PERCENT
        return None
    if len(gap) != 1 or gap not in _SPACES:
        return None
    if n := _phrase_at(text, tokens, k, lex.point_words):
        return tokens[k + n - 1].end, PERCENTAGE_POINT
    if n := _phrase_at(text, tokens, k, lex.percent_words):
        return tokens[k + n - 1].end, PERCENT
    if (n := _phrase_at(text, tokens, k, lex.bare)) and _points_context(text, tokens, k, fig_end):
        return tokens[k + n - 1].end, PERCENTAGE_POINT
    return None


def _ends_word(text: str, end: int) -> bool:
    return end >= len(text) or not text[end].isalnum()


# A key for bisecting tokens by where they start (attrgetter calls no Python code).
_start = attrgetter("start")


def _token_at(tokens: Sequence[Token], text: str, pos: int, *, spaced: bool) -> int | None:
    """Return the token starting at pos (spaced: after exactly one space)."""
    k = bisect.bisect_left(tokens, pos, key=_start)
    if k >= len(tokens):
        return None
    gap = text[pos : tokens[k].start]
    if spaced:
        return k if len(gap) == 1 and gap in _SPACES else None
    return k if not gap else None


def _phrase_at(text: str, tokens: Sequence[Token], k: int, phrases: _Phrases) -> int:
    """Return how many tokens from k spell one of `phrases` (joined by a space or hyphen)."""
    if not 0 <= k < len(tokens):
        return 0
    for phrase in phrases.get(tokens[k].low, ()):
        n = len(phrase)
        if k + n > len(tokens):
            continue
        if any(tokens[k + i].low != w for i, w in enumerate(phrase)):
            continue
        gaps = (text[tokens[k + i - 1].end : tokens[k + i].start] for i in range(1, n))
        if all(len(g) == 1 and g in _JOINS for g in gaps):
            return n
    return 0


def _points_context(text: str, tokens: Sequence[Token], k: int, fig_end: int) -> bool:
    """Return whether bare "points" after a figure are percentage points."""
    lex = _lexicon()
    figure = tokens[k - 1] if k > 0 and tokens[k - 1].end <= fig_end else None
    if (
        figure is not None
        and figure.raw[0].isdigit()
        and float(figure.raw.replace(",", "")) > lex.max_bare
    ):
        return False
    lo, hi = max(0, k - _CONTEXT), min(len(tokens), k + _CONTEXT)
    if any(t.low in lex.not_with for t in tokens[lo:hi]):
        return False
    window = text[tokens[lo].start : tokens[hi - 1].end + 2]  # a closing "40%" is no token
    if any(sign in window for sign in lex.signs):
        return True
    # "... at 5.4 percentage points, while Demoskop put it at 4.1 points": the unit is
    # written out once and elided after.
    return any(
        _phrase_at(text, tokens, i, lex.percent_words)
        or (i < k - 1 and _phrase_at(text, tokens, i, lex.point_words))
        for i in range(lo, hi)
    )


# -- ratios and fractions ---------------------------------------------------------------


def find_shares(
    text: str, tokens: Sequence[Token], numbers: Sequence[NumberMatch] | None = None
) -> list[ShareMatch]:
    """Return the ratios and fractions stated as shares in the tokens' stretch of text.

    `numbers` may pass the figures already found in that stretch, to save a second pass.
    """
    if not tokens:
        return []
    lex = _lexicon()
    if numbers is None:
        numbers = find_numbers(text, tokens[0].start, tokens[-1].end)
    out: list[ShareMatch] = []
    i = 0
    while i < len(numbers):
        n = numbers[i]
        if i + 1 < len(numbers) and (share := _ratio(text, tokens, n, numbers[i + 1], lex)):
            out.append(share)
            i += 2
            continue
        if n.fraction and (share := _fraction(text, tokens, n, lex)):
            out.append(share)
        i += 1
    return out


def _ratio(
    text: str, tokens: Sequence[Token], a: NumberMatch, b: NumberMatch, lex: _Lexicon
) -> ShareMatch | None:
    """Read "one in five", "3 out of 4", "nine of every ten" as a share."""
    # The gap's ends first, without slicing it: most neighbouring figures are far apart.
    if b.start <= a.end or text[a.end] != " " or text[b.start - 1] != " ":
        return None
    gap = text[a.end : b.start]
    if not (gap[:1] == " " and gap[-1:] == " " and _WORD_GAP.fullmatch(gap.strip())):
        return None
    joiner = " ".join(gap.split()).lower()
    if joiner not in lex.joiners:
        return None
    if a.value is None or b.value is None or a.vague or b.vague or a.fraction or b.fraction:
        return None
    if a.attached or b.attached or not (a.value.is_integer() and b.value.is_integer()):
        return None
    if not 1 <= a.value <= b.value or b.value < 2:
        return None
    raw_b = text[b.start : b.end]
    if joiner == "in" and _YEAR.fullmatch(raw_b):
        return None  # "3 in 2020"
    k = _token_at(tokens, text, b.end, spaced=True)
    if k is not None and tokens[k].low in lex.ratio_not_before:
        return None  # "one in three days"
    value = _percent(Fraction(int(a.value), int(b.value)))
    return ShareMatch(a.start, b.end, value, value, value)


def _fraction(
    text: str, tokens: Sequence[Token], n: NumberMatch, lex: _Lexicon
) -> ShareMatch | None:
    """Read "two-thirds", "a third of", "half the" as a share unless it divides a unit."""
    if n.value is None or not 0 < n.value <= 1:
        return None
    k = bisect.bisect_left(tokens, n.end, key=_start)
    while k < len(tokens) and tokens[k].low in lex.skip:
        k += 1
    if k < len(tokens):
        word = tokens[k].low
        if word in lex.not_of or word.rstrip("s") in lex.not_of:
            return None  # "half an hour", "a quarter of a mile"
        if _YEAR.fullmatch(tokens[k].raw):
            return None  # "half of 2023"
    value = _percent(Fraction(n.value).limit_denominator(100))
    return ShareMatch(n.start, n.end, value, value, value)


def _percent(share: Fraction) -> float:
    """Return a share as a percentage, to two decimals (or four figures when tiny)."""
    value = float(share * 100)
    return round(value, 2) if value >= 1 else float(f"{value:.4g}")
