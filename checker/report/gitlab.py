"""The `--format gitlab` renderer: a GitLab Code Quality report (a JSON array of issues).

GitLab shows an issue in the merge request when its fingerprint is new, so the
baseline fingerprint is reused: an issue a team already accepted keeps its identity
across runs. GitLab needs fingerprints to be unique within one report, so a repeated
one is re-hashed with its occurrence number.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from checker.gate.fingerprint import fingerprint
from checker.model import Document, Finding, Report, Severity
from checker.report.records import (
    collapse,
    document_index,
    facts_by_id,
    primary_claim,
    strip_controls,
)

# GitLab's severities are info, minor, major, critical and blocker; a conflict is
# worth a reviewer's attention but does not break anything, hence "major".
GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def _location(report: Report, finding: Finding, documents: dict[str, Document]) -> dict[str, Any]:
    claim = primary_claim(finding, documents, report.changed)
    if claim is None:
        # GitLab requires a path; a finding without claims is pinned to nothing better.
        return {"path": "", "lines": {"begin": 1}}
    document = documents.get(claim.span.doc_id)
    if document is None:
        return {"path": claim.span.doc_id, "lines": {"begin": 1}}
    line, _col = document.line_col(claim.span.start)
    return {"path": document.path, "lines": {"begin": line}}


def unique_fingerprints(fingerprints: list[str]) -> list[str]:
    """Return the fingerprints with repeats made unique, deterministically.

    The first occurrence keeps its fingerprint, so it still matches the baseline; the
    n-th repeat becomes a hash of the fingerprint and n (re-hashed until it is unused).
    """
    seen: set[str] = set()
    counts: dict[str, int] = {}
    unique = []
    for base in fingerprints:
        candidate = base
        while candidate in seen:
            counts[base] = counts.get(base, 0) + 1
            payload = f"{base}:{counts[base]}".encode()
            candidate = hashlib.sha256(payload).hexdigest()[:32]
        seen.add(candidate)
        unique.append(candidate)
    return unique


def code_quality_issues(report: Report) -> list[dict[str, Any]]:
    """Return the report's findings as GitLab Code Quality issues."""
    documents = document_index(report)
    facts = facts_by_id(report)
    prints = unique_fingerprints(
        [fingerprint(finding, facts.get(finding.fact)) for finding in report.findings]
    )
    return [
        {
            "description": collapse(strip_controls(finding.message)).strip(),
            "check_name": finding.code,
            "fingerprint": stamp,
            "severity": GITLAB_SEVERITY[finding.severity],
            "location": _location(report, finding, documents),
        }
        for finding, stamp in zip(report.findings, prints, strict=True)
    ]


def render_gitlab(report: Report) -> str:
    """Render the report as a GitLab Code Quality JSON array, one trailing newline."""
    return json.dumps(code_quality_issues(report), indent=2, ensure_ascii=False) + "\n"
