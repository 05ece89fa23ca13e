"""The catalogue of finding and diagnostic codes: stable ids, what each means, its help.

Codes are part of the contract: CI rules, baselines and suppressions name them, so a
code is never renamed. The README's catalogue has one anchor per code (`#code-` and the
code with its dot made a dash); SARIF rules link there as `helpUri`.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import FindingKind, Kind, Severity

HOMEPAGE = "https://github.com/checker-dev/checker"
CATALOGUE_URL = f"{HOMEPAGE}/blob/main/README.md"

_FAMILY_NAMES = {
    Kind.COUNT: "A count",
    Kind.DATE: "A date",
    Kind.DURATION: "The time since an event",
    Kind.MONEY: "An amount of money",
    Kind.PERCENT: "A share",
    Kind.QUANTITY: "A measured quantity",
}
_FINDING_SEVERITY = {
    FindingKind.CONFLICT: Severity.ERROR,
    FindingKind.ASSUMPTION: Severity.WARNING,
    FindingKind.DISPUTED: Severity.WARNING,
    FindingKind.UPDATE: Severity.NOTE,
    FindingKind.IMPRECISE: Severity.NOTE,
}
_FINDING_MEANING = {
    FindingKind.CONFLICT: "{what}: documents give values that cannot all be true.",
    FindingKind.ASSUMPTION: (
        "{what}: documents give values that cannot all be true if an undated or"
        " date-estimated report is taken as contemporaneous with the others."
    ),
    FindingKind.DISPUTED: "{what}: one document gives different values from different sources.",
    FindingKind.UPDATE: "{what}: a later document gives a newer value for a figure that changes.",
    FindingKind.IMPRECISE: "{what}: consistent values, one far vaguer than the others.",
}
_REFERENCE_MEANING = "{what}: a document contradicts the value in the reference facts file."
# A figure that differs in an undated report may simply have changed: the difference is
# an update note. Only times, which are counted from a report's date, raise assumptions;
# the figures' assumption codes stay in the catalogue so that old baselines still parse.
_TIMELESS_ASSUMPTION = (
    "{what}: no longer raised (kept for old baselines): a value that differs in an"
    " undated report may simply have changed, and is an update note instead."
)
_TIMES = frozenset({Kind.DATE, Kind.DURATION})

# Diagnostics: everything about a run that is not a finding.
_DIAGNOSTICS: dict[str, tuple[Severity, str]] = {
    "read.missing": (Severity.ERROR, "A path given on the command line does not exist."),
    "read.no-files": (Severity.WARNING, "A folder holds no documents the checker reads."),
    "read.error": (Severity.ERROR, "A file could not be read (permissions, a broken link)."),
    "read.binary": (Severity.WARNING, "A file is binary and was skipped."),
    "read.decode": (Severity.WARNING, "A file is not valid UTF-8; bad bytes were replaced."),
    "read.empty": (Severity.NOTE, "A file is empty or holds only white space."),
    "read.too-large": (
        Severity.WARNING,
        "A file is larger than `--max-bytes` and was skipped unread.",
    ),
    "date.unused": (Severity.WARNING, "A `--date` or manifest entry matches no document."),
    "extract.ambiguous-date": (
        Severity.NOTE,
        "A numeric date such as 3/1/2020 could be read two ways and was not read.",
    ),
    "extract.date-without-year": (
        Severity.NOTE,
        "A day and month whose year could not be told from the document's date.",
    ),
    "extract.data-run": (
        Severity.NOTE,
        "A long passage with more figures than words was not read for claims.",
    ),
    "checker.lexicon": (Severity.ERROR, "A lexicon file is malformed."),
    "suppress.unused": (
        Severity.WARNING,
        "An `ignore` comment in a document suppressed no finding.",
    ),
    "suppress.invalid": (
        Severity.WARNING,
        "An `ignore` comment lacks a reason or names no code; it was not applied.",
    ),
    "baseline.stale": (
        Severity.NOTE,
        "A baseline entry matches no finding any more; `--prune-baseline` drops it.",
    ),
    "cache.unavailable": (
        Severity.NOTE,
        "The cache could not be opened or written; the run went on without it.",
    ),
}


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One catalogue entry."""

    code: str
    severity: Severity
    meaning: str

    @property
    def anchor(self) -> str:
        """The README anchor of this code."""
        return "code-" + self.code.replace(".", "-")

    @property
    def help_uri(self) -> str:
        """Where the code is documented."""
        return f"{CATALOGUE_URL}#{self.anchor}"


def _finding_codes() -> list[CodeInfo]:
    entries = []
    for family, what in _FAMILY_NAMES.items():
        for kind, meaning in _FINDING_MEANING.items():
            if kind is FindingKind.ASSUMPTION and family not in _TIMES:
                meaning = _TIMELESS_ASSUMPTION
            entries.append(
                CodeInfo(
                    f"{family.value}.{kind.value}",
                    _FINDING_SEVERITY[kind],
                    meaning.format(what=what),
                )
            )
        entries.append(
            CodeInfo(
                f"{family.value}.reference", Severity.ERROR, _REFERENCE_MEANING.format(what=what)
            )
        )
    return entries


FINDING_CODES: dict[str, CodeInfo] = {c.code: c for c in _finding_codes()}
DIAGNOSTIC_CODES: dict[str, CodeInfo] = {
    code: CodeInfo(code, severity, meaning) for code, (severity, meaning) in _DIAGNOSTICS.items()
}
CODES: dict[str, CodeInfo] = {**FINDING_CODES, **DIAGNOSTIC_CODES}


def code_info(code: str) -> CodeInfo:
    """Return the catalogue entry of `code`; an uncatalogued code gets a plain entry."""
    return CODES.get(code) or CodeInfo(code, Severity.WARNING, code)
