"""Property tests: the pipeline never raises on bad input and its offsets stay true.

Three levels, cheapest first: the extractor on arbitrary text (and on text made of the
tokens it reacts to), the reader on arbitrary bytes, and the whole engine on two or
three small documents, rendered and validated against the report schema.

Under CI (the `CI` variable set) every run draws the same examples, so a red build can
be reproduced; locally each run explores new ones. The minimal inputs of bugs it found
(negative figures under an approximator, a four-digit group after a comma) are kept as
cases at the end of this file.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import tempfile
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from checker.engine import check
from checker.errors import NothingReadableError
from checker.extract.claims import Options, extract
from checker.ingest import Source, decode, read_document
from checker.model import Claim, DateRange, Document, Report
from checker.report import RENDERERS
from checker.report.terminal import render_terminal

ROOT = Path(__file__).resolve().parents[1]
REPORT_SCHEMA = ROOT / "schemas" / "report.schema.json"

# A settings parent for every test here: no deadline (the first example pays for
# loading the lexicon), and derandomized under CI.
FUZZ = settings(
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# -- strategies ------------------------------------------------------------------------

ALL_CATEGORIES = (
    *("Cc", "Cf", "Cn", "Co", "Cs"),
    *("Ll", "Lm", "Lo", "Lt", "Lu"),
    *("Mc", "Me", "Mn", "Nd", "Nl", "No"),
    *("Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps"),
    *("Sc", "Sk", "Sm", "So", "Zl", "Zp", "Zs"),
)
# Python strings may hold lone surrogates, though no decoded file does.
ANY_CHARACTER = st.characters(categories=ALL_CATEGORIES)  # type: ignore[arg-type]

TOKENS = st.sampled_from(
    [
        *("0", "1", "7", "12", "19", "2,500", "3.5", "1.2m", "1 000", "10-12", "1/2"),
        *("3/4/2020", "2024-05-03", "1990s", "40,000", "0.5", "½", "2nd", "III"),
        *("more than", "less than", "about", "around", "nearly", "at least", "up to"),
        *("some", "over", "almost", "roughly", "an estimated", "between", "and", "to"),
        *("million", "billion", "thousand", "hundred", "dozens", "hundreds of", "a third"),
        *("%", "per cent", "percent", "percentage points", "$", "€", "£", "A$", "US$"),
        *("km", "miles", "kg", "tonnes", "hectares", "years", "days", "hours", "year-old"),
        *("January", "May", "Sept.", "March", "Monday", "Wednesday", "last week"),
        *("yesterday", "ago", "earlier", "later", "on", "in", "of", "from", "since"),
        *("before", "after", "people", "killed", "injured", "homes", "the", "flood"),
        *("said", "police", "officials", "according to", "Arvale", "Ostrel province"),
        *(".", ",", ";", ":", "!", "?", "(", ")", '"', "'", "’", "…", "–", "—", "-"),
        *(" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2009", "\u200b", "\ufeff", "\u2028"),
        *("|", " | ", "|---|---|", "\n| a | 2 |\n", "```", "\n```\n", "~~~", "`", "# "),
        *("- ", "* ", "> ", "1. ", "---\n", "<!--", "-->", "date ", "Published: "),
    ]
)
NUMBERISH = st.one_of(
    st.lists(st.one_of(TOKENS, st.text(max_size=3)), max_size=40).map(" ".join),
    st.lists(TOKENS, max_size=50).map("".join),
)
TEXT = st.one_of(st.text(max_size=300), NUMBERISH)
PUBLISHED = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))

# -- invariants ------------------------------------------------------------------------


def _assert_claims_index(claims: tuple[Claim, ...], texts: dict[str, str]) -> None:
    """Every claim quotes its document exactly, inside it, with a sane value."""
    ids = [claim.id for claim in claims]
    assert len(ids) == len(set(ids))
    for claim in claims:
        text = texts[claim.span.doc_id]
        assert 0 <= claim.span.start <= claim.span.end <= len(text)
        assert text[claim.span.start : claim.span.end] == claim.text
        assert 0 <= claim.sentence.start <= claim.sentence.end <= len(text)
        assert claim.sentence.doc_id == claim.span.doc_id
        low, high = claim.value.low, claim.value.high
        # None is an open end; a bound is a number or a day, the same on both sides.
        if isinstance(low, date) and isinstance(high, date):
            assert low <= high
        if isinstance(low, float | int) and isinstance(high, float | int):
            assert low <= high


# -- the extractor ---------------------------------------------------------------------


@settings(FUZZ, max_examples=250)
@given(text=TEXT, published=PUBLISHED)
def test_extractor_never_raises_and_quotes_exactly(text: str, published: date | None) -> None:
    day = DateRange(published, published) if published else None
    doc = Document("d", "d.md", text, day)
    result = extract(doc, Options())
    _assert_claims_index(result.claims, {"d": text})
    for diagnostic in result.diagnostics:
        assert diagnostic.line is None or diagnostic.line >= 1


@settings(FUZZ, max_examples=100)
@given(
    text=st.text(ANY_CHARACTER, max_size=200)
    | st.lists(st.one_of(TOKENS, st.text(ANY_CHARACTER, max_size=3)), max_size=40).map("".join),
    day_first=st.sampled_from([None, True, False]),
)
def test_extractor_survives_every_character_category(text: str, day_first: bool | None) -> None:
    """Surrogates, unassigned and private-use code points, format characters too."""
    result = extract(Document("d", "d.txt", text), Options(day_first=day_first))
    _assert_claims_index(result.claims, {"d": text})


# -- the reader ------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        *(b"\r", b"\n", b"\r\n", b"\n\r", b"\r\r\n", codecs.BOM_UTF8, b"\x00", b"\xc3"),
        *(b"\xe2\x80", b"\xff", b"\xed\xa0\x80", "é’".encode(), "\u2028".encode()),
        *(b"The flood killed 12 people in Arvale", b" on 3 May 2024. ", b"about 3 million"),
        *(b"date 2024-05-04\n", b"---\ndate: 2024-05-04\n---\n", b"```\n", b"| a | 1 |\n"),
    ]
)
BOMS = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
_CODECS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def _encoded(bom: bytes, text: str) -> bytes:
    return bom + text.encode(_CODECS.get(bom, "utf-8"), "surrogatepass")


BYTES = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda bom, parts: bom + b"".join(parts),
        BOMS,
        st.lists(st.one_of(FRAGMENTS, st.binary(max_size=6)), max_size=30),
    ),
    st.builds(_encoded, BOMS, st.text(ANY_CHARACTER, max_size=120) | NUMBERISH),
)


@settings(FUZZ, max_examples=300)
@given(data=BYTES)
def test_decode_never_raises_and_leaves_no_carriage_return(data: bytes) -> None:
    text, bad = decode(data)
    assert "\r" not in text
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        assert bad is None
        return
    if bad is None:
        # The contract: offsets index `open(path, encoding="utf-8-sig").read()`.
        wrapper = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=None)
        assert text == wrapper.read()
    else:
        bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        assert bom <= bad < len(data)
        data[bom:bad].decode("utf-8")  # everything before the first bad byte is fine


@settings(FUZZ, max_examples=150)
@given(data=BYTES, suffix=st.sampled_from([".txt", ".md"]))
def test_reader_and_engine_never_raise_on_arbitrary_bytes(data: bytes, suffix: str) -> None:
    decoded, bad = decode(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(data)
        doc, diagnostics = read_document(Source(path, path.name), "doc")
        codes = [d.code for d in diagnostics]
        if doc is None:
            # Unreadable bytes give a diagnostic, never an exception.
            assert codes == ["read.binary"]
            with pytest.raises(NothingReadableError):
                check([path])
            return
        assert "\r" not in doc.text
        assert doc.text == decoded
        if bad is not None:
            assert "read.decode" in codes
        for diagnostic in diagnostics:
            assert diagnostic.line is None or 1 <= diagnostic.line <= doc.text.count("\n") + 1
        for start, end in doc.skipped:
            assert 0 <= start < end <= len(doc.text)
        report = check([path])
        _assert_claims_index(report.claims, {d.id: d.text for d in report.documents})


# -- the whole engine ------------------------------------------------------------------

HEADERS = st.sampled_from(
    [
        "",
        "date 2024-05-04\n\n",
        "Published: 3 May 2024\n\n",
        "---\ndate: 2024-05-05\ntitle: x | y\n---\n",
        "Sunday 9 March 2025 - 21:05\n\n",
    ]
)
SENTENCES = st.builds(
    "{}{}{} {}{}.".format,
    st.sampled_from(["", "Police said ", "According to officials, ", "The ministry said "]),
    st.sampled_from(["", "about ", "more than ", "at least ", "nearly ", "up to ", "some "]),
    st.sampled_from(["3", "12", "30", "2,500", "1.5 million", "three", "dozens of", "40%"]),
    st.sampled_from(
        [
            "people were killed",
            "homes were destroyed",
            "per cent of voters backed it",
            "hectares burned",
            "years after the war",
            "days ago",
            "tonnes of aid arrived",
        ]
    ),
    st.sampled_from(["", " in Arvale", " on Monday", " on 3 May 2024", " last week", " in 2019"]),
)
BODIES = st.one_of(
    st.lists(SENTENCES, min_size=1, max_size=5).map(" ".join),
    st.lists(st.one_of(SENTENCES, NUMBERISH), min_size=1, max_size=4).map("\n".join),
)
DOCUMENTS = st.lists(
    st.tuples(HEADERS, BODIES, st.sampled_from([".txt", ".md"])), min_size=2, max_size=3
)


@cache
def _report_validator() -> Draft202012Validator:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _records_errors(report: Report) -> list[str]:
    record: Any = json.loads(RENDERERS["json"](report))
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _report_validator().iter_errors(record)
    ]


@settings(FUZZ, max_examples=60)
@given(documents=DOCUMENTS)
def test_engine_never_raises_and_its_report_holds_together(
    documents: list[tuple[str, str, str]],
) -> None:
    # A NUL makes a UTF-8 file binary: it is skipped with a diagnostic.
    binary = sum(1 for _header, body, _suffix in documents if "\x00" in body)
    with tempfile.TemporaryDirectory() as folder:
        for index, (header, body, suffix) in enumerate(documents):
            path = Path(folder) / f"doc{index}{suffix}"
            path.write_text(header + body, encoding="utf-8", newline="")
        if binary == len(documents):
            with pytest.raises(NothingReadableError):
                check([folder])
            return
        report = check([folder])
    assert binary == sum(1 for d in report.diagnostics if d.code == "read.binary")
    assert len(report.documents) == len(documents) - binary
    _assert_claims_index(report.claims, {d.id: d.text for d in report.documents})
    claims = {claim.id: claim for claim in report.claims}
    facts = {fact.id for fact in report.facts}
    for fact in report.facts:
        assert all(claims.get(claim.id) == claim for claim in fact.claims)
    for finding in report.findings:
        assert finding.claims
        assert all(claims.get(claim.id) == claim for claim in finding.claims)
        assert finding.fact in facts
        assert 0.0 <= finding.confidence <= 1.0
    assert len({finding.id for finding in report.findings}) == len(report.findings)
    assert _records_errors(report) == []
    for name, render in RENDERERS.items():
        text = render(report)
        assert text == "" or text.endswith("\n"), name
    assert render_terminal(report, color=True)


# -- extractor bugs the fuzzing found, kept as cases ------------------------------------


def _extract(text: str) -> tuple[Claim, ...]:
    return extract(Document("d", "d.txt", text), Options()).claims


@pytest.mark.parametrize(
    "text",
    [
        "The temperature fell to about -4 degrees.",
        "Growth was up to -2% last year.",
        "less than -4 people",
        "about minus 4 people",
        "about \u22124 people",
    ],
)
def test_negative_figures_with_approximators_extract(text: str) -> None:
    claims = _extract(text)
    _assert_claims_index(claims, {"d": text})


@pytest.mark.parametrize("text", ["The toll rose to 2,5000.", "people 2,5000"])
def test_comma_group_of_four_digits_extracts(text: str) -> None:
    claims = _extract(text)
    _assert_claims_index(claims, {"d": text})


@pytest.mark.parametrize(
    ("text", "skipped"),
    [
        pytest.param("| 1 | 2 |\n" * 200, True, id="a hundred rows of bare figures"),
        pytest.param("12 " * 400, True, id="a run of figures"),
        pytest.param("3 May 2024, " * 60, True, id="a list of dates"),
        pytest.param(
            "| Year | Deaths |\n| --- | --- |\n| 2019 | 45 |\n| 2020 | 52 |\n",
            False,
            id="a small table is read",
        ),
        pytest.param(
            "The flood killed 12 people, injured 40 and displaced 3,000. " * 40,
            False,
            id="prose dense with figures is read",
        ),
    ],
)
def test_a_list_of_numbers_is_not_read_as_claims(text: str, skipped: bool) -> None:
    result = extract(Document("d", "d.md", text), Options())
    notes = [d for d in result.diagnostics if d.code == "extract.data-run"]
    assert bool(notes) is skipped
    assert bool(result.claims) is not skipped
