"""Find absolute date expressions: "January 3, 2020", "late 2017", "the 1990s", "2020-01-03".

Each form is one regular expression, built once at import from the month and weekday
names in `checker/lexicon/calendar.toml`; each is linear (no nested repetition), and
the matches of all forms are merged left to right, longest first, without overlaps.

Relative expressions ("last week", "four years ago", "on Wednesday") are not read here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from checker.lexicon import load

__all__ = ["DateMatch", "find_dates", "parse_date"]


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One absolute date expression, by code-point offsets into the text searched.

    `earliest`/`latest` are the first and last day it allows and `nominal` its first
    day; all three are `None` when the year is missing and no default year was given.
    `granularity` is "day", "month", "part-of-month" ("late January"), "season",
    "part-of-year" ("late 2017"), "year" or "decade". `year_missing` is True when the
    text gave no year (even if `default_year` filled it in). `weekday` (0 = Monday) is
    set when a weekday name is part of the expression; it is not checked against the day.
    `naming` is True for a year that names which event is meant ("the 2012 derailment").
    """

    start: int
    end: int
    earliest: date | None
    latest: date | None
    nominal: date | None
    granularity: str
    year_missing: bool = False
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    year: int | None = None
    naming: bool = False


# -- the vocabulary ------------------------------------------------------------------
# Parts of a year, season and month as (first month, first day, last month, last day);
# a last month below the first runs into the next year (winter). Candidates for
# calendar.toml, kept here while that file belongs to another module.
_YEAR_PARTS: dict[str, tuple[int, int, int, int]] = {
    "early": (1, 1, 4, 30),
    "beginning": (1, 1, 3, 31),
    "start": (1, 1, 3, 31),
    "mid": (5, 1, 8, 31),
    "middle": (5, 1, 8, 31),
    "late": (9, 1, 12, 31),
    "end": (10, 1, 12, 31),
    "first half": (1, 1, 6, 30),
    "second half": (7, 1, 12, 31),
    "first quarter": (1, 1, 3, 31),
    "second quarter": (4, 1, 6, 30),
    "third quarter": (7, 1, 9, 30),
    "fourth quarter": (10, 1, 12, 31),
    "last quarter": (10, 1, 12, 31),
}
_SEASONS: dict[str, tuple[int, int, int, int]] = {
    "spring": (3, 1, 5, 31),
    "summer": (6, 1, 8, 31),
    "autumn": (9, 1, 11, 30),
    "fall": (9, 1, 11, 30),
    "winter": (12, 1, 2, 31),  # December to the end of February of the next year
}
# Parts of a month as (first day, last day); 31 means the month's last day.
_MONTH_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 10),
    "beginning": (1, 10),
    "start": (1, 10),
    "mid": (11, 20),
    "middle": (11, 20),
    "late": (21, 31),
    "end": (21, 31),
}
# Parts of a decade as (first year, last year) within it: "the early 2000s".
_DECADE_PARTS: dict[str, tuple[int, int]] = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
# A bare year is a date only after one of these. "Strong" ones always introduce a
# time; after "weak" ones ("a total of 2020 troops") the year must also be followed by
# punctuation, a capital or one of `_AFTER_WEAK`.
_STRONG_PREPS = ("in", "since", "until", "till", "during", "throughout", "circa", "before", "after")
_WEAK_PREPS = ("by", "from", "of", "between", "through", "to", "and")
_AFTER_WEAK = frozenset(
    {
        *("and", "or", "to", "through", "until", "till", "when", "as", "after", "before"),
        *("the", "a", "an", "but", "with", "in", "on", "at", "for", "while", "that", "which"),
    }
)
_YEAR_RANGE_STRONG = (1000, 2099)
# A year before an event noun: "the 1200 raids" counts raids, "the 2012 derailment" is
# a year. Events a report names by their year are modern.
_YEAR_RANGE_ATTRIBUTIVE = (1700, 2099)
_YEAR_RANGE_WEAK = (1900, 2099)

_CAL = load("calendar")
_MONTHS: dict[str, int] = dict(_CAL["months"])
_WEEKDAYS: dict[str, int] = dict(_CAL["weekdays"])


def _names(table: Iterable[str]) -> str:
    """Return an alternation of names as written: Capitalised or UPPER, abbreviations with a dot."""
    variants: list[str] = []
    for name in sorted(table, key=len, reverse=True):
        dot = r"\.?" if len(name) <= 4 else ""
        for form in (name.capitalize(), name.upper()):
            variants.append(re.escape(form) + dot)
    return "(?:" + "|".join(variants) + r")(?![^\W\d_])"


def _lookup(table: dict[str, int], raw: str) -> int:
    return table[raw.rstrip(".").lower()]


_T = TypeVar("_T")


def _entry(table: Mapping[str, _T], words: str) -> _T:
    """Return the entry of words a case-insensitive pattern matched ("Late", "END OF").

    `re.IGNORECASE` also matches letters whose lower case is another letter: the long
    s in "ſpring", the Kelvin sign. Such a match misses the table by `lower()`, so the
    key the pattern itself matched is looked for; a reader never fails on it.
    """
    key = " ".join(words.lower().split())
    found = table.get(key)
    if found is not None:
        return found
    return next(v for k, v in table.items() if re.fullmatch(re.escape(k), key, re.IGNORECASE))


_SP = r"[ \t\u00a0]+"
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_MONTH = rf"(?P<month>{_names(_MONTHS)})"
_WD = rf"(?:(?P<weekday>{_names(_WEEKDAYS)}),?{_SP})?"
_YEAR_END = r"(?![0-9]|[^\W\d_]|[,.][0-9]|%)"
_YEAR = rf"(?<![0-9.,$\u00a3\u20ac#])(?P<year>[12][0-9]{{3}}){_YEAR_END}"
_DAY_END = r"(?:st|nd|rd|th)?(?![0-9]|[^\W\d_]|,[0-9]{3}(?![0-9])|:[0-9])"
_DAY = rf"(?P<day>[0-3]?[0-9]){_DAY_END}"
# A second day makes a span of days: "10-20 July", "from 10 to 20 July", "between 10
# and 20 July", "on 24, 25 and 26 March" (a list of days is read as the span it covers).
_DAY2 = (
    rf"(?:(?:[ \t]?[-\u2013][ \t]?|{_SP}(?i:to|through|until|till|and){_SP}"
    rf"|(?:,[ \t]*[0-3]?[0-9]{_DAY_END})+,?{_SP}(?i:and){_SP})"
    rf"(?P<day2>[0-3]?[0-9]){_DAY_END})?"
)
_PART_WORDS = "|".join(sorted((re.escape(p) for p in _YEAR_PARTS), key=len, reverse=True))
_MONTH_PART_WORDS = "|".join(sorted(_MONTH_PARTS, key=len, reverse=True))

_MDY = re.compile(
    rf"{_NOT_LETTER_BEFORE}{_WD}{_MONTH}{_SP}{_DAY}{_DAY2}(?:(?:,[ \t]*|{_SP}){_YEAR})?"
)
_DMY = re.compile(
    rf"{_NOT_LETTER_BEFORE}{_WD}(?<![0-9.,:\-/])(?P<day>[0-3]?[0-9]){_DAY_END}{_DAY2}{_SP}"
    rf"(?:of{_SP})?{_MONTH}(?:,?{_SP}{_YEAR})?"
)
_DMY_DASHED = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?<![0-9.,:\-/])(?P<day>[0-3]?[0-9])-{_MONTH}-{_YEAR}"
)
_MONTH_PART = (
    rf"(?:(?:(?i:the){_SP})?(?P<mpart>(?i:{_MONTH_PART_WORDS})){_SP}(?:(?i:of|in){_SP})?"
    rf"|(?P<mmid>(?i:mid))[ \t-]?)"
)
_MY = re.compile(rf"{_NOT_LETTER_BEFORE}{_MONTH_PART}?{_MONTH}(?:{_SP}(?i:of))?,?{_SP}{_YEAR}")
_MONTH_ONLY = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:(?P<prep>(?i:{'|'.join(_STRONG_PREPS + _WEAK_PREPS)})){_SP})?"
    rf"(?P<body>{_MONTH_PART}?{_MONTH})(?![ \t]*[0-9])"
)
_PART_OF_YEAR = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:(?:(?i:the){_SP})?(?P<part>(?i:{_PART_WORDS})){_SP}"
    rf"(?:(?i:of|in){_SP})?|(?P<mid>(?i:mid))[ \t-]?){_YEAR}"
)
_SEASON = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:(?i:the){_SP})?(?:(?i:early|late|mid)[ \t-]?)?"
    rf"(?P<season>(?i:{'|'.join(_SEASONS)})){_SP}(?:(?i:of){_SP})?{_YEAR}"
)
_DECADE = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:(?i:the){_SP})?(?:(?P<dpart>(?i:early|mid|late))[ \t-]?)?"
    r"(?<![0-9])(?P<decade>1[0-9]{2}0|20[0-9]0)'?s(?![^\W\d_])"
)
_PREP_YEAR = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?P<prep>(?i:{'|'.join(_STRONG_PREPS + _WEAK_PREPS)})){_SP}"
    rf"(?P<body>(?:(?i:the{_SP}year){_SP})?{_YEAR})"
)
_THE_YEAR = re.compile(rf"{_NOT_LETTER_BEFORE}(?i:the{_SP}year){_SP}{_YEAR}")
# "the 2012 derailment", "the 2019 Marlow fire", "Kelso's 2011 outbreak": a year that
# names an event it precedes dates it. Only a word the lexicon lists as an event may
# follow, after at most three capitalised words (the event's name).
_EVENT_WORDS = "|".join(
    sorted(
        {
            re.escape(w)
            for forms in load("subjects")["events"].values()
            for w in forms
            if " " not in w
        },
        key=len,
        reverse=True,
    )
)
_ATTRIBUTIVE_YEAR = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:(?i:the)|[^\W\d_]+['’]s){_SP}(?P<body>{_YEAR}){_SP}"
    rf"(?=(?:[A-Z][^\W\d_]*(?:-[^\W\d_]+)?{_SP}){{0,3}}(?i:{_EVENT_WORDS})(?![^\W\d_]))"
)
_YEAR_SPAN = re.compile(
    rf"(?<![0-9.,$\u00a3\u20ac#/\-]|[^\W\d_])(?P<y1>[12][0-9]{{3}})"
    rf"(?:[ \t]?[-\u2013\u2014][ \t]?(?P<y2>[12][0-9]{{3}}|[0-9]{{2}})"
    rf"|{_SP}(?P<conj>(?i:to|through|until|till)){_SP}(?P<y3>[12][0-9]{{3}}))"
    rf"(?![0-9]|[^\W\d_]|[-/][0-9]|[,.][0-9])"
)
_ISO = re.compile(
    r"(?<![0-9A-Za-z\-/.])(?P<year>[12][0-9]{3})(?P<sep>[-/.])(?P<m>[01]?[0-9])(?P=sep)"
    r"(?P<d>[0-3]?[0-9])(?![0-9])"
)
_NUMERIC = re.compile(
    r"(?<![0-9.\-/:])(?P<a>[0-9]{1,2})(?P<sep>[/.\-])(?P<b>[0-9]{1,2})(?P=sep)"
    r"(?P<year>[12][0-9]{3})(?![0-9]|[.\-/][0-9])"
)


# -- building matches ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    text: str
    default_year: int | None
    day_first: bool | None


def _day_span(
    m: re.Match[str],
    start: int,
    ctx: _Context,
    month: int,
    day: int,
    day2: int | None,
) -> DateMatch | None:
    year_text = m.group("year")
    year = int(year_text) if year_text else ctx.default_year
    weekday = _lookup(_WEEKDAYS, m.group("weekday")) if m.group("weekday") else None
    last_day = day2 if day2 is not None else day
    if last_day < day:
        return None
    try:
        # Validate against a leap year when the year is unknown, so "February 29" stands.
        probe = year if year is not None else 2000
        first, last = date(probe, month, day), date(probe, month, last_day)
    except ValueError:
        return None
    known = year is not None
    return DateMatch(
        start=start,
        end=m.end(),
        earliest=first if known else None,
        latest=last if known else None,
        nominal=first if known else None,
        granularity="day",
        year_missing=not year_text,
        month=month,
        day=day,
        weekday=weekday,
        year=year,
    )


def _int(m: re.Match[str], group: str) -> int | None:
    raw = m.group(group)
    return int(raw) if raw else None


def _mdy(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    month = _lookup(_MONTHS, m.group("month"))
    day = int(m.group("day"))
    found = _day_span(m, m.start(), ctx, month, day, _int(m, "day2"))
    return [found] if found else []


_dmy = _mdy


def _month_range(year: int, month: int, first: int, last: int) -> tuple[date, date]:
    end = calendar.monthrange(year, month)[1]
    return date(year, month, min(first, end)), date(year, month, min(last, end))


def _month(m: re.Match[str], ctx: _Context, start: int, *, require_year: bool) -> DateMatch | None:
    month = _lookup(_MONTHS, m.group("month"))
    year_text = m.group("year") if "year" in m.re.groupindex else None
    if require_year and not year_text:
        return None
    year = int(year_text) if year_text else ctx.default_year
    part = m.group("mpart")
    if m.group("mmid"):
        part = "mid"
    first, last = _entry(_MONTH_PARTS, part) if part else (1, 31)
    earliest = latest = None
    if year is not None:
        earliest, latest = _month_range(year, month, first, last)
    return DateMatch(
        start=start,
        end=m.end(),
        earliest=earliest,
        latest=latest,
        nominal=earliest,
        granularity="part-of-month" if part else "month",
        year_missing=not year_text,
        month=month,
        year=year,
    )


def _my(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    found = _month(m, ctx, m.start(), require_year=True)
    return [found] if found else []


def _month_only(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    # A month name alone is a date only after a preposition or with a part ("late March").
    if not m.group("prep") and not m.group("mpart") and not m.group("mmid"):
        return []
    found = _month(m, ctx, m.start("body"), require_year=False)
    return [found] if found else []


def _range(start: int, end: int, first: date, last: date, granularity: str) -> DateMatch:
    return DateMatch(
        start=start,
        end=end,
        earliest=first,
        latest=last,
        nominal=first,
        granularity=granularity,
        year=first.year,
    )


def _bounds(year: int, spec: tuple[int, int, int, int]) -> tuple[date, date]:
    m1, d1, m2, d2 = spec
    year2 = year + 1 if m2 < m1 else year
    d2 = min(d2, calendar.monthrange(year2, m2)[1])
    return date(year, m1, d1), date(year2, m2, d2)


def _part_of_year(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    year = int(m.group("year"))
    part = "mid" if m.group("mid") else " ".join(m.group("part").lower().split())
    first, last = _bounds(year, _entry(_YEAR_PARTS, part))
    return [_range(m.start(), m.end(), first, last, "part-of-year")]


def _season(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    first, last = _bounds(int(m.group("year")), _entry(_SEASONS, m.group("season")))
    return [_range(m.start(), m.end(), first, last, "season")]


def _decade(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    decade = int(m.group("decade"))
    lo, hi = _entry(_DECADE_PARTS, m.group("dpart")) if m.group("dpart") else (0, 9)
    return [
        _range(m.start(), m.end(), date(decade + lo, 1, 1), date(decade + hi, 12, 31), "decade")
    ]


def _year(start: int, end: int, year: int) -> DateMatch:
    return _range(start, end, date(year, 1, 1), date(year, 12, 31), "year")


def _prep_year(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    year = int(m.group("year"))
    prep = m.group("prep").lower()
    if prep in _STRONG_PREPS:
        lo, hi = _YEAR_RANGE_STRONG
    else:
        lo, hi = _YEAR_RANGE_WEAK
        if not _weak_follow_ok(ctx.text, m.end()):
            return []
    if not lo <= year <= hi:
        return []
    return [_year(m.start("body"), m.end(), year)]


def _weak_follow_ok(text: str, end: int) -> bool:
    """Return whether what follows a year after a weak preposition lets it be a date."""
    k = end
    while k < len(text) and text[k] in " \t\u00a0":
        k += 1
    if k >= len(text) or not text[k].isalpha():
        return True
    if k == end:
        return False
    j = k
    while j < len(text) and text[j].isalpha() and j - k < 20:
        j += 1
    word = text[k:j]
    return word[0].isupper() or word.lower() in _AFTER_WEAK


def _the_year(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    year = int(m.group("year"))
    lo, hi = _YEAR_RANGE_STRONG
    return [_year(m.start(), m.end(), year)] if lo <= year <= hi else []


def _attributive_year(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    year = int(m.group("year"))
    lo, hi = _YEAR_RANGE_ATTRIBUTIVE
    if not lo <= year <= hi:
        return []
    return [replace(_year(m.start("body"), m.end("body"), year), naming=True)]


def _year_span(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    y1 = int(m.group("y1"))
    lo, hi = _YEAR_RANGE_WEAK
    if m.group("y2"):
        raw, start2 = m.group("y2"), m.start("y2")
        y2 = int(raw) if len(raw) == 4 else y1 // 100 * 100 + int(raw)
    else:
        raw, start2 = m.group("y3"), m.start("y3")
        y2 = int(raw)
    if not (lo <= y1 < y2 <= hi):
        return []
    return [_year(m.start("y1"), m.end("y1"), y1), _year(start2, m.end(), y2)]


def _dmy_dashed(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    month = _lookup(_MONTHS, m.group("month"))
    return _numeric_day(m, int(m.group("year")), month, int(m.group("day")))


def _iso(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    return _numeric_day(m, int(m.group("year")), int(m.group("m")), int(m.group("d")))


def _numeric(m: re.Match[str], ctx: _Context) -> Iterable[DateMatch]:
    a, b = int(m.group("a")), int(m.group("b"))
    if ctx.day_first is True:
        day, month = a, b
    elif ctx.day_first is False:
        month, day = a, b
    elif a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a or a == b:
        month, day = a, b
    else:
        return []  # "3/1/2020" without a convention: 3 January or 1 March
    return _numeric_day(m, int(m.group("year")), month, day)


def _numeric_day(m: re.Match[str], year: int, month: int, day: int) -> Iterable[DateMatch]:
    try:
        d = date(year, month, day)
    except ValueError:
        return []
    return [
        DateMatch(
            start=m.start(),
            end=m.end(),
            earliest=d,
            latest=d,
            nominal=d,
            granularity="day",
            month=month,
            day=day,
            year=year,
        )
    ]


_Reader = Callable[[re.Match[str], _Context], Iterable[DateMatch]]
# What some match of a form always contains: a year's four digits (decades and numeric
# dates included) or a month's name as the forms write it. A sentence without one
# skips the forms that need it: most sentences name no month, and few hold a year.
_YEAR_DIGITS = re.compile(r"[12][0-9]{3}")
_MONTH_NAME = re.compile(_MONTH)
_Y, _M = (_YEAR_DIGITS,), (_MONTH_NAME,)
# In order of preference when two forms match the same span.
_FORMS: tuple[tuple[re.Pattern[str], _Reader, tuple[re.Pattern[str], ...]], ...] = (
    (_ISO, _iso, _Y),
    (_NUMERIC, _numeric, _Y),
    (_MDY, _mdy, _M),
    (_DMY, _dmy, _M),
    (_DMY_DASHED, _dmy_dashed, (*_Y, *_M)),
    (_MY, _my, (*_Y, *_M)),
    (_PART_OF_YEAR, _part_of_year, _Y),
    (_SEASON, _season, _Y),
    (_DECADE, _decade, _Y),
    (_THE_YEAR, _the_year, _Y),
    (_ATTRIBUTIVE_YEAR, _attributive_year, _Y),
    (_YEAR_SPAN, _year_span, _Y),
    (_PREP_YEAR, _prep_year, _Y),
    (_MONTH_ONLY, _month_only, _M),
)

# Further things every match of a form contains, each far cheaper to look for than the
# form itself: a pattern (searched as is) or words (in any case; a stretch that is not
# ASCII is taken to hold them, since other characters may fold to ASCII letters). A
# sentence with a year but none of a form's hints skips that form; most years stand
# after "in" and match none of the rarer forms. Every form with hints needs a year.
_Hint = re.Pattern[str] | tuple[str, ...]
_NUMERIC_SEPARATOR = re.compile(r"[0-9][-/.][0-9]")  # "2020-01-03", "3/1/2020"
_DASHED_DAY = re.compile(r"[0-9]-")  # "3-Jan-2020"
_SPACED_YEAR = re.compile(r"[ \t\u00a0][12][0-9]{3}")  # "in 2017", "March 2017"
_DECADE_END = re.compile(r"[0-9]0'?s")  # "the 1990s"
_SPAN_JOIN = re.compile(  # "2010-2015", "2010 to 2015": what follows the first year
    r"[0-9](?:[ \t]?[-\u2013\u2014]|[ \t\u00a0]+(?i:to|through|until|till)[ \t\u00a0])"
)
_PART_WORDS_HINT = (*_YEAR_PARTS, "mid")
_SEASON_WORDS_HINT = tuple(_SEASONS)
_YEAR_WORD_HINT = ("year",)
# Words in lower-cased text: one search for any of them.
_WORDS_SEARCH: dict[int, re.Pattern[str]] = {
    id(words): re.compile("|".join(re.escape(w) for w in words))
    for words in (_PART_WORDS_HINT, _SEASON_WORDS_HINT, _YEAR_WORD_HINT)
}
_HINT_LIST: tuple[_Hint, ...] = (
    *(_NUMERIC_SEPARATOR, _DASHED_DAY, _SPACED_YEAR, _DECADE_END, _SPAN_JOIN),
    *(_PART_WORDS_HINT, _SEASON_WORDS_HINT, _YEAR_WORD_HINT),
)
_HINTS: dict[re.Pattern[str], tuple[_Hint, ...]] = {
    _ISO: (_NUMERIC_SEPARATOR,),
    _NUMERIC: (_NUMERIC_SEPARATOR,),
    _DMY_DASHED: (_DASHED_DAY,),
    _MY: (_SPACED_YEAR,),
    _PART_OF_YEAR: (_PART_WORDS_HINT,),
    _SEASON: (_SPACED_YEAR, _SEASON_WORDS_HINT),
    _DECADE: (_DECADE_END,),
    _THE_YEAR: (_SPACED_YEAR, _YEAR_WORD_HINT),
    _ATTRIBUTIVE_YEAR: (_SPACED_YEAR,),
    _YEAR_SPAN: (_SPAN_JOIN,),
    _PREP_YEAR: (_SPACED_YEAR,),
}


def _bits(hints: Iterable[_Hint]) -> int:
    """Return a form's hints as bits, one per hint of `_HINT_LIST`."""
    return sum(1 << next(i for i, h in enumerate(_HINT_LIST) if h is hint) for hint in hints)


_Tried = tuple[tuple[int, re.Pattern[str], _Reader, int], ...]
# The forms worth trying, with their rank and the bits of their hints, by (a year's
# digits present, a month present).
_TRIED: dict[tuple[bool, bool], _Tried] = {
    (year, month): tuple(
        (rank, pattern, reader, _bits(_HINTS.get(pattern, ())))
        for rank, (pattern, reader, needs) in enumerate(_FORMS)
        if (year or _YEAR_DIGITS not in needs) and (month or _MONTH_NAME not in needs)
    )
    for year in (False, True)
    for month in (False, True)
}


def _held_hints(text: str, start: int, stop: int) -> int:
    """Return the bits of the hints that text[start:stop] holds."""
    stretch = text[start:stop]
    lower = stretch.lower() if stretch.isascii() else None
    held = 0
    for bit, hint in enumerate(_HINT_LIST):
        if isinstance(hint, re.Pattern):
            found = hint.search(text, start, stop) is not None
        else:
            found = lower is None or _WORDS_SEARCH[id(hint)].search(lower) is not None
        if found:
            held |= 1 << bit
    return held


# (id of a tuple of forms, hints held) -> (that tuple, its forms whose hints are held).
_NARROWED: dict[tuple[int, int], tuple[_Tried, _Tried]] = {}


def _narrowed(tried: _Tried, held: int) -> _Tried:
    """Return the forms of `tried` whose hints are all among those `held`."""
    key = (id(tried), held)
    cached = _NARROWED.get(key)
    if cached is None or cached[0] is not tried:
        cached = _NARROWED[key] = (tried, tuple(f for f in tried if not f[3] & ~held))
    return cached[1]


def find_dates(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    default_year: int | None = None,
    day_first: bool | None = None,
) -> list[DateMatch]:
    """Return the absolute dates in text[start:end], left to right, without overlaps."""
    stop = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= stop:
        return []
    year = _YEAR_DIGITS.search(text, start, stop) is not None
    month = _MONTH_NAME.search(text, start, stop) is not None
    tried = _TRIED[year, month]
    if not tried:
        return []  # most figures are no year, and most sentences name no month
    if year:  # a form with hints needs a year
        tried = _narrowed(tried, _held_hints(text, start, stop))
    ctx = _Context(text, default_year, day_first)
    found: list[tuple[int, int, int, DateMatch]] = []
    for rank, pattern, reader, _ in tried:
        for m in pattern.finditer(text, start, stop):
            for d in reader(m, ctx):
                found.append((d.start, -(d.end - d.start), rank, d))
    found.sort(key=lambda f: f[:3])
    out: list[DateMatch] = []
    last_end = start
    for s, _, _, d in found:
        if s >= last_end and d.end > d.start:
            out.append(d)
            last_end = d.end
    return out


def parse_date(
    s: str, *, default_year: int | None = None, day_first: bool | None = None
) -> DateMatch | None:
    """Return the date if the whole of `s` is one date expression, else None."""
    stripped = s.strip()
    found = find_dates(stripped, default_year=default_year, day_first=day_first)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0]
    return None
