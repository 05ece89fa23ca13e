"""The `--format json` renderer: the contract record, dumped deterministically."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from functools import cache
from json import encoder as json_encoder
from json.encoder import encode_basestring  # the C escaper where CPython has one
from typing import Any

from checker.model import Report
from checker.report.records import LazyRecords, as_records

# Pieces of encoded JSON joined at a time: holding every piece of a 23 MB report in one
# list until the end costs 80 MB more at peak; joining a batch at a time does not.
_BATCH = 16_384
# Key orders remembered, by a mapping's keys and depth: a report has a handful of record
# shapes, each met thousands of times; the bound only guards against odd documents.
_SHAPES = 1024
# Values that json's C encoder writes exactly as `json.dumps` does, with or without an
# indent: a container holding only these is written by it in one call.
_SCALARS = frozenset({str, int, float, bool, type(None)})
# json's C encoder (absent from typeshed, and from Pythons without the accelerator):
# without it, every container takes the general path.
_C_ENCODER: Callable[..., Callable[[object, int], Sequence[str]]] | None = getattr(
    json_encoder, "c_make_encoder", None
)
_FLAT = _C_ENCODER is not None


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
    shapes: dict[tuple[str, tuple[object, ...]], list[tuple[object, str]]] = {}

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
        elif kind is int:
            append(int.__repr__(item))
        elif isinstance(item, str):
            append(encode_basestring(item))
        else:
            append(_scalar(item))

    def mapping(items: dict[object, object], newline: str) -> None:
        if not items:
            append("{}")
            return
        if _FLAT and _SCALARS.issuperset(map(type, items.values())):
            append(_flat_mapping(items, newline))
        else:
            inner = newline + "  "
            for key, prefix in shapes.get((newline, tuple(items))) or _shape(items, newline):
                item = items[key]
                # A scalar is written here, saving a call of `value` for each.
                scalar = _SCALAR_TEXT.get(type(item))
                if scalar is not None:
                    append(prefix + scalar(item))
                else:
                    append(prefix)
                    value(item, inner)
            append(newline + "}")
        if len(pieces) >= _BATCH:
            write("".join(pieces))
            pieces.clear()

    def _shape(items: dict[object, object], newline: str) -> list[tuple[object, str]]:
        """Return a mapping's keys in order, each with the text that opens its item."""
        inner = newline + "  "
        keys = sorted(items)  # type: ignore[type-var]
        shape = [
            (key, ("," if index else "{") + inner + encode_basestring(_key(key)) + ": ")
            for index, key in enumerate(keys)
        ]
        if len(shapes) < _SHAPES and all(type(key) is str for key in keys):
            shapes[newline, tuple(items)] = shape
        return shape

    def sequence(items: Sequence[object], newline: str) -> None:
        if not items:
            append("[]")
            return
        if _FLAT and type(items) is not LazyRecords and _SCALARS.issuperset(map(type, items)):
            append(_flat_sequence(items, newline))
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


def _flat_mapping(items: dict[object, object], newline: str) -> str:
    """Encode a non-empty mapping of scalars at the depth whose line break is `newline`."""
    inner = newline + "  "
    return "{" + inner + _flat_body(items, inner) + newline + "}"


def _flat_body(items: dict[object, object], inner: str) -> str:
    """Encode a mapping of scalars' items, one per line opened by `inner`, no braces."""
    return "".join(_flat_encoder(inner)(items, 0))[1:-1]


def _flat_sequence(items: Sequence[object], newline: str) -> str:
    """Encode a non-empty list of scalars at the depth whose line break is `newline`."""
    inner = newline + "  "
    return "[" + inner + "".join(_flat_encoder(inner)(items, 0))[1:-1] + newline + "]"


@cache
def _flat_encoder(inner: str) -> Callable[[object, int], Sequence[str]]:
    """Return json's C encoder writing one item per line, each line opened by `inner`.

    Without an indent `json` runs its C encoder, whose separators are fixed: with
    `,` + `inner` between items, a container of scalars comes out as the indented
    writer would write it, bar the line breaks after its opening and before its
    closing bracket.
    """
    assert _C_ENCODER is not None  # only called when `_FLAT`
    # markers, default, string encoder, indent, key and item separators, sort_keys,
    # skipkeys, allow_nan: as `json.dumps(..., sort_keys=True, allow_nan=False)`.
    return _C_ENCODER(None, _refuse, encode_basestring, None, ": ", "," + inner, True, False, False)


def _refuse(value: object) -> object:
    """Refuse what json cannot write (never reached: only scalars go to the C encoder)."""
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# How each exact scalar type is written, C functions where there is one.
_SCALAR_TEXT: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _scalar,
    bool: {True: "true", False: "false"}.__getitem__,
    type(None): {None: "null"}.__getitem__,
}
