"""Find subjects too vague to name one fact: a report gives several values for them.

"In the 60-seat assembly, the Alliance will have 24 seats, the Greens 14 ... the
remaining four seats went to ..." — when the extractor reads several of these figures as
plain "seats", the subject it found does not tell the figures apart, so it cannot tell
which figure of another report each one answers. A careful reader would not set "14
seats" in one report against "24 seats" in another without knowing whose seats they
are; neither does the checker. A report that gives two disagreeing values under one
subject from one source (or none) is taken to mean different things by it, not to
contradict itself; two named sources disagreeing stay a dispute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from checker.compare import figure_range, is_conversion, is_time
from checker.model import Claim, Kind

_Signature = tuple[object, ...]


def _signature(claim: Claim) -> _Signature:
    """Return everything alignment knows about a claim's subject, and the report's id."""
    s = claim.subject
    return (
        claim.span.doc_id,
        claim.kind,
        claim.value.unit,
        s.thing,
        s.role,
        s.place,
        s.event,
        s.modifiers,
        s.event_day,
        s.event_weekday,
        s.part,
        s.phase,
    )


def vague_subjects(claims: Iterable[Claim]) -> frozenset[str]:
    """Return the ids of claims whose report gives other values for the same subject."""
    groups: dict[_Signature, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.kind in (Kind.COUNT, Kind.QUANTITY, Kind.MONEY) and not is_time(claim):
            groups[_signature(claim)].append(claim)
    vague: set[str] = set()
    for members in groups.values():
        if len(members) > 1 and _self_contradicting(members):
            vague.update(c.id for c in members)
    return frozenset(vague)


def _self_contradicting(claims: Sequence[Claim]) -> bool:
    """Return whether two of the claims disagree without two different named sources."""
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            disputed = a.attribution and b.attribution and a.attribution != b.attribution
            if disputed or is_conversion(a, b):
                continue
            if figure_range(a).disjoint(figure_range(b)):
                return True
    return False
