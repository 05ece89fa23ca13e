"""Fast paths of the preparation of sentences, held equal to the general code.

Each test compares a shortcut with the plain form it stands for, on random text made of
the characters and words that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract import numbers
from checker.extract import sentences as sentence_module
from checker.extract.claims import _date_hint, _trigger
from checker.extract.numbers import may_hold_numbers
from checker.text import WordTrigger, _ascii_folded_plainly, ascii_folded

_HINT_TEXT = st.lists(
    st.sampled_from([*"0123 a,.-'\u00e9\u0130K", "May", "may", "two", "DOZEN", "week"]),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_HINT_TEXT)
def test_an_ascii_digit_passes_every_hint(text: str) -> None:
    """`extract` lets a sentence with an ASCII digit through without asking the hints."""
    folded = ascii_folded(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            if re.search("[0-9]", text[start:end]) is None:
                continue
            for fold in (folded, None):
                assert _trigger().found(text, fold, start, end)
                assert _date_hint().found(text, fold, start, end)
                assert may_hold_numbers(text, fold, start, end)


def _plain_sentence_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Every candidate end matched with `_END` and checked, as the splitter first did."""
    out: list[tuple[int, int]] = []
    abbreviations = sentence_module._abbreviations()
    begin = start
    for m in sentence_module._END.finditer(text, start, stop):
        found = m.group()
        if found == "\n":
            if sentence_module._continues(text, m.start(), stop):
                continue
        elif found[0] == "." and sentence_module._is_abbreviation(text, m.start(), abbreviations):
            continue
        sentence_module._add_trimmed(out, text, begin, m.end())
        begin = m.end()
    sentence_module._add_trimmed(out, text, begin, stop)
    return out


_SENTENCE_PARTS = [
    *" .!?\n\"')(-",
    "U.S",
    "e.g",
    "Mr",
    "Gen",
    "approx",
    "figures",
    "announced",
    "a",
    "Washington",
    "12",
    "3.5",
    "\u201d",
    "\t",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_PARTS), max_size=30))
def test_sentence_ends_after_long_words_need_no_abbreviation_check(parts: list[str]) -> None:
    text = "".join(parts)
    for start in range(0, len(text) + 1, 3):
        for stop in (len(text), max(start, len(text) - 4)):
            expected = _plain_sentence_spans(text, start, stop)
            assert sentence_module._sentence_spans(text, start, stop) == expected


_TRIGGER_PARTS = [*" ,.-_'\u00e9\u00b2\u0663", "1", "may", "mayday", "two", "week", "weeks", "xmay"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_PARTS), max_size=14).map("".join))
def test_word_trigger_on_folded_text_finds_what_its_plain_pattern_finds(text: str) -> None:
    folded = ascii_folded(text)
    assert folded is not None
    for trigger in (_trigger(), _date_hint(), WordTrigger(["two", "week"])):
        plain = re.compile(trigger._anycase.pattern)  # the words, lower-case, any case kept
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1):
                expected = plain.search(folded, start, end) is not None
                assert trigger.found(text, folded, start, end) == expected


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([*"aZ 1.\u03a3\u03c3\u0130\u0131\u017f\u212a\u00df\u00c9\u00e9\ud800"]),
            st.characters(),
        ),
        max_size=12,
    ).map("".join)
)
def test_ascii_folded_looks_only_at_characters_outside_ascii(text: str) -> None:
    assert ascii_folded.__wrapped__(text) == _ascii_folded_plainly(text)


_NUMBER_PARTS = [
    *" ,.-'\u00e9\u00a0",
    "1",
    "12",
    "123",
    ",000",
    ",00",
    ".5",
    "a",
    "dozen",
    "minus",
    "two",
    "thousands",
    "km",
    "st",
    "x",
    "A",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PARTS), max_size=14).map("".join))
def test_fast_digit_token_pattern_matches_as_the_plain_one(text: str) -> None:
    for start in range(len(text) + 1):
        for stop in (len(text), max(start, len(text) - 3)):
            plain = [
                (m.span(), m.groups()) for m in numbers._DIGIT_TOKEN.finditer(text, start, stop)
            ]
            fast = [
                (m.span(), m.groups())
                for m in numbers._DIGIT_TOKEN_FAST.finditer(text, start, stop)
            ]
            assert fast == plain


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PARTS), max_size=14).map("".join))
def test_digits_only_finds_breakers_as_the_plain_search(text: str) -> None:
    for start in range(len(text) + 1):
        for stop in range(start, len(text) + 1):
            low = text[start:stop].lower()
            expected = numbers._DIGITS_ONLY_BREAKERS.search(low) is None
            if low == text[start:stop].encode().lower().decode():
                assert numbers._digits_only(text, start, stop) == expected


_DOCUMENT_PARTS = [
    *" \n\n\n\t.!?\"'-|#>*\r",
    "\r\n",
    "\r\n\r\n",
    "\n  \n",
    "\x0c",
    "\u2028",
    "U.S.",
    "Mr.",
    "word",
    "Washington.",
    "announced",
    "12",
    "3.",
    "1)",
    "and",
]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(_DOCUMENT_PARTS), max_size=40).map("".join),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=3),
)
def test_plain_documents_split_whole_as_block_by_block(
    text: str, skips: list[tuple[int, int]]
) -> None:
    skipped = [(start, min(len(text), start + length)) for start, length in skips]
    skipped = [(start, end) for start, end in skipped if start < end]
    expected = sentence_module._block_sentences(text, skipped)
    assert sentence_module.document_sentences(text, skipped) == expected


def _plain_digit_numbers(text: str, start: int, stop: int) -> list[numbers.NumberMatch]:
    """Every digit token read by `_read_digits`, as `_digit_numbers` first did."""
    out = []
    for m in numbers._DIGIT_TOKEN.finditer(text, start, stop):
        s, e = m.span()
        raw, word = m.groups()
        digits_end = s + len(raw)
        follower = None if word is None else word.lower()
        joined = word is not None and e - len(word) == digits_end
        match, _ = numbers._read_digits(
            text, start, s, digits_end, raw, follower, e, joined=joined, allow_sign=True
        )
        if match is not None:
            out.append(match)
    return out


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*_NUMBER_PARTS, "\u2212", "-", "bn", "m", "million"]), max_size=14)
)
def test_lone_figures_read_as_read_digits_reads_them(parts: list[str]) -> None:
    text = "".join(parts)
    for start in range(len(text) + 1):
        for stop in (len(text), max(start, len(text) - 2)):
            expected = _plain_digit_numbers(text, start, stop)
            assert numbers._digit_numbers(text, start, stop) == expected
            # A second time, with every reading remembered.
            assert numbers._digit_numbers(text, start, stop) == expected
