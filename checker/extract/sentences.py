"""Split a document into sentence spans, skipping page furniture.

Sentences never cross a markdown block: each table cell, list item, heading and
paragraph is split on its own, and list markers, table pipes and delimiter rows are
in no sentence, so a figure in one cell never takes a noun from the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from checker.extract.markdown import is_plain, parse_blocks
from checker.lexicon import load

# A sentence ends at . ! ? (and closing quotes) followed by white space, or at a line
# break that ends a paragraph or a headline.
# (The look-ahead lets the engine skip to the next candidate instead of trying each place.)
_END = re.compile(r"(?=[.!?\n])(?:[.!?]+[\"'”’)\]]*(?=\s)|\n)")
# The same matches, where a full stop right after seven ASCII letters sets group 1: it
# closes no abbreviation (`_ABBREVIATION` needs the word before it to be at most six
# letters long, or to hold a dot), so most sentence ends need no further look. Opening
# with the end's first character (not a look-ahead) lets the engine skip to the next
# one in C: twice as fast.
_END_MARKED = re.compile(
    r"[.!?\n](?:(?<=\n)"
    r"|(?<=[A-Za-z]{7}\.)()[.!?]*[\"'”’)\]]*(?=\s)"
    r"|[.!?]*[\"'”’)\]]*(?=\s))"
)
_LONE_CR = re.compile(r"\r(?!\n)")
_ABBREVIATION = re.compile(r"(?:^|[\s(\"“‘'-])((?:[A-Za-z]\.)+[A-Za-z]?|[A-Za-z][a-z]{0,5})\.$")


@cache  # split_sentences runs once per block, so build the set once
def _abbreviations() -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in load("sentences")["abbreviations"]["words"])


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """Return whether the dot at `dot` closes an abbreviation, not a sentence."""
    m = _ABBREVIATION.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return False
    word = m.group(1).lower()
    if "." in word:  # "U.S." "a.m.": an initialism, unless a capital starts a new sentence
        return True
    return word in abbreviations


def _continues(text: str, newline: int, end: int) -> bool:
    """Return whether a single line break falls inside a sentence (wrapped text)."""
    before = text[max(0, newline - 1)]
    nxt = newline + 1
    while nxt < end and text[nxt] in " \t":
        nxt += 1
    if nxt >= end or text[nxt] == "\n":
        return False
    return before.isalnum() and (text[nxt].islower() or text[nxt].isdigit())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence in `text[start:end]`, trimmed of white space."""
    yield from _sentence_spans(text, start, len(text) if end is None else end)


def _sentence_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Return `split_sentences(text, start, stop)` as a list (no generator per block)."""
    out: list[tuple[int, int]] = []
    abbreviations = _abbreviations()
    begin = start
    for m in _END_MARKED.finditer(text, start, stop):
        if m.group(1) is None:
            found = m.group()
            if found == "\n":
                if _continues(text, m.start(), stop):
                    continue
            elif found[0] == "." and _is_abbreviation(text, m.start(), abbreviations):
                continue
        end = m.end()
        # `_add_trimmed`, written out: this runs once per sentence of the corpus.
        kept = text[begin:end].lstrip()
        if kept:
            first = end - len(kept)
            out.append((first, first + len(kept.rstrip())))
        begin = end
    _add_trimmed(out, text, begin, stop)
    return out


def _add_trimmed(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append start..end trimmed of white space, unless nothing is left."""
    # `str.strip` trims what `str.isspace` calls white space, in one call.
    piece = text[start:end]
    kept = piece.lstrip()
    if kept:
        first = start + len(piece) - len(kept)
        out.append((first, first + len(kept.rstrip())))


def prose_segments(length: int, skipped: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Yield the ranges of a text of `length` that are not skipped furniture."""
    pos = 0
    for s, e in sorted(skipped):
        if s > pos:
            yield pos, s
        pos = max(pos, e)
    if pos < length:
        yield pos, length


def document_sentences(text: str, skipped: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the sentence spans of a document, never crossing furniture or a block."""
    if is_plain(text, skipped) and ("\r" not in text or _LONE_CR.search(text) is None):
        # Plain text's blocks are its paragraphs, runs of non-blank lines, and a sentence
        # always ends at the line feed before a blank line (`_continues`): each stretch
        # of prose split whole gives the sentences of its paragraphs split one by one,
        # with no block built. Most documents are plain. (A carriage return alone breaks
        # a line too, but ends no sentence.)
        out: list[tuple[int, int]] = []
        for start, end in prose_segments(len(text), skipped):
            out.extend(_sentence_spans(text, start, end))
        return out
    return _block_sentences(text, skipped)


def _block_sentences(text: str, skipped: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return `document_sentences(text, skipped)`, split block by block."""
    out: list[tuple[int, int]] = []
    segments = list(prose_segments(len(text), skipped))
    first = 0
    for block in parse_blocks(text, skipped):
        while first < len(segments) and segments[first][1] <= block.start:
            first += 1
        index = first
        while index < len(segments) and segments[index][0] < block.end:
            start, end = segments[index]
            out.extend(_sentence_spans(text, max(start, block.start), min(end, block.end)))
            index += 1
    return out
