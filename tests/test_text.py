"""Shared text helpers: the trie alternation and the case-folded search it speeds up."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.text import (
    PhraseTable,
    Token,
    WordTrigger,
    alternation,
    ascii_folded,
    normalise_word,
    stem,
    tokenize,
)

_WORDS = ["", "day", "days", "dec", "decade", "decades", "a", "an", "and", "ı", "straße", "ſun"]
# Letters that fold to ASCII under IGNORECASE, a letter that lowers to two characters,
# digits of other scripts, word characters that are not letters.
_TEXT = st.text(alphabet=st.sampled_from("dayecnsDAYECNS İıſKß٣_-’ .\n1"), max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=6), _TEXT, st.booleans())
def test_alternation_matches_as_longest_first(words: list[str], text: str, anycase: bool) -> None:
    flags = re.IGNORECASE if anycase else 0
    words = list(dict.fromkeys(w.lower() if anycase else w for w in words))
    plain = re.compile(
        r"\b(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True) or ["(?!)"]) + ")",
        flags,
    )
    trie = re.compile(r"\b(?:" + alternation(words) + ")", flags)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
    ended = re.compile(trie.pattern + r"\b", flags)
    plain_ended = re.compile(plain.pattern + r"\b", flags)
    assert [m.span() for m in ended.finditer(text)] == [
        m.span() for m in plain_ended.finditer(text)
    ]


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.integers(0, 30), st.integers(0, 30))
def test_trigger_on_folded_text_finds_what_ignoring_case_finds(
    text: str, start: int, end: int
) -> None:
    words = ["day", "days", "dec", "sun", "kelvin", "ice"]
    expected = re.compile(
        r"\d|\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE
    )
    trigger = WordTrigger(words)
    want = expected.search(text, start, end) is not None
    assert trigger.found(text, ascii_folded(text), start, end) == want
    assert trigger.found(text, None, start, end) == want


def test_folding_refuses_what_would_move_offsets_or_fold_to_ascii() -> None:
    assert ascii_folded("Daily “News” – 5 DAYS") == "daily “news” – 5 days"
    assert ascii_folded("İzmir") is None  # lowers to two characters
    assert ascii_folded("ſun") is None  # matches "sun" when case is ignored
    assert ascii_folded("\u212aelvin") is None  # the Kelvin sign


def _plain_match_at(table: PhraseTable, tokens: list[Token], i: int) -> tuple[str, int] | None:
    """Every length from the longest down, as PhraseTable first did."""
    for n in range(min(table.longest, len(tokens) - i), 0, -1):
        window = tokens[i : i + n]
        for words in (tuple(t.low for t in window), tuple(t.stem for t in window)):
            if (key := table._forms.get(words)) is not None:
                return key, n
    return None


_TABLE = PhraseTable(
    {
        "attack": ["attacks", "attacked", "suicide bombing", "car bomb attack"],
        "bombing": ["bombings", "bomb"],
        "car": ["cars", "car bomb"],
        "invasion": ["invaded", "the invasion of"],
    }
)


@given(
    st.lists(
        st.sampled_from(["car", "bomb", "attack", "attacks", "the", "invasion", "of", "x"]),
        max_size=8,
    ),
    st.integers(0, 9),
)
def test_match_at_tries_only_lengths_some_form_has(words: list[str], i: int) -> None:
    tokens = tokenize(" ".join(words))
    assert _TABLE.match_at(tokens, i) == _plain_match_at(_TABLE, tokens, i)


def _plain_tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """One match object at a time, as tokenize first did."""
    out = []
    pattern = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?|\d+(?:[.,]\d+)*")
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        raw = m.group()
        cut = 1 if raw.endswith(".") and "." not in raw[:-1] else 0
        out.append(Token(m.start(), m.end() - cut, raw[: len(raw) - cut], "", ""))
    return out


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab.A’'s 1,2٣²_-\n"), max_size=40),
    st.integers(-3, 45),
    st.one_of(st.none(), st.integers(-3, 45)),
)
def test_tokenize_splits_as_matching_one_token_at_a_time(
    text: str, start: int, end: int | None
) -> None:
    got = tokenize(text, start, end)
    assert [t[:3] for t in got] == [t[:3] for t in _plain_tokenize(text, start, end)]
    assert all(t.low == normalise_word(t.raw) and t.stem == stem(t.low) for t in got)
