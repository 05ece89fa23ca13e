"""Meta-tests of the lexicons: every entry parses and does what its file says.

Cases are generated from the lexicon files themselves, one per entry, so adding a
synonym adds a test (proselint's "every check has an example").
"""

from __future__ import annotations

import math
import tomllib
from datetime import date
from importlib import resources
from typing import Any

import pytest

from checker.extract.claims import extract
from checker.lexicon import load
from checker.model import Claim, DateRange, DateSource, Document, Kind

LEXICON = resources.files("checker.lexicon")
FILES = sorted(p.name for p in LEXICON.iterdir() if p.name.endswith(".toml"))
PUBLISHED = DateRange(date(2024, 8, 28), date(2024, 8, 28), DateSource.TEXT)

# Entries the code gets wrong today, by case id, with what is wrong.
KNOWN_WRONG: dict[str, str] = {}


def param(value: Any, case_id: str) -> Any:
    marks = (
        [pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[case_id])]
        if case_id in KNOWN_WRONG
        else []
    )
    return pytest.param(value, id=case_id, marks=marks)


def claims_of(text: str) -> tuple[Claim, ...]:
    doc = Document(id="d1", path="d1.txt", text=text, published=PUBLISHED)
    claims = extract(doc).claims
    for c in claims:
        assert doc.text[c.span.start : c.span.end] == c.text
    return claims


@pytest.mark.parametrize("name", FILES)
def test_lexicon_file_parses(name: str) -> None:
    data = tomllib.loads(LEXICON.joinpath(name).read_text(encoding="utf-8"))
    assert data, f"{name} is empty"
    assert load(name.removesuffix(".toml")) == data


def _approximators() -> list[Any]:
    out = []
    for rule, spec in load("approximators")["rules"].items():
        for phrase in spec["phrases"]:
            out.append(param((rule, spec, phrase), phrase))
    return out


@pytest.mark.parametrize("entry", _approximators())
def test_approximator_phrase(entry: tuple[str, dict[str, Any], str]) -> None:
    """Each phrase, right before a number, widens it as its rule says."""
    _, spec, phrase = entry
    claims = claims_of(f"The camp now holds {phrase} 500 soldiers from the north.")
    assert [c.text.lower() for c in claims] == [f"{phrase} 500"]
    v = claims[0].value
    high = float(spec["high"])
    assert v.low == pytest.approx(500 * float(spec["low"]))
    if math.isinf(high):
        assert v.high is None
    else:
        assert v.high == pytest.approx(500 * high)
    assert v.low_open is spec.get("low_open", False)
    assert v.high_open is spec.get("high_open", False)
    assert v.nominal == 500


def _units() -> list[Any]:
    return [param((word, unit), word) for word, unit in load("time_units")["units"].items()]


@pytest.mark.parametrize("entry", _units())
def test_time_unit_is_a_duration(entry: tuple[str, list[Any]]) -> None:
    word, (unit, factor) = entry
    claims = claims_of(f"The siege of the town lasted 3 {word} in all.")
    assert [(c.text, c.kind) for c in claims] == [(f"3 {word}", Kind.DURATION)]
    v = claims[0].value
    assert v.unit == unit
    assert v.low == pytest.approx(3 * factor)


def _currencies() -> list[Any]:
    lexicon = load("currencies")
    out = [
        param((f"{symbol}500", code), f"symbol-{symbol}")
        for symbol, code in lexicon["symbols"].items()
    ]
    for code, words in lexicon["words"].items():
        out.extend(param((f"500 {word}", code), f"word-{word}") for word in words)
    return out


@pytest.mark.parametrize("entry", _currencies())
def test_currency_maps_to_code(entry: tuple[str, str]) -> None:
    amount, code = entry
    claims = claims_of(f"The fund received {amount} for repairs to the school.")
    assert [(c.text, c.kind, c.value.unit) for c in claims] == [(amount, Kind.MONEY, code)]
    assert claims[0].value.low == claims[0].value.high == 500


@pytest.mark.parametrize("role", [param(r, r) for r in load("subjects")["cumulative"]["roles"]])
def test_cumulative_role_is_a_role(role: str) -> None:
    assert role in load("subjects")["roles"]


@pytest.mark.parametrize(
    "role", [param(r, f"noun-{r}") for r in load("subjects")["cumulative"]["roles"]]
)
def test_cumulative_role_is_known(role: str) -> None:
    """A role key may come from a verb ([roles]) or a noun ([role_nouns])."""
    subjects = load("subjects")
    assert role in subjects["roles"] or role in subjects["role_nouns"]


def test_phrases_are_unique_across_approximator_rules() -> None:
    seen: dict[str, str] = {}
    for rule, spec in load("approximators")["rules"].items():
        for phrase in spec["phrases"]:
            assert phrase not in seen, f"{phrase!r} in both {seen.get(phrase)} and {rule}"
            seen[phrase] = rule


def test_place_forms_are_unique() -> None:
    seen: dict[str, str] = {}
    for key, forms in load("subjects")["places"].items():
        for form in forms:
            assert form not in seen, f"{form!r} names both {seen.get(form)} and {key}"
            seen[form] = key
