"""Hostile documents and file names cannot break out of any output format.

The corpus is read by the real engine. Three documents disagree about a death toll,
two about homes, houses, burned land and bridges, so every renderer has findings to
quote; their text is full of things that mean something to a reader of the output:
markdown table pipes and backticks, HTML and script tags, terminal escapes (CSI, OSC 8
hyperlinks, window titles, the 8-bit CSI), bidi overrides, C0 controls (NUL too, in a
UTF-16 file, the one encoding that may hold it), lone CRs, GitHub workflow commands and
their `%0A` escape, line breaks inside the sentences quoted and inside one figure. The
file names hold `,`, `:`, `%`, `|`, backticks, `<`, an escape, a bidi override and a
newline, since a name is as much the author's as the text.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.engine import check
from checker.model import Report
from checker.report import RENDERERS
from checker.report.claims import render_claim_lines
from checker.report.github import render_github
from checker.report.gitlab import render_gitlab
from checker.report.json_report import render_json
from checker.report.junit import render_junit
from checker.report.markdown import render_markdown
from checker.report.records import document_index, primary_claim, strip_controls
from checker.report.sarif import render_sarif
from checker.report.terminal import render_terminal, render_text

ROOT = Path(__file__).resolve().parents[1]
REPORT_SCHEMA = ROOT / "schemas" / "report.schema.json"
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas-external" / "sarif-schema-2.1.0.json"

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
CLEAR = "\x1b[2J"
HYPERLINK = "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07"
# SGR sequences the renderer never emits itself (blink, 24-bit colour), so a leak
# into coloured output cannot hide among its own.
BLINK = "\x1b[5m\x1b[38;2;255;0;0m"
# An OSC that sets the window title: its text has spaces, so a quote cut at a word
# boundary can fall inside it.
TITLE = "\x1b]2;evil evil evil\x07 "
CSI8 = "\x9b31m"
RLO = "\u202e"
C0 = "\x01\x02\x08\x0b\x0c\x0e\x1f\x7f"
SEPARATORS = "\x85\u2028\u2029"

NAME_A = "a, b: 50%.md"
NAME_B = "c::error::d %0A `x` |y| <b>.txt"
NAME_C = "e\x1b[31m\nf\u202e.txt"

DOC_A = (
    "date 2024-05-04\n"
    "\n"
    f"# Flood | report `x` {SCRIPT}\n"
    "\n"
    f"The flood killed 12 people in Arvale on 3 May 2024 {SCRIPT} {IMG} | cell | `tick`.\n"
    f"Officials said about 400 homes\nwere destroyed in Arvale {CLEAR}{HYPERLINK} {CSI8}"
    f"{RLO}gpj.exe {BLINK}::error::pwned %0A and, more: 50%.\n"
    f"The storm cut power to 3,000 houses in Ostrel, the utility said{C0} {SEPARATORS} "
    "``` `` ` *x* _y_ ~z~ [l](javascript:alert(3)) &lt;b&gt; \\ # 1. - + >\n"
    "The fire burned more\nthan 1.2 million hectares in Ostrel, the agency said.\n"
    # Long enough to be cut when quoted: a cut must not split an escape sequence.
    f"Crews said {TITLE * 12}75 bridges collapsed in Ostrel.\n"
)
# Lone CRs, CRLF and LF mixed: the reader turns them all into LF.
DOC_B = (
    "date 2024-05-04\r\r"
    "The flood killed\r30 people in Arvale on 3 May 2024. | a | b | `` ` ``\r\n"
    f"Officials said 900 homes were destroyed in Arvale. {SCRIPT} ::warning file=x::y\r"
    f"The storm cut power to 9,000 houses in Ostrel, the utility said. {RLO}{C0}\n"
    "The fire burned 900,000 hectares in Ostrel, the agency said.\n"
    "Crews said 20 bridges collapsed in Ostrel.\n"
)
# NUL cannot appear in a UTF-8 file (it is taken as binary) but can in UTF-16.
DOC_C = (
    "date 2024-05-04\n\n"
    f"The flood killed 50\x00 people in Arvale on 3 May 2024.\x00 {CLEAR}{RLO} {SCRIPT}\n"
)

# Never shown to a reader: C0 but tab and LF, DEL, C1, bidi controls, and the Unicode
# line and paragraph separators (a log viewer may break a line there).
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
SGR = re.compile(r"\x1b\[([0-9;]*)m")
# What rich writes for this renderer's styles: reset, bold, dim, the 8 standard
# foreground and background colours and their defaults.
RENDERER_SGR_CODES = frozenset({0, 1, 2, 22, 39, 49, *range(30, 38), *range(40, 48)})
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _forbidden(text: str) -> list[str]:
    return sorted({repr(ch) for ch in FORBIDDEN.findall(text)})


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The hostile corpus, checked by the real engine."""
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    folder.mkdir()
    (folder / NAME_A).write_bytes(DOC_A.encode("utf-8"))
    (folder / NAME_B).write_bytes(DOC_B.encode("utf-8"))
    (folder / NAME_C).write_bytes(DOC_C.encode("utf-16"))
    return check([folder])


def test_corpus_reaches_every_renderer_with_its_hostile_text(report: Report) -> None:
    """Guard against a vacuous pass: findings exist and quote the hostile text."""
    assert len(report.documents) == 3
    assert {"count.conflict"} <= {f.code for f in report.findings}
    records = json.loads(render_json(report))
    quoted = {claim for finding in records["findings"] for claim in finding["claims"]}
    sentences = " ".join(c["sentence"] for c in records["claims"] if c["id"] in quoted)
    for hostile in (SCRIPT, IMG, CLEAR, "\x07", CSI8, RLO, "\x00", "`", "|", "::error::", "%0A"):
        assert hostile in sentences, hostile
    paths = {doc["path"].rsplit("/", 1)[-1] for doc in records["documents"]}
    assert paths == {NAME_A, NAME_B, NAME_C}
    cited = {claim.span.doc_id for finding in report.findings for claim in finding.claims}
    assert len(cited) == 3


# -- markdown --------------------------------------------------------------------------


def test_markdown_holds_no_html_or_controls(report: Report) -> None:
    text = render_markdown(report)
    assert "<" not in text  # the renderer writes none; a document's become &lt;
    assert "&lt;script&gt;" in text
    assert _forbidden(text) == []
    # A NUL between a figure and the next word is dropped, the space kept.
    assert "killed **50** people" in text
    assert "\r" not in text


@pytest.mark.parametrize(
    "render",
    [render_markdown, render_text, render_github, render_junit, render_sarif, render_gitlab],
    ids=lambda render: render.__name__,
)
def test_quotes_cut_around_escapes_never_show_their_insides(
    report: Report, render: Callable[[Report], str]
) -> None:
    """A quote cut to length is cut in what shows; an OSC 8 link's target never does."""
    assert any("75" in c.text for f in report.findings for c in f.claims)
    text = render(report)
    assert "evil" not in text
    assert "8;;" not in text


def test_markdown_backticks_cannot_open_code_spans(report: Report) -> None:
    """The renderer writes no backtick, so every one is a document's, escaped."""
    text = render_markdown(report)
    assert "`" in text
    for match in re.finditer("`", text):
        backslashes = len(text[: match.start()]) - len(text[: match.start()].rstrip("\\"))
        assert backslashes % 2 == 1, text[max(0, match.start() - 30) : match.end() + 30]


def test_markdown_table_rows_keep_their_cells(report: Report) -> None:
    """Pipes in cells are escaped: every row has as many cells as its table's header."""
    cells_per_row: int | None = None
    for line in render_markdown(report).split("\n"):
        if not line.startswith("|"):
            cells_per_row = None
            continue
        assert line.endswith(" |") and not line.endswith("\\|"), line
        cells = re.split(r"(?<!\\)(?:\\\\)*\|", line)[1:-1]
        if cells_per_row is None:
            cells_per_row = len(cells)
        assert len(cells) == cells_per_row, line


def test_markdown_lines_cannot_start_blocks(report: Report) -> None:
    """Document text never starts a heading, list, quote or fence of its own."""
    for line in render_markdown(report).split("\n"):
        stripped = line.lstrip()
        assert not stripped.startswith(("```", "~~~", ">", "<")), line
        if stripped.startswith("#"):
            assert re.match(r"#{1,4} \S", stripped), line


# -- terminal --------------------------------------------------------------------------


def test_terminal_plain_has_no_escapes_or_controls(report: Report) -> None:
    text = render_terminal(report, color=False)
    assert "\x1b" not in text
    assert _forbidden(text) == []
    assert "ERROR" in text
    assert "killed 50 people" in text
    # Escape sequences go whole, not just their ESC: no hidden link target shows.
    assert "evil.example" not in text


def test_terminal_colour_escapes_are_only_the_renderers(report: Report) -> None:
    text = render_terminal(report, color=True)
    codes = {int(code or 0) for params in SGR.findall(text) for code in params.split(";")}
    assert codes <= RENDERER_SGR_CODES
    rest = SGR.sub("", text)
    assert "\x1b" not in rest
    assert _forbidden(rest) == []
    # The colours add nothing but colour: without them it is the plain text.
    plain = render_terminal(report, color=False)
    assert [line.rstrip() for line in rest.split("\n")] == plain.split("\n")


def test_claim_lines_are_one_line_per_claim_without_controls(report: Report) -> None:
    text = render_claim_lines(report)
    assert _forbidden(text) == []
    assert "\x1b" not in text
    assert len(text.split("\n")) == len(report.claims) + 1


# -- JSON, SARIF, GitLab ---------------------------------------------------------------


def _strict_json(text: str) -> Any:
    def no_constant(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=no_constant)


def test_json_parses_and_validates(report: Report) -> None:
    record = _strict_json(render_json(report))
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(record)] == []
    # Offsets index the decoded text, hostile characters and all.
    texts = {doc.id: doc.text for doc in report.documents}
    for claim in record["claims"]:
        assert texts[claim["document"]][claim["start"] : claim["end"]] == claim["text"]


def _sarif_validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA.exists():
        if os.environ.get("CI"):
            pytest.fail(f"missing: {SARIF_SCHEMA}")
        pytest.skip(f"missing: {SARIF_SCHEMA}")
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *_strings(item)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def _uris(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["uri"]] if isinstance(value.get("uri"), str) else []
        return found + [uri for item in value.values() for uri in _uris(item)]
    if isinstance(value, list):
        return [uri for item in value for uri in _uris(item)]
    return []


def test_sarif_parses_validates_and_carries_no_controls(report: Report) -> None:
    log = _strict_json(render_sarif(report))
    assert [e.message for e in _sarif_validator().iter_errors(log)] == []
    assert len(log["runs"][0]["results"]) == len(report.findings)
    assert _forbidden("".join(_strings(log))) == []
    uris = _uris(log)
    assert len(uris) >= 3
    for uri in uris:
        assert URI_CHARS.fullmatch(uri), uri


def test_sarif_regions_index_the_decoded_text(report: Report) -> None:
    """Columns count code points, controls and bidi overrides included; a claim that
    runs over a line break ends on the next line."""
    documents = {doc.id: doc for doc in report.documents}
    results = _strict_json(render_sarif(report))["runs"][0]["results"]
    multiline = 0
    for finding, result in zip(report.findings, results, strict=True):
        primary = primary_claim(finding, document_index(report), report.changed)
        assert primary is not None
        others = [claim for claim in finding.claims if claim is not primary]
        located = [*result["locations"], *result["relatedLocations"]]
        assert len(located) == len(finding.claims)
        for claim, location in zip([primary, *others], located, strict=True):
            document = documents[claim.span.doc_id]
            region = location["physicalLocation"]["region"]
            start = document.line_col(claim.span.start)
            end = document.line_col(claim.span.end)
            assert (region["startLine"], region["startColumn"]) == start
            assert (region["endLine"], region["endColumn"]) == end
            multiline += region["endLine"] > region["startLine"]
    assert multiline


def test_gitlab_is_valid_json_with_clean_descriptions(report: Report) -> None:
    issues = _strict_json(render_gitlab(report))
    assert isinstance(issues, list)
    assert len(issues) == len(report.findings)
    for issue in issues:
        assert _forbidden(issue["description"]) == []
        assert "\n" not in issue["description"]
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


# -- GitHub workflow commands ----------------------------------------------------------

COMMAND = re.compile(r"::(error|warning|notice)(?: ([^:]*))?::(.*)")
PROPERTY_NAMES = frozenset({"file", "line", "endLine", "col", "endColumn", "title"})
ESCAPES = re.compile(r"%(?!25|0D|0A|3A|2C)")


def _unescape(text: str, *, prop: bool) -> str:
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def test_github_every_line_is_one_of_our_commands(report: Report) -> None:
    text = render_github(report)
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    assert len(lines) == len(report.findings)
    # No other line breaks a log viewer might honour.
    assert lines == text.splitlines()
    for line in lines:
        assert line.startswith(("::error", "::warning", "::notice"))
        match = COMMAND.fullmatch(line)
        assert match is not None, line
        assert _forbidden(line) == []
        assert "\x1b" not in line
        _name, props, message = match.groups()
        assert not ESCAPES.search(message), message
        assert "\r" not in message
        pairs = [item.split("=", 1) for item in (props or "").split(",")]
        assert all(len(pair) == 2 for pair in pairs), props
        assert {name for name, _ in pairs} <= PROPERTY_NAMES
        for _name, value in pairs:
            assert not ESCAPES.search(value), value
            assert ":" not in value and "," not in value


def test_github_properties_round_trip_the_hostile_names(report: Report) -> None:
    files = set()
    for line in render_github(report).splitlines():
        match = COMMAND.fullmatch(line)
        assert match is not None
        props = dict(item.split("=", 1) for item in (match.group(2) or "").split(","))
        if "file" in props:
            files.add(_unescape(props["file"], prop=True).rsplit("/", 1)[-1])
        message = _unescape(match.group(3), prop=False)
        # "%0A" written in a document stays text: it is not a line break to the runner.
        assert "%0A" not in message or "%250A" in match.group(3)
    assert files
    # A name's escapes and bidi controls are dropped; its newline is escaped, not lost.
    assert files <= {NAME_A, NAME_B, strip_controls(NAME_C)}
    assert strip_controls(NAME_C) == "e\nf.txt"


# -- JUnit -----------------------------------------------------------------------------


def test_junit_parses_and_holds_only_xml_characters(report: Report) -> None:
    text = render_junit(report)
    assert XML_ILLEGAL.search(text) is None
    assert _forbidden(text.replace("\r", "")) == []
    root = ET.fromstring(text.encode("utf-8"))
    failures = root.findall(".//failure")
    assert failures
    # Escaped in the XML, text again once parsed.
    assert any(SCRIPT in (failure.text or "") for failure in failures)
    for failure in failures:
        assert _forbidden(failure.get("message", "") + (failure.text or "")) == []


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_renderer_ends_with_one_newline(report: Report, name: str) -> None:
    render: Callable[[Report], str] = RENDERERS[name]
    text = render(report)
    assert text.endswith("\n") and not text.endswith("\n\n")
