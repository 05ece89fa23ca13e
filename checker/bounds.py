"""How an interval's bound is written in JSON: shared by the report and the gate.

Outside `checker.report` so that the gate's fingerprints, which the report's renderers
use, can be imported first without an import cycle.
"""

from __future__ import annotations

import math
from datetime import date

from checker.model import Bound

# Integers up to this size survive a round trip through float unchanged.
_EXACT_INT = 2**53


def json_bound(bound: Bound) -> str | int | float | None:
    """Return a bound as the contract writes it: a date's ISO text, an integral number
    as an integer, an infinite one as null."""
    if bound is None:
        return None
    # The common cases, without the general path's conversions (a test holds them equal).
    if type(bound) is int and -_EXACT_INT <= bound <= _EXACT_INT:
        return bound
    if type(bound) is float:
        if bound.is_integer():
            return int(bound)
        return bound if math.isfinite(bound) else None
    return _json_bound(bound)


def _json_bound(bound: Bound) -> str | int | float | None:
    """`json_bound` for any bound."""
    if bound is None:
        return None
    if isinstance(bound, date):
        return bound.isoformat()
    number = float(bound)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number
