"""In-document suppressions: `<!-- check: ignore CODE reason="..." -->` in markdown.

`ignore` applies to the line it ends on when that line holds text of its own, else to
the next line with text; `ignore-file` applies to the whole document. CODE is one code
or several separated by commas, and may use `*` (`count.*`). A reason is required, so a
reviewer sees why; a comment without one is reported and not applied. A suppression
that hides no finding is reported too, so stale ones do not pile up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from checker.ingest import MARKDOWN_SUFFIXES
from checker.model import Claim, Diagnostic, Document, Finding, Severity

_COMMENT = re.compile(
    r"<!--\s*check:\s*(?P<verb>ignore-file|ignore)\b(?P<body>.*?)-->", re.IGNORECASE | re.DOTALL
)
_REASON = re.compile(r"""\breason\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')""")
_CODES = re.compile(r"^\s*(?P<codes>[A-Za-z*][\w.*-]*(?:\s*,\s*[A-Za-z*][\w.*-]*)*)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One parsed comment: which codes, where, and why."""

    doc_id: str
    path: str
    line: int  # where the comment is, for messages
    target: int | None  # the line it covers; None for the whole document
    codes: tuple[str, ...]
    reason: str

    def covers(self, code: str) -> bool:
        """Return whether this suppression names `code`."""
        return any(fnmatchcase(code, pattern) for pattern in self.codes)


def _is_markdown(document: Document) -> bool:
    return any(document.path.lower().endswith(s) for s in MARKDOWN_SUFFIXES)


def _fenced_lines(lines: Sequence[str]) -> set[int]:
    """Return the 1-based numbers of lines inside fenced code, where comments are text."""
    inside, fenced = False, set()
    for number, line in enumerate(lines, 1):
        if _FENCE.match(line):
            inside = not inside
            fenced.add(number)
        elif inside:
            fenced.add(number)
    return fenced


def _target_line(
    text: str, match: re.Match[str], lines: Sequence[str], doc: Document
) -> int | None:
    """Return the line an `ignore` covers: its own if it has text, else the next with text."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    before = _COMMENT.sub("", text[line_start : match.start()])
    after = _COMMENT.sub("", text[match.end() : line_end if line_end >= 0 else len(text)])
    first, _ = doc.line_col(match.start())
    end_line, _ = doc.line_col(match.end() - 1)
    if before.strip():
        return first  # "The toll was 12. <!-- check: ignore ... -->"
    if after.strip():
        return end_line
    for number in range(end_line + 1, len(lines) + 1):
        text = _COMMENT.sub("", lines[number - 1]).strip()
        if text:
            return number
    return None


def parse_suppressions(document: Document) -> tuple[list[Suppression], list[Diagnostic]]:
    """Return the document's suppressions and a diagnostic for each malformed one."""
    if not _is_markdown(document) or "check:" not in document.text:
        return [], []
    lines = document.text.split("\n")
    fenced = _fenced_lines(lines)
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for match in _COMMENT.finditer(document.text):
        line, _ = document.line_col(match.start())
        if line in fenced:
            continue
        body = match["body"]
        reason_match = _REASON.search(body)
        reason = (reason_match["double"] or reason_match["single"] or "") if reason_match else ""
        codes_match = _CODES.match(body[: reason_match.start()] if reason_match else body)
        if not reason.strip() or codes_match is None:
            missing = 'a reason="..."' if not reason.strip() else "a code"
            problems.append(
                Diagnostic(
                    document.path,
                    Severity.WARNING,
                    "suppress.invalid",
                    f"check: {match['verb'].lower()} comment needs {missing}; not applied",
                    line,
                )
            )
            continue
        codes = tuple(c.strip() for c in codes_match["codes"].split(","))
        whole = match["verb"].lower() == "ignore-file"
        target = None if whole else _target_line(document.text, match, lines, document)
        if not whole and target is None:
            continue  # an ignore at the end of a file covers nothing; reported as unused below
        found.append(Suppression(document.id, document.path, line, target, codes, reason.strip()))
    return found, problems


def _claim_lines(document: Document, claim: Claim) -> range:
    first, _ = document.line_col(claim.span.start)
    last, _ = document.line_col(max(claim.span.start, claim.span.end - 1))
    return range(first, last + 1)


def _hides(s: Suppression, finding: Finding, documents: dict[str, Document]) -> bool:
    if not s.covers(finding.code):
        return False
    for claim in finding.claims:
        if claim.span.doc_id != s.doc_id:
            continue
        if s.target is None or s.target in _claim_lines(documents[s.doc_id], claim):
            return True
    return False


def apply_suppressions(
    findings: Iterable[Finding], documents: Sequence[Document]
) -> tuple[list[Finding], list[Diagnostic]]:
    """Drop suppressed findings; return the rest and diagnostics for bad or unused comments."""
    by_id = {d.id: d for d in documents}
    suppressions: list[Suppression] = []
    diagnostics: list[Diagnostic] = []
    for document in documents:
        found, problems = parse_suppressions(document)
        suppressions.extend(found)
        diagnostics.extend(problems)
    used: set[Suppression] = set()
    kept: list[Finding] = []
    for finding in findings:
        hiding = [s for s in suppressions if _hides(s, finding, by_id)]
        used.update(hiding)
        if not hiding:
            kept.append(finding)
    diagnostics.extend(
        Diagnostic(
            s.path,
            Severity.WARNING,
            "suppress.unused",
            f"check: ignore {', '.join(s.codes)} suppresses no finding; remove it",
            s.line,
        )
        for s in suppressions
        if s not in used
    )
    return kept, diagnostics
