"""Tests of money reading: a case table, the lexicon, rates, properties and linear time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pytest
from casetools import check_linear_time, load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract.money import (
    DocumentCurrencies,
    MoneyMatch,
    _forms_pattern,
    _lexicon,
    _member_word_starts,
    _member_words,
    convert,
    currency_defaults,
    money_around,
    prefix_start,
)
from checker.extract.numbers import NumberMatch, find_numbers
from checker.lexicon import load
from checker.text import ascii_folded, tokenize


def _figure(text: str, figure: str | None) -> NumberMatch:
    found = find_numbers(text)
    if figure is None:
        return found[0]
    return next(n for n in found if text[n.start : n.end] == figure)


def _read(text: str, figure: str | None = None, **kwargs: Any) -> MoneyMatch | None:
    n = _figure(text, figure)
    return money_around(text, tokenize(text), n.start, n.end, **kwargs)


@pytest.mark.parametrize("row", load_cases("money.json"))
def test_money_case(row: dict[str, Any]) -> None:
    text = row["text"]
    defaults = row.get("defaults", currency_defaults(text))
    n = _figure(text, row.get("figure"))
    m = money_around(text, tokenize(text), n.start, n.end, defaults=defaults)
    expected = row["expected"]
    if expected is None:
        assert m is None, text[m.start : m.end] if m else ""
        return
    assert m is not None
    assert text[m.start : m.end] == expected["text"]
    assert m.code == expected["code"]
    assert n.value is not None
    assert n.value * m.multiplier == pytest.approx(expected["amount"])
    assert list(m.per) == expected["per"]
    assert text[m.start : m.rate_end] == row.get("rate", expected["text"])


def _lexicon_entries() -> list[Any]:
    lex = load("currencies")
    out = []
    tight = set(lex["rules"]["tight_only"])
    for form, code in {**lex["symbols"], **lex["prefixes"]}.items():
        gap = "" if form in tight or not form[-1].isalpha() else " "
        out.append(pytest.param(f"{form}{gap}500", form, code, id=f"before-{form}"))
    for code in lex["codes"]["list"]:
        out.append(pytest.param(f"{code} 500", code, code, id=f"code-before-{code}"))
        out.append(pytest.param(f"500 {code}", code, code, id=f"code-after-{code}"))
    for code, forms in lex["words"].items():
        out.extend(pytest.param(f"500 {w}", w, code, id=f"word-{w}") for w in forms)
    for name, spec in lex["families"].items():
        for form in spec["forms"]:
            text = f"{form}500" if form in lex["symbols"] or form in tight else None
            if text is None:
                text = f"{form} 500" if form in lex["prefixes"] else f"500 {form}"
            out.append(pytest.param(text, form, spec["default"], id=f"family-{name}-{form}"))
    return out


@pytest.mark.parametrize(("amount", "form", "code"), _lexicon_entries())
def test_every_currency_form_is_read(amount: str, form: str, code: str) -> None:
    """Every lexicon form reads as money with its code (a shared form: its default)."""
    text = f"The fund paid {amount} for repairs."
    m = _read(text, "500")
    assert m is not None, form
    assert text[m.start : m.end] == amount
    assert m.code == (code or None)


def test_family_forms_agree_with_their_tables() -> None:
    """A shared form listed in [symbols]/[prefixes]/[words] reads as its family default."""
    lex = load("currencies")
    table = {**lex["symbols"], **lex["prefixes"]}
    for code, forms in lex["words"].items():
        table.update(dict.fromkeys(forms, code))
    for name, spec in lex["families"].items():
        for form in spec["forms"]:
            if form in table:
                assert table[form] == spec["default"], (name, form)


def test_currency_defaults() -> None:
    assert currency_defaults("The A$5m grant and the $3m one.") == {"dollar": "AUD"}
    assert currency_defaults("US$5m and A$2m") == {"dollar": None}
    assert currency_defaults("Nothing about money here.") == {}
    assert currency_defaults("The Kenyan shilling and the yuan.") == {
        "shilling": "KES",
        "yen-sign": "CNY",
    }


def test_prefix_start() -> None:
    text = "KSh346bn, R500, USD5m, A320, 5"
    starts = {text[n.start : n.end]: prefix_start(text, n.start) for n in find_numbers(text)}
    assert starts == {"346bn": 0, "500": 10, "5m": 16, "320": None, "5": None}
    assert prefix_start(text, 0) is None


def test_convert() -> None:
    rates = {"USD": 1.0, "EUR": 1.1, "GBP": 1.25}
    assert convert(100, "EUR", rates, "USD") == pytest.approx(110)
    assert convert(125, "USD", rates, "GBP") == pytest.approx(100)
    assert convert(5, "KES", rates, "KES") == 5
    assert convert(5, "KES", rates, "USD") is None
    assert convert(5, "USD", {}, "EUR") is None


def test_match_checks_its_span() -> None:
    with pytest.raises(ValueError):
        MoneyMatch(5, 3, "USD")
    assert MoneyMatch(0, 3, None).rate_end == 3
    assert MoneyMatch(0, 3, None).ambiguous


def test_bad_figure_span_is_not_money() -> None:
    text = "$5"
    assert money_around(text, tokenize(text), 1, 1) is None
    assert money_around(text, tokenize(text), 1, 9) is None


_TEXTS = st.text(
    alphabet=st.sampled_from(list("0123456789 ,.-/$€£¥₹RKShkrUSDEN%abcdelnopstuwy\u00a0")),
    max_size=40,
)


@given(_TEXTS)
@settings(max_examples=300, deadline=None)
def test_money_around_properties(text: str) -> None:
    tokens = tokenize(text)
    for n in find_numbers(text):
        m = money_around(text, tokens, n.start, n.end, defaults=currency_defaults(text))
        if m is None:
            continue
        assert 0 <= m.start <= n.start < n.end <= m.end <= m.rate_end <= len(text)
        assert m.code is None or (len(m.code) == 3 and m.code.isupper())
        assert m.multiplier >= 1


@given(st.text(max_size=60), st.integers(-3, 70), st.integers(-3, 70))
@settings(max_examples=300, deadline=None)
def test_money_around_never_raises(text: str, a: int, b: int) -> None:
    m = money_around(text, tokenize(text), a, b)
    if m is not None:
        assert 0 <= m.start <= m.end <= m.rate_end <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("$5 per " * 8_000, id="rates"),
        pytest.param("KSh 5 " * 8_000, id="prefixes"),
        pytest.param("5 pounds " * 8_000, id="words"),
    ],
)
def test_linear_time(text: str) -> None:
    def read_all(t: str) -> None:
        tokens = tokenize(t)
        defaults = currency_defaults(t)
        for n in find_numbers(t):
            money_around(t, tokens, n.start, n.end, defaults=defaults)

    check_linear_time(read_all, text)


def _plain_forms_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    """The forms pattern as first written: a boundary test, then every form in turn."""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        groups.setdefault((form[0].isalpha(), form[-1].isalpha()), []).append(re.escape(form))
    parts = []
    for (starts_alpha, ends_alpha), escaped in sorted(groups.items(), reverse=True):
        pattern = "(?:" + "|".join(escaped) + ")"
        if starts_alpha:
            pattern = rf"(?<![^\W_]){pattern}"
        if ends_alpha:
            pattern = rf"{pattern}(?![^\W\d_])"
        parts.append(pattern)
    return re.compile("|".join(parts) or "(?!)")


_FORM_TEXTS = st.lists(
    st.sampled_from([*"$£₹.5 _aKSRUhsl", "KSh", "Kshs", "US$", "A$", "USD", "R"]), max_size=20
).map("".join)


@given(_FORM_TEXTS)
@settings(max_examples=500, deadline=None)
def test_forms_pattern_finds_what_the_plain_alternation_finds(text: str) -> None:
    forms = list(_lexicon().before_map)
    fast, plain = _forms_pattern(forms), _plain_forms_pattern(forms)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(
    st.lists(st.sampled_from([*" _-KkıİſAa1", "dollar", "Kenyan", "US"]), max_size=12).map("".join)
)
@settings(max_examples=300, deadline=None)
def test_member_words_on_folded_text_start_where_ignoring_case_does(text: str) -> None:
    anycase, lower_case = _member_words()
    folded = ascii_folded(text)
    assert lower_case is not None
    if folded is not None:
        found = [m.span() for m in lower_case.finditer(folded)]
        assert found == [m.span() for m in anycase.finditer(text)]


@given(
    st.lists(
        st.sampled_from([*" _-.:KkıİſAaé1", "dollar", "Kenyan", "US", "u.s.", "new", "aed:"]),
        max_size=12,
    ).map("".join)
)
@settings(max_examples=500, deadline=None)
def test_member_word_starts_are_where_the_member_words_pattern_matches(text: str) -> None:
    anycase, lower_case = _member_words()
    folded = ascii_folded(text)
    pattern, subject = (anycase, text)
    if lower_case is not None and folded is not None:
        pattern, subject = lower_case, folded
    assert list(_member_word_starts(text)) == [m.start() for m in pattern.finditer(subject)]


def test_document_currencies_reads_the_text_once_asked() -> None:
    settled = DocumentCurrencies("The A$5m grant and the $3m one.")
    assert dict(settled) == {"dollar": "AUD"}
    assert "pound" not in settled and len(settled) == 1
