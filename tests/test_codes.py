"""Every code the checker emits is in the catalogue, and the README documents each one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.codes import CODES, FINDING_CODES, code_info
from checker.engine import check

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A diagnostic code is written as a string literal: "read.binary", "suppress.unused".
_LITERAL = re.compile(r'"([a-z]+\.[a-z]+(?:-[a-z]+)*)"')
_NOT_CODES = {"units.txt"}


def _diagnostic_literals() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "checker").rglob("*.py"):
        if path.name == "codes.py":
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"Diagnostic\((.{0,200})", text, re.DOTALL):
            found.update(_LITERAL.findall(call.group(1)))
        found.update(re.findall(r'_diag\([^)]*?"([a-z]+\.[a-z-]+)"', text, re.DOTALL))
    return found - _NOT_CODES


@pytest.mark.parametrize("code", sorted(CODES))
def test_the_readme_has_an_anchor_for_every_code(code: str) -> None:
    info = code_info(code)
    row = f'<a id="{info.anchor}"></a>`{code}` | {info.severity.value} | {info.meaning} |'
    assert row in README
    assert info.help_uri.endswith(f"README.md#{info.anchor}")


def test_every_diagnostic_code_in_the_source_is_catalogued() -> None:
    literals = _diagnostic_literals()
    assert literals, "the scan found no diagnostic codes at all"
    assert literals <= set(CODES), sorted(literals - set(CODES))


def test_the_catalogue_gives_the_severity_the_source_emits() -> None:
    pairs: set[tuple[str, str]] = set()
    for path in (ROOT / "checker").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        pairs.update(re.findall(r'Severity\.([A-Z]+),\s*"([a-z]+\.[a-z-]+)"', text))
    assert len(pairs) > 5, "the scan found too few diagnostics"
    for severity, code in sorted(pairs):
        assert code_info(code).severity.name == severity, code


def test_every_finding_code_on_our_corpora_is_catalogued(seeds_dir: Path) -> None:
    codes = {f.code for corpus in (ROOT / "examples", seeds_dir) for f in check([corpus]).findings}
    assert codes and codes <= set(FINDING_CODES)
