"""The short summary a person reads at a terminal: a header, the worst findings, issues."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from checker.model import SEVERITY_RANK, Finding, Report, Severity
from checker.report.records import (
    collapse,
    document_index,
    facts_checked,
    format_date_range,
    location,
    natural_key,
    plural,
    quote_parts,
    severity_counts,
    strip_controls,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

WIDTH = 100
MAX_FINDINGS = 10
QUOTE_INDENT = 4
MIN_QUOTE = 40

_BADGES = {
    Severity.ERROR: ("ERROR", "bold white on red"),
    Severity.WARNING: ("WARNING", "bold black on yellow"),
    Severity.NOTE: ("NOTE", "bold white on blue"),
}
_DIAGNOSTIC_STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.NOTE: "blue",
}
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def _clean(text: str | None) -> str:
    """Return document-derived text safe to print: no escapes, controls or newlines."""
    return collapse(strip_controls(text or "")).strip()


def _header(report: Report) -> str:
    counts = severity_counts(report.findings)
    return (
        f"{plural(len(report.documents), 'document')}, {plural(len(report.claims), 'claim')}, "
        f"{plural(facts_checked(report), 'fact')} checked: "
        f"{plural(counts[Severity.ERROR], 'conflict')}, "
        f"{plural(counts[Severity.WARNING], 'warning')}, "
        f"{plural(counts[Severity.NOTE], 'note')}"
    )


def _worst(findings: tuple[Finding, ...]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda finding: (-SEVERITY_RANK[finding.severity], natural_key(finding.id)),
    )


def _finding_lines(report: Report, finding: Finding) -> list[RenderableType]:
    from rich.padding import Padding
    from rich.text import Text

    documents = document_index(report)
    subjects = {fact.id: fact.subject for fact in report.facts}
    label, style = _BADGES[finding.severity]
    head = Text()
    head.append(f" {label} ", style=style)
    head.append(" ")
    head.append(_clean(subjects.get(finding.fact) or finding.fact), style="bold")
    head.append(f"  {finding.kind.value} · {_clean(finding.code)} · {_clean(finding.id)}", "dim")
    lines: list[RenderableType] = [head, Padding(Text(_clean(finding.message)), (0, 0, 0, 2))]
    for claim in finding.claims:
        document = documents.get(claim.span.doc_id)
        where = _clean(location(document, claim))
        published = _clean(format_date_range(document.published) if document else "undated")
        # Fit the quote on the line after the location and the date when it can.
        room = WIDTH - QUOTE_INDENT - len(where) - len(published) - 8
        # Cut what shows, so "50\0 people" keeps its space and no escape is split.
        before, quoted, after = quote_parts(document, claim, max(room, MIN_QUOTE), visible=True)
        line = Text()
        line.append(where, style="cyan")
        line.append('  "')
        line.append(_clean(before) + (" " if before.endswith(" ") else ""))
        line.append(_clean(quoted), style="bold")
        line.append((" " if after.startswith(" ") else "") + _clean(after))
        line.append('"')
        line.append(f"  ({published})", style="dim")
        lines.append(Padding(line, (0, 0, 0, QUOTE_INDENT)))
    return lines


def render_terminal(report: Report, *, color: bool) -> str:
    """Render the short terminal summary, with ANSI colour only when `color` is set."""
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        color_system="standard" if color else None,
        width=WIDTH,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        _environ={},
    )
    console.print(Text(_header(report), style="bold"))
    worst = _worst(report.findings)
    for finding in worst[:MAX_FINDINGS]:
        console.print()
        for line in _finding_lines(report, finding):
            console.print(line)
    if len(worst) > MAX_FINDINGS:
        console.print()
        more = plural(len(worst) - MAX_FINDINGS, "more finding")
        console.print(Text(f"… and {more} in the full report.", style="dim"))
    issues = [
        diag
        for diag in report.diagnostics
        if SEVERITY_RANK[diag.severity] >= SEVERITY_RANK[Severity.WARNING]
    ]
    if issues:
        console.print()
    for diag in issues:
        where = _clean(diag.path) if diag.path else ""
        if where and diag.line is not None:
            where += f":{diag.line}"
        line = Text()
        line.append(diag.severity.value, style=_DIAGNOSTIC_STYLES[diag.severity])
        line.append(f"  {_clean(diag.code)}  ")
        if where:
            line.append(where + ": ", style="cyan")
        line.append(_clean(diag.message))
        console.print(line)
    if not report.findings:
        console.print()
        checked = facts_checked(report)
        closing = (
            f"All {plural(checked, 'fact')} consistent."
            if checked
            else "No fact had two or more claims to compare."
        )
        console.print(Text(closing, style="bold green" if color else ""))
    return _TRAILING_SPACE.sub("", buffer.getvalue())


def render_text(report: Report) -> str:
    """Render the terminal summary as plain text, without colour."""
    return render_terminal(report, color=False)
