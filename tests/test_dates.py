"""Tests of the absolute-date finder: a case table, properties and linear time."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from casetools import check_linear_time, check_spans
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract import dates
from checker.extract.dates import DateMatch, find_dates, parse_date

D = date.fromisoformat

# (id, text, expected): for each date found, (matched text, earliest, latest, granularity);
# earliest/latest None when the year is missing and no default year is given.
Row = tuple[str, str | None, str | None, str]
CASES: list[tuple[str, str, list[Row]]] = [
    # days
    ("mdy", "on January 3, 2020, the", [("January 3, 2020", "2020-01-03", "2020-01-03", "day")]),
    ("mdy-no-comma", "January 3 2020", [("January 3 2020", "2020-01-03", "2020-01-03", "day")]),
    ("dmy", "on 3 January 2020 the", [("3 January 2020", "2020-01-03", "2020-01-03", "day")]),
    ("dmy-comma", "3 January, 2020", [("3 January, 2020", "2020-01-03", "2020-01-03", "day")]),
    ("abbr-dot", "Jan. 3, 2020", [("Jan. 3, 2020", "2020-01-03", "2020-01-03", "day")]),
    ("abbr-sept", "Sept. 11, 2001", [("Sept. 11, 2001", "2001-09-11", "2001-09-11", "day")]),
    ("abbr-no-dot", "Aug 7, 2024", [("Aug 7, 2024", "2024-08-07", "2024-08-07", "day")]),
    (
        "ordinal-day",
        "January 8th, 2020",
        [("January 8th, 2020", "2020-01-08", "2020-01-08", "day")],
    ),
    (
        "of-month",
        "the 8th of January 2020",
        [("8th of January 2020", "2020-01-08", "2020-01-08", "day")],
    ),
    (
        "weekday",
        "on Wednesday, January 8, 2020, Iran",
        [("Wednesday, January 8, 2020", "2020-01-08", "2020-01-08", "day")],
    ),
    (
        "weekday-dmy",
        "Wednesday 8 January 2020",
        [("Wednesday 8 January 2020", "2020-01-08", "2020-01-08", "day")],
    ),
    ("upper", "JANUARY 8, 2020", [("JANUARY 8, 2020", "2020-01-08", "2020-01-08", "day")]),
    ("leap-day", "February 29, 2020", [("February 29, 2020", "2020-02-29", "2020-02-29", "day")]),
    ("day-range", "January 3-5, 2020", [("January 3-5, 2020", "2020-01-03", "2020-01-05", "day")]),
    (
        "day-range-dmy",
        "3\u20135 January 2020",
        [("3\u20135 January 2020", "2020-01-03", "2020-01-05", "day")],
    ),
    (
        "day-span-to",
        "from 3 to 5 January 2020",
        [("3 to 5 January 2020", "2020-01-03", "2020-01-05", "day")],
    ),
    (
        "day-span-between-and",
        "between 10 and 20 July 2026",
        [("10 and 20 July 2026", "2026-07-10", "2026-07-20", "day")],
    ),
    (
        "day-list",
        "on 24, 25 and 26 March 2026",
        [("24, 25 and 26 March 2026", "2026-03-24", "2026-03-26", "day")],
    ),
    (
        "day-list-mdy",
        "on March 24, 25 and 26, 2026",
        [("March 24, 25 and 26, 2026", "2026-03-24", "2026-03-26", "day")],
    ),
    (
        "mdy-day-then-year",
        "March 24, 2026",
        [("March 24, 2026", "2026-03-24", "2026-03-24", "day")],
    ),
    ("year-missing", "Jan 3", [("Jan 3", None, None, "day")]),
    ("year-missing-full", "on January 8 the", [("January 8", None, None, "day")]),
    (
        "two-dates",
        "January 3, 2020 and 4 May 2021",
        [
            ("January 3, 2020", "2020-01-03", "2020-01-03", "day"),
            ("4 May 2021", "2021-05-04", "2021-05-04", "day"),
        ],
    ),
    # numeric
    ("iso", "2020-01-03", [("2020-01-03", "2020-01-03", "2020-01-03", "day")]),
    ("iso-with-time", "2024-08-26 07:51:42", [("2024-08-26", "2024-08-26", "2024-08-26", "day")]),
    ("iso-slash", "2020/01/03", [("2020/01/03", "2020-01-03", "2020-01-03", "day")]),
    ("iso-dots", "2020.01.03", [("2020.01.03", "2020-01-03", "2020-01-03", "day")]),
    ("iso-one-digit", "2024-8-6", [("2024-8-6", "2024-08-06", "2024-08-06", "day")]),
    ("dmy-dashed", "26-Aug-2024", [("26-Aug-2024", "2024-08-26", "2024-08-26", "day")]),
    ("numeric-unambiguous-dmy", "13/1/2020", [("13/1/2020", "2020-01-13", "2020-01-13", "day")]),
    ("numeric-unambiguous-mdy", "1/13/2020", [("1/13/2020", "2020-01-13", "2020-01-13", "day")]),
    ("numeric-same", "3/3/2020", [("3/3/2020", "2020-03-03", "2020-03-03", "day")]),
    ("numeric-dots", "13.01.2020", [("13.01.2020", "2020-01-13", "2020-01-13", "day")]),
    # months
    ("month-year", "in January 2020", [("January 2020", "2020-01-01", "2020-01-31", "month")]),
    (
        "month-of-year",
        "January of 2020",
        [("January of 2020", "2020-01-01", "2020-01-31", "month")],
    ),
    ("february", "February 2021", [("February 2021", "2021-02-01", "2021-02-28", "month")]),
    ("march-2003", "in March 2003, the", [("March 2003", "2003-03-01", "2003-03-31", "month")]),
    ("month-after-prep", "in May", [("May", None, None, "month")]),
    ("late-month", "in late January", [("late January", None, None, "part-of-month")]),
    (
        "mid-month-year",
        "mid-January 2020",
        [("mid-January 2020", "2020-01-11", "2020-01-20", "part-of-month")],
    ),
    (
        "end-of-february",
        "the end of February 2021",
        [("the end of February 2021", "2021-02-21", "2021-02-28", "part-of-month")],
    ),
    # parts of years, seasons, decades
    ("late", "in late 2017.", [("late 2017", "2017-09-01", "2017-12-31", "part-of-year")]),
    ("early", "early 2020", [("early 2020", "2020-01-01", "2020-04-30", "part-of-year")]),
    ("early-capital", "Early 2020", [("Early 2020", "2020-01-01", "2020-04-30", "part-of-year")]),
    ("mid-hyphen", "mid-2019", [("mid-2019", "2019-05-01", "2019-08-31", "part-of-year")]),
    ("mid-space", "mid 2019", [("mid 2019", "2019-05-01", "2019-08-31", "part-of-year")]),
    (
        "end-of",
        "by the end of 2019",
        [("the end of 2019", "2019-10-01", "2019-12-31", "part-of-year")],
    ),
    (
        "first-half",
        "the first half of 2020",
        [("the first half of 2020", "2020-01-01", "2020-06-30", "part-of-year")],
    ),
    (
        "spring-of",
        "the spring of 2021",
        [("the spring of 2021", "2021-03-01", "2021-05-31", "season")],
    ),
    ("summer", "summer 2019", [("summer 2019", "2019-06-01", "2019-08-31", "season")]),
    ("fall", "in the fall of 2020", [("the fall of 2020", "2020-09-01", "2020-11-30", "season")]),
    ("winter-crosses-year", "winter 2023", [("winter 2023", "2023-12-01", "2024-02-29", "season")]),
    ("decade", "in the 1990s", [("the 1990s", "1990-01-01", "1999-12-31", "decade")]),
    ("decade-bare", "1980s", [("1980s", "1980-01-01", "1989-12-31", "decade")]),
    (
        "decade-early",
        "the early 2000s",
        [("the early 2000s", "2000-01-01", "2003-12-31", "decade")],
    ),
    ("decade-late", "late-1990s", [("late-1990s", "1997-01-01", "1999-12-31", "decade")]),
    # years
    ("in-year", "in 2020, the", [("2020", "2020-01-01", "2020-12-31", "year")]),
    ("since-year", "since 2003", [("2003", "2003-01-01", "2003-12-31", "year")]),
    ("until-year", "until 2011.", [("2011", "2011-01-01", "2011-12-31", "year")]),
    ("by-year", "by 2030.", [("2030", "2030-01-01", "2030-12-31", "year")]),
    ("of-year-end", "the invasion of 2003.", [("2003", "2003-01-01", "2003-12-31", "year")]),
    ("the-year", "in the year 2020", [("the year 2020", "2020-01-01", "2020-12-31", "year")]),
    (
        "span-hyphen",
        "the 2019-2020 season",
        [
            ("2019", "2019-01-01", "2019-12-31", "year"),
            ("2020", "2020-01-01", "2020-12-31", "year"),
        ],
    ),
    (
        "span-short",
        "2019-20",
        [("2019", "2019-01-01", "2019-12-31", "year"), ("20", "2020-01-01", "2020-12-31", "year")],
    ),
    (
        "span-to",
        "2019 to 2020",
        [
            ("2019", "2019-01-01", "2019-12-31", "year"),
            ("2020", "2020-01-01", "2020-12-31", "year"),
        ],
    ),
    (
        "from-to",
        "from 2019 to 2021",
        [
            ("2019", "2019-01-01", "2019-12-31", "year"),
            ("2021", "2021-01-01", "2021-12-31", "year"),
        ],
    ),
    (
        "between-and",
        "between 2019 and 2020",
        [
            ("2019", "2019-01-01", "2019-12-31", "year"),
            ("2020", "2020-01-01", "2020-12-31", "year"),
        ],
    ),
    # not dates
    ("vision", "Vision 2030", []),
    ("troops-comma", "2,020 troops", []),
    ("covid", "COVID-19", []),
    ("time", "at 21:29 local time", []),
    ("time-seconds", "07:51:42", []),
    ("bare-year", "2020 was", []),
    ("year-as-count", "a total of 2020 troops", []),
    ("year-money", "in $2020", []),
    ("year-decimal", "in 2020.5", []),
    ("invalid-day", "February 30, 2020", []),
    ("invalid-day-31", "April 31", []),
    ("ambiguous-numeric", "3/1/2020", []),
    ("modal-may", "they may 3 times", []),
    (
        "year-before-its-event",
        "the 2012 derailment at Orlo Bend",
        [("2012", "2012-01-01", "2012-12-31", "year")],
    ),
    (
        "year-before-a-named-event",
        "after the 2019 Marlow fire",
        [("2019", "2019-01-01", "2019-12-31", "year")],
    ),
    (
        "year-after-a-possessive",
        "Kelso's 2011 outbreak",
        [("2011", "2011-01-01", "2011-12-31", "year")],
    ),
    ("year-before-no-event", "the 2019 budget", []),
    ("figure-before-no-event", "the 2500 troops", []),
    ("count-of-events-is-no-year", "the 1200 raids", []),
    ("month-name-alone", "May God help", []),
    ("boeing", "Boeing 737 March", []),
    ("may-thousand", "May 1,000 troops", []),
    ("season-without-year", "the fall of Kabul", []),
    ("last-january-relative", "last January", []),
    ("backwards-span", "2020-2019", []),
    ("iso-invalid", "2020-13-45", []),
    ("janet", "Janet 3", []),
    ("empty", "", []),
]


def _row(m: DateMatch, text: str) -> Row:
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return (text[m.start : m.end], iso(m.earliest), iso(m.latest), m.granularity)


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_find_dates(text: str, expected: list[Row]) -> None:
    assert [_row(m, text) for m in find_dates(text)] == expected


def test_fields() -> None:
    (m,) = find_dates("Wednesday, January 8, 2020")
    assert (m.weekday, m.month, m.day, m.year, m.year_missing) == (2, 1, 8, 2020, False)
    assert m.nominal == D("2020-01-08")
    (m,) = find_dates("January 2020")
    assert m.nominal == D("2020-01-01") and m.day is None
    (m,) = find_dates("January 8")
    assert (m.year_missing, m.earliest, m.nominal, m.month, m.day) == (True, None, None, 1, 8)


def test_default_year() -> None:
    (m,) = find_dates("on January 8, the", default_year=2024)
    assert (m.earliest, m.latest, m.year_missing) == (D("2024-01-08"), D("2024-01-08"), True)
    (m,) = find_dates("in late January", default_year=2024)
    assert (m.earliest, m.latest) == (D("2024-01-21"), D("2024-01-31"))
    assert find_dates("February 29", default_year=2023) == []
    assert find_dates("January 8, 2020", default_year=2024)[0].year == 2020


@pytest.mark.parametrize(
    ("day_first", "expected"), [(True, "2020-01-03"), (False, "2020-03-01"), (None, None)]
)
def test_day_first(day_first: bool | None, expected: str | None) -> None:
    found = find_dates("on 3/1/2020", day_first=day_first)
    assert [m.earliest.isoformat() if m.earliest else None for m in found] == (
        [expected] if expected else []
    )


def test_bounds_respected() -> None:
    text = "in 2019 and in 2020"
    assert [text[m.start : m.end] for m in find_dates(text, 8)] == ["2020"]
    assert find_dates(text, 0, 6) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January 3, 2020", "2020-01-03"),
        (" late 2017 ", "2017-09-01"),
        ("the 1990s", "1990-01-01"),
        ("2020-01-03", "2020-01-03"),
        ("2020", None),
        ("on January 3, 2020", None),
        ("January 3, 2020 and later", None),
        ("nonsense", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    m = parse_date(text)
    assert (m.nominal.isoformat() if m and m.nominal else None) == expected


def test_parse_date_options() -> None:
    m = parse_date("January 8", default_year=2021)
    assert m is not None and m.earliest == D("2021-01-08")
    m = parse_date("3/1/2020", day_first=True)
    assert m is not None and m.earliest == D("2020-01-03")


# -- properties --------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"0123456789,.-/: \n'sa",
        *("January", "Jan.", "May", "Wednesday", "2020", "1990", "19", "31", "29", "the", "of"),
        *("in", "late", "early", "mid", "spring", "winter", "end", "year", "to", "and", " "),
    ]
)
_TEXTS = st.one_of(st.text(), st.lists(_ALPHABET, max_size=30).map("".join))


@given(
    _TEXTS,
    st.integers(-3, 40),
    st.none() | st.integers(-3, 40),
    st.none() | st.integers(1, 9999),
    st.sampled_from([None, True, False]),
)
@settings(max_examples=400, deadline=None)
def test_find_dates_properties(
    text: str, start: int, end: int | None, default_year: int | None, day_first: bool | None
) -> None:
    found = find_dates(text, start, end, default_year=default_year, day_first=day_first)
    check_spans(text, found, start, end)
    for m in found:
        assert (m.earliest is None) == (m.latest is None)
        if m.earliest is not None and m.latest is not None:
            assert m.earliest <= m.latest
            assert m.nominal == m.earliest


# Phrases of a word, a gap and a figure, as the hints that forms are skipped by hold
# them (or nearly do): "in 2019", "mid-1990", "the 1990s", "2010 to 2015".
_HINT_WORDS = (
    *("mid", "Mid", "first half", "FIRST HALF", "quarter", "Summer", "fall", "the year"),
    *("The Year", "to", "Through", "till", "in", "since", "of", "by", "Jan", "March"),
    *("the", "late", "Early", "end", "ſpring", "Kı", "3", "1989", "2019", ""),
)
_HINT_GAPS = (" ", "\t", "\u00a0", "-", "\u2013", "\u2014", "/", ".", ",", "")
_HINT_FIGURES = ("2019", "1990", "1990s", "2010's", "19", "3", "12", "0s", "")
_HINT_TEXTS = st.one_of(
    _TEXTS,
    st.lists(
        st.tuples(*(st.sampled_from(p) for p in (_HINT_WORDS, _HINT_GAPS, _HINT_FIGURES))),
        max_size=4,
    ).map(lambda parts: " ".join("".join(part) for part in parts)),
)


def test_skipping_forms_by_hint_changes_nothing_on_any_short_phrase() -> None:
    tails = ("", " to 2021", " Through 2021", " TILL 2021", "\u2013 21", "-5", "/2019", "-Jan-2019")
    for word, gap, figure, tail in itertools.product(_HINT_WORDS, _HINT_GAPS, _HINT_FIGURES, tails):
        check_hints_change_nothing(f"{word}{gap}{figure}{tail}", 0, None, None)


@given(
    _HINT_TEXTS,
    st.integers(-3, 40),
    st.none() | st.integers(-3, 40),
    st.none() | st.integers(1, 99),
)
@settings(max_examples=600, deadline=None)
def test_skipping_forms_by_hint_changes_nothing(
    text: str, start: int, end: int | None, default_year: int | None
) -> None:
    check_hints_change_nothing(text, start, end, default_year)


def check_hints_change_nothing(
    text: str, start: int, end: int | None, default_year: int | None
) -> None:
    """Forms are tried only when a year's digits or a month's name is present, and the
    hints their matches hold: trying every form every time must find the same dates."""
    every_form = tuple((rank, p, read, 0) for rank, p, read, _ in dates._TRIED[True, True])
    every = {key: every_form for key in dates._TRIED}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "_TRIED", every)
        expected = _outcome(text, start, end, default_year)
    assert _outcome(text, start, end, default_year) == expected


def _outcome(text: str, start: int, end: int | None, default_year: int | None) -> list[DateMatch]:
    return find_dates(text, start, end, default_year=default_year)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("the \u017fpring 2019", date(2019, 3, 1), date(2019, 5, 31)),
        ("the \u017ftart of 2019", date(2019, 1, 1), date(2019, 3, 31)),
        ("EARLY 2019", date(2019, 1, 1), date(2019, 4, 30)),
    ],
)
def test_words_matched_only_by_case_folding_are_read(text: str, first: date, last: date) -> None:
    # re.IGNORECASE matches the long s as "s": its reader must find the word too.
    (found,) = find_dates(text)
    assert (found.earliest, found.latest) == (first, last)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_round_trip_written_dates(d: date) -> None:
    for text in (
        f"{d:%B} {d.day}, {d.year}",
        f"{d.day} {d:%B} {d.year}",
        f"{d:%b}. {d.day}, {d.year}" if d.month != 5 else f"{d:%b} {d.day}, {d.year}",
        d.isoformat(),
        f"{d:%A}, {d:%B} {d.day}, {d.year}",
    ):
        m = parse_date(text)
        assert m is not None, text
        assert m.earliest == m.latest == d, text


# -- linear time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1," * 200_000,
        "2020-" * 80_000,
        "in 2020 " * 40_000,
        "January " * 40_000,
        "1/" * 200_000,
        "the early " * 40_000,
        "Wednesday, " * 40_000,
        "January 3-" * 40_000,
    ],
    ids=[
        "digit-commas",
        "year-hyphens",
        "in-year",
        "months",
        "slashes",
        "early",
        "weekdays",
        "day-ranges",
    ],
)
def test_linear_time(text: str) -> None:
    check_linear_time(find_dates, text)
