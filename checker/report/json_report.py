"""The `--format json` renderer: the contract record, dumped deterministically."""

from __future__ import annotations

import json

from checker.model import Report
from checker.report.records import as_records


def render_json(report: Report) -> str:
    """Render the report as the contract's JSON, keys sorted, one trailing newline."""
    return (
        json.dumps(
            as_records(report), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )
