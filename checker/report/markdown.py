"""The markdown report a standards editor reads: findings by fact, then what held."""

from __future__ import annotations

import re
from collections.abc import Iterable

from checker.model import SEVERITY_RANK, Claim, Diagnostic, Document, Finding, Report, Severity
from checker.report.records import (
    collapse,
    document_index,
    facts_checked,
    format_date_range,
    format_interval,
    location,
    plural,
    quote_parts,
    severity_counts,
    strip_controls,
)

# Characters with inline meaning in CommonMark/GFM; `<`, `>` and `&` become entities
# instead, so no HTML (or entity) from a document ever reaches the reader's browser.
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# A line that starts like a list item ("- ", "+ ", "1. ", "2) ") or a block quote.
_LEADING_BLOCK = re.compile(r"^([-+]|\d+[.)])(?=\s|$)")


def md_escape(text: str | None) -> str:
    """Escape document text for inline use in markdown, tables included, on one line."""
    if not text:
        return ""
    clean = collapse(strip_controls(text)).strip()
    clean = "".join(_ENTITIES.get(ch, ch) for ch in clean)
    clean = _SPECIAL.sub(r"\\\1", clean)
    return _LEADING_BLOCK.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], clean)


def _quote(document: Document | None, claim: Claim) -> str:
    # Visible text only, so that a control between the figure and a space
    # ("50\0 people") does not hide the space from `_spaced_bold`.
    before, quoted, after = quote_parts(document, claim, visible=True)
    return f"“{md_escape(before)}{_spaced_bold(quoted, before, after)}{md_escape(after)}”"


def _spaced_bold(quoted: str, before: str, after: str) -> str:
    # `**` only opens/closes emphasis next to non-space text; keep the spaces that
    # md_escape would strip outside the markers.
    lead = " " if before.endswith(" ") else ""
    trail = " " if after.startswith(" ") else ""
    return f"{lead}**{md_escape(quoted)}**{trail}"


def _published(document: Document | None) -> str:
    if document is None:
        return "unknown document"
    return md_escape(format_date_range(document.published, with_source=True))


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cell or "—" for cell in cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row("---" for _ in header), *(_row(row) for row in rows)]


def _summary(report: Report) -> str:
    counts = severity_counts(report.findings)
    parts = [
        plural(len(report.documents), "document"),
        plural(len(report.claims), "claim"),
        plural(facts_checked(report), "fact") + " checked",
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
        plural(counts[Severity.NOTE], "note"),
    ]
    return " · ".join(parts)


def _finding_block(finding: Finding, documents: dict[str, Document]) -> list[str]:
    lines = [
        f"#### {md_escape(finding.severity.value.capitalize())} · "
        f"{md_escape(finding.kind.value)} · {md_escape(finding.code)} · {md_escape(finding.id)}",
        "",
        md_escape(finding.message),
        "",
    ]
    rows = []
    for claim in finding.claims:
        document = documents.get(claim.span.doc_id)
        rows.append(
            [
                _quote(document, claim),
                md_escape(format_interval(claim.value)),
                md_escape(location(document, claim)),
                _published(document),
                md_escape(claim.attribution),
            ]
        )
    lines += _table(["Quote", "Reads as", "Where", "Published", "Attributed to"], rows)
    if finding.why:
        lines += ["", f"*Why:* {md_escape(finding.why)}"]
    lines.append("")
    return lines


def _findings_section(report: Report, documents: dict[str, Document]) -> list[str]:
    lines = ["## Findings", ""]
    if not report.findings:
        return [*lines, "No findings.", ""]
    subjects = {fact.id: fact.subject for fact in report.facts}
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.fact, []).append(finding)
    # Worst group first; otherwise the engine's order stands (sorted() is stable).
    ordered = sorted(
        groups.items(),
        key=lambda item: -max(SEVERITY_RANK[finding.severity] for finding in item[1]),
    )
    for fact_id, findings in ordered:
        subject = subjects.get(fact_id) or fact_id
        lines += [f"### {md_escape(subject)} ({md_escape(fact_id)})", ""]
        for finding in findings:
            lines += _finding_block(finding, documents)
    return lines


def _consistent_section(report: Report, documents: dict[str, Document]) -> list[str]:
    lines = ["## Consistent facts", ""]
    consistent = [
        fact for fact in report.facts if fact.status == "consistent" and len(fact.claims) >= 2
    ]
    if not consistent:
        return [*lines, "No fact with two or more agreeing claims.", ""]
    for fact in consistent:
        copies = len({c.span.doc_id for c in fact.claims}) - fact.independent
        note = f"; {copies} copies of another report" if fact.independent and copies > 0 else ""
        lines.append(f"- **{md_escape(fact.subject)}** ({md_escape(fact.id)}{note})")
        for claim in fact.claims:
            document = documents.get(claim.span.doc_id)
            published = format_date_range(document.published) if document else "undated"
            lines.append(
                f"  - “{md_escape(claim.text)}” ({md_escape(format_interval(claim.value))}) — "
                f"{md_escape(location(document, claim))}, {md_escape(published)}"
            )
    lines.append("")
    return lines


def _documents_section(report: Report) -> list[str]:
    lines = ["## Documents", ""]
    if not report.documents:
        return [*lines, "No documents were read.", ""]
    rows = [
        [md_escape(doc.id), md_escape(doc.path), _published(doc), md_escape(doc.title)]
        for doc in report.documents
    ]
    return [*lines, *_table(["ID", "Path", "Published", "Title"], rows), ""]


def _where(diagnostic: Diagnostic) -> str:
    if diagnostic.path is None:
        return ""
    if diagnostic.line is None:
        return md_escape(diagnostic.path)
    return md_escape(f"{diagnostic.path}:{diagnostic.line}")


def _diagnostics_section(report: Report) -> list[str]:
    lines = ["## Not read or not normalised", ""]
    if not report.diagnostics:
        return [*lines, "Everything was read.", ""]
    rows = [
        [
            md_escape(diag.severity.value),
            md_escape(diag.code),
            _where(diag),
            md_escape(diag.message),
        ]
        for diag in report.diagnostics
    ]
    return [*lines, *_table(["Severity", "Code", "Where", "Message"], rows), ""]


def render_markdown(report: Report) -> str:
    """Render the report as markdown: findings by fact, consistent facts, documents."""
    documents = document_index(report)
    title = md_escape(report.root_name)
    lines = [f"# Fact check: {title}" if title else "# Fact check", "", _summary(report), ""]
    lines += _findings_section(report, documents)
    lines += _consistent_section(report, documents)
    lines += _documents_section(report)
    lines += _diagnostics_section(report)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
