"""Reference facts (`check --facts FILE`): read like a document, cited in findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine import check
from checker.errors import UsageError
from checker.facts import REFERENCE_ID, load_facts
from checker.model import FindingKind

STORY = """date 2025-03-14

The Kestrel bridge, which opened in 1998, carried 30,000 vehicles a day before it closed.
"""

FACTS = """
[[fact]]
statement = "The Kestrel bridge opened in 1996."
source = "county highways register"

[[fact]]
subject = "Kestrel bridge traffic"
value = "30,000 vehicles a day"
source = "traffic census 2024"
"""


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bridge.txt").write_text(STORY, encoding="utf-8")
    facts = tmp_path / "facts.toml"
    facts.write_text(FACTS, encoding="utf-8")
    return docs, facts


def test_a_document_that_contradicts_a_reference_fact_is_a_conflict_citing_it(
    tmp_path: Path,
) -> None:
    docs, facts = _corpus(tmp_path)
    report = check([docs], facts=facts)
    [finding] = report.findings
    assert finding.kind is FindingKind.CONFLICT
    assert finding.code == "date.reference"
    assert sorted(c.text for c in finding.claims) == ["1996", "1998"]
    assert "county highways register" in finding.message


def test_reference_lines_point_at_the_facts_file(tmp_path: Path) -> None:
    _, facts = _corpus(tmp_path)
    reference = load_facts(facts)
    assert reference.document.id == REFERENCE_ID
    lines = facts.read_text(encoding="utf-8").splitlines()
    for start, _end, _source in reference.sources:
        line, _ = reference.document.line_col(start)
        assert lines[line - 1].lstrip().startswith(("statement", "subject"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[[fact]]\nstatement = 'x happened in 2001.'\n", "source", id="no-source"),
        pytest.param(
            "[[fact]]\nsubject = 'x'\nsource = 's'\n", "fact/0", id="subject-without-value"
        ),
        pytest.param("[[fact]\n", "not valid TOML", id="bad-toml"),
        pytest.param("[[facts]]\nstatement = 'a'\nsource = 's'\n", "top level", id="unknown-table"),
    ],
)
def test_a_bad_facts_file_names_the_file_and_the_entry(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "facts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=expected) as error:
        load_facts(path)
    assert str(path) in str(error.value)
