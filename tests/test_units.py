"""Units of measure through pint: the case table, the lexicon meta-test, robustness."""

from __future__ import annotations

import bisect
import json
import subprocess
import sys
from importlib import resources
from typing import Any

import pytest
from casetools import load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.lexicon import load
from checker.text import Token, tokenize
from checker.units import (
    UnitError,
    UnitMatch,
    convert,
    rate_at,
    registry,
    resolve_all,
    to_canonical,
    unit_at,
)


def _find(row: dict[str, Any]) -> UnitMatch | None:
    text = row["text"]
    tokens = tokenize(text)
    figure_end = text.index(row["figure"]) + len(row["figure"])
    j = bisect.bisect_left([t.start for t in tokens], figure_end)
    if row.get("fn") == "rate":
        return rate_at(tokens, j, text)
    return unit_at(tokens, j, text, binary=row.get("binary", False))


@pytest.mark.parametrize("row", load_cases("units.json"))
def test_unit_case(row: dict[str, Any]) -> None:
    m = _find(row)
    if row["phrase"] is None:
        assert m is None, m
        return
    assert m is not None
    assert row["text"][m.start : m.end] == row["phrase"]
    assert m.unit == row["unit"]
    assert convert(row["value"], m) == pytest.approx(row["canonical"], rel=1e-4)
    assert list(m.per) == row.get("per", [])


def _canonical_units() -> dict[str, str]:
    return {str(k): str(v) for k, v in load("units")["canonical"].items()}


def _forms() -> list[Any]:
    lexicon = load("units")
    return [
        pytest.param(table, form, id=f"{table}-{form}")
        for table in ("symbols", "words", "binary")
        for form in lexicon[table]
    ]


@pytest.mark.parametrize(("table", "form"), _forms())
def test_every_form_reads_after_a_figure(table: str, form: str) -> None:
    """Each surface form, written after a figure, resolves to its dimension's canonical."""
    binary = table == "binary"
    text = f"It measured 7 {form} in all."
    tokens = tokenize(text)
    j = bisect.bisect_left([t.start for t in tokens], text.index("7") + 1)
    m = unit_at(tokens, j, text, binary=binary)
    assert m is not None
    assert text[m.start : m.end] == form
    expr = load("units")[table][form]
    q = registry().parse_expression(expr)
    canon = registry().parse_expression(m.unit)
    assert q.dimensionality == canon.dimensionality
    canonical = _canonical_units()
    assert m.unit == canonical[m.dimension] or m.dimension not in canonical
    if not m.offset:
        assert convert(7, m) == pytest.approx(q.to(m.unit).magnitude * 7, rel=1e-9)


@pytest.mark.parametrize("word", list(load("units")["rates"]["time"]))
def test_every_time_word_makes_a_rate(word: str) -> None:
    connector = "/" if word in load("units")["rates"]["short"] else " per "
    text = f"It served 7 users{connector}{word} at peak."
    tokens = tokenize(text)
    m = rate_at(tokens, bisect.bisect_left([t.start for t in tokens], text.index("7") + 1), text)
    assert m is not None
    assert m.unit == _canonical_units()["frequency"]
    assert text[m.start : m.end] == f"{connector}{word}".strip()


@pytest.mark.parametrize("name", list(_canonical_units()))
def test_canonical_units_are_pint_units(name: str) -> None:
    unit = _canonical_units()[name]
    assert to_canonical(unit) == (unit, pytest.approx(1.0), 0.0)


@pytest.mark.parametrize(
    ("expr", "unit", "factor"),
    [
        ("mile", "kilometer", 1.609344),
        ("acre", "square_kilometer", 0.0040468726),
        ("gibibyte", "byte", 1073741824),
        ("gigabyte", "byte", 1e9),
        ("USD / month", "USD / day", 12 / 365.25),
        ("kilogram / meter ** 2", "tonne / square_kilometer", 1000),
    ],
)
def test_to_canonical(expr: str, unit: str, factor: float) -> None:
    assert to_canonical(expr)[:2] == (unit, pytest.approx(factor))


def test_fahrenheit_has_an_offset() -> None:
    unit, factor, offset = to_canonical("degree_Fahrenheit")
    assert unit == "degree_Celsius"
    assert 100 * factor + offset == pytest.approx(37.7778, rel=1e-5)


@pytest.mark.parametrize("expr", ["frobnicator", "user", "1 +", "degree_Celsius / day"])
def test_bad_expressions_raise_unit_error(expr: str) -> None:
    with pytest.raises(UnitError):
        to_canonical(expr)


def test_data_is_not_dimensionless() -> None:
    assert str(registry().parse_expression("gigabyte").dimensionality) == "[information]"


def test_import_does_not_import_pint() -> None:
    code = "import sys, checker.units; assert 'pint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


_WORDS = st.sampled_from(
    ["5", "km", "/", "h", "per", "a", "day", "°", "C", "sq", ".", "m", "²", "GB", "-", " ", "\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(max_size=4)), max_size=12))
def test_unit_at_on_tokenized_text(parts: list[str]) -> None:
    text = "".join(parts)
    tokens = tokenize(text)
    for j in range(-1, len(tokens) + 2):
        for m in (unit_at(tokens, j, text), unit_at(tokens, j, text, binary=True)):
            if m is not None:
                assert 0 <= m.start < m.end <= len(text)
                assert j <= m.stop <= len(tokens)
        r = rate_at(tokens, j, text)
        if r is not None:
            assert 0 <= r.start < r.end <= len(text)


_TOKENS = st.builds(
    Token,
    st.integers(-5, 50),
    st.integers(-5, 50),
    st.text(max_size=5),
    st.text(max_size=5),
    st.text(max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=8), st.text(max_size=40), st.integers(-2, 10))
def test_unit_at_never_raises(tokens: list[Token], text: str, j: int) -> None:
    unit_at(tokens, j, text)
    rate_at(tokens, j, text)


def test_resolved_table_is_what_pint_says() -> None:
    """units_resolved.json is regenerated (python -m checker.units) when units change."""
    bundled = resources.files("checker.lexicon").joinpath("units_resolved.json")
    assert json.loads(bundled.read_text(encoding="utf-8")) == resolve_all()


def test_reading_units_does_not_import_pint() -> None:
    code = (
        "import sys\n"
        "from checker.extract.claims import extract\n"
        "from checker.model import Document\n"
        "text = 'The pipe is 7 km long, pumps 300 barrels a day and weighs 2.5 tonnes per metre.'\n"
        "claims = extract(Document('d', 'd.txt', text)).claims\n"
        "assert {c.value.unit for c in claims} >= {'kilometer', 'oil_barrel / day'}, claims\n"
        "assert 'pint' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
