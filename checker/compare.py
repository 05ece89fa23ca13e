"""Decide, fact by fact, whether its claims can all be true.

Every claim becomes an interval on one axis (a count, a duration in its unit, a date
as a day number). Claims about when something happened are compared as the date of
the event they imply, using each document's publication date, so "19 years after the
invasion" written in 2024 and "more than two decades after" written in 2024 meet as
two ranges of invasion dates. The verdicts follow CONTRACT.md:

- disjoint given the documents' known dates: `conflict` (error);
- disjoint only if an undated or estimated report is taken as contemporaneous:
  `assumption` (warning);
- one document, two named sources, two figures: `disputed` (warning);
- a later, higher figure for a count that only grows: `update` (note).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import combinations

from checker.extract.timex import resolve
from checker.facts import REFERENCE_ID
from checker.lexicon import load
from checker.model import (
    Claim,
    DateRange,
    DateSource,
    Fact,
    Finding,
    FindingKind,
    Kind,
    Severity,
)
from checker.parallel import SharedMap
from checker.report.records import format_interval
from checker.timeline import describe_days, shift, to_date, to_day

# Reports of a changeable figure (troops deployed) more than this many days apart may
# both be right: the figure moved. Within it, a disagreement is a conflict.
_SAME_PERIOD_DAYS = 31
# Where two undated reports are compared as if contemporaneous, the date used; any
# fixed day works because only the gap between the reports matters.
_COMMON_DAY = date(2000, 1, 1)

_SEVERITY = {
    FindingKind.CONFLICT: Severity.ERROR,
    FindingKind.ASSUMPTION: Severity.WARNING,
    FindingKind.DISPUTED: Severity.WARNING,
    FindingKind.UPDATE: Severity.NOTE,
    FindingKind.IMPRECISE: Severity.NOTE,
}


# Characters between a quantity and its conversion in brackets: " (".
_CONVERSION_GAP = 3
_LAST_WORD = re.compile(r"[^\W\d_]+(?=[^\w]*$)")
# Disagreements that fail a check: the ones a report's own dispute can explain away.
_SERIOUS = frozenset({FindingKind.CONFLICT, FindingKind.ASSUMPTION})


@dataclass(frozen=True, slots=True)
class Range:
    """An interval on the comparison axis; None bounds are open-ended."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False

    def disjoint(self, other: Range) -> bool:
        """Return whether no value lies in both ranges."""
        return _below(self, other) or _below(other, self)


def _below(a: Range, b: Range) -> bool:
    """Return whether all of `a` lies below all of `b`."""
    if a.high is None or b.low is None:
        return False
    if a.high < b.low:
        return True
    return a.high == b.low and (a.high_open or b.low_open)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why two claims cannot both hold."""

    kind: FindingKind
    a: Claim
    b: Claim
    reason: str
    confidence: float


@cache
def _cumulative_roles() -> frozenset[str]:
    return frozenset(load("subjects")["cumulative"]["roles"])


@cache
def _running_roles() -> frozenset[str]:
    return frozenset(load("subjects")["running"]["roles"])


# -- turning claims into ranges -----------------------------------------------------------
def figure_range(claim: Claim) -> Range:
    """Return the range of a non-time claim, widened by its rounding slack."""
    v = claim.value
    low = None if v.low is None else float(v.low) - v.slack  # type: ignore[arg-type]
    high = None if v.high is None else float(v.high) + v.slack  # type: ignore[arg-type]
    return Range(low, high, v.low_open, v.high_open)


def is_time(claim: Claim) -> bool:
    """Return whether a claim is about when something happened."""
    return claim.kind is Kind.DATE or claim.elapsed


def depends_on_publication(claim: Claim) -> bool:
    """Return whether a claim's date hangs from its document's publication date."""
    return claim.time_ref is not None and claim.time_ref.from_publication


def event_range(claim: Claim, published: DateRange | None) -> Range | None:
    """Return the day numbers of the event a time claim dates, given a publication date.

    None when the claim hangs from a publication date that is not known.
    """
    ref = claim.time_ref
    if claim.kind is Kind.DATE:
        if ref is None:
            return _date_range(claim.value.low, claim.value.high)
        value = resolve(ref, published if ref.from_publication else ref.anchor)
        return _date_range(value.low, value.high)
    assert ref is not None
    anchor = published if ref.from_publication else ref.anchor
    if anchor is None:
        return None
    v = claim.value
    unit = v.unit or "year"
    earliest = -math.inf if v.high is None else shift(to_day(anchor.earliest), -float(v.high), unit)  # type: ignore[arg-type]
    latest = shift(to_day(anchor.latest), -float(v.low or 0.0), unit)  # type: ignore[arg-type]
    return Range(earliest, latest, v.high_open, v.low_open)


def _date_range(low: object, high: object) -> Range | None:
    if not isinstance(low, date) or not isinstance(high, date):
        return None
    return Range(to_day(low), to_day(high))


# -- comparing pairs ----------------------------------------------------------------------
def _known(published: DateRange | None) -> bool:
    """Return whether a report's date is known: stated, or estimated to the very day (a
    dateline's "July 17" placed in the corpus's year)."""
    return published is not None and (
        published.source is not DateSource.INFERRED or published.exact
    )


def _label(claim: Claim, published: DateRange | None) -> str:
    doc = claim.span.doc_id
    if doc == REFERENCE_ID:
        return "reference fact"
    if published is None:
        return f"{doc}, undated"
    day = published.earliest.isoformat()
    if not published.exact:
        day = f"{day} – {published.latest.isoformat()}"
    if published.source is DateSource.INFERRED:
        day += ", estimated"
    return f"{doc}, {day}"


_QUOTE_WORDS = 8
_QUOTE_STOPS = frozenset({"and", "or", "but", "while", "although", "though", "whereas"})
# After a few words, a preposition starts a new phrase that the quote can leave out.
_QUOTE_SOFT_STOPS = frozenset({"in", "on", "at", "for", "with", "as", "by", "from", "to", "during"})


def quote(claim: Claim, texts: Mapping[str, str]) -> str:
    """Return the claim's words with what follows them up to the clause's end, quoted.

    "19 years after invading the country" tells a reader more than "19 years".
    """
    text = texts.get(claim.span.doc_id, "")
    base = end = claim.span.end
    for words, m in enumerate(re.finditer(r"\s*(\S+)", text[base : base + 120])):
        word = m.group(1)
        bare = word.lower().strip(",.;:")
        if words >= _QUOTE_WORDS or bare in _QUOTE_STOPS or not word[:1].isalnum():
            break
        if words >= 3 and bare in _QUOTE_SOFT_STOPS:
            break
        cut = re.search(r"[,.;:!?\"“”‘’()]", word)
        if cut:
            end = base + m.start(1) + cut.start()
            break
        end = base + m.end()
    return '"' + " ".join(text[claim.span.start : end].split()) + '"'


def _values(a: Claim, b: Claim) -> str:
    return f"{format_interval(a.value)} and {format_interval(b.value)}"


def compare_time(a: Claim, b: Claim, pa: DateRange | None, pb: DateRange | None) -> Verdict | None:
    """Compare two claims about when one event happened."""
    ra, rb = event_range(a, pa), event_range(b, pb)
    da, db = depends_on_publication(a), depends_on_publication(b)
    uncertain = (da and not _known(pa)) or (db and not _known(pb))
    if ra is not None and rb is not None and ra.disjoint(rb):
        if not uncertain:
            event = a.subject.event
            reason = f"they put the {event} in {_show(ra)} and {_show(rb)}, which do not overlap"
            return Verdict(FindingKind.CONFLICT, a, b, reason, 0.9)
        reason = (
            f"given the estimated date of the undated report, they put the {a.subject.event} in "
            f"{_show(ra)} and {_show(rb)}, which do not overlap"
        )
        return Verdict(FindingKind.ASSUMPTION, a, b, reason, 0.75)
    if not uncertain:
        return None
    common = _contemporaneous(pa, pb, da, db)
    if common is None:
        return None
    ca, cb = event_range(a, common if da else pa), event_range(b, common if db else pb)
    if ca is None or cb is None or not ca.disjoint(cb):
        return None
    reason = f"{_values(a, b)} are disjoint if the two reports are contemporaneous; " + _gap(
        a, b, ca, cb, da, db
    )
    return Verdict(FindingKind.ASSUMPTION, a, b, reason, 0.7)


def _contemporaneous(
    pa: DateRange | None, pb: DateRange | None, da: bool, db: bool
) -> DateRange | None:
    """Return the one date both reports are taken to share, or None if that cannot hold."""
    known = [p for p in (pa, pb) if p is not None and _known(p)]
    estimated = [p for p in (pa, pb) if p is not None and not _known(p)]
    if known:
        day = known[0].earliest
        if any(not (p.earliest <= day <= p.latest) for p in estimated):
            return None  # the estimate rules out a common date: no assumption to state
        return DateRange(day, day)
    if estimated:
        first = max(p.earliest for p in estimated)
        if first > min(p.latest for p in estimated):
            return None
        return DateRange(first, first)
    # Neither date is known: only two claims that both count from their report's date
    # can be compared, through the gap between them.
    return DateRange(_COMMON_DAY, _COMMON_DAY) if (da and db) else None


def _gap(a: Claim, b: Claim, ra: Range, rb: Range, da: bool, db: bool) -> str:
    """Say how far apart the reports' dates must be for both claims to hold."""
    if not (da and db):
        moving = a if da else b
        return f"they agree only if {moving.span.doc_id} was published at another time"
    # Both ranges move with their report's date: a's range is ra + (pa - p), b's rb + (pb - p).
    lo = None if rb.low is None or ra.high is None else rb.low - ra.high
    hi = None if rb.high is None or ra.low is None else rb.high - ra.low
    first, second = a.span.doc_id, b.span.doc_id
    if hi is not None and hi <= 0:
        if hi == 0:
            return f"both hold only if {first} was written before {second}"
        return f"{first} would have to predate {second} by at least {describe_days(hi)}"
    if lo is not None and lo >= 0:
        if lo == 0:
            return f"both hold only if {first} was written after {second}"
        return f"{first} would have to be written at least {describe_days(lo)} after {second}"
    return "their dates would have to differ"


def _show(r: Range) -> str:
    def day(x: float | None) -> str:
        return "…" if x is None or math.isinf(x) else to_date(x).isoformat()

    if r.low is not None and r.high is not None and r.low == r.high:
        return day(r.low)
    return f"{day(r.low)} – {day(r.high)}"


# Figures this many times apart are, far more often than not, about different things
# that share a noun ("three seasonal workers" and "more than 1,200 workers"): reports
# that contradict each other on one figure rarely differ by an order of magnitude.
_FAR_APART = 10.0


def _far_apart(a: Range, b: Range) -> bool:
    """Return whether two disjoint ranges lie an order of magnitude apart."""
    low, high = (a, b) if _below(a, b) else (b, a)
    top, bottom = high.low, low.high
    if top is None or bottom is None or bottom <= 0 or top <= 0:
        return False
    return top / bottom >= _FAR_APART


def _long_ago(claim: Claim) -> bool:
    """Return whether a figure's event happened over a year before its report."""
    day, published = claim.subject.event_day, claim.as_of
    return (
        day is not None and published is not None and (published.earliest - day.latest).days > 365
    )


def is_conversion(a: Claim, b: Claim) -> bool:
    """Return whether one quantity restates the other in other units in brackets right
    after it ("41.3C (102F)", "312 metres (1,024 feet)"): one value written twice, so
    a report whose two disagree has converted it wrongly."""
    if a.kind is not Kind.QUANTITY or b.kind is not Kind.QUANTITY or a.sentence != b.sentence:
        return False
    first, second = (a, b) if a.span.start < b.span.start else (b, a)
    if not 0 <= second.span.start - first.span.end <= _CONVERSION_GAP:
        return False
    # A conversion changes the unit written: "5 km, 10 km and 21 km" is a list.
    return _written_unit(a) != _written_unit(b)


def _written_unit(claim: Claim) -> str:
    """Return the unit as the quote writes it: its last run of letters ("C", "feet")."""
    found = _LAST_WORD.search(claim.text)
    return found.group().lower() if found else ""


def compare_figures(
    a: Claim, b: Claim, pa: DateRange | None, pb: DateRange | None
) -> Verdict | None:
    """Compare two figures (counts, money, shares) for one fact."""
    ra, rb = figure_range(a), figure_range(b)
    if not ra.disjoint(rb) or _far_apart(ra, rb):
        return None
    if a.span.doc_id == b.span.doc_id:
        if a.attribution and b.attribution and a.attribution != b.attribution:
            return Verdict(
                FindingKind.DISPUTED, a, b, "two named sources in one report disagree", 0.8
            )
        if is_conversion(a, b):
            return Verdict(
                FindingKind.CONFLICT,
                a,
                b,
                f"one value written in two units that disagree ({_values(a, b)}): "
                "the report's conversion is wrong",
                0.9,
            )
        return None  # one report telling a story of changing figures, not a contradiction
    # A past event's toll is settled: growth explains nothing ("the 1998 quake killed 212").
    cumulative = a.subject.role in _cumulative_roles() and not (_long_ago(a) and _long_ago(b))
    fixed = a.subject.event is not None and (
        a.subject.event_day is not None or a.subject.event_weekday is not None
    )
    low_first = _below(ra, rb)
    if _known(pa) and _known(pb):
        assert pa is not None and pb is not None
        apart = (
            (pb.earliest - pa.latest).days
            if pb.earliest > pa.latest
            else (pa.earliest - pb.latest).days
        )
        later_is_b = pb.earliest > pa.latest
        later_is_a = pa.earliest > pb.latest
        if cumulative and (later_is_a or later_is_b):
            rising = (later_is_b and low_first) or (later_is_a and not low_first)
            if rising:
                return Verdict(
                    FindingKind.UPDATE,
                    a,
                    b,
                    "a count that only grows is higher in the later report",
                    0.7,
                )
            return Verdict(
                FindingKind.CONFLICT,
                a,
                b,
                "a count that only grows is lower in the later report",
                0.8,
            )
        if a.subject.role in _running_roles() and (later_is_a or later_is_b):
            return Verdict(
                FindingKind.UPDATE,
                a,
                b,
                "a count that rises and falls as the story unfolds differs in the later report",
                0.6,
            )
        if not cumulative and not fixed and apart > _SAME_PERIOD_DAYS:
            return Verdict(
                FindingKind.UPDATE,
                a,
                b,
                f"the reports are {describe_days(apart)} apart; the figure may have changed",
                0.5,
            )
        return Verdict(FindingKind.CONFLICT, a, b, f"{_values(a, b)} do not overlap", 0.85)
    if fixed and not cumulative:
        return Verdict(FindingKind.CONFLICT, a, b, f"{_values(a, b)} do not overlap", 0.8)
    # A report with no date of its own may be from any time: that its figure differs
    # shows only that the figure may have changed, which is not evidence of an error.
    # The difference is noted; only times counted from a report's date, which the
    # missing date itself puts in doubt, are warned of (`compare_time`).
    higher = b if low_first else a
    later = f" and {higher.span.doc_id} is the later report" if cumulative else ""
    reason = (
        f"{_values(a, b)} do not overlap; a report is undated, so both can hold "
        f"if the figure changed{later}"
    )
    return Verdict(FindingKind.UPDATE, a, b, reason, 0.5)


def compare_reference(
    a: Claim, b: Claim, published: Mapping[str, DateRange | None]
) -> Verdict | None:
    """Compare a document's claim with a reference fact: any disagreement is a conflict.

    The reference states a known value, so neither dates nor growth can excuse a
    document that contradicts it; the finding cites the reference's source.
    """
    if a.span.doc_id == b.span.doc_id:
        return None
    ref, doc = (a, b) if a.span.doc_id == REFERENCE_ID else (b, a)
    source = f"the reference ({ref.attribution})" if ref.attribution else "the reference"
    if is_time(ref) and is_time(doc):
        verdict = compare_time(doc, ref, published.get(doc.span.doc_id), None)
        if verdict is None:
            return None
        # Where the document's own date is unknown or estimated, it stays an assumption.
        return replace(
            verdict, a=doc, b=ref, reason=f"{verdict.reason}; {source} is taken as known"
        )
    if is_time(ref) or is_time(doc) or ref.value.unit != doc.value.unit:
        return None
    if not figure_range(ref).disjoint(figure_range(doc)):
        return None
    return Verdict(
        FindingKind.CONFLICT,
        doc,
        ref,
        f"{_values(doc, ref)} do not overlap; {source} is taken as known",
        0.9,
    )


def compare_pair(
    a: Claim, b: Claim, published: Mapping[str, DateRange | None], texts: Mapping[str, str]
) -> Verdict | None:
    """Return why two claims of one fact cannot both hold, or None if they can."""
    if REFERENCE_ID in (a.span.doc_id, b.span.doc_id):
        return compare_reference(a, b, published)
    pa, pb = published.get(a.span.doc_id), published.get(b.span.doc_id)
    if _known(pa) and not _known(pb):
        # The report whose date is in doubt goes first: an assumption is about it.
        a, b, pa, pb = b, a, pb, pa
    if is_time(a) and is_time(b):
        if a.span.doc_id == b.span.doc_id:
            return None  # one report's own timeline: its dates share one publication date
        return compare_time(a, b, pa, pb)
    if is_time(a) or is_time(b) or a.value.unit != b.value.unit:
        return None
    if a.kind is Kind.MONEY and a.value.unit is None:
        return None  # an amount in an unknown currency cannot be set against another
    return compare_figures(a, b, pa, pb)


# -- findings -----------------------------------------------------------------------------
def _code(kind: FindingKind, claims: Sequence[Claim]) -> str:
    family = "duration" if any(c.elapsed for c in claims) else claims[0].kind.value
    if any(c.span.doc_id == REFERENCE_ID for c in claims):
        return f"{family}.reference"
    return f"{family}.{kind.value}"


def _message(
    v: Verdict, published: Mapping[str, DateRange | None], texts: Mapping[str, str], extra: int
) -> str:
    a, b = v.a, v.b
    if v.kind is FindingKind.DISPUTED:
        where = _label(a, published.get(a.span.doc_id))
        text = (
            f"{a.attribution} gives {quote(a, texts)}; {b.attribution} gives {quote(b, texts)} "
            f"({where}): two named sources in one report disagree"
        )
        return text + (
            f"; {extra} more disagreeing pair{'s' if extra > 1 else ''} in this fact"
            if extra
            else ""
        )
    if _known(published.get(a.span.doc_id)) and not _known(published.get(b.span.doc_id)):
        a, b = b, a  # the report whose date is in doubt first: the assumption is about it
    text = (
        f"{quote(a, texts)} ({_label(a, published.get(a.span.doc_id))}) vs "
        f"{quote(b, texts)} ({_label(b, published.get(b.span.doc_id))}): {v.reason}"
    )
    cited = [c for c in (a, b) if c.attribution and c.span.doc_id != REFERENCE_ID]
    if cited:
        sources = "; ".join(f"{c.span.doc_id} cites {c.attribution}" for c in cited)
        text += f" ({sources})"
    if extra:
        text += f"; {extra} more disagreeing pair{'s' if extra > 1 else ''} in this fact"
    return text


_WHY = {
    FindingKind.CONFLICT: "The figures cannot both be true, given the reports' dates.",
    FindingKind.ASSUMPTION: (
        "They cannot both be true if the reports are contemporaneous; "
        "a report's date is unknown or estimated."
    ),
    FindingKind.DISPUTED: "One report gives different figures from different named sources.",
    FindingKind.UPDATE: "A later report gives another figure for a value that changes over time.",
    FindingKind.IMPRECISE: "The claims agree, but one is far vaguer.",
}


def compare(
    facts: Sequence[Fact],
    published: Mapping[str, DateRange | None],
    texts: Mapping[str, str],
    *,
    run: SharedMap | None = None,
) -> tuple[list[Fact], list[Finding]]:
    """Return the facts with their status set, and the findings about them.

    `published` gives each document's publication date by id, `texts` its text (for quotes).
    `run` compares the facts (`compare_fact`), on a cluster's workers, say; the result
    is the same.
    """
    if run is not None:
        return _compare_with(run, facts, published, texts)
    findings: list[Finding] = []
    out: list[Fact] = []
    for fact in facts:
        if len(fact.claims) == 1:
            # One claim disagrees with nothing: no verdicts, no findings, no profiles.
            out.append(_with_status(fact, "single"))
            continue
        verdicts = _verdicts(fact.claims, published, texts)
        verdicts = _without_restated_disputes(verdicts, published, texts)
        # One finding per kind of disagreement, and disagreements with a reference fact
        # apart from disagreements between documents.
        groups: dict[tuple[FindingKind, bool], list[Verdict]] = {}
        for v in verdicts:
            groups.setdefault(
                (v.kind, REFERENCE_ID in (v.a.span.doc_id, v.b.span.doc_id)), []
            ).append(v)
        by_kind = {kind: group for (kind, _), group in groups.items()}
        for kind, _reference in sorted(groups, key=lambda k: (-_rank(k[0]), k[1])):
            group = groups[(kind, _reference)]
            involved = {c.id: c for v in group for c in (v.a, v.b)}
            claims = tuple(sorted(involved.values(), key=lambda c: (c.span.doc_id, c.span.start)))
            lead = compare_pair(group[0].a, group[0].b, published, texts) or group[0]
            findings.append(
                Finding(
                    id="",
                    severity=_SEVERITY[kind],
                    kind=kind,
                    code=_code(kind, claims),
                    fact=fact.id,
                    claims=claims,
                    message=_message(lead, published, texts, len(group) - 1),
                    why=_WHY[kind],
                    confidence=round(min(v.confidence for v in group), 2),
                )
            )
        out.append(_with_status(fact, _status(fact, by_kind)))
    return out, _numbered(findings)


def _with_status(fact: Fact, status: str) -> Fact:
    """Return the fact with `status`: the fact itself when it has it already.

    Most facts keep the status alignment gave them, and a frozen fact can be shared.
    """
    return fact if fact.status == status else replace(fact, status=status)


def _profile(claim: Claim, published: Mapping[str, DateRange | None]) -> tuple[object, ...]:
    """Return everything `compare_pair` reads of a claim from another report.

    Claims with one profile (a syndicated copy's figure, the same figure retold) get
    the same verdict against any claim of a third report, so it is computed once.
    """
    s = claim.subject
    return (
        published.get(claim.span.doc_id),
        claim.kind,
        claim.elapsed,
        claim.value,
        claim.time_ref,
        claim.as_of,
        s.role,
        s.event,
        s.event_day,
        s.event_weekday,
    )


def _verdicts(
    claims: Sequence[Claim], published: Mapping[str, DateRange | None], texts: Mapping[str, str]
) -> list[Verdict]:
    """Return the verdict of every disagreeing pair of a fact's claims, in pair order.

    A pair from two reports is judged once per pair of profiles; the verdicts it shares
    name the pair's own claims and the reason of the first pair with those profiles
    (only a finding's first verdict is ever worded, and it is judged again in full).
    Pairs within one report, and pairs with a reference fact, are judged one by one.
    """
    ids: dict[tuple[object, ...], int] = {}
    profiles = [ids.setdefault(_profile(c, published), len(ids)) for c in claims]
    if len(ids) == len(claims):
        return [
            v for a, b in combinations(claims, 2) if (v := compare_pair(a, b, published, texts))
        ]
    seen: dict[tuple[int, int], Verdict | None] = {}
    out: list[Verdict] = []
    for i, a in enumerate(claims):
        doc = a.span.doc_id
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if b.span.doc_id == doc or REFERENCE_ID in (doc, b.span.doc_id):
                verdict = compare_pair(a, b, published, texts)
            else:
                key = (profiles[i], profiles[j])
                if key in seen:
                    known = seen[key]
                    # The order within a verdict matters to its wording alone.
                    verdict = None if known is None else replace(known, a=a, b=b)
                else:
                    verdict = seen[key] = compare_pair(a, b, published, texts)
            if verdict is not None:
                out.append(verdict)
    return out


Published = Mapping[str, DateRange | None]


def compare_fact(
    fact: Fact, context: tuple[Published, Mapping[str, str]]
) -> tuple[str, list[Finding]]:
    """Compare one fact's claims: return its status and its findings, not yet numbered.

    The unit of work `compare(run=...)` hands out: facts are compared independently,
    and only the numbering of findings needs them all.
    """
    published, texts = context
    checked, findings = compare([fact], published, texts)
    return checked[0].status, findings


def _compare_with(
    run: SharedMap, facts: Sequence[Fact], published: Published, texts: Mapping[str, str]
) -> tuple[list[Fact], list[Finding]]:
    """`compare`, each fact by `run`, the findings numbered here.

    Renumbering findings numbered fact by fact gives the numbers `compare` gives: the
    sort is stable, and each fact's findings are already in their sorted order. A fact
    of one claim has nothing to compare, so it is done here, not sent anywhere.
    """
    many = [fact for fact in facts if len(fact.claims) > 1]
    sent = iter(run(compare_fact, many, (published, texts), _pairs))
    out: list[Fact] = []
    findings: list[Finding] = []
    for fact in facts:
        status, found = (
            next(sent) if len(fact.claims) > 1 else compare_fact(fact, (published, texts))
        )
        out.append(replace(fact, status=status))
        findings.extend(found)
    return out, _numbered(findings)


def _pairs(fact: Fact) -> int:
    """Guess a fact's work: the pairs of its claims compared."""
    return len(fact.claims) * (len(fact.claims) - 1) // 2


def _without_restated_disputes(
    verdicts: list[Verdict], published: Mapping[str, DateRange | None], texts: Mapping[str, str]
) -> list[Verdict]:
    """Drop the cross-report disagreements a report's own dispute already explains.

    When one report gives the company's 4,200 jobs and the union's 5,500, another report
    that gives the company's 4,200 does not contradict the first: it states one side of
    the dispute, and the disputed warning already shows both.
    """
    disputes = [v for v in verdicts if v.kind is FindingKind.DISPUTED]
    if not disputes:
        return verdicts

    def restated(v: Verdict) -> bool:
        if v.kind not in _SERIOUS or v.a.span.doc_id == v.b.span.doc_id:
            return False  # a dispute itself, an update note, one report's own figures
        for d in disputes:
            for inside, outside in ((v.a, v.b), (v.b, v.a)):
                if inside.id not in (d.a.id, d.b.id):
                    continue
                other = d.b if inside.id == d.a.id else d.a
                if compare_pair(outside, other, published, texts) is None:
                    return True
        return False

    return [v for v in verdicts if not restated(v)]


def _rank(kind: FindingKind) -> int:
    return {Severity.ERROR: 3, Severity.WARNING: 2, Severity.NOTE: 1}[_SEVERITY[kind]]


def _status(fact: Fact, kinds: dict[FindingKind, list[Verdict]]) -> str:
    if len(fact.claims) == 1:
        return "single"
    if FindingKind.CONFLICT in kinds or FindingKind.ASSUMPTION in kinds:
        return "conflict"
    if FindingKind.DISPUTED in kinds:
        return "disputed"
    return "consistent"


def _numbered(findings: list[Finding]) -> list[Finding]:
    """Sort findings deterministically (STYLE.md) and number them D1, D2, ..."""
    findings.sort(
        key=lambda f: (-_rank(f.kind), f.code, f.claims[0].span.doc_id, f.claims[0].span.start)
    )
    return [replace(f, id=f"D{n}") for n, f in enumerate(findings, 1)]
