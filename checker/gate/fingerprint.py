"""A finding's fingerprint: what stays the same when a sentence is re-worded or moved.

A team accepts a disagreement between figures, not between sentences. So the
fingerprint is made of the finding's code, the fact's block (kind, unit, event or role)
and, for every claim it rests on, the document and the value stated. Re-wording a
sentence, moving it, or other documents changing leaves it as it was; a changed value,
or a disagreement with another document, gives a new one. Claim ids and fact numbers
are left out on purpose: they shift whenever a claim is added above.
"""

from __future__ import annotations

import hashlib
import json

from checker.bounds import json_bound
from checker.model import Claim, Fact, Finding

FINGERPRINT_VERSION = "1"


def _claim_key(claim: Claim) -> list[object]:
    value = claim.value
    return [
        claim.span.doc_id,
        claim.kind.value,
        value.unit,
        json_bound(value.low),
        json_bound(value.high),
    ]


def fingerprint(finding: Finding, fact: Fact | None) -> str:
    """Return the finding's fingerprint: 32 hex digits, stable across runs and machines."""
    payload = [
        FINGERPRINT_VERSION,
        finding.code,
        fact.key if fact is not None else "",
        sorted((_claim_key(c) for c in finding.claims), key=json.dumps),
    ]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
