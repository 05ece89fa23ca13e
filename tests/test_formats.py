"""The CI renderers: SARIF, GitHub workflow commands, GitLab Code Quality, JUnit XML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from format_fixtures import (
    ALPHA,
    BRAVO,
    CHARLIE,
    HOSTILE,
    HOSTILE_NAME,
    SARIF_SCHEMA,
    clones,
    command_parts,
    require,
    results,
    run_corpus,
)

from checker.engine import check
from checker.gate.fingerprint import fingerprint
from checker.model import Document, Report, Severity
from checker.report.github import (
    escape_data,
    escape_property,
    render_github,
    write_step_summary,
)
from checker.report.gitlab import render_gitlab, unique_fingerprints
from checker.report.junit import render_junit
from checker.report.records import document_index, facts_by_id, primary_claim
from checker.report.sarif import render_sarif

RENDERERS: list[Callable[[Report], str]] = [
    render_sarif,
    render_github,
    render_gitlab,
    render_junit,
]
COMMAND = re.compile(r"::(error|warning|notice)[ :]")
# What XML 1.0 cannot carry, plus the escape character left by a terminal sequence.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


# -- reports -------------------------------------------------------------------------


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    """Two documents: the later one gives a lower death toll (a conflict)."""
    return run_corpus(tmp_path, monkeypatch, {"a.txt": ALPHA, "b.txt": BRAVO})


@pytest.fixture
def trio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    """Three documents: a conflict (a vs b) and an update note (a vs c)."""
    return run_corpus(tmp_path, monkeypatch, {"a.txt": ALPHA, "b.txt": BRAVO, "c.txt": CHARLIE})


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    """The conflict again, the later document full of hostile text and oddly named."""
    return run_corpus(tmp_path, monkeypatch, {"a.txt": ALPHA, HOSTILE_NAME: HOSTILE})


@pytest.fixture
def seeds(seeds_dir: Path) -> Report:
    """The shared seed corpus."""
    return check([seeds_dir])


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    """Return a Draft 4 validator for the official SARIF 2.1.0 schema."""
    schema = json.loads(require(SARIF_SCHEMA).read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def _documents(report: Report) -> dict[str, Document]:
    return {doc.id: doc for doc in report.documents}


def _many(report: Report, errors: int, warnings: int, notes: int) -> Report:
    """Return the report with its first finding cloned into many, at each severity."""
    base = report.findings[0]
    findings = (
        clones(base, errors, Severity.ERROR, "E")
        + clones(base, warnings, Severity.WARNING, "W")
        + clones(base, notes, Severity.NOTE, "N")
    )
    return replace(report, findings=tuple(findings))


def test_corpora_produce_findings(pair: Report, trio: Report, hostile: Report) -> None:
    """The corpora give the findings the tests rely on."""
    assert [f.code for f in pair.findings] == ["count.conflict"]
    assert Counter(f.code for f in trio.findings) == {"count.conflict": 1, "count.update": 1}
    assert [f.code for f in hostile.findings] == ["count.conflict"]
    assert all(not Path(doc.path).is_absolute() for doc in pair.documents)


# -- all renderers -------------------------------------------------------------------


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
def test_renderers_are_deterministic(trio: Report, render: Callable[[Report], str]) -> None:
    """The same report renders to the same text, ending with one newline."""
    text = render(trio)
    assert text == render(trio)
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
def test_renderers_handle_an_empty_report(pair: Report, render: Callable[[Report], str]) -> None:
    """A report without findings or facts still renders (GitHub: to nothing at all)."""
    text = render(replace(pair, findings=(), facts=()))
    assert text == "" if render is render_github else text.endswith("\n")


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
def test_renderers_survive_hostile_messages(
    hostile: Report, render: Callable[[Report], str]
) -> None:
    """Odd text in a message, an id or a subject never makes a renderer raise."""
    odd = "a | b `c` <script>x</script>\x1b[2J\r\n::error::pwned 100% a,b:c \ud800 \x00 \ufffe"
    finding = replace(hostile.findings[0], message=odd, id=odd, fact=odd)
    assert render(replace(hostile, findings=(finding,)))


# -- SARIF ---------------------------------------------------------------------------


def test_sarif_validates_on_small_corpus(trio: Report, sarif_validator: Any) -> None:
    """The SARIF log of a small corpus is valid against the official schema."""
    log = json.loads(render_sarif(trio))
    assert list(sarif_validator.iter_errors(log)) == []
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"


def test_sarif_validates_on_seeds(seeds: Report, sarif_validator: Any) -> None:
    """The SARIF log of the shared seeds (absolute paths) is valid too."""
    log = json.loads(render_sarif(seeds))
    assert list(sarif_validator.iter_errors(log)) == []
    assert len(results(log)) == len(seeds.findings)


def test_sarif_validates_on_hostile_text(hostile: Report, sarif_validator: Any) -> None:
    """Hostile document text and file names keep the log valid and control-free."""
    text = render_sarif(replace(hostile, changed=frozenset({"a"})))
    assert list(sarif_validator.iter_errors(json.loads(text))) == []
    assert "\x1b" not in text
    assert "\\u001b" not in text
    assert "\\u0007" not in text


def test_sarif_rules_cover_results(trio: Report) -> None:
    """One rule per code, sorted and unique; every result names its rule by id and index."""
    run = json.loads(render_sarif(trio))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(set(ids))
    assert set(ids) == {result["ruleId"] for result in run["results"]}
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    conflict = rules[ids.index("count.conflict")]
    assert conflict["defaultConfiguration"]["level"] == "error"
    assert conflict["helpUri"].endswith("#code-count-conflict")
    assert conflict["shortDescription"]["text"]


def test_sarif_driver_and_run(trio: Report) -> None:
    """The driver names the tool and version; columns are counted in code points."""
    run = json.loads(render_sarif(trio))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "checker"
    assert driver["version"] == trio.checker_version
    assert driver["informationUri"].startswith("https://")
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprints_are_the_baseline_ones(trio: Report) -> None:
    """`partialFingerprints` carries the baseline fingerprint of each finding."""
    found = results(json.loads(render_sarif(trio)))
    for result, finding in zip(found, trio.findings, strict=True):
        expected = fingerprint(finding, facts_by_id(trio).get(finding.fact))
        assert result["partialFingerprints"] == {"checker/v1": expected}
        assert result["properties"] == {
            "confidence": finding.confidence,
            "fact": finding.fact,
            "kind": finding.kind.value,
        }


def test_sarif_regions_cover_the_claims(trio: Report) -> None:
    """Regions are 1-based code-point ranges that select exactly the claim's text."""
    documents = {doc.path: doc for doc in trio.documents}
    for result in results(json.loads(render_sarif(trio))):
        for place in result["locations"] + result["relatedLocations"]:
            physical = place["physicalLocation"]
            assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            doc = documents[physical["artifactLocation"]["uri"]]
            region = physical["region"]
            assert region["startLine"] == region["endLine"]
            line = doc.text.split("\n")[region["startLine"] - 1]
            figure = line[region["startColumn"] - 1 : region["endColumn"] - 1]
            assert figure.isdigit()
            if "message" in place:
                assert f"“{figure}”" in place["message"]["text"]


def test_sarif_primary_is_latest_document_without_changes(trio: Report) -> None:
    """With no changed documents, a result points at the latest-published document."""
    for result in results(json.loads(render_sarif(trio))):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        dated = {"count.conflict": "corpus/b.txt", "count.update": "corpus/c.txt"}
        assert uri == dated[result["ruleId"]]
        related = [
            r["physicalLocation"]["artifactLocation"]["uri"] for r in result["relatedLocations"]
        ]
        assert uri not in related
        assert [r["id"] for r in result["relatedLocations"]] == list(range(len(related)))


@pytest.mark.parametrize("doc_id", ["a", "b"])
def test_sarif_primary_is_in_changed_document(pair: Report, doc_id: str) -> None:
    """In a gate run, the primary location is the claim in the changed document."""
    report = replace(pair, changed=frozenset({doc_id}))
    (result,) = results(json.loads(render_sarif(report)))
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == _documents(pair)[doc_id].path
    claim = primary_claim(report.findings[0], document_index(report), report.changed)
    assert claim is not None
    assert claim.span.doc_id == doc_id


def test_sarif_absolute_paths_are_file_uris(seeds: Report) -> None:
    """An absolute document path becomes a file URI without a base id."""
    for result in results(json.loads(render_sarif(seeds))):
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uri"].startswith("file:///")
        assert "uriBaseId" not in artifact


def test_sarif_notifies_error_and_warning_diagnostics(pair: Report, sarif_validator: Any) -> None:
    """Run problems become tool execution notifications; notes are left out."""
    from checker.model import Diagnostic

    diagnostics = (
        Diagnostic("corpus/x.bin", Severity.WARNING, "read.binary", "binary\x1b[31m file"),
        Diagnostic(None, Severity.ERROR, "date.unused", "no match"),
        Diagnostic("corpus/e.txt", Severity.NOTE, "read.empty", "empty", line=1),
    )
    log = json.loads(render_sarif(replace(pair, diagnostics=diagnostics)))
    assert list(sarif_validator.iter_errors(log)) == []
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["read.binary", "date.unused"]
    assert notes[0]["message"]["text"] == "binary file"
    assert "locations" not in notes[1]


# -- GitHub --------------------------------------------------------------------------


def test_github_escapes() -> None:
    """GitHub's escaping: `%`, CR and LF in data; `:` and `,` as well in properties."""
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_command_points_at_the_claim(pair: Report) -> None:
    """A finding becomes one `::error` line on the primary claim, columns inclusive."""
    (line,) = render_github(pair).splitlines()
    name, props, message = command_parts(line)
    assert name == "error"
    assert props == {
        "file": "corpus/b.txt",
        "line": "3",
        "endLine": "3",
        "col": "18",
        "endColumn": "19",
        "title": "count.conflict: people killed in Arvale",
    }
    assert message.startswith(pair.findings[0].message)
    assert "corpus/a.txt:3" in message


def test_github_escapes_paths_and_messages(hostile: Report) -> None:
    """`%`, `,` and `:` in a path and newlines in a message survive the round trip."""
    report = replace(hostile, changed=frozenset({"a"}))
    finding = replace(report.findings[0], message="first 100%\nsecond: a,b")
    (line,) = render_github(replace(report, findings=(finding,))).splitlines()
    assert "%0A" in line
    _name, props, message = command_parts(line)
    assert props["file"] == "corpus/a.txt"
    assert message.splitlines()[:2] == ["first 100%", "second: a,b"]
    # The hostile document is quoted as the other claim, its name escaped as data.
    assert f"corpus/{HOSTILE_NAME}:4" in message

    primary = render_github(hostile)
    _name, props, _message = command_parts(primary.splitlines()[0])
    assert props["file"] == f"corpus/{HOSTILE_NAME}"
    assert "b%2C 50%25%3A x.txt" in primary


def test_github_hostile_text_cannot_inject_commands(hostile: Report) -> None:
    """Every line is a command this renderer wrote; document text cannot add one."""
    for changed in (frozenset(), frozenset({"a"})):
        text = render_github(replace(hostile, changed=changed))
        lines = text.splitlines()
        assert len(lines) == len(hostile.findings)
        for line in lines:
            assert COMMAND.match(line)
            assert "\x1b" not in line
            assert "\x07" not in line
            assert "\r" not in line
            # The only `::` pairs before the message are the command's own.
            head = line.split("::")[1]
            assert ":" not in head
    # Quoted as the other claim, the hostile sentence is in the message, defused.
    quoted = render_github(replace(hostile, changed=frozenset({"a"})))
    assert "::error::pwned" in command_parts(quoted.splitlines()[0])[2]


def test_github_caps_ten_per_level(pair: Report) -> None:
    """At most ten of each level, most severe and confident first, then a closing notice."""
    report = _many(pair, errors=25, warnings=12, notes=3)
    lines = render_github(report).splitlines()
    parts = [command_parts(line) for line in lines]
    assert Counter(name for name, _props, _message in parts) == {
        "error": 10,
        "warning": 10,
        "notice": 4,
    }
    tags = [re.findall(r"\[(\w+)\]", message)[0] for _name, _p, message in parts[:-1]]
    errors = [f"E{index}" for index in range(25, 15, -1)]
    warnings = [f"W{index}" for index in range(12, 2, -1)]
    assert tags == [*errors, *warnings, "N3", "N2", "N1"]
    assert lines[-1].startswith("::notice::17 more findings not annotated")
    assert "step summary" in lines[-1]


def test_github_notice_slot_for_the_summary(pair: Report) -> None:
    """When notes overflow, nine are kept so the closing notice is the tenth."""
    report = _many(pair, errors=0, warnings=0, notes=11)
    lines = render_github(report).splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("::notice::2 more findings")


def test_github_no_findings_no_output(pair: Report) -> None:
    """A clean report prints nothing."""
    assert render_github(replace(pair, findings=())) == ""


def test_write_step_summary(tmp_path: Path) -> None:
    """The summary is appended to `GITHUB_STEP_SUMMARY`, and skipped when it is unset."""
    target = tmp_path / "summary.md"
    target.write_text("before\n", encoding="utf-8")
    assert write_step_summary("# Report", {"GITHUB_STEP_SUMMARY": str(target)})
    assert target.read_text(encoding="utf-8") == "before\n# Report\n"
    assert not write_step_summary("# Report", {})


# -- GitLab --------------------------------------------------------------------------


def test_gitlab_code_quality(trio: Report) -> None:
    """Issues carry the code, a severity GitLab knows, the path and line."""
    issues = json.loads(render_gitlab(trio))
    assert [issue["check_name"] for issue in issues] == [f.code for f in trio.findings]
    by_code = {issue["check_name"]: issue for issue in issues}
    assert by_code["count.conflict"]["severity"] == "major"
    assert by_code["count.update"]["severity"] == "info"
    assert by_code["count.conflict"]["location"] == {
        "path": "corpus/b.txt",
        "lines": {"begin": 3},
    }
    for issue, finding in zip(issues, trio.findings, strict=True):
        assert issue["fingerprint"] == fingerprint(finding, facts_by_id(trio).get(finding.fact))
        assert issue["description"] == finding.message


def test_gitlab_fingerprints_unique(pair: Report) -> None:
    """Findings sharing a baseline fingerprint still get unique, stable fingerprints."""
    report = _many(pair, errors=5, warnings=5, notes=5)
    issues = json.loads(render_gitlab(report))
    prints = [issue["fingerprint"] for issue in issues]
    assert len(set(prints)) == len(prints) == 15
    assert prints == [issue["fingerprint"] for issue in json.loads(render_gitlab(report))]
    first = report.findings[0]
    assert prints[0] == fingerprint(first, facts_by_id(report).get(first.fact))


def test_unique_fingerprints_avoids_existing_ones() -> None:
    """A re-hashed repeat never takes a fingerprint another finding has."""
    made = unique_fingerprints(["x", "x", "y", "x"])
    assert made[0] == "x" and made[2] == "y"
    assert len(set(made)) == 4
    assert unique_fingerprints([*made, "x"])[:4] == made


def test_gitlab_hostile_description(hostile: Report) -> None:
    """Descriptions are single-line and free of control characters."""
    finding = replace(hostile.findings[0], message="a\x1b[31m red\x07\nnext")
    (issue,) = json.loads(render_gitlab(replace(hostile, findings=(finding,))))
    assert issue["description"] == "a red next"


# -- JUnit ---------------------------------------------------------------------------


def test_junit_structure(trio: Report) -> None:
    """One test case per compared fact; a fact with findings fails, worst code first."""
    root = ET.fromstring(render_junit(trio))
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.get("name") == "checker"
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases))
    failures = [case for case in cases if case.find("failure") is not None]
    assert suite.get("failures") == str(len(failures)) == "1"
    (failed,) = failures
    assert failed.get("classname") == "checker.facts"
    assert failed.get("name") == "F1: people killed in Arvale"
    failure = failed.find("failure")
    assert failure is not None
    assert failure.get("type") == "count.conflict"
    body = failure.text or ""
    assert "error count.conflict" in body and "note count.update" in body
    assert "corpus/a.txt:3" in body and "corpus/c.txt:3" in body
    assert {case.get("name") for case in cases} >= {"F2: date of the flood"}


def test_junit_strips_what_xml_cannot_hold(hostile: Report) -> None:
    """Terminal escapes, a bell and other controls never reach the XML."""
    odd = "bad \x1b[31mred\x1b[0m \x07 \x00 \ufffe \ud800 <b>&amp;</b>"
    finding = replace(hostile.findings[0], message=odd)
    for report in (hostile, replace(hostile, findings=(finding,))):
        text = render_junit(report)
        assert not NOT_XML.search(text)
        root = ET.fromstring(text)
        failure = root.find("testsuite/testcase/failure")
        assert failure is not None
        assert "<script>" in (failure.text or "")
    message = ET.fromstring(render_junit(replace(hostile, findings=(finding,))))
    failure = message.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bad red <b>&amp;</b>"


def test_junit_finding_about_unknown_fact(pair: Report) -> None:
    """A finding whose fact is not listed still fails a test case."""
    finding = replace(pair.findings[0], fact="F99")
    root = ET.fromstring(render_junit(replace(pair, findings=(finding,))))
    names = [case.get("name") for case in root.iter("testcase")]
    assert "F99: F99" in names


# -- seeds ---------------------------------------------------------------------------


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
def test_seeds_render(seeds: Report, render: Callable[[Report], str]) -> None:
    """Every renderer handles the shared seeds."""
    text = render(seeds)
    assert text.endswith("\n")
    if render is render_junit:
        ET.fromstring(text)
    elif render is render_gitlab:
        assert len(json.loads(text)) == len(seeds.findings)
    elif render is render_github:
        assert all(COMMAND.match(line) for line in text.splitlines())
