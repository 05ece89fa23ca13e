"""One line per claim, for `check --claims-only --format text`:

path:line:col  kind  value  "quote"  subject
"""

from __future__ import annotations

from checker.model import Report
from checker.report.records import collapse, format_interval, strip_controls


def _one_line(text: str) -> str:
    """Return untrusted text (a quote, a subject, a file name) safe on one terminal line."""
    return collapse(strip_controls(text)).strip()


def render_claim_lines(report: Report) -> str:
    """Render every claim of the report on one tab-free line, in document order."""
    documents = {d.id: d for d in report.documents}
    lines = []
    for claim in report.claims:
        doc = documents[claim.span.doc_id]
        line, col = doc.line_col(claim.span.start)
        path = _one_line(doc.path)
        quote = _one_line(claim.text)
        subject = _one_line(claim.subject.text)
        value = format_interval(claim.value)
        lines.append(f'{path}:{line}:{col}  {claim.kind.value}  {value}  "{quote}"  {subject}')
    return "\n".join(lines) + ("\n" if lines else "")
