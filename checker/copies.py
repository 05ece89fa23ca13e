"""Recognise syndicated copies: documents that are mostly the same text.

A wire story reprinted by three outlets is one source, not three: its copies' agreement
is not independent confirmation, and a date one copy states bounds the date of a copy
that states none. Copies are found by shared word shingles through an inverted index,
so the corpus is never compared document by document.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import timedelta

from checker.model import DateRange, DateSource, Document

_WORD = re.compile(r"[^\W\d_]+|\d+")
# Words per shingle, the share of shingles two copies must share, and how common a
# shingle may be before it says nothing (boilerplate in every report of an outlet).
_SHINGLE = 5
_MIN_JACCARD = 0.5
_COMMON_SHARE = 0.5
# How far a copy's date may lie from the dated copies it was reprinted beside.
_REPRINT_DAYS = 3


def _shingles(doc: Document) -> set[int]:
    words = [w.lower() for w in _WORD.findall(doc.text)]
    return {hash(tuple(words[i : i + _SHINGLE])) for i in range(max(0, len(words) - _SHINGLE + 1))}


def copy_groups(documents: Sequence[Document]) -> dict[str, int]:
    """Return a group number for every document; copies of one text share a number."""
    shingles = {d.id: _shingles(d) for d in documents}
    holders: dict[int, list[str]] = defaultdict(list)
    for doc_id, found in shingles.items():
        for shingle in found:
            holders[shingle].append(doc_id)
    limit = max(2, int(_COMMON_SHARE * len(documents)))
    parent = {d.id: d.id for d in documents}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id, found in shingles.items():
        shared: Counter[str] = Counter()
        for shingle in found:
            ids = holders[shingle]
            if 1 < len(ids) <= limit:
                shared.update(other for other in ids if other > doc_id)
        for other, count in shared.items():
            union = len(found) + len(shingles[other]) - count
            if union and count / union >= _MIN_JACCARD:
                parent[root(other)] = root(doc_id)
    roots = {root(d.id) for d in documents}
    number = {r: n for n, r in enumerate(sorted(roots))}
    return {d.id: number[root(d.id)] for d in documents}


def date_from_copies(doc: Document, copies: Sequence[Document]) -> DateRange | None:
    """Return a bounded estimate of an undated copy's date from its dated copies."""
    dated = [c.published for c in copies if c.published is not None and c.id != doc.id]
    if doc.published is not None or not dated:
        return None
    slack = timedelta(days=_REPRINT_DAYS)
    return DateRange(
        min(d.earliest for d in dated) - slack,
        max(d.latest for d in dated) + slack,
        DateSource.INFERRED,
    )
