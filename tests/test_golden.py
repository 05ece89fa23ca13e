"""Golden files: the JSON and markdown reports of `examples/` must not change unnoticed.

After an intended change, regenerate them with `UPDATE_GOLDEN=1 pytest tests/test_golden.py`
and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker import check
from checker.report import RENDERERS

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize(("fmt", "name"), [("json", "examples.json"), ("markdown", "examples.md")])
def test_examples_report_matches_golden(
    fmt: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    rendered = RENDERERS[fmt](check(["examples"]))
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_examples_findings_are_the_intended_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = check(["examples"])
    found = sorted((f.kind.value, tuple(sorted(c.text for c in f.claims))) for f in report.findings)
    assert found == [
        ("assumption", ("14 years", "more than two decades")),
        ("conflict", ("1987", "1994")),
        ("disputed", ("40", "65")),
    ]
