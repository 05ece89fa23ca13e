"""Core value types shared by every stage of the pipeline.

Every type is a frozen, slotted dataclass so that a stage can be tested alone and its
output shipped to another process unchanged.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    """What a claim measures; the values are the contract's `kind` strings."""

    COUNT = "count"
    DURATION = "duration"
    DATE = "date"
    PERCENT = "percent"
    MONEY = "money"
    QUANTITY = "quantity"


class Severity(StrEnum):
    """How much a finding matters; ordered by `SEVERITY_RANK`."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


SEVERITY_RANK = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class FindingKind(StrEnum):
    """The contract's finding kinds."""

    CONFLICT = "conflict"
    ASSUMPTION = "assumption"
    DISPUTED = "disputed"
    UPDATE = "update"
    IMPRECISE = "imprecise"


class DateSource(StrEnum):
    """Where a document's publication date came from."""

    TEXT = "text"
    FRONT_MATTER = "front-matter"
    MANIFEST = "manifest"
    CLI = "cli"
    INFERRED = "inferred"


@dataclass(frozen=True, slots=True)
class DateRange:
    """An inclusive range of days: one day when known exactly, wider when estimated."""

    earliest: date
    latest: date
    source: DateSource | None = None

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise ValueError(f"date range ends before it starts: {self.earliest} > {self.latest}")

    @property
    def exact(self) -> bool:
        """Return whether the range is a single day."""
        return self.earliest == self.latest


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of code points in one document's text."""

    doc_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end}) in {self.doc_id}")


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded input file.

    `skipped` lists the (start, end) ranges of page furniture (share buttons, comment
    forms, code blocks): extraction ignores them, but they stay in `text` so that every
    offset indexes the text as decoded.
    """

    id: str
    path: str
    text: str
    published: DateRange | None = None
    title: str | None = None
    skipped: tuple[tuple[int, int], ...] = ()
    line_starts: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.line_starts:
            starts = [0]
            find = self.text.find
            newline = find("\n")
            while newline >= 0:  # str.find, not a Python step per character
                starts.append(newline + 1)
                newline = find("\n", newline + 1)
            object.__setattr__(self, "line_starts", tuple(starts))

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of a code-point offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1


Bound = float | date | None


@dataclass(frozen=True, slots=True)
class Interval:
    """The values a claim allows: `low`/`high` are `None` when open-ended.

    `low_open`/`high_open` mark strict bounds ("more than 20" excludes 20; "19 years"
    is [19, 20) because anniversaries count completed years). `nominal` is the figure
    as stated, before an approximator widened it. `slack` is how far a bare round
    figure may sit from the truth because it was rounded ("2,500" for 2,460); it is
    applied when comparing, so an exact figure keeps `low == high`.
    """

    low: Bound
    high: Bound
    unit: str | None = None
    nominal: Bound = None
    low_open: bool = False
    high_open: bool = False
    slack: float = 0.0

    def __post_init__(self) -> None:
        if self.low is not None and self.high is not None and self.low > self.high:  # type: ignore[operator]
            raise ValueError(f"interval low {self.low} above high {self.high}")


@dataclass(frozen=True, slots=True)
class Subject:
    """What a number is about, split into the qualifiers alignment compares.

    `text` is the readable phrase; the other fields are canonical lexicon keys.
    `event_day`/`event_weekday` pin the event the claim hangs from, when the text
    says when it happened ("Monday's attack", "the January 8, 2020 strike").
    `part` marks a figure that is a part of another given with it ("about 90 of them
    remain in hospital", "25 of the assembly's 60 seats"): it is not aligned.
    `phase` is the phase of its event a date marks ("began", "ended"), when its verb
    says: two dates of one event in different phases are two facts.
    """

    text: str
    thing: str | None = None
    role: str | None = None
    place: str | None = None
    event: str | None = None
    modifiers: tuple[str, ...] = ()
    event_day: DateRange | None = None
    event_weekday: int | None = None
    keywords: tuple[str, ...] = ()
    part: bool = False
    phase: str | None = None


def naming_year(year: int) -> str:
    """Return the modifier of a date that names which event is meant ("the 2012
    derailment"): two such dates with different years name two events."""
    return f"the {year}"


def names_a_year(subject: Subject) -> bool:
    """Return whether a subject is dated by a year that names its event (`naming_year`)."""
    return any(m.startswith("the ") and m[4:].isdigit() for m in subject.modifiers)


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A time expression counted from another date.

    For a relative date ("four years ago", "two days earlier", "on Wednesday") the
    claim's date is `anchor` plus an offset of `low`..`high` `unit`s (negative: before).
    For an elapsed time ("19 years after the invasion") the claim's value is the
    duration and the event happened that long before `anchor`.
    `anchor` is `None` while it hangs from a publication date that is not known yet;
    `weekday` (0 = Monday) is set for "on Wednesday", the latest such day on or before
    the anchor.
    """

    low: float = 0.0
    high: float = 0.0
    unit: str = "day"
    anchor: DateRange | None = None
    from_publication: bool = True
    weekday: int | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """One measurable statement: a quote, its normalised value and what it is about.

    For an elapsed-time claim ("19 years after the invasion") `kind` is DURATION and
    `time_ref` holds the date the duration runs up to (usually the publication date),
    so comparison can turn the claim into the date of the event. For a relative date
    `time_ref` says what the date was counted from.
    """

    id: str
    span: Span
    text: str
    kind: Kind
    value: Interval
    subject: Subject
    sentence: Span
    attribution: str | None = None
    as_of: DateRange | None = None
    time_ref: TimeRef | None = None

    @property
    def elapsed(self) -> bool:
        """Return whether this is a time-since-an-event claim."""
        return self.kind is Kind.DURATION and self.time_ref is not None


@dataclass(frozen=True, slots=True)
class Fact:
    """Claims aligned as statements of one fact."""

    id: str
    key: str
    subject: str
    claims: tuple[Claim, ...]
    status: str = "consistent"
    # How many independent reports state it: syndicated copies of one text count once.
    independent: int = 0


@dataclass(frozen=True, slots=True)
class Finding:
    """A disagreement (or a note) about one fact, with the claims it rests on."""

    id: str
    severity: Severity
    kind: FindingKind
    code: str
    fact: str
    claims: tuple[Claim, ...]
    message: str
    why: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something about the run that is not a finding: a skipped file, an unread number."""

    path: str | None
    severity: Severity
    code: str
    message: str
    line: int | None = None

    @property
    def order(self) -> tuple[str, int, str, str]:
        """The order diagnostics are listed in: by file, line, code and message."""
        return (self.path or "", self.line or 0, self.code, self.message)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a renderer needs; renderers compute nothing beyond formatting."""

    checker_version: str
    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    root_name: str = ""
    # The documents a gate run is about (`--new`, `--since`); empty when all are.
    changed: frozenset[str] = frozenset()
