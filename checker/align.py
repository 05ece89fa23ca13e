"""Group claims that state the same fact, across documents and within one.

Claims are blocked by what they measure (the event a date belongs to; the role and
kind of a count), so alignment never builds a corpus-wide pair matrix. Within a block
a claim joins the first group whose every member is compatible with it: same thing,
same place, same event, a compatible event time and enough shared context. Requiring
every member keeps chains ("Iraq" ~ unknown ~ "Syria") from merging places.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from rapidfuzz import fuzz

from checker.ambiguity import vague_subjects
from checker.extract.subject import GENERIC_THING as _GENERIC_THING
from checker.facts import REFERENCE_ID
from checker.model import Claim, DateRange, Fact, Kind, Subject, names_a_year
from checker.parallel import SharedMap, map_here
from checker.stories import Stories

# Least context similarity (rapidfuzz token-set ratio over keyword stems, 0-100) for
# two claims to be one fact. Dates of events share few words beyond the event, so
# they need more shared context than counts, which already agree on thing and role.
_MIN_CONTEXT = {"when": 55.0, "count": 45.0, "other": 50.0}
# Claims agreeing on this many stated qualifiers (thing, role, place, event, event
# time, nationality) are one fact however differently their sentences are worded.
_SPECIFIC = 3
# A date's subject is its event and what the event happened to ("the dam" completed).
_SPECIFIC_EVENT = 2
# Within one report, figures this close (in characters) with the same role retell one fact.
_NEARBY_CHARS = 400
# The shortest head that may be the end of a compound one ("bird" in "seabird").
_COMPOUND_MIN = 4
# The thing of a figure only a role noun names ("the death toll", "the wounded"): some
# people, who may be the troops, the villagers or the crew.
_PEOPLE = frozenset({"person", _GENERIC_THING})
# Context a sum or share that names no thing must share to meet another.
_UNNAMED_CONTEXT = 80.0
# An event more than this many days before its report is a past one ("the 1998 quake").
_HISTORIC_DAYS = 365
# Years in one unit of time, to tell a past event from a recent one.
_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}


def block_key(claim: Claim) -> tuple[str, ...] | None:
    """Return the block a claim is compared within, or None if it cannot be aligned."""
    s = claim.subject
    if s.part:
        return None  # "about 90 of them": a subset of a figure, named only by its clause
    if claim.kind is Kind.DATE or claim.elapsed:
        return ("when", s.event) if s.event else None
    if claim.kind is Kind.COUNT:
        if s.thing is None and s.role is None:
            return None
        return ("count", s.role or "-")
    if claim.kind is Kind.DURATION:
        return ("duration", s.event) if s.event else None
    return (claim.kind.value, claim.value.unit or "-", s.role or "-")


def _same_or_missing(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _same_thing(a: str | None, b: str | None) -> bool:
    """Return whether two things can be one: equal, missing, or one a compound of the
    other ("seabirds" and "birds", "firefighters" and "fighters" stay apart only by
    their context)."""
    if _same_or_missing(a, b) or _GENERIC_THING in (a, b):
        return True  # "the dead" may be the troops, the villagers or the crew
    assert a is not None and b is not None
    short, long = sorted((a, b), key=len)
    return len(short) >= _COMPOUND_MIN and long.endswith(short)


def _timed(s: Subject) -> bool:
    return s.event_day is not None or s.event_weekday is not None


def _events_compatible(a: Claim, b: Claim, main: Mapping[str, str]) -> bool:
    """Return whether two subjects can hang from one event.

    A figure that names no event is about the story's main event (the one its document
    names most). So "740 people had been injured" meets "690 were injured in Sunday's
    quake" in a story about the quake, but "17 people were killed" in a story about a
    flood does not meet "Monday's landslide killed three".
    """
    sa, sb = a.subject, b.subject
    if sa.event is not None and sb.event is not None:
        return sa.event == sb.event
    if sa.event is None and sb.event is None:
        return True
    named, bare = (a, b) if sa.event is not None else (b, a)
    if not _timed(named.subject):
        return True
    return main.get(bare.span.doc_id) == named.subject.event


def _historic(claim: Claim) -> bool:
    """Return whether a claim's event happened long before its report ("the 1998 quake").

    Such a figure is about a past event, never about the story's current one.
    """
    day, published = claim.subject.event_day, claim.as_of
    if day is None or published is None:
        return False
    return (published.earliest - day.latest).days > _HISTORIC_DAYS


def _same_past(a: Subject, b: Subject) -> bool:
    """Return whether two subjects both date their event, to days that can be one."""
    if a.event_day is None or b.event_day is None:
        return False
    return not (
        a.event_day.latest < b.event_day.earliest or b.event_day.latest < a.event_day.earliest
    )


def _counted(claim: Claim) -> bool:
    """Return whether a time claim is counted from its report's date ("N years ago")."""
    return claim.time_ref is not None and claim.time_ref.from_publication


def _past(claim: Claim) -> bool | None:
    """Return whether a time claim dates an event over a year before its report, or None
    when that cannot be told (an undated report's absolute date)."""
    ref = claim.time_ref
    if claim.kind is Kind.DURATION:
        low = claim.value.low
        years = float(low) if isinstance(low, (int, float)) else 0.0
        return years * _YEARS.get(claim.value.unit or "", 0) >= 1
    if ref is not None and ref.from_publication:
        return -ref.high * _YEARS.get(ref.unit, 0) >= 1
    high, published = claim.value.high, claim.as_of
    if not isinstance(high, date) or published is None:
        return None
    return (published.earliest - high).days > _HISTORIC_DAYS


def _reported_apart(a: Claim, b: Claim) -> bool:
    """Return whether two claims' reports were published over a year apart."""
    if a.as_of is None or b.as_of is None:
        return False
    gap = max((b.as_of.earliest - a.as_of.latest).days, (a.as_of.earliest - b.as_of.latest).days)
    return gap > _HISTORIC_DAYS


def name_events(claims: Sequence[Claim]) -> list[Claim]:
    """Give a date that names no event the one event the corpus dates for its name.

    "Nine years ago we had the Marisol" names a ship, not what happened to it; when the
    other reports date one event of the Marisol ("the tanker Marisol ran aground in
    2011"), that is the event meant. A name with several dated events stays unresolved.
    """
    events: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        s = claim.subject
        if claim.kind is Kind.DATE and s.event is not None and s.thing is not None:
            events[s.thing].add(s.event)
    out = []
    for claim in claims:
        s = claim.subject
        named = events.get(s.thing or "") if claim.kind is Kind.DATE and s.event is None else None
        if named is not None and len(named) == 1:
            (event,) = named
            claim = replace(claim, subject=replace(s, event=event))
        out.append(claim)
    return out


def main_events(claims: Iterable[Claim], stories: Stories | None = None) -> dict[str, str]:
    """Return each document's main event: of the events its figures name, the one its
    figures and its story's other reports name most.

    A report's own counts alone are noisy: a press release "announces" its figures and
    a results sheet counts a "vote", while the story is a landslide or an election.
    Each other report of the story (`stories`; all reports without it) that names an
    event weighs as much as one of the report's own mentions, so the reports of one
    story agree on its event where they can; an event the report never names is never
    its main one.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for claim in claims:
        if claim.subject.event is not None:
            counts[claim.span.doc_id][claim.subject.event] += 1
    naming: Counter[str] = Counter()  # event -> reports naming it
    for events in counts.values():
        naming.update(events.keys())
    main: dict[str, str] = {}
    for doc, events in counts.items():
        if len(events) == 1:
            main[doc] = next(iter(events))  # one event named: nothing to weigh
            continue
        near = None if stories is None else stories.neighbours.get(doc)
        main[doc] = max(
            sorted(events),
            key=lambda e: (events[e] + _mates_naming(e, doc, near, naming, counts), events[e]),
        )
    return main


def _mates_naming(
    event: str,
    doc: str,
    near: frozenset[str] | None,
    naming: Counter[str],
    counts: Mapping[str, Counter[str]],
) -> int:
    """Return how many other reports that can share `doc`'s story name `event`.

    `near`: the reports that can (see `Stories`); None when any can.
    """
    if near is None:
        return naming[event] - 1
    return sum(1 for other in near if other != doc and event in counts.get(other, ()))


def _days(r: DateRange) -> tuple[int, int]:
    return r.earliest.toordinal(), r.latest.toordinal()


def _weekdays(r: DateRange) -> set[int]:
    span = (r.latest - r.earliest).days
    if span >= 6:
        return set(range(7))
    return {(r.earliest + timedelta(days=k)).weekday() for k in range(span + 1)}


def times_compatible(a: Subject, b: Subject) -> bool:
    """Return whether two event times can name the same day.

    A time only pins an event: "the toll rose to 31 on Thursday" dates the report of a
    running total, so without an event on both sides times are not compared.
    """
    if a.event is None or b.event is None:
        return True
    if a.event_day and b.event_day:
        lo_a, hi_a = _days(a.event_day)
        lo_b, hi_b = _days(b.event_day)
        if hi_a < lo_b or hi_b < lo_a:
            return False
    for x, y in ((a, b), (b, a)):
        if x.event_weekday is not None:
            if y.event_weekday is not None and x.event_weekday != y.event_weekday:
                return False
            if y.event_day is not None and x.event_weekday not in _weekdays(y.event_day):
                return False
    return True


def context_similarity(a: Subject, b: Subject) -> float:
    """Return how much context two subjects share (0-100)."""
    if not a.keywords or not b.keywords:
        return 0.0
    return float(fuzz.token_set_ratio(" ".join(sorted(a.keywords)), " ".join(sorted(b.keywords))))


def compatible(
    a: Claim, b: Claim, main: Mapping[str, str] | None = None, *, apart: bool = False
) -> bool:
    """Return whether two claims can be statements of one fact.

    `main` gives each document's main event (see `main_events`). With `apart` the two
    claims are judged as if they stood in different reports, whatever their documents:
    the verdict every pair of claims with their profiles (`_profile`) gets across reports.
    """
    sa, sb = a.subject, b.subject
    same_report = a.span.doc_id == b.span.doc_id and not apart
    a_elapsed, b_elapsed = a.elapsed, b.elapsed  # read once: this runs for every pair
    family = (
        "when" if a.kind is Kind.DATE or a_elapsed else "count" if a.kind is Kind.COUNT else "other"
    )
    # A date's "thing" is what its event happened to, read loosely ("the dam" was
    # completed): agreement counts for the pair, disagreement does not part them. A
    # year that names its event ("the 2005 Framework Agreement") is the name's only:
    # it says nothing of "the coastal protection treaty".
    loose = family == "when" and not (names_a_year(sa) or names_a_year(sb))
    if not loose and not _same_thing(sa.thing, sb.thing):
        return False
    if not _same_or_missing(sa.place, sb.place):
        return False
    if not _events_compatible(a, b, main or {}) or not times_compatible(sa, sb):
        return False
    if _historic(a) or _historic(b):
        if not _same_past(sa, sb):
            return False
    elif family != "when" and _reported_apart(a, b):
        return False  # a flood's toll in 2016 and in 2024: the news of two floods
    if sa.modifiers and sb.modifiers and not set(sa.modifiers) & set(sb.modifiers):
        return False
    if sa.phase and sb.phase and sa.phase != sb.phase:
        return False  # "the strike began on 3 May" and "ended on 10 May" date two things
    if a.kind is not b.kind and not (a_elapsed or b_elapsed):
        return False
    if REFERENCE_ID in (a.span.doc_id, b.span.doc_id):
        # An editor's reference fact names its subject on purpose and briefly: the
        # qualifiers checked above are enough, and its few words cannot match a context.
        return True
    if family == "when":
        past_a, past_b = _past(a), _past(b)
        if None not in (past_a, past_b) and past_a != past_b:
            return False  # "22 years ago" is never this week's quake
        if past_a is False and past_b is False and _reported_apart(a, b):
            return False  # news of a flood in 2016 and in 2024: two floods
        if past_a and past_b and sa.event and (_counted(a) or _counted(b)):
            # "22 years ago" beside "in 1998", same event word: a time counted back from
            # a report names its event and little more, so no context is asked of it.
            return True
    if family == "when" and same_report and _overlap(a, b):
        return True  # one report dating one event twice, consistently
    # A date's event is its subject; a figure that names none hangs from its report's.
    events = (sa.event, sb.event) if family == "when" else _events_meant(a, b, main or {})
    if _shared_qualifiers(sa, sb, events) >= (_SPECIFIC_EVENT if family == "when" else _SPECIFIC):
        return True
    if family == "count" and same_report and _nearby(a, b) and sa.role is not None:
        return True  # one report, a few sentences apart, the same role: one figure retold
    needed = _MIN_CONTEXT[family]
    if family == "other" and not ((sa.thing or sa.role) and (sb.thing or sb.role)):
        # "$450 million" of what? only near-identical context. A role says what was
        # measured as well as a thing does ("the fire has burned 7,600 hectares").
        needed = _UNNAMED_CONTEXT
    if family == "count" and _anyone(sa) and _anyone(sb):
        # "226 people" on board, "47 people" taken to hospital, "186 people" pulled
        # from the water: people with no role are anyone, unless the words agree.
        needed = _UNNAMED_CONTEXT
    return context_similarity(sa, sb) >= needed


def _anyone(s: Subject) -> bool:
    """Return whether a count's subject is people it says nothing about: no role, no
    other thing."""
    return s.role is None and (s.thing is None or s.thing in _PEOPLE)


def _events_meant(a: Claim, b: Claim, main: Mapping[str, str]) -> tuple[str | None, str | None]:
    """Return the events two figures hang from: the one each names, else the main event
    of its report (see `_events_compatible`)."""
    return (
        a.subject.event or main.get(a.span.doc_id),
        b.subject.event or main.get(b.span.doc_id),
    )


def _shared_qualifiers(
    a: Subject, b: Subject, events: tuple[str | None, str | None] | None = None
) -> int:
    """Count the qualifiers both subjects state and agree on.

    `events`: the events the two figures hang from, when not their subjects' own.
    """
    event_a, event_b = events or (a.event, b.event)
    shared = sum(
        x is not None and x == y
        for x, y in ((a.role, b.role), (a.place, b.place), (event_a, event_b))
    )
    shared += a.thing is not None and (a.thing == b.thing or {a.thing, b.thing} == _PEOPLE)
    shared += bool(set(a.modifiers) & set(b.modifiers))
    shared += (a.event_day is not None or a.event_weekday is not None) and (
        b.event_day is not None or b.event_weekday is not None
    )
    return shared


def _nearby(a: Claim, b: Claim) -> bool:
    return abs(a.sentence.start - b.sentence.start) <= _NEARBY_CHARS


def _overlap(a: Claim, b: Claim) -> bool:
    lo_a, hi_a, lo_b, hi_b = a.value.low, a.value.high, b.value.low, b.value.high
    if not all(isinstance(x, date) for x in (lo_a, hi_a, lo_b, hi_b)):
        return False
    return not (hi_a < lo_b or hi_b < lo_a)  # type: ignore[operator]


def _profile(claim: Claim, main: Mapping[str, str]) -> tuple[object, ...]:
    """Return everything `compatible` reads of a claim except which report and where.

    Claims with one profile get one verdict against any claim of another report, so
    syndicated copies and retold figures are compared once, not once per copy. A
    figure's value matters only to claims about when something happened; its report's
    date matters to every claim (`_reported_apart`).
    """
    s = claim.subject
    when = claim.kind is Kind.DATE or claim.elapsed
    return (
        claim.kind,
        claim.elapsed,
        s.thing,
        s.role,
        s.place,
        s.event,
        s.modifiers,
        s.event_day,
        s.event_weekday,
        s.phase,
        s.keywords,
        claim.as_of,  # see `_reported_apart`
        (claim.value, claim.time_ref) if when else None,
        main.get(claim.span.doc_id),
        claim.span.doc_id == REFERENCE_ID,
    )


class _Group:
    """A fact being built: its claims, its reports, and the claims of each profile."""

    __slots__ = ("allowed", "by_profile", "claims", "closed", "docs", "index")

    def __init__(self) -> None:
        self.index = 0
        self.closed: set[str] = set()  # its reports that stress a telling name
        # With two closed reports or more: the reports that can share a story with all.
        self.allowed: frozenset[str] = frozenset()
        self.claims: list[Claim] = []
        self.by_profile: dict[int, list[Claim]] = {}
        self.docs: set[str] = set()

    def add(self, claim: Claim, profile: int) -> None:
        self.claims.append(claim)
        self.by_profile.setdefault(profile, []).append(claim)
        self.docs.add(claim.span.doc_id)


class _Candidates:
    """Find the groups a claim's report can share a story with, without a scan.

    A group can take a claim only if every closed report in it can share a story with
    the claim's (`checker.stories`; the relation is symmetric). Groups are indexed by
    how many closed reports they hold, so a lookup finds exactly those groups, in the
    order they were opened:
    - none: every report can join (`free`);
    - one, `m`: the reports near `m` can (`solo[m]`, read through the neighbours);
    - more: the reports near all of them can (`reach[doc]`, kept as they join).
    An open report can join any group.
    """

    def __init__(self, stories: Stories | None) -> None:
        self.stories = stories
        self.groups: list[_Group] = []
        self.free: set[int] = set()
        self.solo: dict[str, set[int]] = defaultdict(set)
        self.reach: dict[str, set[int]] = defaultdict(set)

    def among(self, doc: str) -> Iterable[_Group]:
        stories = self.stories
        near = None if stories is None else stories.neighbours.get(doc)
        if near is None:
            return self.groups
        found = set(self.free)
        solo = self.solo
        for other in near:
            if other in solo:
                found.update(solo[other])
        found.update(self.reach.get(doc, ()))
        return [self.groups[i] for i in sorted(found)]

    def add(self, group: _Group, claim: Claim, profile: int) -> None:
        if not group.claims:
            group.index = len(self.groups)
            self.groups.append(group)
            self.free.add(group.index)
        doc = claim.span.doc_id
        stories = self.stories
        if doc not in group.docs and stories is not None and not stories.open(doc):
            self._close(group, doc, stories)
        group.add(claim, profile)

    def _close(self, group: _Group, doc: str, stories: Stories) -> None:
        """Index a group again now that closed report `doc` joins it."""
        index = group.index
        near = stories.neighbours[doc]
        if not group.closed:
            self.free.discard(index)
            self.solo[doc].add(index)
        elif len(group.closed) == 1:
            (first,) = group.closed
            self.solo[first].discard(index)
            group.allowed = stories.neighbours[first] & near
            for other in group.allowed:
                self.reach[other].add(index)
        else:
            allowed = group.allowed & near
            for other in group.allowed - allowed:
                self.reach[other].discard(index)
            group.allowed = allowed
        group.closed.add(doc)


def _cluster(
    claims: Sequence[Claim], main: Mapping[str, str], stories: Stories | None = None
) -> list[list[Claim]]:
    """Put each claim in the first group whose every member is compatible with it.

    Members must also come from reports that can tell one story with the claim's
    (`checker.stories`). The verdict between two profiles is computed once. Within one
    report `compatible` only adds reasons to agree (a date given twice, a figure retold
    nearby), so a profile accepted across reports is accepted within one too; a profile
    refused across reports is asked again, claim by claim, only when all its members
    share the new claim's report.
    """
    ids: dict[tuple[object, ...], int] = {}
    first: list[Claim] = []
    verdicts: dict[tuple[int, int], bool] = {}
    candidates = _Candidates(stories)

    def accepts(group: _Group, claim: Claim, profile: int) -> bool:
        for other, members in group.by_profile.items():
            key = (profile, other)
            agree = verdicts.get(key)
            if agree is None:
                agree = verdicts[key] = compatible(claim, first[other], main, apart=True)
            if agree:
                continue
            doc = claim.span.doc_id
            # The first member usually settles it: most groups span several reports.
            if members[0].span.doc_id != doc or any(m.span.doc_id != doc for m in members):
                return False
            if not all(compatible(claim, m, main) for m in members):
                return False
        return True

    for claim in claims:
        profile = ids.setdefault(_profile(claim, main), len(ids))
        if profile == len(first):
            first.append(claim)
        doc = claim.span.doc_id
        for group in candidates.among(doc):
            if accepts(group, claim, profile):
                break
        else:
            group = _Group()
        candidates.add(group, claim, profile)
    return [g.claims for g in candidates.groups]


def fact_subject(claims: Sequence[Claim]) -> str:
    """Return a readable subject for a fact: the most specific of its claims' subjects."""
    first = claims[0]
    if first.kind is Kind.DATE or first.elapsed:
        named = Counter(c.subject.text for c in claims if c.subject.text.startswith("date of"))
        if named:
            return named.most_common(1)[0][0]
        return f"date of the {first.subject.event}"
    # Each distinct text is weighed once: a fact of many copies repeats a few subjects.
    return max({c.subject.text for c in claims}, key=lambda t: (len(t.split()), t))


def cluster_block(
    block: Sequence[Claim], context: tuple[Mapping[str, str], Stories | None]
) -> list[list[int]]:
    """Group one block's claims (`_cluster`); return each group as positions in `block`.

    The unit of work `align(run=...)` hands out: blocks are independent once the
    corpus-wide main events and stories (`context`) are known. Positions, not claims,
    come back, so a worker returns a few numbers and the caller keeps its own claims.
    """
    main, stories = context
    position = {id(claim): i for i, claim in enumerate(block)}
    return [[position[id(c)] for c in group] for group in _cluster(block, main, stories)]


def align(
    claims: Iterable[Claim], stories: Stories | None = None, *, run: SharedMap | None = None
) -> tuple[Fact, ...]:
    """Return the facts the claims state, each with the claims aligned to it.

    `stories` tells which reports can be about one story; without it any can. `run`
    clusters the blocks (`cluster_block`), on a cluster's workers, say; the facts are
    the same.
    """
    claims = list(claims)
    main = main_events(claims, stories)
    blocks: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
    singles: list[Claim] = []
    vague = vague_subjects(claims)
    for claim in claims:
        key = None if claim.id in vague else block_key(claim)
        if key is None:
            singles.append(claim)
        else:
            blocks[key].append(claim)
    facts: list[tuple[str, tuple[Claim, ...]]] = []
    keys = sorted(blocks)
    work = [blocks[key] for key in keys]
    clustered = (run or map_here)(cluster_block, work, (main, stories), len)
    for key, block, groups in zip(keys, work, clustered, strict=True):
        for group in groups:
            facts.append(("/".join(key), tuple(block[i] for i in group)))
    facts.extend((f"single/{c.id}", (c,)) for c in singles)
    facts.sort(key=lambda f: (f[1][0].span.doc_id, f[1][0].span.start))
    return tuple(
        Fact(
            id=f"F{n}",
            key=key,
            subject=fact_subject(group),
            claims=group,
            status="single" if len(group) == 1 else "consistent",
        )
        for n, (key, group) in enumerate(facts, 1)
    )
