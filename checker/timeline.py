"""Calendar arithmetic on day numbers, so every date comparison is plain interval logic.

Dates become proleptic Gregorian ordinals (floats, so that "1.5 years" has a meaning);
whole years and months move along the calendar, fractions by their average length.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from checker.lexicon import load

_DAYS_PER_UNIT: dict[str, float] = {
    k: float(v) for k, v in load("time_units")["days_per_unit"].items()
}


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    year = min(max(year, 1), 9999)
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable: day 28 exists in every month")


def shift(day: float, amount: float, unit: str) -> float:
    """Return the ordinal `amount` `unit`s after the ordinal `day` (negative: before)."""
    if math.isinf(amount) or math.isinf(day):
        return day + amount
    if unit in ("year", "month"):
        months = amount * (12 if unit == "year" else 1)
        whole = math.trunc(months)
        start = date.fromordinal(min(max(int(day), 1), date.max.toordinal()))
        moved = _add_months(start, whole).toordinal() + (day - int(day))
        return moved + (months - whole) * _DAYS_PER_UNIT["month"]
    return day + amount * _DAYS_PER_UNIT[unit]


def to_day(d: date) -> float:
    """Return the ordinal of a date."""
    return float(d.toordinal())


def to_date(day: float) -> date:
    """Return the date of an ordinal, clamped to the calendar's range."""
    return date.fromordinal(min(max(math.floor(day), 1), date.max.toordinal()))


def week_bounds(anchor: date, weeks_back: int) -> tuple[date, date]:
    """Return Monday and Sunday of the calendar week `weeks_back` weeks before `anchor`'s."""
    monday = anchor - timedelta(days=anchor.weekday()) - timedelta(weeks=weeks_back)
    return monday, monday + timedelta(days=6)


def latest_weekday(anchor: date, weekday: int) -> date:
    """Return the latest day with `weekday` (0 = Monday) on or before `anchor`."""
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def describe_days(days: float) -> str:
    """Say a span of days the way a reader measures it ("about 3 years", "12 days")."""
    days = abs(days)
    if days >= 2 * 365:
        return f"about {days / 365.2425:.1f} years".replace(".0 ", " ")
    if days >= 60:
        return f"about {round(days / 30.44)} months"
    return f"{round(days)} day" + ("" if round(days) == 1 else "s")
