"""A header line is read in a second day order only when the order can matter."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract.dates import find_dates
from checker.pubdate import _ISO_TIME, _full_dates, _full_day

_PARTS = st.sampled_from(
    [
        "03/04/2023", "13/04/2023", "04/13/2023", "3.4.2023", "07.08.2024", "2024-08-26",
        "2024-08-26T07:51:42Z", "3-4-2023", "March 3, 2023", "3 March 2023", "Mar. 3 2023",
        "Published:", "Updated", "|", "By Jane Doe", "2023", "12:30", "GMT", "-", "/", ".",
        "1/2", "on", "Monday,", "2 June", "June 2023", "5", "05", "2023/04/03",
    ]
)  # fmt: skip


def _both_orders(line: str) -> list[tuple[int, int, date, date]]:
    """What the header reader made of a line before: both day orders, always."""
    readings: dict[tuple[int, int], list[date]] = {}
    for day_first in (True, False):
        for match in find_dates(line, day_first=day_first):
            if day_first or "." not in line[match.start : match.end]:
                day = _full_day(match)
                if day is not None:
                    readings.setdefault((match.start, match.end), []).append(day)
    kept: list[tuple[int, int, date, date]] = []
    for (start, end), days in sorted(readings.items(), key=lambda r: (r[0][0], -r[0][1])):
        if kept and start < kept[-1][1]:
            continue
        time = _ISO_TIME.match(line, end)
        kept.append((start, time.end() if time else end, min(days), max(days)))
    return kept


@settings(max_examples=500, deadline=None)
@given(st.lists(_PARTS, min_size=1, max_size=6), st.sampled_from([" ", "  ", ", "]))
def test_one_reading_suffices_without_an_all_digit_date(parts: list[str], sep: str) -> None:
    line = sep.join(parts)
    found = [(f.start, f.end, f.earliest, f.latest) for f in _full_dates(line, 0)]
    assert found == _both_orders(line)
