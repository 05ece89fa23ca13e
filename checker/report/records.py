"""The canonical record every renderer reads, and the small formatting helpers they share.

`as_records` turns a `Report` into the JSON-ready dictionary CONTRACT.md fixes; the
helpers format intervals, dates, locations and quotes the same way in every format.
Nothing here computes a finding: it only formats what the engine decided.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date
from typing import Any, overload

from checker.bounds import json_bound
from checker.model import (
    Bound,
    Claim,
    DateRange,
    DateSource,
    Diagnostic,
    Document,
    Fact,
    Finding,
    Interval,
    Report,
    Severity,
)

SCHEMA_VERSION = "1"
SENTENCE_LIMIT = 300
ELLIPSIS = "…"
EN_DASH = "\u2013"

# Whitespace runs other than a lone space: those are all `collapse` changes, and a lone
# space (most of a sentence's) is left where it is rather than replaced by itself.
_WHITESPACE = re.compile(r"[^\S ]\s*| \s+")
# ANSI/VT escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and the
# two-character ESC forms; then the 8-bit CSI/OSC introducers.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)?"
)
# C0 and C1 controls except tab/newline/carriage return (whitespace is collapsed
# separately), DEL, and the bidirectional overrides that can reorder what a reader sees.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters from untrusted text."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def collapse(text: str) -> str:
    """Collapse every run of whitespace, newlines included, to one space."""
    # Every whitespace character but the space is unprintable (a test holds this for
    # all of Unicode), so a printable text without two spaces in a row has nothing to
    # collapse: two scans in C, where the pattern's scan is several times slower.
    if "  " not in text and text.isprintable():
        return text
    return _WHITESPACE.sub(" ", text)


def format_number(value: float) -> str:
    """Format a number for people: thousands separators, no trailing zeros."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if math.isnan(value):
        return "?"
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 0.01:
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _format_bound(bound: Bound) -> str:
    if isinstance(bound, date):
        return bound.isoformat()
    if bound is None:
        return "?"
    return format_number(float(bound))


_UNIT_LABELS = {"date": "", "percent": "%", "percentage_point": "pp"}


def _unit_suffix(unit: str | None) -> str:
    if unit is None:
        return ""
    label = _UNIT_LABELS.get(unit, unit)
    return f" {label}" if label else ""


def format_interval(value: Interval) -> str:
    """Return an interval as readable text: "[19, 20) year", "(20, ∞) year", "2,500"."""
    suffix = _unit_suffix(value.unit)
    low, high = value.low, value.high
    if (
        low is not None
        and high is not None
        and low == high
        and not value.low_open
        and not value.high_open
    ):
        return _format_bound(low) + suffix
    left = "(" if value.low_open or low is None else "["
    right = ")" if value.high_open or high is None else "]"
    low_text = "-∞" if low is None else _format_bound(low)
    high_text = "∞" if high is None else _format_bound(high)
    text = f"{left}{low_text}, {high_text}{right}{suffix}"
    # A closed, bounded range around a stated figure is an approximator's widening
    # ("about 2,500"); dates have a nominal first day without being approximate.
    approximate = (
        value.nominal is not None
        and not isinstance(value.nominal, date)
        and low is not None
        and high is not None
        and not value.low_open
        and not value.high_open
    )
    return f"≈ {text}" if approximate else text


def format_date_range(value: DateRange | None, *, with_source: bool = False) -> str:
    """Return "2024-08-26", a dash-joined range marked "(inferred)" if estimated, or "undated"."""
    if value is None:
        return "undated"
    text = value.earliest.isoformat()
    if not value.exact:
        text += f" {EN_DASH} {value.latest.isoformat()}"
    if value.source is DateSource.INFERRED:
        text += " (inferred)"
    elif with_source and value.source is not None:
        text += f" ({value.source.value})"
    return text


def document_index(report: Report) -> dict[str, Document]:
    """Return the report's documents by id."""
    return {doc.id: doc for doc in report.documents}


def find_document(report: Report, doc_id: str) -> Document | None:
    """Return the document with this id, or None."""
    return next((doc for doc in report.documents if doc.id == doc_id), None)


def location(document: Document | None, claim: Claim) -> str:
    """Return "path:line" for a claim in its (already looked-up) document."""
    if document is None:
        return claim.span.doc_id
    line, _col = document.line_col(claim.span.start)
    return f"{document.path}:{line}"


def quote_location(report: Report, claim: Claim) -> str:
    """Return the claim's "path:line"."""
    return location(find_document(report, claim.span.doc_id), claim)


def _cut_left(text: str, budget: int) -> str:
    """Keep at most `budget` characters of the end of `text`, starting at a word."""
    if len(text) <= budget:
        return text
    if budget <= 1:
        return ELLIPSIS if budget == 1 else ""
    kept = text[len(text) - (budget - 1) :]
    space = kept.find(" ")
    if 0 <= space < len(kept) - 1:
        kept = kept[space:]
    return ELLIPSIS + kept


def _cut_right(text: str, budget: int) -> str:
    """Keep at most `budget` characters of the start of `text`, ending at a word."""
    if len(text) <= budget:
        return text
    if budget <= 1:
        return ELLIPSIS if budget == 1 else ""
    kept = text[: budget - 1]
    space = kept.rfind(" ")
    if space > 0:
        kept = kept[: space + 1]
    return kept + ELLIPSIS


def _as_is(text: str) -> str:
    return text


def quote_parts(
    document: Document | None,
    claim: Claim,
    limit: int = SENTENCE_LIMIT,
    *,
    visible: bool = False,
) -> tuple[str, str, str]:
    """Return (before, claim, after): the claim's sentence, whitespace collapsed, cut
    to at most `limit` characters around the claim, with "…" where it was cut.

    With `visible` (for display), escape sequences and controls are dropped before the
    sentence is measured and cut: a cut never splits an escape and leaves its tail
    ("…8;;http://hidden") showing, and the limit counts only what a reader sees.
    """
    clean = strip_controls if visible else _as_is
    quoted = collapse(clean(claim.text)).strip() or clean(claim.text)
    if document is None:
        return "", quoted[:limit], ""
    text = document.text
    start = min(claim.sentence.start, claim.span.start)
    end = max(claim.sentence.end, claim.span.end)
    before = collapse(clean(text[start : claim.span.start])).lstrip()
    after = collapse(clean(text[claim.span.end : end])).rstrip()
    if len(before) + len(quoted) + len(after) <= limit:
        return before, quoted, after
    if len(quoted) >= limit:
        return "", quoted[: limit - 1] + ELLIPSIS, ""
    room = limit - len(quoted)
    left = min(len(before), room // 2)
    right = min(len(after), room - left)
    left = min(len(before), room - right)
    return _cut_left(before, left), quoted, _cut_right(after, right)


def sentence_text(document: Document | None, claim: Claim) -> str:
    """Return the claim's sentence as the contract's `sentence` field."""
    return "".join(quote_parts(document, claim))


def _published_record(value: DateRange | None) -> dict[str, Any] | None:
    if value is None:
        return None
    record: dict[str, Any] = {
        "earliest": value.earliest.isoformat(),
        "latest": value.latest.isoformat(),
    }
    # The contract's `source` is an enum without null: an unknown source is omitted.
    if value.source is not None:
        record["source"] = value.source.value
    return record


def _document_record(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "path": document.path,
        "published": _published_record(document.published),
        "title": document.title,
    }


def _value_record(value: Interval) -> dict[str, Any]:
    return {
        "low": json_bound(value.low),
        "high": json_bound(value.high),
        "unit": value.unit,
        "nominal": json_bound(value.nominal),
        # A missing bound is unbounded, hence open, whatever the flag says.
        "low_open": value.low_open or value.low is None,
        "high_open": value.high_open or value.high is None,
    }


def _claim_record(claim: Claim, document: Document | None) -> dict[str, Any]:
    return {
        "id": claim.id,
        "document": claim.span.doc_id,
        "start": claim.span.start,
        "end": claim.span.end,
        "text": claim.text,
        "kind": claim.kind.value,
        "value": _value_record(claim.value),
        "subject": claim.subject.text,
        "sentence": sentence_text(document, claim),
        "attribution": claim.attribution,
    }


def _claim_ids(claims: Iterable[Claim]) -> list[str]:
    return [claim.id for claim in claims]


def _fact_record(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "subject": fact.subject,
        "claims": _claim_ids(fact.claims),
        "status": fact.status,
        "independent": fact.independent,
    }


def _finding_record(finding: Finding, fact: Fact | None) -> dict[str, Any]:
    # Imported here: the fingerprint formats values with this module's helpers.
    from checker.gate.fingerprint import fingerprint

    return {
        "id": finding.id,
        "fingerprint": fingerprint(finding, fact),
        "severity": finding.severity.value,
        "kind": finding.kind.value,
        "code": finding.code,
        "fact": finding.fact,
        "claims": _claim_ids(finding.claims),
        "confidence": finding.confidence,
        "message": finding.message,
        "why": finding.why,
    }


def _diagnostic_record(diagnostic: Diagnostic) -> dict[str, Any]:
    record: dict[str, Any] = {
        "path": diagnostic.path,
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
    }
    if diagnostic.line is not None:
        record["line"] = diagnostic.line
    return record


class LazyRecords(Sequence[dict[str, Any]]):
    """Records made as they are read, for a writer that needs one at a time.

    A claim's record holds its sentence: on 10,000 reports the claims' records came to
    some 200 MB, held at once at the run's peak only to be encoded one by one.
    """

    def __init__(self, items: Sequence[Any], make: Callable[[Any], dict[str, Any]]) -> None:
        self.items = items
        self.make = make

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self.make(item) for item in self.items[index]]
        return self.make(self.items[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self.make, self.items)


def as_records(report: Report, *, lazy: bool = False) -> dict[str, Any]:
    """Return the report as the JSON-ready record CONTRACT.md fixes.

    With `lazy` the claims' and facts' lists are `LazyRecords`, made as they are read.
    """
    documents = document_index(report)
    facts = {fact.id: fact for fact in report.facts}

    def claim_record(claim: Claim) -> dict[str, Any]:
        return _claim_record(claim, documents.get(claim.span.doc_id))

    claims: Sequence[dict[str, Any]] = LazyRecords(report.claims, claim_record)
    fact_records: Sequence[dict[str, Any]] = LazyRecords(report.facts, _fact_record)
    return {
        "schema_version": SCHEMA_VERSION,
        "checker_version": report.checker_version,
        "documents": [_document_record(doc) for doc in report.documents],
        "claims": claims if lazy else list(claims),
        "facts": fact_records if lazy else list(fact_records),
        "findings": [_finding_record(f, facts.get(f.fact)) for f in report.findings],
        "diagnostics": [_diagnostic_record(diag) for diag in report.diagnostics],
    }


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Count findings by severity, every severity present (zero when none)."""
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def facts_checked(report: Report) -> int:
    """Return how many facts were compared: those resting on two or more claims."""
    return sum(1 for fact in report.facts if fact.status != "single" and len(fact.claims) > 1)


def plural(count: int, singular: str, many: str | None = None) -> str:
    """Return "1 fact" / "2 facts"."""
    word = singular if count == 1 else (many or singular + "s")
    return f"{count:,} {word}"


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """Return a sort key that orders "E2" before "E10"."""
    return tuple(
        (1, f"{int(part):020d}") if part.isdigit() else (0, part)
        for part in re.split(r"(\d+)", text)
        if part
    )


def facts_by_id(report: Report) -> dict[str, Fact]:
    """Return the report's facts by id, for renderers that look one up per finding."""
    return {fact.id: fact for fact in report.facts}


def primary_claim(
    finding: Finding, documents: Mapping[str, Document], changed: AbstractSet[str] = frozenset()
) -> Claim | None:
    """Return the claim a CI annotation of `finding` should point at.

    In a gate run (`changed`, the report's changed documents) that is the first claim in
    a changed document, since the change is what a reviewer can act on. Otherwise, and
    when no claim is in a changed document, it is the claim of the latest-published
    document (the newest report is the likeliest to be edited), the last on a tie.
    """
    if not finding.claims:
        return None
    for claim in finding.claims:
        if claim.span.doc_id in changed:
            return claim
    best = finding.claims[0]
    best_key = _published_key(documents.get(best.span.doc_id))
    for claim in finding.claims[1:]:
        key = _published_key(documents.get(claim.span.doc_id))
        if key >= best_key:
            best, best_key = claim, key
    return best


def _published_key(document: Document | None) -> tuple[date, date]:
    """Order documents by publication; undated ones sort first, as the least recent."""
    if document is None or document.published is None:
        return date.min, date.min
    return document.published.earliest, document.published.latest


def claim_quote(document: Document | None, claim: Claim) -> str:
    """Return a one-line, control-free quote: the claim, its reading and its sentence."""
    before, quoted, after = quote_parts(document, claim, visible=True)
    sentence = collapse(strip_controls(before + quoted + after)).strip()
    head = collapse(strip_controls(quoted)).strip()
    return f"“{head}” ({format_interval(claim.value)}) in “{sentence}”"
