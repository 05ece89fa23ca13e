"""Tokens, light stemming and lexicon phrase lookup, shared by every stage."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache
from itertools import accumulate, repeat
from operator import add
from typing import Any, NamedTuple

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
    # One split of the span gives the gaps and the tokens in turn (`_TOKEN` looks at
    # nothing outside its match, so the slice reads as the span does), and their lengths
    # give every offset. Each step below runs over all tokens at once inside the
    # interpreter's own loops (`map`, `zip`), with no Python code per token.
    start = max(start, 0)
    stop = len(text) if end is None else max(start, end)
    span = text[start:stop]
    parts = (_ASCII_TOKEN_SPLIT if span.isascii() else _TOKEN_SPLIT).split(span)
    matched = parts[1::2]
    forms = _FORMS
    try:
        found = list(map(forms.__getitem__, matched))
    except KeyError:
        found = [_known_form(m) for m in matched]
    # The offsets of the parts (gap, token, gap, ..., gap) and of the end: past the
    # first, they pair up as each token's (start, end), and zip drops the unpaired last
    # one; no list of them is built.
    offsets = accumulate(map(len, parts), initial=start)
    next(offsets)
    # (start, end) + (raw, low, stem) is a token's fields in order.
    return list(
        map(_new_tuple, repeat(Token), map(add, zip(offsets, offsets, strict=False), found))
    )


# `_TOKEN` split on, with a full stop after a word left to the gap that follows unless
# the word has inner dots ("U.S."): so every token as matched is the token as read.
_TOKEN_SPLIT = re.compile(
    r"([^\W\d_]+(?:['’][^\W\d_]+)*(?:\.[^\W\d_]+(?:['’.][^\W\d_]+)*\.?)?"
    r"|\d+(?:[.,]\d+)*)"
)
# The same on ASCII text, where its letters and digits are these: the engine tests a
# character against a small set faster than against Unicode categories.
_ASCII_TOKEN_SPLIT = re.compile(
    r"((?=[A-Za-z0-9])(?:[A-Za-z]+(?:'[A-Za-z]+)*(?:\.[A-Za-z]+(?:['.][A-Za-z]+)*\.?)?"
    r"|[0-9]+(?:[.,][0-9]+)*))"
)
_new_tuple = tuple.__new__
# Each distinct token read once: (raw, low, stem).
_FORMS: dict[str, tuple[str, str, str]] = {}
_MAX_FORMS = 1 << 17


def _known_form(matched: str) -> tuple[str, str, str]:
    form = _FORMS.get(matched)
    if form is None:
        if len(_FORMS) >= _MAX_FORMS:
            _FORMS.clear()  # hostile text of endless distinct words: start again
        low = normalise_word(matched)
        form = _FORMS[matched] = (matched, low, stem(low))
    return form


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
        # The lengths of the forms each word starts, longest first: most tokens start
        # none and are dismissed at once, and only lengths some form has are tried.
        lengths: dict[str, set[int]] = {}
        for k in self._forms:
            if k:
                lengths.setdefault(k[0], set()).add(len(k))
        self._lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}

    def match_at(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        """Return (key, number of tokens) for the longest form starting at token i."""
        if i >= len(tokens):
            return None
        tok = tokens[i]
        by_low, by_stem = self._lengths.get(tok.low), self._lengths.get(tok.stem)
        if by_low is None or by_low is by_stem:
            if by_stem is None:
                return None
            lengths = by_stem
        elif by_stem is None:
            lengths = by_low
        else:
            lengths = tuple(sorted({*by_low, *by_stem}, reverse=True))
        room = len(tokens) - i
        for n in lengths:
            if n > room:
                continue
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

    def find(
        self, tokens: Sequence[Token], starters: AbstractSet[str] | None = None
    ) -> list[tuple[int, str, int]]:
        """Return every (token index, key, length) match, left to right, not overlapping.

        `starters`, when given, holds every word (or stem) that can open a form: other
        tokens are not tried, which is most of them in most sentences.
        """
        candidates = (
            range(len(tokens))
            if starters is None
            # Picked in one comprehension rather than a loop step per token.
            else [i for i, t in enumerate(tokens) if t.low in starters or t.stem in starters]
        )
        found = []
        free = 0  # a match is tried only where no earlier match covers
        for i in candidates:
            if i < free:
                continue
            hit = self.match_at(tokens, i)
            if hit:
                found.append((i, hit[0], hit[1]))
                free = i + hit[1]
        return found


@cache
def phrase_table(lexicon: str, table: str) -> PhraseTable:
    """Return the cached phrase table for `[table]` of lexicon file `lexicon`."""
    return PhraseTable(load(lexicon)[table])


@cache
def word_set(lexicon: str, table: str, key: str = "words") -> frozenset[str]:
    """Return a lexicon word list as a set of normalised words."""
    return frozenset(normalise_word(w) for w in load(lexicon)[table][key])


def alternation(words: Iterable[str]) -> str:
    """Return a regex that matches any of the words, as a trie of their characters.

    It matches what the alternation of the words longest first matches, wherever both
    are tried: the words that match at one position are prefixes of each other, and the
    trie tries the longer of them first. The engine reads each character once instead
    of trying every word at every position (5-15x faster on a hundred words).
    """
    trie: dict[str, dict[str, Any]] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie) if trie else "(?!)"


def _trie_pattern(node: dict[str, dict[str, Any]]) -> str:
    branches = [re.escape(char) + _trie_pattern(node[char]) for char in sorted(node) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


# A character other than an ASCII letter that a case-insensitive pattern takes for one
# ("ı" for i, "ſ" for s, the Kelvin sign for k); found by the engine's own folding.
_FOLDS_TO_ASCII = re.compile(r"(?=[^A-Za-z])(?i:[a-z])")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4)  # the document being read asks several times
def ascii_folded(text: str) -> str | None:
    """Return the text lower-cased if a case-sensitive search of it for lower-case ASCII
    words finds exactly what a case-insensitive search of the text finds, else None.

    That holds when lower-casing changes ASCII letters only (so every offset stays) and
    no other character folds to an ASCII letter. Searching the folded text lets the
    engine compare characters directly, several times faster than ignoring case.
    """
    others = non_ascii_characters(text)
    # Lower-casing changes ASCII letters only when it changes no other character on its
    # own: the one rule that looks at a character's neighbours (a final sigma) maps a
    # capital sigma to a letter other than itself either way. Looking at the few
    # characters outside ASCII spares comparing the whole text with a copy.
    if any(c.lower() != c for c in others):
        return None
    return None if any(_FOLDS_TO_ASCII.match(c) for c in others) else text.lower()


def _ascii_folded_plainly(text: str) -> str | None:
    """Return `ascii_folded(text)` by comparing the text lower-cased two ways."""
    low = text.lower()
    if low != text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass"):
        return None
    others = set(_NON_ASCII.findall(text))
    return None if any(_FOLDS_TO_ASCII.match(c) for c in others) else low


@lru_cache(maxsize=4)  # the document being read asks several times
def non_ascii_characters(text: str) -> frozenset[str]:
    """Return the characters of the text outside ASCII."""
    return frozenset(_NON_ASCII.findall(text))


class WordTrigger:
    """Finds a digit or one of a set of words, in any case, within part of a text."""

    def __init__(self, words: Iterable[str]) -> None:
        low = {w.lower() for w in words}
        trie = alternation(sorted(low))
        body = r"\d|\b(?:" + trie + r")\b"
        self._anycase = re.compile(body, re.IGNORECASE)
        # Only lower-case ASCII words can be found in `ascii_folded` text as they are.
        self._folded = re.compile(body) if all(w.isascii() for w in low) else None
        self._folded_at_start: re.Pattern[str] | None = None
        if self._folded is not None and all(w[:1].isalpha() for w in low):
            # The same search, where every word starts with a letter: a word found past
            # the span's first character has a character that is no letter or digit
            # right before it, and a digit is no letter either. Opening with "not a
            # lower-case ASCII letter" (folded text has no capital ones) lets the engine
            # skip through the letters of words instead of trying the whole pattern at
            # each: a third faster. A word at the span's start is matched on its own.
            self._folded_at_start = re.compile(r"\b(?:" + trie + r")\b")
            self._folded = re.compile(r"[^a-z](?:(?<=\d)|(?<=\W)(?=(?:" + trie + r")\b))")

    def found(self, text: str, folded: str | None, start: int, end: int) -> bool:
        """Return whether text[start:end] holds a digit or one of the words.

        `folded` is `ascii_folded(text)`, computed once per document, or None.
        """
        if folded is not None and self._folded is not None:
            at_start = self._folded_at_start
            if at_start is not None and at_start.match(folded, start, end) is not None:
                return True
            return self._folded.search(folded, start, end) is not None
        return self._anycase.search(text, start, end) is not None


def content_stems(tokens: Iterable[Token], stop: AbstractSet[str] | None = None) -> list[str]:
    """Return the stems of tokens that are not stopwords or digits, in order.

    `stop` replaces the lexicon's stopwords: a caller that skips more words passes
    them together with the stopwords, and the tokens are read once.
    """
    if stop is None:
        stop = word_set("subjects", "stopwords")
    return [
        t.stem for t in tokens if t.low not in stop and not t.low[0].isdigit() and len(t.low) > 1
    ]
