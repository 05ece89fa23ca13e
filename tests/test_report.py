"""The report stage: one canonical record, three renderers that only format it."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from report_fixtures import CHARLIE, CLAIMS, DOCUMENTS, HOSTILE_SENTENCE, REPORT

from checker.model import (
    Claim,
    DateRange,
    DateSource,
    Diagnostic,
    Document,
    Finding,
    FindingKind,
    Interval,
    Kind,
    Severity,
    Span,
    Subject,
)
from checker.report import RENDERERS, as_records, render_json, render_markdown, render_text
from checker.report.markdown import md_escape
from checker.report.records import (
    SENTENCE_LIMIT,
    format_date_range,
    format_interval,
    quote_location,
    sentence_text,
    strip_controls,
)
from checker.report.terminal import render_terminal

ROOT = Path(__file__).resolve().parents[1]
REPORT_SCHEMA = ROOT / "schemas" / "report.schema.json"
CONTRACT_SCHEMA = ROOT.parent / "shared" / "contract.schema.json"


def _validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


# --- the fixture itself -------------------------------------------------------------


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda claim: claim.id)
def test_fixture_spans_index_the_document_text(claim: Claim) -> None:
    document = next(doc for doc in DOCUMENTS if doc.id == claim.span.doc_id)
    assert document.text[claim.span.start : claim.span.end] == claim.text
    assert claim.sentence.start <= claim.span.start <= claim.span.end <= claim.sentence.end


# --- the canonical record -----------------------------------------------------------


def test_records_validate_against_the_report_schema() -> None:
    assert _errors(_validator(REPORT_SCHEMA), as_records(REPORT)) == []


@pytest.mark.skipif(not CONTRACT_SCHEMA.exists(), reason="shared contract schema not present")
def test_records_validate_against_the_contract_schema() -> None:
    assert _errors(_validator(CONTRACT_SCHEMA), as_records(REPORT)) == []


def test_schema_rejects_what_the_contract_forbids() -> None:
    validator = _validator(REPORT_SCHEMA)
    record = as_records(REPORT)
    record["schema_version"] = "2"
    record["findings"][0]["severity"] = "fatal"
    record["claims"][0]["value"]["surprise"] = 1
    record["documents"][0]["published"]["earliest"] = "2024-02-30"
    paths = {error.split(":")[0] for error in _errors(validator, record)}
    assert {
        "schema_version",
        "findings/0/severity",
        "claims/0/value",
        "documents/0/published",
    } <= paths


def test_records_shape() -> None:
    record = as_records(REPORT)
    assert record["schema_version"] == "1"
    assert [doc["id"] for doc in record["documents"]] == [doc.id for doc in REPORT.documents]
    alpha, _, charlie, delta = record["documents"]
    assert alpha["published"] == {
        "earliest": "2024-02-26",
        "latest": "2024-02-26",
        "source": "text",
    }
    assert charlie["published"] is None
    assert delta["published"]["source"] == "inferred"

    claims = {claim["id"]: claim for claim in record["claims"]}
    decades = claims["002_bravo#3"]
    assert decades["value"] == {
        "low": 20,
        "high": None,
        "unit": "year",
        "nominal": 20,
        "low_open": True,
        "high_open": True,
    }
    assert isinstance(decades["value"]["low"], int)
    assert claims["004_delta#2"]["value"]["low"] == "2020-01-01"
    assert claims["004_delta#2"]["value"]["nominal"] == "2020-01-01"
    assert claims["001_alpha#2"]["attribution"] == "officials"
    assert claims["001_alpha#2"]["subject"] == "number of US troops in Iraq"
    # Facts and findings name only listed claims; findings name only listed facts.
    facts = {fact["id"] for fact in record["facts"]}
    for item in record["facts"] + record["findings"]:
        assert set(item["claims"]) <= set(claims)
    assert {finding["fact"] for finding in record["findings"]} <= facts
    assert record["findings"][0]["why"]
    assert record["diagnostics"][0] == {
        "path": "seeds/broken.bin",
        "severity": "warning",
        "code": "read.binary",
        "message": "skipped: binary file",
    }
    assert record["diagnostics"][1]["line"] == 3


def test_sentence_collapses_whitespace_and_keeps_the_claim() -> None:
    record = as_records(REPORT)
    charlie = next(c for c in record["claims"] if c["document"] == CHARLIE.id)
    assert "\n" not in charlie["sentence"]
    assert "19 years after the invasion of Iraq" in charlie["sentence"]
    assert charlie["sentence"] == " ".join(HOSTILE_SENTENCE.split())


def test_sentence_is_cut_to_the_limit_around_the_claim() -> None:
    text = ("word " * 200) + "exactly 1,234 people" + (" more" * 200) + "."
    document = Document("long", "long.txt", text)
    start = text.index("1,234")
    claim = Claim(
        "long#1",
        Span("long", start, start + 5),
        "1,234",
        Kind.COUNT,
        Interval(1234.0, 1234.0),
        Subject("people"),
        Span("long", 0, len(text)),
    )
    sentence = sentence_text(document, claim)
    assert len(sentence) <= SENTENCE_LIMIT
    assert "exactly 1,234 people" in sentence
    assert sentence.startswith("… word") and sentence.endswith("more …")


def test_json_is_deterministic_and_sorted() -> None:
    first = render_json(REPORT)
    assert first == render_json(REPORT)
    assert first.endswith("}\n")
    parsed = json.loads(first)
    assert parsed == as_records(REPORT)
    assert list(parsed) == sorted(parsed)
    # Non-ASCII stays readable; control characters are JSON-escaped, never raw.
    assert "\x1b" not in first and "\\u001b" in first
    assert RENDERERS["json"](REPORT) == first


# --- shared formatting --------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (Interval(19.0, 20.0, "year", 19.0, high_open=True), "[19, 20) year"),
        (Interval(20.0, None, "year", 20.0, low_open=True), "(20, ∞) year"),
        (Interval(2500.0, 2500.0, None, 2500.0), "2,500"),
        (Interval(2250.0, 2500.0, None, 2500.0), "≈ [2,250, 2,500]"),
        (Interval(30.0, 40.0), "[30, 40]"),
        (Interval(0.0, 100.0, None, 100.0, high_open=True), "[0, 100)"),
        (Interval(12.5, 12.5, "percent", 12.5), "12.5 %"),
        (Interval(66.67, 66.67, "percent"), "66.67 %"),
        (Interval(2e6, None, "USD"), "[2,000,000, ∞) USD"),
        (Interval(None, 5.0, "kilometer"), "(-∞, 5] kilometer"),
        (Interval(date(2020, 1, 3), date(2020, 1, 3), "date"), "2020-01-03"),
        (
            Interval(date(2020, 1, 1), date(2020, 1, 31), "date", date(2020, 1, 1)),
            "[2020-01-01, 2020-01-31]",
        ),
    ],
)
def test_format_interval(interval: Interval, expected: str) -> None:
    assert format_interval(interval) == expected


def test_format_date_range() -> None:
    day = DateRange(date(2024, 8, 26), date(2024, 8, 26), DateSource.TEXT)
    wide = DateRange(date(2023, 7, 3), date(2025, 1, 3), DateSource.INFERRED)
    assert format_date_range(day) == "2024-08-26"
    assert format_date_range(day, with_source=True) == "2024-08-26 (text)"
    assert format_date_range(wide) == "2023-07-03 \u2013 2025-01-03 (inferred)"
    assert format_date_range(None) == "undated"


def test_quote_location_gives_path_and_line() -> None:
    by_id = {claim.id: claim for claim in CLAIMS}
    assert quote_location(REPORT, by_id["001_alpha#1"]) == "seeds/001_alpha.txt:4"
    assert quote_location(REPORT, by_id["003_charlie#1"]) == "seeds/003_charlie.txt:3"


def test_strip_controls() -> None:
    assert strip_controls("a\x1b[31mred\x1b[0m\x07b\u202ec") == "aredbc"
    assert strip_controls("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert strip_controls("tab\tand\nnewline") == "tab\tand\nnewline"


# --- markdown -----------------------------------------------------------------------


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def test_markdown_escapes_document_text() -> None:
    markdown = render_markdown(REPORT)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "`v2`" not in markdown and r"\`v2\`" in markdown
    assert "\x1b" not in markdown
    assert r"Notes \| draft" in markdown
    assert r"Resistance \| groups resume \`operations\`" in markdown
    # The newline inside the hostile sentence does not break its table row.
    assert any("19 years** after the invasion of Iraq" in row for row in _table_rows(markdown))
    # Every table row has as many unescaped pipes as its header.
    unescaped = re.compile(r"(?<!\\)\|")
    tables = markdown.split("\n\n")
    for table in tables:
        rows = _table_rows(table)
        if rows:
            widths = {len(unescaped.findall(row)) for row in rows}
            assert len(widths) == 1, table


def test_md_escape() -> None:
    assert md_escape("# heading") == r"\# heading"
    assert md_escape("- item") == r"\- item"
    assert md_escape("1. item") == r"1\. item"
    assert md_escape("*a* _b_ [c](d) a|b `e`") == r"\*a\* \_b\_ \[c\](d) a\|b \`e\`"
    assert md_escape("<b>&amp;</b>") == "&lt;b&gt;&amp;amp;&lt;/b&gt;"
    assert md_escape("line\none\r\n two") == "line one two"
    assert md_escape(None) == ""


def test_markdown_layout() -> None:
    markdown = render_markdown(REPORT)
    assert markdown == render_markdown(REPORT)
    assert markdown.startswith("# Fact check: seeds\n")
    assert "4 documents · 8 claims · 3 facts checked · 1 error · 1 warning · 0 notes" in markdown
    sections = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert sections == [
        "## Findings",
        "## Consistent facts",
        "## Documents",
        "## Not read or not normalised",
    ]
    # Findings are grouped under their fact, worst first, with file:line and dates.
    assert markdown.index("### US service members killed") < markdown.index(
        "### date of the US-led invasion"
    )
    assert "seeds/001\\_alpha.txt:4" in markdown
    assert "2024-08-26 (front-matter)" in markdown
    assert "| the Pentagon |" in markdown
    assert "*Why:* A death toll only grows" in markdown
    consistent = markdown.split("## Consistent facts")[1].split("## Documents")[0]
    assert "number of US troops in Iraq" in consistent
    assert "date troops were last counted" not in consistent  # a single claim is not shown
    assert "(inferred)" in consistent
    assert "extract.unnormalised" in markdown and "seeds/003\\_charlie.txt:3" in markdown


def test_markdown_without_findings() -> None:
    markdown = render_markdown(replace(REPORT, findings=(), diagnostics=()))
    assert "No findings." in markdown
    assert "Everything was read." in markdown


# --- terminal -----------------------------------------------------------------------


def test_terminal_strips_escapes_from_document_text() -> None:
    plain = render_terminal(REPORT, color=False)
    assert "\x1b" not in plain
    colored = render_terminal(REPORT, color=True)
    assert "\x1b[" in colored  # rich's own styling
    assert "\x1b[31mRED" not in colored
    hostile = replace(
        REPORT,
        facts=tuple(
            replace(fact, subject="evil \x1b[31msubject\x1b[0m") if fact.id == "F2" else fact
            for fact in REPORT.facts
        ),
    )
    out = render_terminal(hostile, color=True)
    assert "evil " in out and "\x1b[31msubject" not in out


def test_terminal_layout() -> None:
    text = render_text(REPORT)
    assert text == render_text(REPORT) == RENDERERS["text"](REPORT)
    lines = text.splitlines()
    assert lines[0] == "4 documents, 8 claims, 3 facts checked: 1 conflict, 1 warning, 0 notes"
    assert all(len(line) <= 100 for line in lines)
    assert text.index("ERROR") < text.index("WARNING")
    assert 'seeds/001_alpha.txt:4  "Three US service members' in text
    assert "warning  read.binary  seeds/broken.bin: skipped: binary file" in text
    assert "extract.unnormalised" not in text  # notes are left to the full report
    assert "consistent." not in text


def test_terminal_worst_first_and_capped() -> None:
    base = REPORT.findings[1]
    warnings = [replace(base, id=f"W{n}") for n in range(1, 13)]
    many = (*warnings, replace(REPORT.findings[0], id="E9"))
    text = render_text(replace(REPORT, findings=many))
    badges = re.findall(r"^ (ERROR|WARNING|NOTE) ", text, flags=re.MULTILINE)
    assert badges == ["ERROR"] + ["WARNING"] * 9
    ids = re.findall(r"· (\w+)$", text, flags=re.MULTILINE)
    assert ids == ["E9", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9"]
    assert "… and 3 more findings in the full report." in text


def test_terminal_all_consistent() -> None:
    text = render_text(replace(REPORT, findings=()))
    assert text.rstrip().endswith("All 3 facts consistent.")


def test_renderers_read_only_the_report() -> None:
    finding = Finding(
        "N1",
        Severity.NOTE,
        FindingKind.UPDATE,
        "count.update",
        "F-missing",
        (CLAIMS[0],),
        "a note about a fact the report does not list",
        "",
        0.5,
    )
    report = replace(
        REPORT,
        findings=(finding,),
        diagnostics=(Diagnostic(None, Severity.ERROR, "run.config", "bad config"),),
    )
    for render in RENDERERS.values():
        out = render(report)
        # CI formats name a finding by its code, the others by its id or fact.
        assert "F-missing" in out or "N1" in out or "count.update" in out
    assert "error  run.config  bad config" in render_text(report)
