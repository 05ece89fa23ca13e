"""Find the numbers in a text: digits, magnitudes, number words, fractions, vague quantities.

The text is cut into tokens once (a digit run, with thousands separators and a decimal
part, or a run of letters) and a small hand-written parser walks the tokens left to
right, so the whole pass is linear in the length of the text. Every word the parser
knows comes from `checker/lexicon/numbers.toml`.

What a number is *about*, approximators ("more than"), ranges ("30-40") and units are
the caller's business; this module only says where each number is and what it means.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from itertools import accumulate
from typing import Any

from checker.lexicon import load
from checker.text import alternation

__all__ = ["NumberMatch", "find_numbers", "may_hold_numbers", "parse_number"]


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """One number in a text, by code-point offsets into the text searched.

    `value` is the stated figure (`None` for a vague quantity such as "dozens");
    `low`/`high` bound it (`low == high == value` for an exact figure; `high` is `None`
    when open above). `words`: spelt out. `round_zeros`: the power of ten of the last
    significant digit as written, never negative ("2,500" -> 2, "3.9 million" -> 5,
    "two thousand" -> 3, "19" and "2.5" -> 0), for rounding slack. `attached`: the number
    touches letters ("A320", "4x4", "10am") or follows a hyphen that follows a letter
    ("F-18", "COVID-19"), so it is probably part of a name. `fraction`: a bare fraction
    ("two-thirds" -> 0.667). `scale`: the multiplier applied by a magnitude word or
    suffix ("3.9 million" -> 1e6, "1.2m" -> 1e6), 1 when none.
    """

    start: int
    end: int
    value: float | None
    low: float
    high: float | None
    vague: bool = False
    words: bool = False
    round_zeros: int = 0
    attached: bool = False
    fraction: bool = False
    scale: float = 1.0


# -- the lexicon, compiled once ---------------------------------------------------------


def _words(table: dict[str, Any]) -> dict[tuple[str, ...], Any]:
    return {tuple(key.split()): value for key, value in table.items()}


_LEX = load("numbers")
_UNITS: dict[str, int] = {k: int(v) for k, v in _LEX["units"].items()}
_TENS: dict[str, int] = {k: int(v) for k, v in _LEX["tens"].items()}
_SCALES: dict[str, int] = {k: int(v) for k, v in _LEX["scales"].items()}
_HUNDRED = 100
_ATTACHED_SUFFIXES: dict[str, int] = {k: int(v) for k, v in _LEX["suffixes"]["attached"].items()}
_SPACED_SUFFIXES: dict[str, int] = {k: int(v) for k, v in _LEX["suffixes"]["spaced"].items()}
_ARTICLES = frozenset(_LEX["compound"]["article"])
_CONJUNCTIONS = frozenset(_LEX["compound"]["conjunction"])
_NEGATIVES = frozenset(_LEX["compound"]["negative"])
_AND_FRACTIONS: dict[tuple[str, ...], float] = _words(_LEX["compound"]["and_fraction"])
_PHRASES: dict[tuple[str, ...], int] = _words(_LEX["phrases"])
_SINGULAR: dict[str, int] = dict(_LEX["fractions"]["singular"])
_PLURAL: dict[str, int] = dict(_LEX["fractions"]["plural"])
_FRACTION_RULES: dict[str, Any] = _LEX["fractions"]["rules"]
_MAX_NUMERATOR = int(_FRACTION_RULES["max_numerator"])
_ARTICLE_NEEDS_NEXT = frozenset(_FRACTION_RULES["article_needs_next"])
_HALF = frozenset(_FRACTION_RULES["half"])
_HALF_BEFORE = frozenset(_FRACTION_RULES["half_before"])
_HALF_NOT_AFTER = frozenset(_FRACTION_RULES["half_not_after"])
_ORDINALS: dict[str, int] = dict(_LEX["ordinals"]["words"])
_DIGIT_ORDINALS = frozenset(_LEX["ordinals"]["digit_suffixes"])
_PLURAL_LOW = int(_LEX["vague"]["plural_low_factor"])
_NEEDS_OF = frozenset(_LEX["vague"]["needs_of"])
_VAGUE_PREFIXES: dict[tuple[str, ...], tuple[int, int]] = {
    k: (int(v[0]), int(v[1])) for k, v in _words(_LEX["vague"]["prefixes"]).items()
}
_VAGUE_PLURALS: dict[str, int] = {k: int(v) for k, v in _LEX["vague"]["plurals"].items()}
# Multipliers that may follow a vague or fixed phrase ("several thousand(s)").
_PHRASE_SCALES: dict[str, int] = {**_VAGUE_PLURALS, **_SCALES}
_DIGIT_SCALES: dict[str, int] = {**_SCALES, **_SPACED_SUFFIXES}
_OF = "of"
_MAX_VAGUE = 10**15

# Phrases (fixed and vague) by first word, longest first.
_PHRASE_INDEX: dict[str, list[tuple[tuple[str, ...], tuple[int, int], bool]]] = {}
for _key, _val in _PHRASES.items():
    _PHRASE_INDEX.setdefault(_key[0], []).append((_key, (_val, _val), False))
for _key, _span in _VAGUE_PREFIXES.items():
    _PHRASE_INDEX.setdefault(_key[0], []).append((_key, _span, True))
for _entries in _PHRASE_INDEX.values():
    _entries.sort(key=lambda e: -len(e[0]))

# Every word a spelt-out number can start with: phrases, fractions, compounds, plurals.
NUMBER_STARTERS = frozenset(
    (*_PHRASE_INDEX, *_HALF, *_ARTICLES, *_UNITS, *_TENS, *_VAGUE_PLURALS, *_SINGULAR, *_PLURAL)
)
# Words a number may open with: a spelt-out number's first word, or a negative sign.
_OPENERS = NUMBER_STARTERS | _NEGATIVES
# Words whose presence a spelt-out number needs, articles left out: "a" alone proves
# nothing, "a dozen" needs "dozen".
NUMBER_TRIGGERS = (
    (NUMBER_STARTERS - _ARTICLES)
    | frozenset(
        words[1]
        for words in (*_PHRASES, *_VAGUE_PREFIXES)
        if len(words) > 1 and words[0] in _ARTICLES
    )
    | frozenset(_SCALES)
)
# Words that can make a span's numbers more than its digit tokens read one by one: the
# triggers, a negative sign, and an article only if it can start a number by itself.
_BREAKER_WORDS = alternation(
    sorted(
        NUMBER_TRIGGERS
        | _NEGATIVES
        | (_ARTICLES & {*_HALF, *_UNITS, *_TENS, *_VAGUE_PLURALS, *_SINGULAR, *_PLURAL, *_SCALES})
        | {words[0] for words in (*_PHRASES, *_VAGUE_PREFIXES) if len(words) == 1}
    )
)
_DIGITS_ONLY_BREAKERS = re.compile(
    # Bounded by ASCII letters, not all letters: a breaker inside a longer word is a
    # false alarm (the parser is then run), never a miss.
    rf"(?<![a-z])(?:{_BREAKER_WORDS})(?![a-z])"
)
# (`_DIGITS_ONLY_BREAKERS` stays as the definition: a test holds the two below to it.)
# The same search in two parts: a breaker at the start, or one after a character that
# is no ASCII letter, which opens the pattern: the engine skips through letters in C
# instead of trying the look-behind at each one.
_BREAKER_AT_START = re.compile(rf"(?:{_BREAKER_WORDS})(?![a-z])")
_BREAKER_AFTER = re.compile(rf"[^a-z](?=(?:{_BREAKER_WORDS})(?![a-z]))")

# A digit run: "39,700", "1,234,567.5", Indian "1,50,000", or plain digits. A grouped
# form never starts right after "<digit>," so that "1,2345,678" or a long list of digit
# pairs cannot make the engine rescan a run from every comma (linear time).
# A token is a number when it starts with a digit, else a word. Words come first: most
# tokens are words, and no word starts where a number can.
_DIGIT_RUN = (
    r"(?:"
    r"(?<![0-9],)(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])"
    r"|[0-9]{1,2}(?:,[0-9]{2}(?=,))++,[0-9]{3}(?![0-9]))"
    r"|[0-9]+"
    r")(?:\.[0-9]+)?"
)
_TOKEN = re.compile(r"[^\W\d_]+|" + _DIGIT_RUN)
# The same, split on: the gaps and the tokens of a span in turn.
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
# The same on lower-cased ASCII text, whose letters are these: the engine tests a
# character against a small set faster than against Unicode categories.
_ASCII_TOKEN_SPLIT = re.compile(f"([a-z]+|{_DIGIT_RUN})")
# A digit token as `_TOKEN` reads it (no word holds an ASCII digit, so the search finds
# the same ones), then the word right after it if only spaces come between (group 2).
# The look-ahead lets the engine skip to the next digit instead of trying every place.
_DIGIT_TOKEN = re.compile(f"(?=[0-9])({_DIGIT_RUN})" r"(?:[ \t\u00a0\u202f]*([^\W\d_]+))?")
# (`_DIGIT_TOKEN` stays as the definition: a test holds the fast form below to it.)
# The same matches, with the first digit taken out of each form of `_DIGIT_RUN` to open
# the pattern (its look-behind moved past it): the engine then skips to the next digit
# in C instead of trying the pattern at every character.
_DIGIT_TOKEN_FAST = re.compile(
    r"([0-9]"
    r"(?:(?<![0-9],.)(?:[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])"
    r"|[0-9]?(?:,[0-9]{2}(?=,))++,[0-9]{3}(?![0-9]))"
    r"|[0-9]*"
    r")(?:\.[0-9]+)?)"
    r"(?:[ \t\u00a0\u202f]*([^\W\d_]+))?"
)
_DIGITS = frozenset("0123456789")
_SPACE = re.compile(r"[ \t\u00a0\u202f]+")
_HYPHENS = frozenset("-\u2010\u2011")
_MINUS_SIGNS = frozenset("-\u2212")

_NUM, _WORD = 0, 1
# True (1, _WORD) for a token that starts with a letter, False (0, _NUM) for digits.
_COLON_LE: Callable[[str], int] = ":".__le__
_SEP_NONE, _SEP_SPACE, _SEP_HYPHEN, _SEP_OTHER = 0, 1, 2, 3

# States of the compound-word parser: what the last word consumed was.
_S_ARTICLE, _S_UNIT, _S_TENS, _S_TENS_UNIT, _S_HUNDRED, _S_SCALE, _S_ZERO, _S_HALF = range(8)


def _trailing_zeros(n: int) -> int:
    if n == 0:
        return 0
    s = str(n)
    return len(s) - len(s.rstrip("0"))


def _value_zeros(value: Fraction) -> int:
    if value.denominator != 1:
        return 0
    n = abs(value.numerator)
    if n.bit_length() > 4000:  # beyond str(int) limits; no sane figure gets here
        return 0
    return _trailing_zeros(n)


class _Tokens:
    """The tokens of text[start:end] and the separators between them."""

    __slots__ = ("ends", "kinds", "limit", "lows", "n", "origin", "seps", "starts", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.origin = start
        self.limit = end
        if start > 0 and "," in text[start - 1 : start + 1]:
            self._scan(text, start, end)  # a grouped number looks back past the span
            return
        # One split gives the gaps and the tokens in turn, and their lengths every
        # offset; the span's slice reads as the span does when nothing before it is a
        # comma the grouped form's look-behind could see.
        span = text[start:end]
        if span.isascii():
            # Lower-casing ASCII text keeps every offset and changes letters only (gaps
            # hold none): splitting it lower-cased gives the lower-cased tokens at once.
            parts = _ASCII_TOKEN_SPLIT.split(span.lower())
            self.lows = parts[1::2]
        else:
            parts = _TOKEN_SPLIT.split(span)
            # Digits, commas and a dot lower to themselves.
            self.lows = list(map(str.lower, parts[1::2]))
        offsets = list(accumulate(map(len, parts), initial=start))
        self.starts = offsets[1:-1:2]
        self.ends = offsets[2:-1:2]
        # A token is a number when it starts with an ASCII digit, which are the only
        # characters it can start with that come before ":" (_NUM is 0, _WORD 1).
        self.kinds = list(map(_COLON_LE, self.lows))
        kinds = _SEP_KINDS
        try:
            self.seps = list(map(kinds.__getitem__, parts[0:-1:2]))
        except KeyError:
            self.seps = [_sep_kind(gap) for gap in parts[0:-1:2]]
        self.n = len(self.lows)

    def _scan(self, text: str, start: int, end: int) -> None:
        kinds: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        lows: list[str] = []
        seps: list[int] = []  # separator before each token
        previous = start
        for m in _TOKEN.finditer(text, start, end):
            s, e = m.span()
            matched = m.group()
            kinds.append(_NUM if matched[0] in _DIGITS else _WORD)
            lows.append(matched.lower())
            starts.append(s)
            ends.append(e)
            seps.append(_sep_kind(text[previous:s]))
            previous = e
        self.kinds, self.starts, self.ends, self.lows, self.seps = kinds, starts, ends, lows, seps
        self.n = len(starts)

    def word(self, i: int, seps: tuple[int, ...] = (_SEP_SPACE,)) -> str | None:
        """Return token i lower-cased if it is a word joined to the previous one by `seps`."""
        if i < self.n and self.kinds[i] == _WORD and self.seps[i] in seps:
            return self.lows[i]
        return None

    def phrase(self, i: int, words: tuple[str, ...]) -> bool:
        """Return whether tokens i... spell `words`, separated by spaces."""
        if i + len(words) > self.n:
            return False
        for k, w in enumerate(words):
            if self.kinds[i + k] != _WORD or self.lows[i + k] != w:
                return False
            if k and self.seps[i + k] != _SEP_SPACE:
                return False
        return True

    def attached(self, start: int, end: int) -> bool:
        """Return whether text[start:end] reads as part of a name ("A320", "F-18", "4x4")."""
        return _attached(self.text, start, end)


def _attached(text: str, start: int, end: int) -> bool:
    """Return whether text[start:end] reads as part of a name ("A320", "F-18", "4x4")."""
    before = text[start - 1] if start > 0 else ""
    if before.isalpha():
        return True
    if before in _HYPHENS and start > 1 and text[start - 2].isalpha():
        return True
    after = text[end] if end < len(text) else ""
    return after.isalpha()


def _separator(gap: str) -> int:
    """Return the kind of the non-empty text between two tokens."""
    if len(gap) == 1:
        if gap == " ":
            return _SEP_SPACE
        if gap in _HYPHENS:
            return _SEP_HYPHEN
    if _SPACE.fullmatch(gap):
        return _SEP_SPACE
    return _SEP_OTHER


# The kind of each gap seen: a handful of separators (" ", ", ", " - ") make up most text.
_SEP_KINDS: dict[str, int] = {"": _SEP_NONE}
_MAX_SEPS = 4096


def _sep_kind(gap: str) -> int:
    kind = _SEP_KINDS.get(gap)
    if kind is None:
        if len(_SEP_KINDS) >= _MAX_SEPS:
            _SEP_KINDS.clear()  # hostile text of endless distinct gaps: start again
            _SEP_KINDS[""] = _SEP_NONE
        kind = _SEP_KINDS[gap] = _separator(gap)
    return kind


_Result = tuple[NumberMatch | None, int]


class _Parser:
    """Walks the tokens once, left to right."""

    def __init__(self, tokens: _Tokens) -> None:
        self.t = tokens

    def run(self) -> list[NumberMatch]:
        out: list[NumberMatch] = []
        openers, digits = _OPENERS, _DIGITS
        # Most words start no number (see `at`): only digits and openers are tried.
        tried = [k for k, low in enumerate(self.t.lows) if low in openers or low[0] in digits]
        i = 0
        for k in tried:
            if k < i:
                continue  # inside the number read before
            result = self.at(k)
            if result is None:
                i = k + 1
                continue
            match, i = result
            if match is not None:
                out.append(match)
        return out

    def at(self, i: int) -> _Result | None:
        t = self.t
        if t.kinds[i] == _NUM:
            return self.digits(i)
        if t.lows[i] in _NEGATIVES and t.seps[i + 1 : i + 2] == [_SEP_SPACE]:
            inner = self.positive(i + 1)
            if inner is not None and inner[0] is not None and not inner[0].vague:
                m = inner[0]
                value = -m.value if m.value is not None else None
                return _exact(t, t.starts[i], m.end, value, m, attached=m.attached), inner[1]
        return self.positive(i)

    def positive(self, i: int) -> _Result | None:
        if self.t.kinds[i] == _NUM:
            return self.digits(i, allow_sign=False)
        if self.t.lows[i] not in NUMBER_STARTERS:
            return None  # most words start no number: skip the four readers
        return self.phrase(i) or self.fraction(i) or self.compound(i) or self.plural(i)

    # -- digits ------------------------------------------------------------------------
    def digits(self, i: int, *, allow_sign: bool = True) -> _Result:
        t = self.t
        nxt = t.word(i + 1, (_SEP_NONE,))
        follower = nxt if nxt is not None else t.word(i + 1)
        follower_end = t.ends[i + 1] if follower is not None else 0
        match, taken = _read_digits(
            t.text,
            t.origin,
            t.starts[i],
            t.ends[i],
            t.lows[i],
            follower,
            follower_end,
            joined=nxt is not None,
            allow_sign=allow_sign,
        )
        return match, i + taken

    # -- fixed and vague phrases -------------------------------------------------------
    def phrase(self, i: int) -> _Result | None:
        t = self.t
        for words, (low, high), vague in _PHRASE_INDEX.get(t.lows[i], ()):
            if not t.phrase(i, words):
                continue
            j = i + len(words)
            k = j + 1 if t.word(j) == _OF else j
            multiplier, k = self.scale_chain(k)
            if multiplier == 1:
                k = j  # no multiplier: the match stops before any "of"
            end = t.ends[k - 1]
            if not vague:
                value = Fraction(low * multiplier)
                return _exact(t, t.starts[i], end, float(value), None, zeros=_value_zeros(value)), k
            lo = float(low * multiplier)
            hi = float((high + 1) * multiplier - 1 if multiplier > 1 else high)
            return _vague(t, t.starts[i], end, lo, hi), k
        return None

    def scale_chain(self, k: int) -> tuple[int, int]:
        """Multiply spaced multipliers from token k on ("hundred thousand"), increasing."""
        t = self.t
        multiplier = 1
        while (w := t.word(k)) is not None and w in _PHRASE_SCALES:
            value = _PHRASE_SCALES[w]
            if value <= multiplier:
                break
            multiplier *= value
            k += 1
        return multiplier, k

    # -- fractions ---------------------------------------------------------------------
    def fraction(self, i: int) -> _Result | None:
        t = self.t
        first = t.lows[i]
        joined = (_SEP_SPACE, _SEP_HYPHEN)
        if first in _HALF:
            previous = t.lows[i - 1] if i > 0 and t.kinds[i - 1] == _WORD else None
            count = self.of_a_scale(i, i + 1, Fraction(1, 2))
            if count is not None:
                return count[0], count[1]
            if t.word(i + 1) in _HALF_BEFORE and previous not in _HALF_NOT_AFTER:
                return _exact(t, t.starts[i], t.ends[i], 0.5, None, fraction=True), i + 1
            return None
        numerator = 1 if first in _ARTICLES else _UNITS.get(first)
        if numerator is None or not 1 <= numerator <= _MAX_NUMERATOR:
            return None
        den_word = t.word(i + 1, joined)
        if den_word is None:
            return None
        table = _SINGULAR if numerator == 1 else _PLURAL
        if den_word not in table:
            return None
        value = Fraction(numerator, table[den_word])
        count = self.of_a_scale(i, i + 2, value)
        if count is not None:
            return count
        if first in _ARTICLES and t.word(i + 2) not in _ARTICLE_NEEDS_NEXT:
            return None
        return _exact(t, t.starts[i], t.ends[i + 1], float(value), None, fraction=True), i + 2

    def of_a_scale(self, i: int, k: int, part: Fraction) -> _Result | None:
        """Read "(of) a million" after a fraction: "half a million", "a quarter of a million"."""
        t = self.t
        if t.word(k) == _OF:
            k += 1
        if t.word(k) not in _ARTICLES:
            return None
        scale = t.word(k + 1)
        if scale is None or scale not in _SCALES:
            return None
        value = part * _SCALES[scale]
        end = t.ends[k + 1]
        return _exact(t, t.starts[i], end, float(value), None, zeros=_value_zeros(value)), k + 2

    # -- compound number words ---------------------------------------------------------
    def compound(self, i: int) -> _Result | None:
        t = self.t
        first = t.lows[i]
        if first in _ARTICLES:
            nxt = t.word(i + 1)
            if nxt is None or nxt not in _SCALES:
                return None
            state, group = _S_ARTICLE, Fraction(1)
        elif first in _UNITS:
            group = Fraction(_UNITS[first])
            state = _S_ZERO if group == 0 else _S_UNIT
        elif first in _TENS:
            state, group = _S_TENS, Fraction(_TENS[first])
        else:
            return None
        total = Fraction(0)
        has_hundred = False
        min_scale = math.inf
        j = i + 1
        # The state before the last "and", to go back to if what follows it turns out not
        # to belong ("two hundred and three hundred" is 200, then "three hundred").
        saved: tuple[int, Fraction, Fraction, int, bool, float] | None = None
        joined = (_SEP_SPACE, _SEP_HYPHEN)
        while j < t.n and state != _S_ZERO:
            w = t.word(j, joined)
            if w is None:
                break
            sep = t.seps[j]
            if w in _CONJUNCTIONS and sep == _SEP_SPACE:
                half = next((p for p in _AND_FRACTIONS if t.phrase(j + 1, p)), None)
                if half is not None and state in (_S_UNIT, _S_TENS, _S_TENS_UNIT) and total == 0:
                    group += Fraction(_AND_FRACTIONS[half])
                    state = _S_HALF
                    j += 1 + len(half)
                    continue
                after = t.word(j + 1)
                if state in (_S_HUNDRED, _S_SCALE) and (after in _UNITS or after in _TENS):
                    saved = (j, total, group, state, has_hundred, min_scale)
                    j += 1
                    continue
                break
            legal = True
            if w in _UNITS and _UNITS[w] > 0:
                v = _UNITS[w]
                if state == _S_TENS and v <= 9:
                    group += v
                    state = _S_TENS_UNIT
                elif state in (_S_HUNDRED, _S_SCALE):
                    group += v
                    state = _S_UNIT
                else:
                    legal = False
            elif w in _TENS:
                if state in (_S_HUNDRED, _S_SCALE):
                    group += _TENS[w]
                    state = _S_TENS
                else:
                    legal = False
            elif w in _SCALES and _SCALES[w] == _HUNDRED:
                if state in (_S_ARTICLE, _S_UNIT, _S_TENS, _S_TENS_UNIT) and not has_hundred:
                    group *= _HUNDRED
                    has_hundred = True
                    state = _S_HUNDRED
                else:
                    legal = False
            elif w in _SCALES:
                v = _SCALES[w]
                if group > 0 and v < min_scale and state != _S_SCALE:
                    total += group * v
                    group = Fraction(0)
                    has_hundred = False
                    min_scale = v
                    j += 1
                    if state == _S_HALF:
                        state = _S_SCALE
                        break
                    state = _S_SCALE
                    continue
                legal = False
            else:
                break  # not a number word: the compound ends here
            if not legal:
                if saved is not None and j > saved[0]:
                    j, total, group, state, has_hundred, min_scale = saved
                break
            if state == _S_HALF:
                break
            j += 1
        if state == _S_ARTICLE:
            return None
        skip = self.ordinal_after(j, state)
        if skip is not None:
            return None, skip
        value = total + group
        return _exact(
            t, t.starts[i], t.ends[j - 1], float(value), None, zeros=_value_zeros(value)
        ), j

    def ordinal_after(self, j: int, state: int) -> int | None:
        """Return where an ordinal that completes the compound ends ("twenty-first")."""
        t = self.t
        k = j
        if state in (_S_HUNDRED, _S_SCALE) and t.word(k) in _CONJUNCTIONS:
            k += 1
        w = t.word(k, (_SEP_SPACE, _SEP_HYPHEN))
        if w is None or w not in _ORDINALS:
            return None
        v = _ORDINALS[w]
        if v >= _HUNDRED and state != _S_HALF:
            return k + 1
        if state == _S_TENS and v <= 9:
            return k + 1
        if state in (_S_HUNDRED, _S_SCALE) and v < _HUNDRED:
            return k + 1
        return None

    # -- plural vague quantities -------------------------------------------------------
    def plural(self, i: int) -> _Result | None:
        t = self.t
        first = t.lows[i]
        if first not in _VAGUE_PLURALS:
            return None
        if first in _NEEDS_OF and t.word(i + 1) != _OF:
            return None
        low = _PLURAL_LOW * _VAGUE_PLURALS[first]
        j = i + 1
        while t.word(j) == _OF and (w := t.word(j + 1)) in _VAGUE_PLURALS and w is not None:
            if low > _MAX_VAGUE:
                break  # "thousands of thousands of ..." means nothing more past this
            low *= _VAGUE_PLURALS[w]
            j += 2
        return _vague(t, t.starts[i], t.ends[j - 1], float(low), None), j


def _read_digits(
    text: str,
    origin: int,
    s: int,
    e: int,
    raw: str,
    follower: str | None,
    follower_end: int,
    *,
    joined: bool,
    allow_sign: bool,
) -> tuple[NumberMatch | None, int]:
    """Read the digit token text[s:e] (`raw`) and the word after it, lower-cased.

    `follower` is that word when it touches the digits (`joined`) or follows after
    spaces, else None; `origin` is where the span read starts. Return the number (None
    for an ordinal such as "21st") and how many tokens it takes, 1 or 2.
    """
    scale, taken, end, touching = 1, 1, e, False
    if joined:
        assert follower is not None
        if follower in _DIGIT_ORDINALS:
            return None, 2  # "21st": an ordinal, not a number
        if follower in _ATTACHED_SUFFIXES or follower in _DIGIT_SCALES:
            scale = _ATTACHED_SUFFIXES.get(follower) or _DIGIT_SCALES[follower]
            taken, end = 2, follower_end
        else:
            touching = True
    elif follower is not None and follower in _DIGIT_SCALES:
        scale = _DIGIT_SCALES[follower]
        taken, end = 2, follower_end
    negative = False
    if allow_sign and s > origin and text[s - 1] in _MINUS_SIGNS:
        before = text[s - 2] if s > 1 else " "
        negative = not (before.isalnum() or before in _HYPHENS or before in _MINUS_SIGNS)
    value, round_zeros = _digit_reading(raw, scale)
    start = s - 1 if negative else s
    attached = touching or (not negative and _attached(text, s, end))
    if negative:
        value = -value
    return _digit_match(start, end, value, round_zeros, attached, float(scale)), taken


# The slots of a `NumberMatch`, set directly by `_digit_match`.
(
    _set_start,
    _set_end,
    _set_value,
    _set_low,
    _set_high,
    _set_vague,
    _set_words,
    _set_round_zeros,
    _set_attached,
    _set_fraction,
    _set_scale,
) = (NumberMatch.__dict__[f.name].__set__ for f in fields(NumberMatch))
_new_object = object.__new__


def _digit_match(
    start: int, end: int, value: float, round_zeros: int, attached: bool, scale: float
) -> NumberMatch:
    """Return `NumberMatch(start, end, value, value, value, round_zeros=round_zeros,
    attached=attached, scale=scale)`, built without its `__init__`.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__` by
    name; setting the slots directly takes half the time, and every figure read makes
    one. A test holds the two equal.
    """
    m = _new_object(NumberMatch)
    _set_start(m, start)
    _set_end(m, end)
    _set_value(m, value)
    _set_low(m, value)
    _set_high(m, value)
    _set_vague(m, False)
    _set_words(m, False)
    _set_round_zeros(m, round_zeros)
    _set_attached(m, attached)
    _set_fraction(m, False)
    _set_scale(m, scale)
    return m


# (digits as written, scale) -> (value, round_zeros): the same figures recur through a
# corpus ("2", "10", "2024", "1.5" million), and reading one takes several string passes.
_READINGS: dict[tuple[str, int], tuple[float, int]] = {}
_MAX_READINGS = 1 << 14


def _digit_reading(raw: str, scale: int) -> tuple[float, int]:
    """Return the value and `round_zeros` of digits `raw` times `scale`."""
    key = (raw, scale)
    reading = _READINGS.get(key)
    if reading is None:
        if len(_READINGS) >= _MAX_READINGS:
            _READINGS.clear()  # hostile text of endless distinct figures: start again
        mantissa = raw.replace(",", "")
        whole, _, decimals = mantissa.partition(".")
        exponent = -len(decimals) if decimals else _trailing_zeros_str(whole)
        reading = _READINGS[key] = (
            _digit_value(mantissa, scale),
            max(0, exponent + _trailing_zeros(scale)),
        )
    return reading


def _trailing_zeros_str(digits: str) -> int:
    stripped = digits.rstrip("0")
    return 0 if not stripped else len(digits) - len(stripped)


def _digit_value(mantissa: str, scale: int) -> float:
    if scale == 1:
        return float(mantissa)
    if len(mantissa) <= 60:
        try:
            return float(Decimal(mantissa) * scale)
        except InvalidOperation:  # pragma: no cover - the token regex admits only digits
            pass
    return float(mantissa) * scale


def _exact(
    t: _Tokens,
    start: int,
    end: int,
    value: float | None,
    like: NumberMatch | None,
    *,
    zeros: int = 0,
    fraction: bool = False,
    attached: bool | None = None,
) -> NumberMatch:
    if like is not None:
        low = high = value if value is not None else like.low
        return NumberMatch(
            start=start,
            end=end,
            value=value,
            low=low,
            high=high,
            words=like.words,
            round_zeros=like.round_zeros,
            attached=like.attached if attached is None else attached,
            fraction=like.fraction,
            scale=like.scale,
        )
    v = 0.0 if value is None else value
    return NumberMatch(
        start=start,
        end=end,
        value=v,
        low=v,
        high=v,
        words=True,
        round_zeros=zeros,
        attached=t.attached(start, end) if attached is None else attached,
        fraction=fraction,
    )


def _vague(t: _Tokens, start: int, end: int, low: float, high: float | None) -> NumberMatch:
    return NumberMatch(
        start=start,
        end=end,
        value=None,
        low=low,
        high=high,
        vague=True,
        words=True,
        attached=t.attached(start, end),
    )


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMatch]:
    """Return every number in text[start:end], left to right, without overlaps."""
    stop = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= stop:
        return []
    if _digits_only(text, start, stop):
        return _digit_numbers(text, start, stop)
    return _Parser(_Tokens(text, start, stop)).run()


def _digits_only(text: str, start: int, stop: int) -> bool:
    """Return whether text[start:stop] has no word that could start a number or sign one.

    Then only digit tokens are numbers, each read on its own with the word after it:
    an article ("a", "an") alone starts nothing, for every reading of it needs a later
    word of `_DIGITS_ONLY_BREAKERS` ("a dozen", "a third", "a hundred"). The tokens
    are the span's own, so the span is searched as a string of its own; lower-casing
    keeps every character in place when it changes ASCII letters only.
    """
    span = text[start:stop]
    low = span.lower()
    if not span.isascii():
        ascii_lowered = span.encode("utf-8", "surrogatepass").lower()
        if low != ascii_lowered.decode("utf-8", "surrogatepass"):
            return False
    return _BREAKER_AT_START.match(low) is None and _BREAKER_AFTER.search(low) is None


def _digit_numbers(text: str, start: int, stop: int) -> list[NumberMatch]:
    """Return the numbers of a span whose only numbers are digit tokens."""
    out = []
    readings, scales = _READINGS, _DIGIT_SCALES
    for m in _DIGIT_TOKEN_FAST.finditer(text, start, stop):
        # Group 1 opens the match and group 2, when present, closes it.
        s, e = m.span()
        raw, word = m.groups()
        digits_end = s + len(raw)
        if word is None:
            follower, joined = None, False
        else:
            follower, joined = word.lower(), e - len(word) == digits_end
        # Most figures stand alone: no word touching them or scaling them, no sign, a
        # reading seen before. `_read_digits` reads them so, in fewer steps.
        if (
            not joined
            and (follower is None or follower not in scales)
            and (s == start or text[s - 1] not in _MINUS_SIGNS)
            and (reading := readings.get((raw, 1))) is not None
        ):
            attached = _attached(text, s, digits_end)
            out.append(_digit_match(s, digits_end, reading[0], reading[1], attached, 1.0))
            continue
        match, _ = _read_digits(
            text, start, s, digits_end, raw, follower, e, joined=joined, allow_sign=True
        )
        if match is not None:
            out.append(match)
    return out


def may_hold_numbers(text: str, folded: str | None, start: int, end: int) -> bool:
    """Return False only if `find_numbers(text, start, end)` is sure to find nothing.

    Every number has an ASCII digit or one of `NUMBER_TRIGGERS` as a whole run of
    letters (the parser's word tokens), which one search of `folded` (the text's
    `checker.text.ascii_folded` form) finds. Without it, or when the span starts inside
    a run of letters (where the parser's first word would be cut), say True.
    """
    if folded is None or (start > 0 and _LETTER.match(text, start - 1) is not None):
        return True
    return _number_hint().search(folded, start, end) is not None


_LETTER = re.compile(r"[^\W\d_]")


@cache
def _number_hint() -> re.Pattern[str]:
    words = alternation(sorted(w for w in NUMBER_TRIGGERS if w.isascii()))
    if any(not w.isascii() for w in NUMBER_TRIGGERS):
        words = "[^\\W\\d_]+"  # a number word folding cannot find: any word may be one
    return re.compile(rf"[0-9]|(?<![^\W\d_])(?:{words})(?![^\W\d_])")


def parse_number(s: str) -> float | None:
    """Return the value of `s` if the whole string is one number expression, else None."""
    stripped = s.strip()
    if not stripped:
        return None
    found = find_numbers(stripped)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(stripped):
        return None
    return found[0].value
