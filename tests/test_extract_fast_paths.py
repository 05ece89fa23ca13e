"""Fast paths of claim extraction, held equal to the general code they stand for.

Each fast path skips work it can prove yields nothing, or computes the same thing in
fewer steps; these tests compare it with the plain form on random text made of the
words that matter (approximators, lexicon things and roles, reporting verbs, clause
marks, digit runs).
"""

from __future__ import annotations

from collections.abc import Sequence

from casetools import document
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract import approximators, attribution, subject
from checker.extract.claims import (
    Options,
    _DocState,
    _runs_on_after,
    _runs_on_before,
    _Sentence,
)
from checker.text import Token, content_stems, phrase_table, tokenize, word_set

_WORDS = [
    "about", "nearly", "more", "than", "at", "least", "some", "up", "to", "over", "an",
    "estimated", "close", "just", "under", "the", "a", "of", "people", "troops", "killed",
    "wounded", "dead", "missing", "said", "says", "claims", "according", "citing", "told",
    "Syria", "Iraq", "Red", "Cross", "Ilona", "Varga", "spokesperson", "ministry", "in",
    "which", "who", "with", "and", "it", "they", "Monday", "week", "hectares", "attack",
    "invasion", "fire", "earthquake", "Greens", "Alliance's", "number", "toll", "also",
    "Afterwards", "what", "5", "12", "1,200", "2019", "0800", "555",
]  # fmt: skip
_MARKS = [" ", " ", " ", ", ", "; ", ": ", " - ", " (", ") ", " \u2014 ", "-", "\n"]

sentences = st.lists(
    st.tuples(st.sampled_from(_WORDS), st.sampled_from(_MARKS)), min_size=1, max_size=24
).map(lambda parts: "".join(word + mark for word, mark in parts))


def _approximator_reference(tokens: Sequence[Token], index: int) -> object:
    forms, longest = approximators._table()
    for n in range(min(longest, index), 0, -1):
        rule = forms.get(tuple(t.low for t in tokens[index - n : index]))
        if rule is not None:
            return rule, n
    return None


@settings(max_examples=300, deadline=None)
@given(sentences)
def test_approximator_before_matches_trying_every_length(text: str) -> None:
    tokens = tokenize(text)
    for index in range(len(tokens) + 1):
        expected = _approximator_reference(tokens, index)
        assert approximators.approximator_before(tokens, index) == expected


@settings(max_examples=300, deadline=None)
@given(sentences)
def test_event_search_matches_phrase_table_find(text: str) -> None:
    tokens = tokenize(text)
    starters = subject._starters("events")
    table = phrase_table("subjects", "events")
    for lo in range(0, len(tokens) + 1, 3):
        window = tokens[lo:]
        assert subject._find(table, starters, window) == table.find(window, starters)


@settings(max_examples=300, deadline=None)
@given(sentences, st.booleans())
def test_keywords_match_content_stems_of_words_not_skipped(text: str, measure: bool) -> None:
    tokens = tokenize(text)
    skip = subject._measure_context_skip() if measure else subject._weekday_words()
    expected = tuple(dict.fromkeys(content_stems([t for t in tokens if t.low not in skip])))
    assert subject.keywords(tokens, measure=measure) == expected


@settings(max_examples=300, deadline=None)
@given(sentences)
def test_token_clause_matches_clause_of_the_tokens_span(text: str) -> None:
    doc = document(text)
    sentence = _Sentence(doc, Options(), _DocState(text=text), 0, 0, len(text))
    for i, tok in enumerate(sentence.tokens):
        assert sentence.token_clause(i) == sentence.clause(tok.start, tok.end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="12 -a\u0663", max_size=8))
def test_digit_run_edges_match_sliced_reading(text: str) -> None:
    def runs_on(side: str) -> bool:
        return side[:1].isdecimal() or (side[:1] in (" ", "-") and side[1:2].isdecimal())

    for pos in range(len(text) + 1):
        assert _runs_on_after(text, pos) == runs_on(text[pos : pos + 2])
        assert _runs_on_before(text, pos) == runs_on(text[max(0, pos - 2) : pos][::-1])


def _source_reference(text: str, words: Sequence[Token]) -> str | None:
    """`attribution._phrase` as first written: a loop per word."""
    while words and (words[0].low in attribution._ADVERBS or words[0].low in _weekdays()):
        words = words[1:]
    trailing = word_set("subjects", "reporting", "adverbs") | {"had", "has", "have"}
    while words and words[-1].low in trailing:
        words = words[:-1]
    if not words or all(w.low in attribution._PRONOUNS for w in words) or words[0].low == "what":
        return None
    if words[-1].low in _weekdays() or words[-1].low in _months():
        return None
    sources = word_set("subjects", "sources")
    if not any(
        w.low in sources or (w.capitalised and (k > 0 or len(words) == 1))
        for k, w in enumerate(words)
    ):
        return None
    return text[words[0].start : words[-1].end]


def _weekdays() -> frozenset[str]:
    from checker.lexicon import load

    return frozenset(load("calendar")["weekdays"])


def _months() -> frozenset[str]:
    from checker.lexicon import load

    return frozenset(load("calendar")["months"])


@settings(max_examples=300, deadline=None)
@given(sentences)
def test_source_phrase_matches_word_by_word_reading(text: str) -> None:
    tokens = tokenize(text)
    for lo in range(len(tokens)):
        for hi in range(lo, min(len(tokens), lo + 6) + 1):
            words = tokens[lo:hi]
            assert attribution._phrase(text, words) == _source_reference(text, words)
