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
