"""Tokens, light stemming and lexicon phrase lookup, shared by every stage."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

from checker.lexicon import load

# Words, abbreviations with inner dots ("U.S."), and digit runs. Hyphens split words
# so that "US-led" yields "US" and "al-Assad" yields "Assad".
_TOKEN = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?|\d+(?:[.,]\d+)*")
_POSSESSIVE = re.compile(r"['’]s?$")


class Token(NamedTuple):
    """A word or digit run with its offsets in the document text.

    A named tuple rather than a frozen dataclass: every sentence makes dozens, and a
    tuple is built several times faster while staying immutable.
    """

    start: int
    end: int
    raw: str
    low: str
    stem: str

    @property
    def capitalised(self) -> bool:
        """Return whether the word starts with a capital letter."""
        return self.raw[:1].isupper()


@cache
def normalise_word(raw: str) -> str:
    """Lower-case a word, drop a possessive and a sentence-final dot."""
    low = raw.lower().replace("’", "'")
    if low.endswith(".") and "." not in low[:-1]:
        low = low[:-1]
    return _POSSESSIVE.sub("", low) if len(low) > 2 else low


_SUFFIXES = ("ations", "ation", "ated", "ating", "ings", "ing", "ions", "ion", "ed", "es", "s")


@cache
def stem(word: str) -> str:
    """Strip common English suffixes so "invaded", "invading" and "invasion" meet."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ion", "ions") and base.endswith("s"):
                base = base[:-1]  # invasion -> inva(s) -> inva, matching invad- below
            if base.endswith(("d", "t", "s")) and suffix in ("ed", "ing", "ings"):
                base = base[:-1]
            if len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]  # "targetted" -> "target"
            return base
    return word


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the tokens of `text[start:end]` with offsets into `text`."""
    out = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        raw, stop = m.group(), m.end()
        if raw.endswith(".") and "." not in raw[:-1]:
            raw, stop = raw[:-1], stop - 1  # a full stop, not part of the word ("years.")
        low = normalise_word(raw)
        out.append(Token(m.start(), stop, raw, low, stem(low)))
    return out


class PhraseTable:
    """Map word sequences (matched on normalised tokens) to canonical keys.

    Built from a lexicon table `{key: [surface forms]}`; the longest form wins.
    """

    def __init__(self, table: dict[str, Sequence[str]]) -> None:
        self._forms: dict[tuple[str, ...], str] = {}
        for key, forms in table.items():
            for form in (key, *forms):
                words = tuple(normalise_word(w) for w in form.split())
                self._forms.setdefault(words, key)
                # Stemmed forms catch inflections the file does not list.
                self._forms.setdefault(tuple(stem(w) for w in words), key)
        self.longest = max((len(k) for k in self._forms), default=1)
        # First words of every form: most tokens start none, and are dismissed at once.
        self._first = frozenset(k[0] for k in self._forms if k)

    def match_at(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        """Return (key, number of tokens) for the longest form starting at token i."""
        if i >= len(tokens) or (
            tokens[i].low not in self._first and tokens[i].stem not in self._first
        ):
            return None
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            key = self._forms.get(tuple(t.low for t in window))
            if key is None:
                key = self._forms.get(tuple(t.stem for t in window))
            if key is not None:
                return key, n
        return None

    def forms_of(self, key: str) -> list[tuple[str, ...]]:
        """Return the word sequences (as written, lower-cased) that map to `key`."""
        return [words for words, k in self._forms.items() if k == key]

    def find(self, tokens: Sequence[Token]) -> list[tuple[int, str, int]]:
        """Return every (token index, key, length) match, left to right, not overlapping."""
        found = []
        i = 0
        while i < len(tokens):
            hit = self.match_at(tokens, i)
            if hit:
                found.append((i, hit[0], hit[1]))
                i += hit[1]
            else:
                i += 1
        return found


@cache
def phrase_table(lexicon: str, table: str) -> PhraseTable:
    """Return the cached phrase table for `[table]` of lexicon file `lexicon`."""
    return PhraseTable(load(lexicon)[table])


@cache
def word_set(lexicon: str, table: str, key: str = "words") -> frozenset[str]:
    """Return a lexicon word list as a set of normalised words."""
    return frozenset(normalise_word(w) for w in load(lexicon)[table][key])


def content_stems(tokens: Iterable[Token]) -> list[str]:
    """Return the stems of tokens that are not stopwords or digits, in order."""
    stop = word_set("subjects", "stopwords")
    return [
        t.stem for t in tokens if t.low not in stop and not t.low[0].isdigit() and len(t.low) > 1
    ]
