"""Time expressions: durations, relative dates and the time an event happened.

"19 years", "a decade and a half", "four years ago", "two days earlier", "on
Wednesday", "last week", "yesterday": read from tokens with the calendar and
time-unit lexicons, and resolved against the publication date or a date the story
itself gives.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from operator import attrgetter

from checker.extract.approximators import Rule
from checker.extract.dates import DateMatch
from checker.extract.numbers import parse_number
from checker.lexicon import load
from checker.model import DateRange, Document, Interval, TimeRef
from checker.text import Token, phrase_table
from checker.timeline import latest_weekday, shift, to_date, to_day, week_bounds

_MAX_NUMBER_WORDS = 4
_YEAR_NAME = re.compile(r"(?:19|20)\d\d")
_LOW = attrgetter("low")


@dataclass(frozen=True, slots=True)
class DurationUnit:
    """A time unit read after a figure: its base unit, size and where it ends."""

    unit: str
    factor: float
    end: int
    extra: float = 0.0  # "and a half": added to the figure before scaling


@dataclass(frozen=True, slots=True)
class EventTime:
    """When something happened, as precisely as the text says: a day range or a weekday."""

    day: DateRange | None = None
    weekday: int | None = None


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative time expression in a sentence."""

    start: int
    end: int
    token: int
    ref: TimeRef
    claim: bool
    when: EventTime | None


@dataclass(frozen=True, slots=True)
class Times:
    """The time expressions of one sentence, each at a token index."""

    relatives: tuple[Relative, ...]
    marks: tuple[tuple[int, EventTime], ...]

    def nearest(self, token: int) -> EventTime | None:
        """Return the event time stated closest to token index `token`."""
        best = min(self.marks, key=lambda m: abs(m[0] - token), default=None)
        return best[1] if best else None

    def within(self, token: int, reach: int) -> EventTime | None:
        """Return the event time stated closest to token `token`, at most `reach` away."""
        best = min(self.marks, key=lambda m: abs(m[0] - token), default=None)
        return best[1] if best and abs(best[0] - token) <= reach else None

    def without(self, tokens: AbstractSet[int]) -> Times:
        """Return these times less the marks at the given token indexes."""
        return Times(self.relatives, tuple(m for m in self.marks if m[0] not in tokens))


# What most sentences hold: shared, since a frozen dataclass is slow to build.
_NO_TIMES = Times((), ())


@cache
def _units() -> dict[str, tuple[str, float]]:
    return {k: (v[0], float(v[1])) for k, v in load("time_units")["units"].items()}


@cache
def unit_words() -> frozenset[str]:
    """Return the time units a duration or a relative time ends with ("years", "week")."""
    return frozenset(_units())


@cache
def _halves() -> dict[tuple[str, ...], float]:
    return {tuple(k.split()): float(v) for k, v in load("time_units")["halves"].items()}


@cache
def since_words() -> frozenset[str]:
    """Return the words that open the event a duration counts from."""
    return frozenset(load("time_units")["relative"]["since"])


@cache
def past_words() -> frozenset[str]:
    """Return the words that make a duration a date in the past ("ago", "earlier")."""
    return frozenset(load("time_units")["relative"]["past"])


@cache
def publication_units() -> frozenset[str]:
    """Return the units long enough that "N units after X" counts up to the publication date."""
    return frozenset(load("time_units")["relative"]["publication_units"])


@cache
def _future_words() -> frozenset[str]:
    return frozenset(load("time_units")["relative"]["future"])


@cache
def weekday_names() -> dict[str, int]:
    """Return the weekday names written out in full, by weekday number (Monday = 0)."""
    return _weekdays()


@cache
def _weekdays() -> dict[str, int]:
    # Full names only: "sun", "sat" and "wed" are ordinary words too.
    return {k: v for k, v in load("calendar")["weekdays"].items() if len(k) >= 6}


def duration_unit(tokens: Sequence[Token], j: int) -> DurationUnit | None:
    """Return the time unit at token j ("years", "decades and a half"), if any."""
    if j >= len(tokens) or tokens[j].low not in _units():
        return None
    unit, factor = _units()[tokens[j].low]
    end, extra = tokens[j].end, 0.0
    for words, value in _halves().items():
        if tuple(t.low for t in tokens[j + 1 : j + 1 + len(words)]) == words:
            end, extra = tokens[j + len(words)].end, value
    return DurationUnit(unit, factor, end, extra)


def article_durations(tokens: Sequence[Token]) -> list[tuple[int, int, float]]:
    """Return (start, end, value) of the article that counts a unit: "a" decade, "half a" century.

    The span stops before the unit, as a figure's does, so the unit is read after it.
    """
    out: list[tuple[int, int, float]] = []
    if unit_words().isdisjoint(map(_LOW, tokens)):
        return out  # most sentences name no time unit: one pass in C
    for i, tok in enumerate(tokens):
        if tok.low not in _units() or i == 0 or tokens[i - 1].low not in ("a", "an"):
            continue
        start, value = tokens[i - 1].start, 1.0
        if i >= 2 and tokens[i - 2].low == "half":
            start, value = tokens[i - 2].start, 0.5
        out.append((start, tokens[i - 1].end, value))
    return out


# The part of one written unit an approximator that lowers a duration may reach below it.
_UNIT_SLACK = 0.25


def duration_value(
    low: float,
    high: float | None,
    nominal: float | None,
    unit: DurationUnit,
    rule: Rule | None,
    *,
    vague: bool,
) -> Interval:
    """Return the interval of a duration in its base unit.

    A bare whole figure counts completed units, as anniversaries do: "19 years" is
    [19, 20) and "two decades" [20, 21) years; approximators then widen the figure.
    """
    scale = unit.factor
    lo = (low + unit.extra) * scale
    hi = None if high is None else (high + unit.extra) * scale
    stated = None if nominal is None else (nominal + unit.extra) * scale
    if vague:
        return Interval(lo, hi, unit.unit, None)
    if rule is not None and rule.name != "exact":
        new_lo, new_hi, lo_open, hi_open = rule.apply(lo, hi)
        if new_lo is not None and new_lo < lo:
            # "almost two decades", "nearly a year": closeness is judged in the unit
            # written, never finer than a quarter of it. 17 years is almost two
            # decades, as nine months is nearly a year; "almost 20 years" keeps 18.
            new_lo = min(new_lo, (low + unit.extra - _UNIT_SLACK) * scale)
        return Interval(new_lo, new_hi, unit.unit, stated, lo_open, hi_open)
    if hi is not None and hi == lo and float(lo).is_integer():
        return Interval(lo, lo + 1, unit.unit, stated, False, True)
    return Interval(lo, hi, unit.unit, stated)


def _number_before(tokens: Sequence[Token], i: int) -> tuple[float, int] | None:
    """Return the figure that ends right before token i and the index where it starts."""
    if i > 0 and tokens[i - 1].low in ("a", "an"):
        k = i - 1
        return (0.5, k - 1) if k > 0 and tokens[k - 1].low == "half" else (1.0, k)
    for n in range(min(_MAX_NUMBER_WORDS, i), 0, -1):
        phrase = " ".join(t.raw for t in tokens[i - n : i])
        value = parse_number(phrase)
        if value is not None:
            return value, i - n
    return None


def time_expressions(
    doc: Document,
    tokens: Sequence[Token],
    dates: Sequence[DateMatch],
    lows: AbstractSet[str] | None = None,
) -> Times:
    """Return the relative time expressions and event times of one sentence.

    `lows` is the set of the tokens' lower-cased forms, when the caller has it already.
    """
    published = doc.published
    marks: list[tuple[int, EventTime]] = []
    relatives: list[Relative] = []
    weekday_at: list[tuple[int, int]] = []
    # Most sentences hold no weekday, time unit or relative word, and no year: the set
    # of their words proves it, and the loops below are skipped. The marks keep the
    # order the loops give them, which `Times.nearest` breaks ties by.
    if lows is None:
        lows = set(map(_LOW, tokens))
    if not _weekday_set().isdisjoint(lows) or (
        tokens and _YEAR_NAME.search(doc.text, tokens[0].start, tokens[-1].end)
    ):
        _weekday_and_year_marks(tokens, published, marks, weekday_at)
    for dm in dates:
        if dm.earliest is not None and dm.latest is not None:
            # Any stated date pins when an event happened: "the 1998 quake killed 212".
            idx = _index(tokens, dm.start)
            weekday = dm.earliest.weekday() if dm.granularity == "day" else None
            marks.append((idx, EventTime(DateRange(dm.earliest, dm.latest), weekday)))
    if _relative_starts().isdisjoint(lows):
        return Times((), tuple(marks)) if marks else _NO_TIMES
    # Only a time unit ends "<N> <unit> ago" and only a relative word starts "last
    # week": other tokens are passed over without a call.
    units = _units()
    days, _, week_starts = _relative_words()
    for i, tok in enumerate(tokens):
        low = tok.low
        if low in units:
            rel = _relative_at(tokens, i, published, dates, weekday_at)
            if rel is not None:
                relatives.append(rel)
                if rel.when is not None:
                    marks.append((rel.token, rel.when))
        if low in days or low in week_starts:
            mark = _word_relative(tokens, i, published)
            if mark is not None:
                marks.append((i, mark))
    return Times(tuple(relatives), tuple(marks))


def _weekday_and_year_marks(
    tokens: Sequence[Token],
    published: DateRange | None,
    marks: list[tuple[int, EventTime]],
    weekday_at: list[tuple[int, int]],
) -> None:
    """Add the event times that weekdays and years naming an event give, in token order."""
    events = phrase_table("subjects", "events")
    weekdays = _weekdays()
    for i, tok in enumerate(tokens):
        raw = tok.raw
        if len(raw) == 4 and _YEAR_NAME.fullmatch(raw) and events.match_at(tokens, i + 1):
            # "the 1998 quake": a year naming an event is not a date claim, but it says
            # when that event happened.
            year = int(raw)
            marks.append((i, EventTime(DateRange(date(year, 1, 1), date(year, 12, 31)))))
        if tok.low in weekdays:
            wd = weekdays[tok.low]
            weekday_at.append((i, wd))
            day = None
            if published is not None:
                day = _range(
                    latest_weekday(published.earliest, wd), latest_weekday(published.latest, wd)
                )
            marks.append((i, EventTime(day, wd)))


@cache
def _weekday_set() -> frozenset[str]:
    return frozenset(_weekdays())


@cache
def _relative_starts() -> frozenset[str]:
    """Return the words a relative time is read at: time units and relative words."""
    days, _, week_starts = _relative_words()
    return unit_words() | frozenset(days) | week_starts


def _start(token: Token) -> int:
    return token.start


def _index(tokens: Sequence[Token], offset: int) -> int:
    """Return the index of the first token starting at or after `offset`."""
    return bisect.bisect_left(tokens, offset, key=_start)


def _range(a: date, b: date) -> DateRange:
    return DateRange(min(a, b), max(a, b))


def _relative_at(
    tokens: Sequence[Token],
    i: int,
    published: DateRange | None,
    dates: Sequence[DateMatch],
    weekday_at: Sequence[tuple[int, int]],
) -> Relative | None:
    """Read "<N> <unit> ago|earlier|later" ending at token i+1."""
    tok = tokens[i]
    if tok.low not in _units() or i + 1 >= len(tokens):
        return None
    word = tokens[i + 1].low
    past = word in past_words()
    if not past and word not in _future_words():
        return None
    # "after the invasion", "before the vote": an elapsed time, read elsewhere.
    if (
        word in since_words() | {"before", "on"}
        and i + 2 < len(tokens)
        and tokens[i + 2].raw[:1].isalnum()
        and not tokens[i + 1].raw.endswith((",", "."))
    ):
        return None
    figure = _number_before(tokens, i)
    if figure is None:
        return None
    value, first = figure
    unit, factor = _units()[tok.low]
    amount = value * factor
    below, above = (float(x) for x in load("time_units")["ago_slack"].get(unit, [0, 0]))
    low, high = (-(amount + above), -(amount - below)) if past else (amount - below, amount + above)
    anchor, weekday, from_pub = published, None, True
    if word != "ago":
        story = _story_anchor(tokens, first, dates, weekday_at)
        if story is not None and story[0] is not None:
            anchor, from_pub = story[0], False
        elif story is not None:
            # "on Wednesday ... two days earlier": that weekday, before publication.
            weekday = story[1]
    if word != "ago" and anchor is None and weekday is None:
        from_pub = True
    ref = TimeRef(low, high, unit, anchor if not from_pub else published, from_pub, weekday)
    when = _event_time(ref, published)
    last = tokens[i + 1]
    return Relative(
        tokens[first].start,
        last.start + len(last.raw.rstrip(".")),
        i,
        ref,
        claim=unit in ("year", "month", "week") or word == "ago",
        when=when,
    )


def _story_anchor(
    tokens: Sequence[Token],
    first: int,
    dates: Sequence[DateMatch],
    weekday_at: Sequence[tuple[int, int]],
) -> tuple[DateRange | None, int | None] | None:
    """Return the date or weekday earlier in the sentence that "earlier"/"later" counts from."""
    start = tokens[first].start
    day_dates = [
        d for d in dates if d.end <= start and d.earliest is not None and d.latest is not None
    ]
    weekdays = [(i, wd) for i, wd in weekday_at if i < first]
    if day_dates and (not weekdays or tokens[weekdays[-1][0]].start < day_dates[-1].start):
        d = day_dates[-1]
        assert d.earliest is not None and d.latest is not None
        return DateRange(d.earliest, d.latest), None
    if weekdays:
        return None, weekdays[-1][1]
    return None


def _event_time(ref: TimeRef, published: DateRange | None) -> EventTime | None:
    value = resolve(ref, published)
    if isinstance(value.low, date) and isinstance(value.high, date):
        wd = value.low.weekday() if value.low == value.high else None
        return EventTime(DateRange(value.low, value.high), wd)
    if ref.weekday is not None and ref.unit == "day" and ref.low == ref.high:
        return EventTime(None, int(ref.weekday + ref.low) % 7)
    return None


@cache
def _relative_words() -> tuple[
    dict[str, int], tuple[tuple[tuple[str, ...], int], ...], frozenset[str]
]:
    lexicon = load("time_units")
    days = {k: int(v) for k, v in lexicon["relative_days"].items()}
    weeks = tuple((tuple(k.split()), int(v)) for k, v in lexicon["relative_weeks"].items())
    return days, weeks, frozenset(words[0] for words, _ in weeks)


def _word_relative(
    tokens: Sequence[Token], i: int, published: DateRange | None
) -> EventTime | None:
    """Read "yesterday", "last week", "this week" at token i."""
    days, weeks, week_starts = _relative_words()
    low = tokens[i].low
    if low in days:
        if published is None:
            return None
        off = timedelta(days=days[low])
        return EventTime(DateRange(published.earliest + off, published.latest + off))
    if low not in week_starts:
        return None
    for words, back in weeks:
        if tuple(t.low for t in tokens[i : i + len(words)]) == words:
            if published is None:
                return None
            first, _ = week_bounds(published.earliest, int(back))
            _, last = week_bounds(published.latest, int(back))
            return EventTime(DateRange(first, min(last, published.latest)))
    return None


def resolve(ref: TimeRef, published: DateRange | None) -> Interval:
    """Return the dates a relative expression allows; open when its anchor is unknown."""
    anchor = published if ref.from_publication else ref.anchor
    if anchor is None:
        return Interval(None, None, "date", None)
    first, last = anchor.earliest, anchor.latest
    if ref.weekday is not None:
        first, last = latest_weekday(first, ref.weekday), latest_weekday(last, ref.weekday)
    low = to_date(math.floor(shift(to_day(first), ref.low, ref.unit)))
    high = to_date(math.floor(shift(to_day(last), ref.high, ref.unit)))
    if high < low:
        high = low
    return Interval(low, high, "date", None)
