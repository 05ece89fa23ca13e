"""Acceptance run of the project: `check ../shared/seeds` (issue 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from typer.testing import CliRunner

from checker import check
from checker.cli import app
from checker.model import Finding, FindingKind, Report, Severity
from checker.report import as_records

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT.parent / "shared" / "contract.schema.json"


@pytest.fixture(scope="module")
def report(seeds_dir: Path) -> Report:
    return check([seeds_dir])


def _doc(claim_id: str) -> str:
    return claim_id.split("#")[0][:3]


def _texts(finding: Finding) -> set[str]:
    return {c.text for c in finding.claims}


def test_elapsed_time_against_undated_report_is_an_assumption_warning(report: Report) -> None:
    hits = [f for f in report.findings if f.kind is FindingKind.ASSUMPTION]
    assert len(hits) == 1
    finding = hits[0]
    assert finding.severity is Severity.WARNING
    assert sorted(_doc(c.id) for c in finding.claims) == ["003", "004"]
    assert _texts(finding) == {"19 years", "more than two decades"}
    assert "contemporaneous" in finding.message
    assert "004_47495087b65cf818 was written before 003_f1ccebb72a0df907" in finding.message


def test_two_sources_within_one_report_are_disputed(report: Report) -> None:
    hits = [f for f in report.findings if f.kind is FindingKind.DISPUTED]
    assert len(hits) == 1
    finding = hits[0]
    assert {_doc(c.id) for c in finding.claims} == {"001"}
    assert {c.value.low for c in finding.claims} == {5.0, 2.0}
    assert all(c.attribution for c in finding.claims)
    assert "Sabereen" in finding.message and "Marotto" in finding.message


def test_no_other_error_or_warning(report: Report) -> None:
    serious = [f for f in report.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert len(serious) == 2, [f.message for f in serious]


def _fact_of(report: Report, doc: str, text: str) -> str:
    for fact in report.facts:
        if any(c.span.doc_id.startswith(doc) and c.text == text for c in fact.claims):
            return fact.id
    raise AssertionError(f"no claim {text!r} in {doc}")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(("000", "nearly 2,500"), ("003", "nearly 2,500"), id="troops-in-iraq"),
        pytest.param(("000", "some 900"), ("003", "some 900"), id="troops-in-syria"),
        pytest.param(("000", "More than 39,700"), ("002", "over 39,700"), id="gaza-toll"),
        pytest.param(("000", "late 2017"), ("003", "late 2017"), id="defeat-late-2017"),
        pytest.param(("000", "2020"), ("001", "January 2020"), id="vote-2020"),
        pytest.param(("003", "2020"), ("001", "January 2020"), id="vote-2020-003"),
        pytest.param(("000", "more than a decade"), ("004", "19 years"), id="decade-vs-19"),
        pytest.param(
            ("000", "more than a decade"), ("003", "more than two decades"), id="decade-vs-two"
        ),
        pytest.param(("004", "four years ago"), ("004", "January 3, 2020"), id="four-years-ago"),
    ],
)
def test_consistent_pairs_share_a_fact_without_error_or_warning(
    report: Report, first: tuple[str, str], second: tuple[str, str]
) -> None:
    fact = _fact_of(report, *first)
    assert fact == _fact_of(report, *second)
    for finding in report.findings:
        if finding.fact != fact or finding.severity is Severity.NOTE:
            continue
        texts = {(c.span.doc_id[:3], c.text) for c in finding.claims}
        assert not {first, second} <= texts, finding.message


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(("000", "nearly 2,500"), ("000", "some 900"), id="iraq-vs-syria"),
        pytest.param(("004", "three"), ("001", "only two"), id="killed-vs-injured"),
        pytest.param(
            ("001", "January 8, 2020"), ("004", "January 3, 2020"), id="strike-vs-assassination"
        ),
        pytest.param(("000", "several"), ("001", "five"), id="monday-vs-wednesday-attack"),
        pytest.param(("002", "several"), ("001", "only two"), id="monday-vs-wednesday-attack-002"),
    ],
)
def test_never_paired(report: Report, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _fact_of(report, *first) != _fact_of(report, *second)


def test_publication_dates_are_found(report: Report) -> None:
    dates = {d.id[:3]: d.published for d in report.documents}
    assert dates["002"] is not None and dates["002"].earliest.isoformat() == "2024-08-07"
    assert dates["003"] is not None and dates["003"].earliest.isoformat() == "2024-08-26"
    assert dates["004"] is not None and dates["004"].source == "inferred"


def test_json_validates_and_offsets_index_the_text(report: Report) -> None:
    record = json.loads(json.dumps(as_records(report)))
    for schema_path in (ROOT / "schemas" / "report.schema.json", CONTRACT):
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        errors = list(
            Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(record)
        )
        assert not errors, f"{schema_path.name}: {errors[0].message}"
    texts = {d.id: d.text for d in report.documents}
    for claim in record["claims"]:
        assert texts[claim["document"]][claim["start"] : claim["end"]] == claim["text"]


def test_cli_exits_zero_on_warnings_and_one_with_fail_on_warning(
    seeds_dir: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    result = runner.invoke(app, [str(seeds_dir), "--report", str(tmp_path / "seeds.md")])
    assert result.exit_code == 0, result.output
    assert "2 warnings" in result.output
    assert (tmp_path / "seeds.md").read_text(encoding="utf-8").startswith("# Fact check")
    result = runner.invoke(app, [str(seeds_dir), "--no-report", "--fail-on", "warning"])
    assert result.exit_code == 1
