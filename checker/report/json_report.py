"""The `--format json` renderer: the contract record, dumped deterministically."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring  # the C escaper where CPython has one

from checker.model import Report
from checker.report.records import LazyRecords, as_records

# Pieces of encoded JSON joined at a time: holding every piece of a 23 MB report in one
# list until the end costs 80 MB more at peak; joining a batch at a time does not.
_BATCH = 16_384


def render_json(report: Report) -> str:
    """Render the report as the contract's JSON, keys sorted, one trailing newline.

    The bytes are exactly those of `json.dumps(records, indent=2, sort_keys=True,
    ensure_ascii=False, allow_nan=False)` (a test holds them equal). With an indent the
    standard library falls back to its pure-Python generator encoder, which took a
    third of a large run's report stage; this writer keeps the C string escaper and
    drops the generators.
    """
    out = io.StringIO()
    write_json(report, out.write)
    return out.getvalue()


def write_json(report: Report, write: Callable[[str], object]) -> None:
    """Write `render_json`'s text through `write`, a batch of records at a time.

    Printing a large report this way never holds its whole text: on 10,000 reports
    the text and its copies on the way to standard output were some 400 MB.
    """
    _encode(as_records(report, lazy=True), write, "\n")


def _encode(document: object, write: Callable[[str], object], end: str) -> None:
    """Write `document` as `json.dumps(..., indent=2, sort_keys=True)` would, then `end`."""
    pieces: list[str] = []
    append = pieces.append

    # One closure rather than methods: a report has millions of values, and local
    # names are the cheapest lookups Python has.
    def value(item: object, newline: str) -> None:
        kind = type(item)
        if kind is str:
            append(encode_basestring(item))  # type: ignore[arg-type]
        elif kind is dict or isinstance(item, dict):
            mapping(item, newline)  # type: ignore[arg-type]
        elif kind is list or kind is LazyRecords or isinstance(item, list | tuple):
            sequence(item, newline)  # type: ignore[arg-type]
        elif isinstance(item, str):
            append(encode_basestring(item))
        else:
            append(_scalar(item))

    def mapping(items: dict[object, object], newline: str) -> None:
        if not items:
            append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key in sorted(items):  # type: ignore[type-var]
            append(separator + encode_basestring(_key(key)) + ": ")
            value(items[key], inner)
            separator = "," + inner
        append(newline + "}")
        if len(pieces) >= _BATCH:
            write("".join(pieces))
            pieces.clear()

    def sequence(items: Sequence[object], newline: str) -> None:
        if not items:
            append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in items:
            append(separator)
            value(item, inner)
            separator = "," + inner
        append(newline + "]")

    value(document, "\n")
    append(end)
    write("".join(pieces))
    pieces.clear()


def _key(key: object) -> str:
    """Return a mapping key as `json` writes it: numbers, booleans and null as text."""
    return key if isinstance(key, str) else _scalar(key)


def _scalar(value: object) -> str:
    """Encode null, a boolean or a number as `json` does, refusing NaN and infinities."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
