"""Publication dates given outside the documents: `--date FILE=DATE` and a manifest file.

A manifest is TOML (`[dates]` then `"file" = "2024-08-07"`), JSON (`{"file": "2024-08-07"}`)
or CSV (`file,date` rows, an optional `file,date` header). A key names a document by
its display path (`seeds/003.txt`), its file name (`003.txt`) or its stem (`003`);
`lookup` tries them in that order, so the most specific key wins. A date is
`YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for a document known only to that month or year.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from checker.errors import UsageError
from checker.model import DateRange, DateSource

DATE_FORM = "YYYY-MM-DD (or YYYY-MM, YYYY)"
OPTION_FORM = f"FILE={DATE_FORM}"
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_date_option(value: str) -> tuple[str, DateRange]:
    """Parse a `--date FILE=YYYY-MM-DD` value into its key and date range."""
    key, sep, when = value.rpartition("=")
    key = key.strip()
    if not sep or not key:
        raise UsageError(f"--date expects {OPTION_FORM}, got {value!r}")
    found = parse_day_range(when.strip(), DateSource.CLI)
    if found is None:
        raise UsageError(f"--date expects {OPTION_FORM}, got {value!r}")
    return key, found


def parse_day_range(value: str, source: DateSource) -> DateRange | None:
    """Return the days `YYYY-MM-DD`, `YYYY-MM` or `YYYY` covers, or None if malformed."""
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    try:
        if month is None:
            return DateRange(date(year, 1, 1), date(year, 12, 31), source)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return DateRange(date(year, month, 1), date(year, month, last), source)
        return DateRange(date(year, month, day), date(year, month, day), source)
    except (ValueError, calendar.IllegalMonthError):
        return None


def load_manifest(path: Path) -> dict[str, DateRange]:
    """Load a TOML, JSON or CSV manifest of publication dates keyed by file."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read manifest: {exc.strerror or exc}") from exc
    kind = _kind(path, raw)
    if kind == "json":
        pairs = _json_pairs(path, raw)
    elif kind == "toml":
        pairs = _toml_pairs(path, raw)
    else:
        pairs = _csv_pairs(path, raw)
    return {key: _to_range(path, raw, key, value, line) for key, value, line in pairs}


def lookup(dates: Mapping[str, DateRange], display: str) -> DateRange | None:
    """Return the date a manifest gives a document: by display path, then file name, then stem."""
    path = PurePosixPath(display)
    for key in (display, path.name, path.stem):
        if key in dates:
            return dates[key]
    return None


def unused_keys(dates: Mapping[str, DateRange], displays: Iterable[str]) -> list[str]:
    """Return the manifest keys that match no document, so the caller can warn."""
    used: set[str] = set()
    for display in displays:
        path = PurePosixPath(display)
        used.update((display, path.name, path.stem))
    return sorted(key for key in dates if key not in used)


Pair = tuple[str, object, int | None]


def _kind(path: Path, raw: str) -> str:
    """Choose the manifest format by suffix, else by sniffing the text."""
    suffix = path.suffix.lower()
    if suffix in {".json", ".toml", ".csv"}:
        return suffix[1:]
    stripped = raw.lstrip()
    if stripped.startswith("{"):
        return "json"
    return "toml" if re.search(r"^\s*\[dates\]", raw, re.M) else "csv"


def _json_pairs(path: Path, raw: str) -> list[Pair]:
    """Read `{"file": "date"}` (or `{"dates": {...}}`)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    if isinstance(data, dict) and isinstance(data.get("dates"), dict):
        data = data["dates"]
    if not isinstance(data, dict):
        raise UsageError(f'{path}: expected a JSON object {{"file": "{DATE_FORM}"}}')
    return [(str(k), v, _line_of(raw, str(k))) for k, v in data.items()]


def _toml_pairs(path: Path, raw: str) -> list[Pair]:
    """Read a `[dates]` table."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from exc
    table = data.get("dates")
    if not isinstance(table, dict):
        raise UsageError(f'{path}: expected a [dates] table of "file" = "{DATE_FORM}"')
    return [(k, v, _line_of(raw, k)) for k, v in table.items()]


def _csv_pairs(path: Path, raw: str) -> list[Pair]:
    """Read `file,date` rows; blank lines and `#` comments are ignored."""
    pairs: list[Pair] = []
    for number, row in enumerate(csv.reader(io.StringIO(raw)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) != 2 or not cells[0]:
            raise UsageError(f"{path}:{number}: expected a row file,{DATE_FORM}")
        if not pairs and [c.lower() for c in cells] == ["file", "date"]:
            continue  # a header row
        pairs.append((cells[0], cells[1], number))
    return pairs


def _to_range(path: Path, raw: str, key: str, value: object, line: int | None) -> DateRange:
    """Convert one manifest value, naming the file and line when it is malformed."""
    where = f"{path}:{line}" if line else str(path)
    if isinstance(value, date):  # TOML's bare date (or date-time) literal
        day = value.date() if isinstance(value, datetime) else value
        return DateRange(day, day, DateSource.MANIFEST)
    found = parse_day_range(value.strip(), DateSource.MANIFEST) if isinstance(value, str) else None
    if found is None:
        raise UsageError(f"{where}: date for {key!r} must be {DATE_FORM}, got {value!r}")
    return found


def _line_of(raw: str, key: str) -> int | None:
    """Return the 1-based line on which a key is defined, for error messages."""
    quoted = rf"[\"']{re.escape(key)}[\"']|(?<![\w.-]){re.escape(key)}(?![\w.-])"
    match = re.search(rf"(?:{quoted})\s*[=:]", raw)
    return raw.count("\n", 0, match.start()) + 1 if match else None
