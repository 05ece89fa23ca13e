"""The `--format json` renderer: the contract record, dumped deterministically."""

from __future__ import annotations

import io
import json

from checker.model import Report
from checker.report.records import as_records

# Pieces of encoded JSON joined at a time. `json.dumps` with an indent keeps every
# piece of the document in one list until the end (80 MB more at peak for a 23 MB
# report); joining a batch at a time keeps its speed without the list.
_BATCH = 16_384


def render_json(report: Report) -> str:
    """Render the report as the contract's JSON, keys sorted, one trailing newline."""
    encoder = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    out = io.StringIO()
    pieces: list[str] = []
    for piece in encoder.iterencode(as_records(report)):
        pieces.append(piece)
        if len(pieces) >= _BATCH:
            out.write("".join(pieces))
            pieces.clear()
    out.write("".join(pieces))
    out.write("\n")
    return out.getvalue()
