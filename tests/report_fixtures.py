"""A small hand-built `Report` for the renderer tests: four documents, four facts.

F1 is consistent (three ways of saying 2,500 troops), F2 carries an `assumption`
warning (an undated "19 years" against a dated "more than two decades"), F3 a
`conflict` error (a later, lower death toll), F4 a single date claim. Document 003
is hostile: pipes, backticks, HTML, a terminal escape and a newline in its sentence.
"""

from __future__ import annotations

from datetime import date

from checker.model import (
    Claim,
    DateRange,
    DateSource,
    Diagnostic,
    Document,
    Fact,
    Finding,
    FindingKind,
    Interval,
    Kind,
    Report,
    Severity,
    Span,
    Subject,
    TimeRef,
)

HOSTILE_SENTENCE = (
    "Notes | draft `v2` <script>alert(1)</script> say it is 19 years after\n"
    "the invasion of Iraq \x1b[31mRED\x1b[0m # not a heading *bold* _em_ [link](x)."
)

ALPHA = Document(
    id="001_alpha",
    path="seeds/001_alpha.txt",
    text=(
        "Strike on Tower 22\n"
        "February 26, 2024\n"
        "\n"
        "Three US service members were killed in the Tower 22 attack.\n"
        "About 2,500 US troops remain in Iraq, officials said.\n"
    ),
    published=DateRange(date(2024, 2, 26), date(2024, 2, 26), DateSource.TEXT),
    title="Strike on Tower 22",
)
BRAVO = Document(
    id="002_bravo",
    path="seeds/002_bravo.md",
    text=(
        "---\ndate: 2024-08-26\n---\n"
        "Two US service members died in the Tower 22 attack, the Pentagon said.\n"
        "The US keeps 2,500 troops in Iraq, more than two decades after a US-led "
        "coalition invaded the country.\n"
    ),
    published=DateRange(date(2024, 8, 26), date(2024, 8, 26), DateSource.FRONT_MATTER),
    title="Resistance | groups resume `operations`",
)
CHARLIE = Document(
    id="003_charlie",
    path="seeds/003_charlie.txt",
    text="Field notes\n\n" + HOSTILE_SENTENCE + "\n",
    published=None,
    title=None,
)
DELTA = Document(
    id="004_delta",
    path="seeds/004_delta.html",
    text="Roughly 2,500 American troops are stationed in Iraq, as in January 2020.\n",
    published=DateRange(date(2023, 7, 3), date(2025, 1, 3), DateSource.INFERRED),
    title="Troops",
)
DOCUMENTS = (ALPHA, BRAVO, CHARLIE, DELTA)


def _sentence_around(document: Document, start: int, end: int) -> Span:
    """Return the span of the line(s) holding [start, end): a sentence, in these texts."""
    text = document.text
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    # The hostile sentence runs over a newline on purpose.
    if text[last - 1] != ".":
        last = text.find("\n", last + 1)
    return Span(document.id, first, last)


def make_claim(
    document: Document,
    number: int,
    quote: str,
    kind: Kind,
    value: Interval,
    subject: str,
    *,
    attribution: str | None = None,
    time_ref: TimeRef | None = None,
) -> Claim:
    """Build a claim whose span is the first occurrence of `quote` in the document."""
    start = document.text.index(quote)
    end = start + len(quote)
    claim = Claim(
        id=f"{document.id}#{number}",
        span=Span(document.id, start, end),
        text=quote,
        kind=kind,
        value=value,
        subject=Subject(text=subject),
        sentence=_sentence_around(document, start, end),
        attribution=attribution,
        time_ref=time_ref,
    )
    assert document.text[claim.span.start : claim.span.end] == claim.text
    return claim


TROOPS = "number of US troops in Iraq"
INVASION = "time since the US-led invasion of Iraq"
KILLED = "US service members killed in the Tower 22 attack"

A_KILLED = make_claim(ALPHA, 1, "Three", Kind.COUNT, Interval(3.0, 3.0, None, 3.0), KILLED)
A_TROOPS = make_claim(
    ALPHA,
    2,
    "About 2,500",
    Kind.COUNT,
    Interval(2250.0, 2750.0, None, 2500.0),
    TROOPS,
    attribution="officials",
)
B_KILLED = make_claim(
    BRAVO,
    1,
    "Two",
    Kind.COUNT,
    Interval(2.0, 2.0, None, 2.0),
    KILLED,
    attribution="the Pentagon",
)
B_TROOPS = make_claim(BRAVO, 2, "2,500", Kind.COUNT, Interval(2500.0, 2500.0, None, 2500.0), TROOPS)
B_INVASION = make_claim(
    BRAVO,
    3,
    "more than two decades",
    Kind.DURATION,
    Interval(20.0, None, "year", 20.0, low_open=True),
    INVASION,
    time_ref=TimeRef(anchor=BRAVO.published),
)
C_INVASION = make_claim(
    CHARLIE,
    1,
    "19 years",
    Kind.DURATION,
    Interval(19.0, 20.0, "year", 19.0, high_open=True),
    INVASION,
    time_ref=TimeRef(),
)
D_TROOPS = make_claim(
    DELTA, 1, "Roughly 2,500", Kind.COUNT, Interval(2250.0, 2750.0, None, 2500.0), TROOPS
)
D_DATE = make_claim(
    DELTA,
    2,
    "January 2020",
    Kind.DATE,
    Interval(date(2020, 1, 1), date(2020, 1, 31), "date", date(2020, 1, 1)),
    "date troops were last counted",
)

CLAIMS = (A_KILLED, A_TROOPS, B_KILLED, B_TROOPS, B_INVASION, C_INVASION, D_TROOPS, D_DATE)

FACTS = (
    Fact("F1", "count:troops:iraq", TROOPS, (A_TROOPS, B_TROOPS, D_TROOPS), "consistent"),
    Fact(
        "F2",
        "date:invasion:iraq",
        "date of the US-led invasion of Iraq",
        (B_INVASION, C_INVASION),
        "conflict",
    ),
    Fact("F3", "count:killed:tower-22", KILLED, (A_KILLED, B_KILLED), "conflict"),
    Fact("F4", "date:troops-counted", "date troops were last counted", (D_DATE,), "single"),
)

FINDINGS = (
    Finding(
        id="E1",
        severity=Severity.ERROR,
        kind=FindingKind.CONFLICT,
        code="count.conflict",
        fact="F3",
        claims=(A_KILLED, B_KILLED),
        message='"Three" (001_alpha, 2024-02-26) vs "Two" (002_bravo, 2024-08-26): '
        "the later report gives the lower toll",
        why="A death toll only grows; a later, lower figure cannot be an update.",
        confidence=0.9,
    ),
    Finding(
        id="W1",
        severity=Severity.WARNING,
        kind=FindingKind.ASSUMPTION,
        code="duration.assumption",
        fact="F2",
        claims=(B_INVASION, C_INVASION),
        message='"more than two decades" (002_bravo, 2024-08-26) vs "19 years" '
        "(003_charlie, undated): (20, ∞) year and [19, 20) year are disjoint if the "
        "two reports are contemporaneous",
        why="003_charlie would have to predate 002_bravo by more than a year for both to hold.",
        confidence=0.8,
    ),
)

DIAGNOSTICS = (
    Diagnostic("seeds/broken.bin", Severity.WARNING, "read.binary", "skipped: binary file"),
    Diagnostic(
        "seeds/003_charlie.txt",
        Severity.NOTE,
        "extract.unnormalised",
        'could not normalise "a few dozen"',
        line=3,
    ),
)


REPORT = Report(
    checker_version="0.1.0",
    documents=DOCUMENTS,
    claims=CLAIMS,
    facts=FACTS,
    findings=FINDINGS,
    diagnostics=DIAGNOSTICS,
    root_name="seeds",
)
