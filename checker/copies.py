"""Recognise syndicated copies: documents that are mostly the same text.

A wire story reprinted by three outlets is one source, not three: its copies' agreement
is not independent confirmation, and a date one copy states bounds the date of a copy
that states none. Copies are found by shared word shingles through an inverted index,
so the corpus is never compared document by document.
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import timedelta

from checker.model import DateRange, DateSource, Document
from checker.parallel import InProcess, Runner

_WORD = re.compile(r"[^\W\d_]+|\d+")
_ASCII_WORD = re.compile(r"[a-z]+|[0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Words per shingle, the share of shingles two copies must share, and how common a
# shingle may be before it says nothing (boilerplate in every report of an outlet).
_SHINGLE = 5
_MIN_JACCARD = 0.5
_COMMON_SHARE = 0.5
# How far a copy's date may lie from the dated copies it was reprinted beside.
_REPRINT_DAYS = 3
# Stable 64-bit numbers of the words seen so far; cleared when it grows past this.
_WORD_IDS: dict[str, int] = {}
_MAX_WORD_IDS = 1 << 18


def _words(text: str) -> list[str]:
    """Return the lower-cased words and digit runs of a text, in order."""
    low = text.lower()
    # Lower-casing the whole text first is the same as lower-casing each word when
    # only ASCII letters change case (bytes.lower() touches ASCII alone); otherwise a
    # letter such as "İ" may lower to two characters and split its word.
    if low != text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass"):
        return [w.lower() for w in _WORD.findall(text)]
    # Curly quotes and dashes are the usual non-ASCII characters of news text; while
    # no letter or digit is among them, the ASCII pattern reads the same words faster.
    if any(c.isalnum() or c == "_" for c in set(_NON_ASCII.findall(low))):
        return _WORD.findall(low)
    return _ASCII_WORD.findall(low)


def _word_ids(words: list[str]) -> list[int]:
    """Return a stable 64-bit number for each word, the same in every process."""
    ids = _WORD_IDS
    new = set(words).difference(ids)
    if len(ids) + len(new) > _MAX_WORD_IDS:
        ids.clear()
        new = set(words)
    for word in new:
        digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        ids[word] = int.from_bytes(digest, "little")
    return list(map(ids.__getitem__, words))


def shingles(text: str) -> set[int]:
    """Return the hashed word shingles of a text, stable across processes.

    A shingle's value is the hash of a tuple of the words' blake2b numbers: unlike a
    string's, the hash of ints and tuples of ints is not salted per process, so shingles
    computed in different workers of one run compare equal.
    """
    ids = _word_ids(_words(text))
    windows = zip(*(ids[k:] for k in range(_SHINGLE)), strict=False)
    return set(map(hash, windows))


def copy_groups(documents: Sequence[Document], runner: Runner | None = None) -> dict[str, int]:
    """Return a group number for every document; copies of one text share a number.

    `runner` (`checker.parallel`) shingles the texts, in a run's worker processes, say.
    """
    packed = (runner or InProcess()).map(packed_shingles, [doc.text for doc in documents])
    ids = [doc.id for doc in documents]
    return _group(
        dict(zip(ids, map(len, packed), strict=True)), dict(zip(ids, packed, strict=True))
    )


def packed_shingles(text: str) -> array[int]:
    """Return a text's distinct shingles (`shingles`) packed in an array.

    A set of 600 shingles costs about 50 kB (an int object and a hash slot each); the
    same numbers in an array cost 5 kB. On 10,000 reports the sets were the run's peak
    memory, so each is packed as soon as it is made.
    """
    return array("q", shingles(text))


def group_shingles(found: Mapping[str, Collection[int]]) -> dict[str, int]:
    """Group documents whose shingle sets overlap enough; number groups by first id.

    Two documents are copies when the shingles they share, leaving out those held by
    more than half the corpus, make at least `_MIN_JACCARD` of their union.
    """
    distinct = {doc_id: set(items) for doc_id, items in found.items()}
    return _group({doc_id: len(items) for doc_id, items in distinct.items()}, distinct)


def _group(sizes: Mapping[str, int], found: Mapping[str, Iterable[int]]) -> dict[str, int]:
    """`group_shingles` of distinct shingles, given each document's number of them."""
    holders: Counter[int] = Counter()
    for items in found.values():
        holders.update(items)
    limit = max(2, int(_COMMON_SHARE * len(found)))
    # Only the shingles that two to `limit` documents hold can make copies; the count
    # of every other shingle is dropped before the documents' shared sets are made.
    telling = {s: n for s, n in holders.items() if 1 < n <= limit}
    del holders
    kept = set(telling)
    shared = {doc_id: kept.intersection(items) for doc_id, items in found.items()}
    parent = {doc_id: doc_id for doc_id in found}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in _candidates(sizes, shared, telling):
        count = len(shared[a] & shared[b])
        union = sizes[a] + sizes[b] - count
        if union and count / union >= _MIN_JACCARD:
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)  # the smallest id roots its group
    roots = {root(doc_id) for doc_id in found}
    number = {r: n for n, r in enumerate(sorted(roots))}
    return {doc_id: number[root(doc_id)] for doc_id in found}


def _candidates(
    sizes: Mapping[str, int], shared: dict[str, set[int]], holders: Mapping[int, int]
) -> Iterable[tuple[str, str]]:
    """Yield, once each, every pair of documents that may be copies (prefix filtering).

    A pair is copies only if they share at least `_MIN_JACCARD` of the larger set's
    shingles, so with the shingles in one order, rarest first, each document's first
    `len(shared) - need + 1` shared shingles must meet the other's: only pairs that
    share one of those are compared, never every pair of documents.
    """
    index: dict[int, list[str]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for doc_id, kept in shared.items():
        need = math.ceil(_MIN_JACCARD * sizes[doc_id])
        size = len(kept) - need + 1
        if need == 0 or size <= 0:
            continue
        # Rarest first, ties by value: one order for every document, sorted in C.
        for shingle in sorted(sorted(kept), key=holders.__getitem__)[:size]:
            index[shingle].append(doc_id)
    for ids in index.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


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
