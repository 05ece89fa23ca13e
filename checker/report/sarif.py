"""The `--format sarif` renderer: SARIF 2.1.0 for code-scanning tools (GitHub, VS Code).

One run, one rule per finding code that occurs, one result per finding. A result's
primary location is the claim a reviewer should look at (`records.primary_claim`); the
finding's other claims are its related locations. Columns count code points, as
`Document.line_col` does, and the run says so in `columnKind`.
"""

from __future__ import annotations

import json
import math
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from checker import codes
from checker.gate.fingerprint import fingerprint
from checker.model import Claim, Diagnostic, Document, Fact, Finding, Report, Severity
from checker.report.records import (
    claim_quote,
    document_index,
    facts_by_id,
    primary_claim,
    strip_controls,
)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "checker/v1"
SRCROOT = "%SRCROOT%"
TOOL_NAME = "checker"
# Notes about a run (an empty file, a stale baseline entry) are not worth a
# notification in a code-scanning UI; errors and warnings are.
_NOTIFIED = frozenset({Severity.ERROR, Severity.WARNING})


def artifact_uri(path: str) -> dict[str, str]:
    """Return the SARIF artifactLocation of a document path.

    A relative path hangs from %SRCROOT% (the checkout), as code-scanning tools expect;
    an absolute one becomes a file URI.
    """
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return {"uri": posix.as_uri()}
    # Percent-encode spaces, `%`, `#` and the like so the uri is a valid reference.
    return {"uri": quote(posix.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _region(document: Document, claim: Claim) -> dict[str, int]:
    start_line, start_col = document.line_col(claim.span.start)
    end_line, end_col = document.line_col(claim.span.end)
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }


def _physical(claim: Claim, documents: dict[str, Document]) -> dict[str, Any]:
    document = documents.get(claim.span.doc_id)
    if document is None:
        # A claim from the reference facts file has no document to point into.
        return {"artifactLocation": artifact_uri(claim.span.doc_id)}
    return {"artifactLocation": artifact_uri(document.path), "region": _region(document, claim)}


def _related(claims: list[Claim], documents: dict[str, Document]) -> list[dict[str, Any]]:
    return [
        {
            "id": index,
            "physicalLocation": _physical(claim, documents),
            "message": {"text": claim_quote(documents.get(claim.span.doc_id), claim)},
        }
        for index, claim in enumerate(claims)
    ]


def _rules(report: Report) -> list[dict[str, Any]]:
    rules = []
    for code in sorted({finding.code for finding in report.findings}):
        info = codes.code_info(code)
        rules.append(
            {
                "id": code,
                "shortDescription": {"text": info.meaning},
                "helpUri": info.help_uri,
                "defaultConfiguration": {"level": info.severity.value},
            }
        )
    return rules


def _result(
    report: Report,
    finding: Finding,
    rule_index: dict[str, int],
    documents: dict[str, Document],
    facts: dict[str, Fact],
) -> dict[str, Any]:
    primary = primary_claim(finding, documents, report.changed)
    others = list(finding.claims)
    if primary is not None:
        others.remove(primary)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": finding.severity.value,
        "message": {"text": strip_controls(finding.message)},
        "locations": []
        if primary is None
        else [{"physicalLocation": _physical(primary, documents)}],
        "relatedLocations": _related(others, documents),
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding, facts.get(finding.fact))},
        "properties": {
            "confidence": _finite(finding.confidence),
            "fact": finding.fact,
            "kind": finding.kind.value,
        },
    }
    return result


def _finite(number: float) -> float | None:
    """Return the number, or None for NaN/infinity, which JSON cannot hold."""
    return number if math.isfinite(number) else None


def _notification(diagnostic: Diagnostic) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "message": {"text": strip_controls(diagnostic.message)},
        "level": diagnostic.severity.value,
        "descriptor": {"id": diagnostic.code},
    }
    if diagnostic.path is not None:
        physical: dict[str, Any] = {"artifactLocation": artifact_uri(diagnostic.path)}
        if diagnostic.line is not None and diagnostic.line >= 1:
            physical["region"] = {"startLine": diagnostic.line}
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


def _invocation(report: Report) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True}
    notifications = [
        _notification(diag) for diag in report.diagnostics if diag.severity in _NOTIFIED
    ]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def sarif_log(report: Report) -> dict[str, Any]:
    """Return the report as a SARIF 2.1.0 log object."""
    rules = _rules(report)
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    documents = document_index(report)
    facts = facts_by_id(report)
    driver = {
        "name": TOOL_NAME,
        "version": report.checker_version,
        "informationUri": codes.HOMEPAGE,
        "rules": rules,
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(report, finding, rule_index, documents, facts) for finding in report.findings
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: Report) -> str:
    """Render the report as SARIF 2.1.0 JSON, one trailing newline."""
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
