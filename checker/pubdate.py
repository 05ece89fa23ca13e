"""Find a document's publication date in its header, front matter or first dateline.

Only the header zone (the first few non-empty lines, up to the first body paragraph)
and the first dateline are read: a date in the story body is a claim, not the date
the story was published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import cache

from checker import lexicon
from checker.extract.dates import DateMatch, find_dates
from checker.model import DateRange, DateSource

HEADER_LINES = 8  # non-empty lines read as the header zone
DATELINE_LINES = 15  # non-empty lines searched for the first dateline
BODY_LINE_CHARS = 120  # a line this long with many words is prose: the header has ended
BODY_LINE_WORDS = 12
MIN_YEAR, MAX_YEAR = 1900, 2099

PUBLISHED_KEYS = (
    "published",
    "date",
    "pubdate",
    "publishdate",
    "published_at",
    "date_published",
    "datepublished",
    "publication_date",
    "created",
    "created_at",
)
UPDATED_KEYS = ("updated", "lastmod", "modified", "updated_at", "date_modified", "last_modified")

Span = tuple[int, int]


class Rank(IntEnum):
    """How much a found date is trusted as the publication date: lower wins."""

    FRONT_MATTER = 0
    PUBLISHED = 1
    PLAIN = 2
    DATELINE = 3
    UPDATED = 4


@dataclass(frozen=True, slots=True)
class HeaderScan:
    """The publication date found in a header and the spans of text that stated it."""

    published: DateRange | None
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A YAML (`---`) or TOML (`+++`) front-matter block and its flat `key: value` fields."""

    start: int
    end: int
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Found:
    """One full date found on a line, with the label that introduced it."""

    start: int
    end: int
    earliest: date
    latest: date
    rank: Rank


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Compiled regular expressions built from calendar.toml."""

    removable: re.Pattern[str]
    dateline: re.Pattern[str]
    dateless_dateline: re.Pattern[str]
    place_comma: re.Pattern[str]
    months: dict[str, int]


def find_publication_date(text: str, *, markdown: bool) -> DateRange | None:
    """Return the publication date stated in the text's header, or None."""
    return scan_header(text, markdown=markdown).published


def scan_header(text: str, *, markdown: bool) -> HeaderScan:
    """Return the publication date and the spans of the header lines that gave it."""
    body_from = 0
    candidates: list[_Found] = []
    spans: list[Span] = []
    if markdown:
        front = front_matter(text)
        if front is not None:
            body_from = front.end
            candidates.extend(_front_matter_dates(front))
    lines = _opening_lines(text, body_from)
    header = _header_zone(text, lines)
    for start, end in header:
        found = _date_line(text[start:end], start)
        if found:
            candidates.extend(found)
            spans.append((start, end))
    dateline = _first_dateline(text, lines, candidates, header)
    if dateline is not None:
        found_dateline, span = dateline
        spans.append(span)
        if found_dateline is not None:
            candidates.append(found_dateline)
    return HeaderScan(_best(candidates), tuple(sorted(spans)))


def front_matter(text: str) -> FrontMatter | None:
    """Return the front-matter block at the very start of a markdown text, if any."""
    match = re.match(
        r"(---|\+\+\+)[ \t]*\n(.*?)(?:^|\n)(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", text, re.S
    )
    if match is None:
        return None
    fields: dict[str, str] = {}
    for raw in match.group(2).split("\n"):
        key, sep, value = raw.partition("=" if match.group(1) == "+++" else ":")
        # Nested YAML (indented lines) is not metadata we need; keep only top-level keys.
        if not sep or raw[:1].isspace():
            continue
        fields.setdefault(key.strip().lower(), value.strip().strip("'\"").strip())
    return FrontMatter(0, match.end(), fields)


def parse_date(value: str) -> tuple[date, date] | None:
    """Return the day range of the first full date (with a year) in `value`."""
    found = _full_dates(value, 0)
    return (found[0].earliest, found[0].latest) if found else None


def _best(candidates: list[_Found]) -> DateRange | None:
    """Pick the most trusted, then earliest-placed, candidate."""
    if not candidates:
        return None
    best = min(candidates, key=lambda f: (f.rank, f.start))
    source = DateSource.FRONT_MATTER if best.rank is Rank.FRONT_MATTER else DateSource.TEXT
    return DateRange(best.earliest, best.latest, source)


def _front_matter_dates(front: FrontMatter) -> Iterator[_Found]:
    """Yield the dates a front matter's date keys state."""
    for keys, rank in ((PUBLISHED_KEYS, Rank.FRONT_MATTER), (UPDATED_KEYS, Rank.UPDATED)):
        for key in keys:
            parsed = parse_date(front.fields.get(key, ""))
            if parsed is not None:
                yield _Found(keys.index(key), 0, parsed[0], parsed[1], rank)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _iter_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield the (start, end, text) of every line, without its line break, in order."""
    start = 0
    if "\r" not in text:  # as read from a file: splitting in C beats the pattern's scan
        for line in text.split("\n"):
            end = start + len(line)
            yield start, end, line
            start = end + 1
        return
    for match in _LINE_BREAK.finditer(text):
        yield start, match.start(), text[start : match.start()]
        start = match.end()
    yield start, len(text), text[start:]


def _opening_lines(text: str, body_from: int = 0) -> list[Span]:
    """Return the lines starting at or after `body_from`, up to the DATELINE_LINES-th
    non-empty one: all the header zone and the dateline search ever read.

    A long story has hundreds of lines; only its first few are looked at.
    """
    lines: list[Span] = []
    non_empty = 0
    for start, end, line in _iter_lines(text):
        if start < body_from:
            continue
        lines.append((start, end))
        if line.strip():
            non_empty += 1
            if non_empty == DATELINE_LINES:
                break
    return lines


def _header_zone(text: str, lines: list[Span]) -> list[Span]:
    """Return the first non-empty lines, stopping at the first prose paragraph."""
    zone: list[Span] = []
    for start, end in lines:
        line = text[start:end].strip()
        if not line:
            continue
        if len(line) >= BODY_LINE_CHARS and len(line.split()) >= BODY_LINE_WORDS:
            break
        zone.append((start, end))
        if len(zone) == HEADER_LINES:
            break
    return zone


def _date_line(line: str, offset: int) -> list[_Found]:
    """Return the dates on a line that holds nothing but dates, labels and times."""
    found = _full_dates(line, offset)
    if not found:
        return []
    residue = list(line)
    for f in found:
        residue[f.start - offset : f.end - offset] = " " * (f.end - f.start)
    # A press release dates itself after its place: "Harwell Quay, 11 November 2025".
    place = _patterns().place_comma.match(line)
    if place is not None and place.end() == found[0].start - offset:
        residue[: place.end()] = " " * place.end()
    rest = _patterns().removable.sub(" ", "".join(residue))
    letters = sum(ch.isalpha() for ch in rest)
    # A byline may share the line with the date ("By Jane Doe | 3 March 2023"), and so
    # may the outlet's name ("Crescent Review | Nov. 27, 2022").
    byline = line.lstrip(" *_").lower().startswith("by ") and letters <= 60
    if (letters and not byline and not _masthead("".join(residue))) or re.search(r"\d{3}", rest):
        return []
    return [_labelled(f, line, offset, found) for f in found]


# The marks that set an outlet's name apart from the date on a masthead line.
_MASTHEAD_MARKS = re.compile(r"[|\u2022\u00b7]")
# An outlet's name: up to six capitalised words or numbers ("Sentinel 24", "The
# Daily-Post"), with at most two lower-case joiners between two ("Voice of the North").
_OUTLET = re.compile(
    r"\s*(?:The\s+)?[A-Z0-9][\w'\u2019&.-]*"
    r"(?:\s+(?:(?:of|and|the|&)\s+){0,2}[A-Z0-9][\w'\u2019&.-]*){0,5}\s*"
)
_OUTLET_LETTERS = 40


def _masthead(residue: str) -> bool:
    """Return whether a date line's words, the dates blanked out, are an outlet's name
    set apart by a bar or a dot: one part holds the name, the others only dates, times
    and labels ("Crescent Review | Nov. 27, 2022 | 08:15")."""
    parts = _MASTHEAD_MARKS.split(residue)
    if len(parts) < 2:
        return False
    removable = _patterns().removable
    worded = [part for part in parts if any(ch.isalpha() for ch in removable.sub(" ", part))]
    if len(worded) != 1:
        return False
    name = worded[0]
    return sum(ch.isalpha() for ch in name) <= _OUTLET_LETTERS and bool(_OUTLET.fullmatch(name))


def _labelled(found: _Found, line: str, offset: int, others: list[_Found]) -> _Found:
    """Rank a date by the label between the previous date on its line and itself."""
    previous_end = max((o.end for o in others if o.end <= found.start), default=offset)
    label = line[previous_end - offset : found.start - offset].lower()
    if re.search(r"updat|modif|revis|edited", label):
        rank = Rank.UPDATED
    elif re.search(r"publish|posted|created|\bdate|issued|released", label):
        rank = Rank.PUBLISHED
    else:
        rank = Rank.PLAIN
    return _Found(found.start, found.end, found.earliest, found.latest, rank)


_DIGIT_SEPARATED = re.compile(r"[0-9][/.\-][0-9]")


def _full_dates(line: str, offset: int) -> list[_Found]:
    """Return the non-overlapping full dates (a day and a year) in a line, in order.

    Digits that read both ways ("03/04/2023") stand for the days between the two readings,
    except with dots, which are day first ("07.08.2024"). A time written straight after
    a date ("2024-08-26T07:51:42Z") joins it, so its letters are not read as words.
    """
    readings: dict[Span, list[date]] = {}
    # Only an all-digit date ("03/04/2023") reads differently by day order: without a
    # digit, a separator and a digit the second reading would repeat the first.
    orders = (True, False) if _DIGIT_SEPARATED.search(line) else (True,)
    for day_first in orders:
        for match in find_dates(line, day_first=day_first):
            if day_first or "." not in line[match.start : match.end]:
                day = _full_day(match)
                if day is not None:
                    readings.setdefault((match.start, match.end), []).append(day)
    kept: list[_Found] = []
    for (start, end), days in sorted(readings.items(), key=lambda r: (r[0][0], -r[0][1])):
        if kept and start + offset < kept[-1].end:
            continue
        time = _ISO_TIME.match(line, end)
        end = time.end() if time else end
        kept.append(_Found(start + offset, end + offset, min(days), max(days), Rank.PLAIN))
    return kept


def _full_day(match: DateMatch) -> date | None:
    """Return the one day a date match names with its year, or None."""
    day = match.earliest
    if match.granularity != "day" or match.year_missing or day is None or day != match.latest:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def yearless_dateline(text: str) -> tuple[int, int] | None:
    """Return (month, day) of an opening dateline that names no year ("ALCAZ, July 17 --").

    The caller may date it from the other documents of the corpus.
    """
    patterns = _patterns()
    lines = [(s, e) for s, e in _opening_lines(text) if text[s:e].strip()][:DATELINE_LINES]
    for start, end in lines:
        line = text[start:end]
        match = patterns.dateline.match(line) if _may_be_dateline(line) else None
        if match is None:
            continue
        if match["year"] or match["year2"]:
            return None
        month = patterns.months[(match["mon"] or match["mon2"]).lower().rstrip(".")]
        return month, int(match["day"] or match["day2"])
    return None


def _first_dateline(
    text: str, lines: list[Span], candidates: list[_Found], header: list[Span]
) -> tuple[_Found | None, Span] | None:
    """Return the date (if any) and prefix span of the first dateline in the opening lines."""
    patterns = _patterns()
    non_empty = [(s, e) for s, e in lines if text[s:e].strip()][:DATELINE_LINES]
    for start, end in non_empty:
        line = text[start:end]
        if not _may_end_a_dateline(line):
            continue  # neither pattern can match: most lines of prose
        match = patterns.dateline.match(line) if "," in line else None
        if match is not None:
            found = _dateline_date(match, start, candidates, text, header)
            return found, (start, start + match.end())
        if patterns.dateless_dateline.match(line):
            return None
    return None


def _may_end_a_dateline(line: str) -> bool:
    """Return whether the line holds a dash or colon, which ends every dateline (`_dash`)."""
    return any(mark in line for mark in _DATELINE_ENDS)


def _may_be_dateline(line: str) -> bool:
    """Return whether the line holds what every dated dateline holds: a comma after the
    place, and a dash or colon at the end."""
    return "," in line and _may_end_a_dateline(line)


def _dateline_date(
    match: re.Match[str], offset: int, candidates: list[_Found], text: str, header: list[Span]
) -> _Found | None:
    """Date a dateline, taking a missing year from the header zone; None when unknown."""
    months = _patterns().months
    month = months[(match["mon"] or match["mon2"]).lower().rstrip(".")]
    day = int(match["day"] or match["day2"])
    year_text = match["year"] or match["year2"]
    if year_text:
        day_found = _safe_date(int(year_text), month, day)
    else:
        day_found = _dateline_year(month, day, candidates, text, header)
    if day_found is None:
        return None
    start = offset + match.start("date")
    return _Found(start, offset + match.end("date"), day_found, day_found, Rank.DATELINE)


def _dateline_year(
    month: int, day: int, candidates: list[_Found], text: str, header: list[Span]
) -> date | None:
    """Date a year-less dateline from a header date, else from the one year the header names."""
    if candidates:
        reference = min(candidates, key=lambda f: (f.rank, f.start)).latest
        # A dateline is filed on or before the header's date: Dec 31 beside Jan 2 is last year.
        guess = _safe_date(reference.year, month, day)
        if guess is not None and guess > reference:
            guess = _safe_date(reference.year - 1, month, day)
        return guess
    years = {
        int(m.group())
        for s, e in header
        for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)", text[s:e])
        if MIN_YEAR <= int(m.group()) <= MAX_YEAR
    }
    return _safe_date(years.pop(), month, day) if len(years) == 1 else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None for an impossible or implausible one."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Dashes and the typographic apostrophe, escaped so the source stays ASCII-unambiguous.
_DASHES = "\u2013\u2014"
_APOSTROPHES = "'\u2019"
_ZONES = (
    "utc|gmt|z|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|eet|eest|ist|jst|kst|aest|aedt"
    "|msk|ast|irst|wib|sgt|hkt"
)
# The characters one of which ends every dateline, with or without a date (`_dash`).
_DATELINE_ENDS = ("-", *_DASHES, ":")
_ISO_TIME = re.compile(
    r"[T ]\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?(?:\s?Z|[+-]\d\d:?\d\d)?(?!\d)", re.I
)
_LABELS = (
    r"first|last|date[ds]?|published|publish|publication|posted|updated|modified|created"
    r"|issued|released|revised|edited|on|at|time|by|am|pm|a\.m\.|p\.m\.|local"
)


@cache
def _patterns() -> _Patterns:
    """Compile the date patterns once, from calendar.toml's month and weekday names."""
    calendar = lexicon.load("calendar")
    months: dict[str, int] = dict(calendar["months"])
    month_names = "|".join(sorted(months, key=len, reverse=True))
    weekdays = "|".join(sorted(calendar["weekdays"], key=len, reverse=True))
    return _Patterns(
        removable=_removable_pattern(weekdays),
        dateline=_dateline_pattern(month_names, weekdays),
        dateless_dateline=_dateless_dateline_pattern(),
        place_comma=re.compile(rf"\W{{0,3}}{_place()},[ \t]*"),
        months=months,
    )


def _removable_pattern(weekdays: str) -> re.Pattern[str]:
    """Match what may sit beside a date on a date line: times, zones, weekdays, labels."""
    time_of_day = r"\b\d{1,2}[:.h]\d\d(?:[:.]\d\d)?(?:\s*[ap]\.?m\.?)?"
    zone = rf"\b(?:{_ZONES})\b(?:\s*[+-]\d{{1,2}}(?::?\d\d)?)?|[+-]\d\d:?\d\d\b"
    words = rf"\b(?:{weekdays})\b\.?|\b(?:{_LABELS})\b"
    separators = rf"[\s|\u2022\u00b7,;:/()\[\]*_#>~{_DASHES}-]+"  # and markdown emphasis
    return re.compile(f"{time_of_day}|{zone}|{words}|{separators}", re.I)


def _place() -> str:
    """Match a dateline's place: capitalised words, optionally `, Region` ("Isle of Man")."""
    word = rf"[\w{_APOSTROPHES}.\-]*"
    town = rf"[A-Z]{word}(?:[ \t]+[A-Za-z]{word}){{0,3}}"
    joiners = "|".join(map(re.escape, lexicon.load("calendar")["places"]["joiners"]))
    region = rf"[A-Z]{word}(?:[ \t]+(?:[A-Z]{word}|(?:{joiners})(?=[ \t]))){{0,3}}"
    return rf"{town}(?:,[ \t]*{region})?"


def _dash() -> str:
    """Match the dash (or colon) that ends a dateline."""
    return rf"\s*(?:--|[-{_DASHES}:])"


def _dateline_pattern(month_names: str, weekdays: str) -> re.Pattern[str]:
    """Match `PLACE, [Weekday] Month D[, YYYY] [(Agency)] -` or `PLACE, [Weekday] D Month
    ...` at a line start."""
    year = r"(?:,?\s+(?P<{}>(?:19|20)\d\d))?"
    month_day = rf"(?P<mon>(?i:{month_names}))\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    day_month = rf"(?P<day2>[0-3]?\d)\s+(?P<mon2>(?i:{month_names}))\.?"
    when = rf"(?P<date>{month_day}{year.format('year')}|{day_month}{year.format('year2')})"
    agency = r"(?:\([^()\n]{1,40}\))?"
    weekday = rf"(?:(?i:{weekdays})\.?,?[ \t]+)?"
    # Emphasis may close after the date: "**LISDARRA, Tuesday 4 November 2025** -".
    return re.compile(rf"\W{{0,3}}{_place()},[ \t]*{weekday}{when}[*_]{{0,3}}\s*{agency}{_dash()}")


def _dateless_dateline_pattern() -> re.Pattern[str]:
    """Match a dateline without a date: `PLACE (Agency) --` or `PLACE --` in capitals."""
    capitals = r"[A-Z]{2,}(?:[ .'-][A-Z]{2,})*"
    return re.compile(rf"\W{{0,3}}(?:{_place()}\s*\([^()\n]{{1,40}}\)|{capitals}){_dash()}")
