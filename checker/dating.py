"""Estimate the publication date of an undated document from its own text.

"four years ago" beside "January 3, 2020", both about the same event, put the report
3.5 to 5 years after that date. Every such pair narrows the estimate; the result is
marked `inferred` so that comparison treats it as an estimate, not a known date.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from checker.model import Claim, DateRange, DateSource, Kind
from checker.timeline import shift, to_date, to_day


def _same_event(relative: Claim, absolute: Claim) -> bool:
    """Return whether two date claims date one event: the same event word, or one phrase.

    "three years ago, in March 2022" states one date twice in one sentence.
    """
    if relative.subject.event is not None and relative.subject.event == absolute.subject.event:
        return True
    return (
        relative.sentence == absolute.sentence and abs(relative.span.end - absolute.span.start) <= 6
    )


def corpus_middle(known: Sequence[DateRange]) -> float | None:
    """Return the median day number of the reports' earliest dates: a folder of reports
    on one story spans days or weeks, and a year-less dateline is placed near it."""
    if not known:
        return None
    days = sorted(to_day(r.earliest) for r in known)
    return days[len(days) // 2]


def date_near(month: int, day: int, middle: float) -> DateRange | None:
    """Date a year-less dateline to the year nearest the corpus's `corpus_middle`, when
    that is within half a year of it: "July 17" among reports of July 2025 is 17 July 2025.

    The middle is found once per run: sorting every report's date again for each
    year-less dateline made dating grow with the square of the corpus.
    """
    year = to_date(middle).year
    best: date | None = None
    for candidate_year in (year - 1, year, year + 1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if best is None or abs(to_day(candidate) - middle) < abs(to_day(best) - middle):
            best = candidate
    if best is None or abs(to_day(best) - middle) > _CORPUS_REACH_DAYS:
        return None
    return DateRange(best, best, DateSource.INFERRED)


# How far from the middle of the corpus's dates a year-less dateline may be placed.
_CORPUS_REACH_DAYS = 183


def infer_publication(claims: Sequence[Claim]) -> DateRange | None:
    """Return the publication dates an undated document's own claims allow, or None."""
    absolute = [c for c in claims if c.kind is Kind.DATE and c.time_ref is None]
    low, high = -math.inf, math.inf
    found = False
    for c in claims:
        ref = c.time_ref
        if c.kind is not Kind.DATE or ref is None or not ref.from_publication:
            continue
        for known in absolute:
            if (
                not _same_event(c, known)
                or not isinstance(known.value.low, date)
                or not isinstance(known.value.high, date)
            ):
                continue
            # event = publication + offset, offset in [ref.low, ref.high] units
            low = max(low, shift(to_day(known.value.low), -ref.high, ref.unit))
            high = min(high, shift(to_day(known.value.high), -ref.low, ref.unit))
            found = True
    if not found or low > high:
        return None
    return DateRange(to_date(math.floor(low)), to_date(math.floor(high)), DateSource.INFERRED)
