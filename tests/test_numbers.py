"""Tests of the number finder: a case table, the lexicon, properties and linear time."""

from __future__ import annotations

import math

import pytest
from casetools import check_linear_time, check_spans
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract.numbers import (
    NumberMatch,
    _digit_match,
    _digit_numbers,
    _digits_only,
    _Parser,
    _Tokens,
    find_numbers,
    may_hold_numbers,
    parse_number,
)
from checker.lexicon import load
from checker.text import ascii_folded

INF = math.inf

# (id, text, expected) — expected lists (matched text, low, high) for every number, in
# order; high INF means open above. A value of None in the third slot is not used.
CASES: list[tuple[str, str, list[tuple[str, float, float]]]] = [
    # digits
    ("plain", "19 years", [("19", 19, 19)]),
    ("thousands-sep", "More than 39,700 Palestinians", [("39,700", 39700, 39700)]),
    ("millions-sep", "1,234,567 people", [("1,234,567", 1234567, 1234567)]),
    ("round", "nearly 2,500 troops", [("2,500", 2500, 2500)]),
    ("decimal", "2.5 percent", [("2.5", 2.5, 2.5)]),
    ("decimal-sep", "1,234.5 tonnes", [("1,234.5", 1234.5, 1234.5)]),
    ("not-sep-two-digits", "1,2", [("1", 1, 1), ("2", 2, 2)]),
    ("comma-after-year", "in 2020, the", [("2020", 2020, 2020)]),
    ("comma-list", "3,4,5", [("3", 3, 3), ("4", 4, 4), ("5", 5, 5)]),
    ("four-digit-group", "1,2345", [("1", 1, 1), ("2345", 2345, 2345)]),
    ("sentence-end", "killed 900.", [("900", 900, 900)]),
    ("zero", "0 deaths", [("0", 0, 0)]),
    ("leading-zero", "08", [("08", 8, 8)]),
    ("indian-grouping", "1,50,000 people", [("1,50,000", 150000, 150000)]),
    ("dollar", "$5 each", [("5", 5, 5)]),
    ("percent-sign", "12.5%", [("12.5", 12.5, 12.5)]),
    ("two-numbers", "30 of 40", [("30", 30, 30), ("40", 40, 40)]),
    ("range-left-to-caller", "30-40 people", [("30", 30, 30), ("40", 40, 40)]),
    # magnitudes
    ("suffix-m", "$1.2m deal", [("1.2m", 1.2e6, 1.2e6)]),
    ("suffix-k", "10k runners", [("10k", 1e4, 1e4)]),
    ("suffix-bn", "7.5bn euros", [("7.5bn", 7.5e9, 7.5e9)]),
    ("suffix-bn-spaced", "7.5 bn euros", [("7.5 bn", 7.5e9, 7.5e9)]),
    ("suffix-B-upper", "$4B", [("4B", 4e9, 4e9)]),
    ("word-million", "3.9 million people", [("3.9 million", 3.9e6, 3.9e6)]),
    ("word-billion", "2 billion", [("2 billion", 2e9, 2e9)]),
    ("word-thousand", "20 thousand", [("20 thousand", 2e4, 2e4)]),
    ("lakh", "1.5 lakh", [("1.5 lakh", 1.5e5, 1.5e5)]),
    ("crore", "2,000 crore", [("2,000 crore", 2e10, 2e10)]),
    ("dozen-after-digits", "3 dozen", [("3 dozen", 36, 36)]),
    ("spaced-m-is-metres", "5 m deep", [("5", 5, 5)]),
    # words
    ("nineteen", "nineteen years", [("nineteen", 19, 19)]),
    ("one", "one of them", [("one", 1, 1)]),
    ("capitalised", "Twenty soldiers", [("Twenty", 20, 20)]),
    ("upper", "TWENTY-ONE", [("TWENTY-ONE", 21, 21)]),
    ("twenty-one", "twenty-one", [("twenty-one", 21, 21)]),
    ("twenty-one-spaced", "twenty one", [("twenty one", 21, 21)]),
    ("hundred-and", "one hundred and twenty", [("one hundred and twenty", 120, 120)]),
    ("hundred-no-and", "one hundred twenty-five", [("one hundred twenty-five", 125, 125)]),
    (
        "two-thousand-five-hundred",
        "two thousand five hundred",
        [("two thousand five hundred", 2500, 2500)],
    ),
    ("twenty-five-hundred", "twenty-five hundred", [("twenty-five hundred", 2500, 2500)]),
    ("thousand-and-five", "two thousand and five", [("two thousand and five", 2005, 2005)]),
    ("a-hundred", "a hundred people", [("a hundred", 100, 100)]),
    ("a-thousand-and-one", "a thousand and one nights", [("a thousand and one", 1001, 1001)]),
    ("a-million", "a million", [("a million", 1e6, 1e6)]),
    ("a-dozen", "a dozen", [("a dozen", 12, 12)]),
    ("two-dozen", "two dozen", [("two dozen", 24, 24)]),
    ("half-a-dozen", "half a dozen", [("half a dozen", 6, 6)]),
    ("half-a-million", "half a million", [("half a million", 5e5, 5e5)]),
    ("quarter-of-a-million", "a quarter of a million", [("a quarter of a million", 2.5e5, 2.5e5)]),
    (
        "three-quarters-of-a-million",
        "three quarters of a million",
        [("three quarters of a million", 7.5e5, 7.5e5)],
    ),
    ("and-a-half", "two and a half million", [("two and a half million", 2.5e6, 2.5e6)]),
    ("one-and-a-half", "one and a half", [("one and a half", 1.5, 1.5)]),
    (
        "million-compound",
        "two million three hundred thousand",
        [("two million three hundred thousand", 2.3e6, 2.3e6)],
    ),
    ("hundred-thousand", "five hundred thousand", [("five hundred thousand", 5e5, 5e5)]),
    ("crore-lakh", "two crore fifty lakh", [("two crore fifty lakh", 2.5e7, 2.5e7)]),
    ("two-in-two-decades", "two decades", [("two", 2, 2)]),
    (
        "two-hundred-and-three-hundred",
        "two hundred and three hundred",
        [("two hundred", 200, 200), ("three hundred", 300, 300)],
    ),
    ("one-two-separate", "one two", [("one", 1, 1), ("two", 2, 2)]),
    ("no-newline-join", "twenty\none", [("twenty", 20, 20), ("one", 1, 1)]),
    ("a-couple", "a couple of days", [("a couple", 2, 2)]),
    ("a-couple-thousand", "a couple of thousand", [("a couple of thousand", 2000, 2000)]),
    ("negative-digits", "fell to -5 degrees", [("-5", -5, -5)]),
    ("negative-minus", "minus 5", [("minus 5", -5, -5)]),
    ("negative-unicode", "\u22123", [("\u22123", -3, -3)]),
    ("minus-words", "minus twenty", [("minus twenty", -20, -20)]),
    # fractions
    ("two-thirds", "two-thirds of", [("two-thirds", 2 / 3, 2 / 3)]),
    ("one-third", "one third", [("one third", 1 / 3, 1 / 3)]),
    ("a-third-of", "a third of voters", [("a third", 1 / 3, 1 / 3)]),
    ("half-of", "half of them", [("half", 0.5, 0.5)]),
    # vague
    ("a-few", "a few", [("a few", 2, 5)]),
    ("a-handful", "a handful of troops", [("a handful", 2, 5)]),
    ("several", "injuring several American troopers", [("several", 3, 9)]),
    ("several-thousand", "several thousand", [("several thousand", 3000, 9999)]),
    ("a-few-hundred", "a few hundred", [("a few hundred", 200, 599)]),
    ("several-dozen", "several dozen", [("several dozen", 36, 119)]),
    ("dozens-of", "dozens of rockets", [("dozens", 24, INF)]),
    ("hundreds-of", "hundreds of people", [("hundreds", 200, INF)]),
    ("thousands", "thousands fled", [("thousands", 2000, INF)]),
    ("tens-of-thousands", "tens of thousands of people", [("tens of thousands", 20000, INF)]),
    ("hundreds-of-thousands", "hundreds of thousands", [("hundreds of thousands", 200000, INF)]),
    ("millions-of", "millions of dollars", [("millions", 2e6, INF)]),
    ("scores-of", "scores of people", [("scores", 40, INF)]),
    # not numbers
    ("article-alone", "a decade", []),
    ("an-alone", "an hour", []),
    ("ordinal-digits", "3rd and 21st", []),
    ("ordinal-100th", "the 100th day", []),
    ("ordinal-word", "the first time", []),
    ("ordinal-compound", "the twenty-first century", []),
    ("ordinal-hundred-and-first", "one hundred and first", []),
    ("ordinal-second", "one second", [("one", 1, 1)]),
    ("a-third-time", "a third time", []),
    ("second-half-noun", "the second half of", []),
    ("scores-noun", "the scores were", []),
    ("tens-alone", "tens", []),
    ("hundred-alone", "Thousand Oaks", []),
    ("few-alone", "few people", []),
    ("someone", "someone alone", []),
    ("empty", "", []),
]

# (id, text, attached flag of each number)
ATTACHED: list[tuple[str, str, list[bool]]] = [
    ("f-18", "an F-18 jet", [True]),
    ("covid-19", "COVID-19", [True]),
    ("a320", "an A320", [True]),
    ("4x4", "a 4x4", [True, True]),
    ("boeing-737", "Boeing 737", [False]),
    ("code", "Code : 1152650", [False]),
    ("10am", "at 10am", [True]),
    ("1990s", "the 1990s", [True]),
    ("range-not-attached", "2019-2020", [False, False]),
    ("age-hyphen-right", "an 18-year-old", [False]),
    ("negative-not-attached", "(-5)", [False]),
    ("suffix-not-attached", "$1.2m.", [False]),
]


def _show(m: NumberMatch, text: str) -> tuple[str, float, float]:
    return (text[m.start : m.end], m.low, INF if m.high is None else m.high)


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_find_numbers(text: str, expected: list[tuple[str, float, float]]) -> None:
    got = [_show(m, text) for m in find_numbers(text)]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (_, low, high), (_, elow, ehigh) in zip(got, expected, strict=True):
        assert low == pytest.approx(elow)
        assert high == pytest.approx(ehigh)


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in ATTACHED], ids=[c[0] for c in ATTACHED]
)
def test_attached(text: str, expected: list[bool]) -> None:
    assert [m.attached for m in find_numbers(text)] == expected


@pytest.mark.parametrize(
    ("text", "zeros"),
    [
        ("2,500", 2),
        ("39,700", 2),
        ("900", 2),
        ("19", 0),
        ("2.5", 0),
        ("0", 0),
        ("two thousand", 3),
        ("3.9 million", 5),
        ("1.0 million", 5),
        ("2 billion", 9),
        ("half a million", 5),
        ("twenty-one", 0),
        ("1,000,000", 6),
    ],
)
def test_round_zeros(text: str, zeros: int) -> None:
    (m,) = find_numbers(text)
    assert m.round_zeros == zeros


def test_flags() -> None:
    exact, vague, spelt, frac = (
        find_numbers("2,500")[0],
        find_numbers("dozens")[0],
        find_numbers("five")[0],
        find_numbers("two-thirds")[0],
    )
    assert (exact.value, exact.vague, exact.words, exact.scale) == (2500, False, False, 1.0)
    assert (vague.value, vague.vague, vague.words) == (None, True, True)
    assert (spelt.value, spelt.words) == (5, True)
    assert frac.fraction and not exact.fraction
    assert find_numbers("3.9 million")[0].scale == 1e6


def test_bounds_respected() -> None:
    text = "12 and 34 and 56"
    got = find_numbers(text, 3, 12)
    assert [text[m.start : m.end] for m in got] == ["34"]
    assert find_numbers(text, 5, 5) == []
    # A minus sign before `start` is outside the range: the number stays positive.
    assert find_numbers("x -5", 3)[0].value == 5


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("39,700", 39700.0),
        ("twenty-one", 21.0),
        ("3.9 million", 3900000.0),
        ("a dozen", 12.0),
        ("  2.5 ", 2.5),
        ("half a million", 500000.0),
        ("minus 7", -7.0),
        ("dozens", None),
        ("dozens of", None),
        ("39,700 people", None),
        ("two three", None),
        ("", None),
        ("F-18", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


# -- the lexicon -------------------------------------------------------------------------


def test_every_lexicon_word_is_read() -> None:
    lex = load("numbers")
    for word, value in {**lex["units"], **lex["tens"]}.items():
        assert parse_number(word) == value, word
    for word, value in lex["scales"].items():
        assert parse_number(f"two {word}") == 2 * value, word
        assert parse_number(f"3 {word}") == 3 * value, word
    for word, value in {**lex["suffixes"]["attached"], **lex["suffixes"]["spaced"]}.items():
        assert parse_number(f"3{word}") == 3 * value, word
    for word, value in lex["suffixes"]["spaced"].items():
        assert parse_number(f"3 {word}") == 3 * value, word
    for word in lex["ordinals"]["words"]:
        assert find_numbers(f"the {word} day") == [], word
    for phrase, (low, high) in lex["vague"]["prefixes"].items():
        (m,) = find_numbers(phrase)
        assert (m.low, m.high, m.vague) == (low, high, True), phrase
    for word, base in lex["vague"]["plurals"].items():
        (m,) = find_numbers(f"{word} of people")
        assert (m.low, m.high) == (lex["vague"]["plural_low_factor"] * base, None), word
    for word, den in lex["fractions"]["singular"].items():
        assert parse_number(f"one {word}") == pytest.approx(1 / den), word
    for word, den in lex["fractions"]["plural"].items():
        assert parse_number(f"two {word}") == pytest.approx(2 / den), word
    for phrase, value in lex["phrases"].items():
        assert parse_number(phrase) == value, phrase


# -- properties --------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"0123456789,.-\u2212 \n\tabcdefmkx",
        *("one", "two", "twenty", "hundred", "thousand", "million", "and", "a", "half", "of"),
        *("dozens", "tens", "several", "few", "third", "thirds", "first", "minus", " "),
    ]
)
_TEXTS = st.one_of(st.text(), st.lists(_ALPHABET, max_size=40).map("".join))


@given(_TEXTS, st.integers(min_value=-5, max_value=60), st.none() | st.integers(-5, 60))
@settings(max_examples=400, deadline=None)
def test_find_numbers_properties(text: str, start: int, end: int | None) -> None:
    found = find_numbers(text, start, end)
    check_spans(text, found, start, end)
    for m in found:
        assert m.high is None or m.low <= m.high
        assert m.vague == (m.value is None)


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_round_trips_separated_integers(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_UNITS += [
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _below_thousand(n: int, *, british: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        parts.append(f"{_UNITS[hundreds]} hundred")
    if rest:
        if rest < 20:
            words = _UNITS[rest]
        else:
            tens, unit = divmod(rest, 10)
            words = _TENS[tens] + (f"-{_UNITS[unit]}" if unit else "")
        parts.append(f"and {words}" if hundreds and british else words)
    return " ".join(parts)


def spell(n: int, *, british: bool = True) -> str:
    """Spell a number below a million in words, British ("and") or American style."""
    if n == 0:
        return "zero"
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append(f"{_below_thousand(thousands, british=british)} thousand")
    if rest:
        if thousands and rest < 100 and british:
            parts.append("and")
        parts.append(_below_thousand(rest, british=british))
    return " ".join(parts)


def test_spell_helper() -> None:
    assert spell(120) == "one hundred and twenty"
    assert spell(2005) == "two thousand and five"
    assert spell(999999, british=False) == (
        "nine hundred ninety-nine thousand nine hundred ninety-nine"
    )


@given(st.integers(min_value=0, max_value=999_999), st.booleans())
@settings(max_examples=500)
def test_parse_number_round_trips_words(n: int, british: bool) -> None:
    assert parse_number(spell(n, british=british)) == n


def test_every_word_number_below_a_million_sampled() -> None:
    for n in range(0, 1_000_000, 997):
        assert parse_number(spell(n)) == n, spell(n)


# -- linear time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1," * 200_000,
        "12,34," * 60_000,
        "1" * 400_000,
        "more than " * 40_000,
        "two hundred and " * 20_000,
        "tens of " * 40_000,
        "a " * 100_000,
        " " * 400_000 + "5",
    ],
    ids=[
        "digit-commas",
        "digit-pairs",
        "digits",
        "more-than",
        "hundred-and",
        "tens-of",
        "a",
        "spaces",
    ],
)
def test_linear_time(text: str) -> None:
    check_linear_time(find_numbers, text)


_PIECES = st.sampled_from(
    [
        *" _-,.x5Aa",
        *("five", "Five", "FIVE", "a", "an", "couple", "of", "half", "minus", "third"),
        *("dozen", "hundred", "thousands", "twenty", "ſ", "İ", "é", "one"),
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join), st.integers(0, 30), st.integers(0, 40))
@settings(max_examples=500, deadline=None)
def test_may_hold_numbers_never_hides_a_number(text: str, start: int, end: int) -> None:
    if not may_hold_numbers(text, ascii_folded(text), start, end):
        assert find_numbers(text, start, end) == []


def _scanned(text: str, start: int, end: int) -> _Tokens:
    """The tokens of a span read one match at a time, as the parser first read them."""
    tokens = object.__new__(_Tokens)
    tokens._scan(text, start, end)
    return tokens


_TOKEN_TEXTS = st.lists(
    st.sampled_from([*"0123456789,. -\u2010\u00a0\t\n_٣²é", "ab", "Five", ",000", "1,50,000"]),
    max_size=24,
).map("".join)


@given(_TOKEN_TEXTS, st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=500, deadline=None)
def test_tokens_split_as_scanned(text: str, start: int, end: int) -> None:
    end = min(end, len(text))
    if start >= end:
        return
    got, want = _Tokens(text, start, end), _scanned(text, start, end)
    assert (got.kinds, got.starts, got.ends, got.lows, got.seps, got.n) == (
        want.kinds,
        want.starts,
        want.ends,
        want.lows,
        want.seps,
        want.n,
    )


@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.floats(allow_nan=False),
    st.integers(0, 30),
    st.booleans(),
    st.sampled_from([1.0, 1e3, 1e6, 1e9]),
)
def test_digit_match_builds_what_the_constructor_builds(
    start: int, end: int, value: float, zeros: int, attached: bool, scale: float
) -> None:
    built = _digit_match(start, end, value, zeros, attached, scale)
    want = NumberMatch(
        start, end, value, value, value, round_zeros=zeros, attached=attached, scale=scale
    )
    assert built == want
    assert repr(built) == repr(want)


_DIGIT_TEXTS = st.lists(
    st.sampled_from(
        [*"0123456789,.-\u2212\u2010 \u00a0\tx_٣é", "21st", "m", "bn", "million", "k", "A", "a"]
    ),
    max_size=24,
).map("".join)


@given(_DIGIT_TEXTS, st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=500, deadline=None)
def test_digit_numbers_read_as_the_parser_reads(text: str, start: int, end: int) -> None:
    end = min(end, len(text))
    if start >= end or not _digits_only(text, start, end):
        return
    assert _digit_numbers(text, start, end) == _Parser(_Tokens(text, start, end)).run()
