"""The `--format github` renderer: GitHub Actions workflow commands, one per finding.

Each finding becomes an `::error`, `::warning` or `::notice` line that GitHub turns into
an annotation on the primary claim's line. GitHub shows only ten annotations of each
level per step, so only the ten most severe of each are emitted and a last notice says
how many were left out; the full report belongs in the step summary
(`write_step_summary`).

Everything from a document is stripped of control characters and then escaped by
GitHub's own rules, so a document can neither end a command early nor start a new one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from checker.model import SEVERITY_RANK, Claim, Document, Fact, Finding, Report, Severity
from checker.report.records import (
    claim_quote,
    collapse,
    document_index,
    facts_by_id,
    location,
    plural,
    primary_claim,
    strip_controls,
)

# GitHub shows at most this many annotations of each level (error, warning, notice)
# per step, and drops the rest silently.
ANNOTATIONS_PER_LEVEL = 10
TITLE_LIMIT = 80
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}
SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions runner expects (`%`, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value: the message escapes, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _one_line(text: str) -> str:
    return collapse(strip_controls(text)).strip()


def _short(text: str, limit: int = TITLE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Annotation:
    """One finding, with the place it points at, ready to sort and print."""

    def __init__(
        self,
        report: Report,
        finding: Finding,
        documents: dict[str, Document],
        facts: dict[str, Fact],
    ) -> None:
        self.finding = finding
        self.claim = primary_claim(finding, documents, report.changed)
        self.document = None if self.claim is None else documents.get(self.claim.span.doc_id)
        self.documents = documents
        fact = facts.get(finding.fact)
        self.subject = fact.subject if fact is not None else finding.fact

    @property
    def path(self) -> str:
        """The annotated file, or "" when the finding points at no document."""
        return "" if self.document is None else self.document.path

    @property
    def line(self) -> int:
        """The annotated line, 0 when there is none."""
        if self.document is None or self.claim is None:
            return 0
        return self.document.line_col(self.claim.span.start)[0]

    def sort_key(self) -> tuple[int, float, str, str, int]:
        """Most severe first, then most confident, then by code, path and line."""
        finding = self.finding
        return (
            -SEVERITY_RANK[finding.severity],
            -finding.confidence,
            finding.code,
            self.path,
            self.line,
        )

    def properties(self) -> list[tuple[str, str]]:
        """Return the command's properties in GitHub's documented order."""
        props: list[tuple[str, str]] = []
        if self.document is not None and self.claim is not None:
            # A file name is as untrusted as the text: an escape or bidi override in it
            # would reach the log raw. Such a path matches no checkout file either way.
            path = strip_controls(self.document.path)
            props += [("file", path), *_position(self.document, self.claim)]
        title = _one_line(f"{self.finding.code}: {self.subject}")
        props.append(("title", _short(title)))
        return props

    def message(self) -> str:
        """The finding's message, then one line per other claim with where it is."""
        lines = [strip_controls(self.finding.message)]
        others = list(self.finding.claims)
        if self.claim is not None:
            others.remove(self.claim)
        for claim in others:
            document = self.documents.get(claim.span.doc_id)
            where = _one_line(location(document, claim))
            lines.append(f"{where}: {claim_quote(document, claim)}")
        return "\n".join(lines)

    def command(self) -> str:
        """Return the workflow command line."""
        props = ",".join(f"{name}={escape_property(value)}" for name, value in self.properties())
        name = _COMMANDS[self.finding.severity]
        return f"::{name} {props}::{escape_data(self.message())}"


def _position(document: Document, claim: Claim) -> list[tuple[str, str]]:
    """Return line/endLine, and col/endColumn when the claim sits on one line.

    GitHub takes columns as 1-based and inclusive, and ignores them across lines.
    """
    line, col = document.line_col(claim.span.start)
    last = max(claim.span.start, claim.span.end - 1)
    end_line, end_col = document.line_col(last)
    props = [("line", str(line)), ("endLine", str(end_line))]
    if end_line == line:
        props += [("col", str(col)), ("endColumn", str(end_col))]
    return props


def _select(annotations: list[_Annotation]) -> tuple[list[_Annotation], int]:
    """Keep the most severe annotations GitHub will show; return them and how many were cut.

    When any level overflows, the closing notice takes one of the ten notice slots, so
    at most nine finding notices are kept.
    """
    by_level: dict[Severity, list[_Annotation]] = {level: [] for level in Severity}
    for annotation in annotations:
        by_level[annotation.finding.severity].append(annotation)
    overflow = any(len(group) > ANNOTATIONS_PER_LEVEL for group in by_level.values())
    kept: list[_Annotation] = []
    for level, group in by_level.items():
        limit = ANNOTATIONS_PER_LEVEL
        if level is Severity.NOTE and overflow:
            limit -= 1
        kept += group[:limit]
    kept.sort(key=_Annotation.sort_key)
    return kept, len(annotations) - len(kept)


def render_github(report: Report) -> str:
    """Render the findings as GitHub Actions workflow commands, one per line."""
    documents = document_index(report)
    facts = facts_by_id(report)
    annotations = sorted(
        (_Annotation(report, finding, documents, facts) for finding in report.findings),
        key=_Annotation.sort_key,
    )
    kept, left_out = _select(annotations)
    lines = [annotation.command() for annotation in kept]
    if left_out:
        text = (
            f"{plural(left_out, 'more finding')} not annotated: GitHub shows "
            f"{ANNOTATIONS_PER_LEVEL} annotations of each level per step. "
            "The full report is in the step summary."
        )
        lines.append(f"::notice::{escape_data(text)}")
    return "".join(line + "\n" for line in lines)


def write_step_summary(markdown: str, env: Mapping[str, str] = os.environ) -> bool:
    """Append `markdown` to the job's step summary file; return whether it was written.

    Does nothing outside GitHub Actions, where `GITHUB_STEP_SUMMARY` is unset. An
    unwritable file raises `OSError`: the caller decides whether that fails the step.
    """
    target = env.get(SUMMARY_VARIABLE)
    if not target:
        return False
    text = markdown if markdown.endswith("\n") else markdown + "\n"
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(text)
    return True
