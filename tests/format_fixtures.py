"""Small corpora and report builders for the CI renderer tests (`test_formats.py`).

The reports come from the real engine run on two or three short documents about one
flood: a later report gives a lower death toll (a `count.conflict` error) and, in the
three-document corpus, a third gives a higher one (a `count.update` note). The hostile
document wraps its figure in pipes, backticks, HTML, terminal escapes, a bell, `%`,
`,`, `:` and a workflow command, and its file name holds `,`, `%` and `:`.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from checker.engine import check
from checker.model import Finding, FindingKind, Report, Severity

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SARIF_SCHEMA = SHARED / "schemas-external" / "sarif-schema-2.1.0.json"

ALPHA = "date 2024-05-04\n\nThe flood killed 30 people in Arvale on 3 May 2024.\n"
BRAVO = "date 2024-05-05\n\nThe flood killed 12 people in Arvale on 3 May 2024.\n"
CHARLIE = "date 2024-05-06\n\nThe flood in Arvale on 3 May 2024 killed 50 people.\n"
HOSTILE_NAME = "b, 50%: x.txt"
HOSTILE = (
    "date 2024-05-05\n\n"
    "Notes | pipe | `rm -rf` <script>alert(1)</script>.\n"
    "The flood killed 12 people in Arvale on 3 May 2024 | pipe | `x` "
    "<script>alert(1)</script> \x1b[2J ::error::pwned %0A 50%, a:b "
    "\x1b[31mred\x1b[0m \x07 bell\n"
    "::warning file=x::next line.\n"
)


def require(path: Path) -> Path:
    """Return `path`; skip the test when it is missing, or fail under CI."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"missing: {path}")
        pytest.skip(f"missing: {path}")
    return path


def run_corpus(root: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> Report:
    """Write `files` to `corpus/` in a new folder under `root` and check them from there.

    The check runs in that folder by the relative path `corpus`, so document paths are
    relative as in a CI checkout; each call gets its own folder, so fixtures combine.
    """
    workdir = Path(tempfile.mkdtemp(dir=root))
    monkeypatch.chdir(workdir)
    folder = workdir / "corpus"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return check(["corpus"])


def clones(finding: Finding, count: int, severity: Severity, prefix: str) -> list[Finding]:
    """Return `count` copies of `finding` at `severity`, confidences 0.01, 0.02, ...

    Each copy's message ends with its id in brackets, so output can be traced back.
    """
    kinds = {
        Severity.ERROR: FindingKind.CONFLICT,
        Severity.WARNING: FindingKind.ASSUMPTION,
        Severity.NOTE: FindingKind.UPDATE,
    }
    family = finding.code.split(".")[0]
    return [
        replace(
            finding,
            id=f"{prefix}{index}",
            severity=severity,
            kind=kinds[severity],
            code=f"{family}.{kinds[severity].value}",
            confidence=index / 100,
            message=f"{finding.message} [{prefix}{index}]",
        )
        for index in range(1, count + 1)
    ]


def command_parts(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command line into (name, properties, message), unescaping.

    Parses the way the Actions runner does: the command ends at the first `::` after
    the leading one, properties are split on `,` and `=`.
    """
    assert line.startswith("::")
    head, _sep, message = line[2:].partition("::")
    name, _space, props_text = head.partition(" ")
    props: dict[str, str] = {}
    for item in filter(None, props_text.split(",")):
        key, _eq, value = item.partition("=")
        props[key] = unescape(value)
    return name, props, unescape(message)


def unescape(text: str) -> str:
    """Undo GitHub's command escaping (`%25` last, so `%253A` stays `%3A`)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the results of a SARIF log's only run."""
    runs: list[dict[str, Any]] = log["runs"]
    assert len(runs) == 1
    found: list[dict[str, Any]] = runs[0]["results"]
    return found
