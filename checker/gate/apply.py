"""Turn a whole-corpus report into a gate's report: suppressions, baseline, changed files.

The order matters. Suppressions come first: a finding a document itself waives is not
a baseline entry either. The baseline is matched against every remaining finding, so an
entry is stale only when its finding is gone from the corpus, not merely outside the
changed documents. Last, only findings that involve a changed document are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from checker.gate.baseline import Entry, apply_baseline, fingerprints
from checker.gate.changed import changed_documents
from checker.gate.suppress import apply_suppressions
from checker.model import SEVERITY_RANK, Diagnostic, Finding, Report, Severity


@dataclass(frozen=True, slots=True)
class Gate:
    """What a gate run filters by; the defaults filter nothing."""

    changed: tuple[Path, ...] | None = None  # None: the whole corpus is under review
    baseline: Mapping[str, Entry] | None = None
    baseline_path: str | None = None


def suppressed(report: Report) -> Report:
    """Return the report without the findings its documents suppress."""
    findings, diagnostics = apply_suppressions(report.findings, report.documents)
    return _with(report, findings, [*report.diagnostics, *diagnostics])


def apply_gate(report: Report, gate: Gate) -> Report:
    """Return the report as the gate sees it (see the module's docstring for the order)."""
    report = suppressed(report)
    findings = list(report.findings)
    diagnostics = list(report.diagnostics)
    if gate.baseline is not None:
        findings, stale = apply_baseline(
            findings, fingerprints(report), gate.baseline, gate.baseline_path or "baseline"
        )
        diagnostics.extend(stale)
    changed: frozenset[str] = frozenset()
    if gate.changed is not None:
        changed = changed_documents(((d.id, d.path) for d in report.documents), gate.changed)
        findings = [f for f in findings if any(c.span.doc_id in changed for c in f.claims)]
        others = {d.path for d in report.documents if d.id not in changed}
        diagnostics = [d for d in diagnostics if d.path not in others]
    return replace(_with(report, findings, diagnostics), changed=changed)


def at_least(report: Report, floor: Severity) -> Report:
    """Return the report showing only findings and diagnostics at least as severe as `floor`."""
    rank = SEVERITY_RANK[floor]
    return _with(
        report,
        (f for f in report.findings if SEVERITY_RANK[f.severity] >= rank),
        (d for d in report.diagnostics if SEVERITY_RANK[d.severity] >= rank),
    )


def _with(report: Report, findings: Iterable[Finding], diagnostics: Iterable[Diagnostic]) -> Report:
    ordered = sorted(diagnostics, key=lambda d: d.order)
    return replace(report, findings=tuple(findings), diagnostics=tuple(ordered))
