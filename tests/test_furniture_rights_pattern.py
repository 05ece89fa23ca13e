"""The furniture line patterns written for speed match the lines the plain ones did."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from checker import lexicon
from checker.ingest import _norm, furniture_rules

# The patterns as first written, before they were rewritten for the regex engine.
_PLAIN = {
    "rights": r".*\ball rights reserved\.?",
}

_PIECES = st.sampled_from(
    [
        "all rights reserved",
        "all rights reserved.",
        "ALL Rights",
        " reserved",
        "a",
        "A",
        "ll",
        "ball",
        " ",
        ".",
        ",",
        "©",
        "2024",
        "-",
        "(",
        ")",
        "x",
        "é",
        "İ",
        "ſ",
        ":",
        "\t",
    ]
)


def _rewritten() -> dict[str, re.Pattern[str]]:
    patterns = lexicon.load("furniture")["lines"]["patterns"]
    return {name: re.compile(patterns[name], re.I) for name in _PLAIN}


@settings(max_examples=800, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_rewritten_patterns_match_the_same_normal_lines(line: str) -> None:
    norm = _norm(line)
    for name, fast in _rewritten().items():
        plain = re.compile(_PLAIN[name], re.I)
        assert (fast.fullmatch(norm) is None) == (plain.fullmatch(norm) is None), name


def test_rewritten_patterns_on_examples() -> None:
    fast = _rewritten()["rights"]
    for line, matches in [
        ("All rights reserved.", True),
        ("© 2024 Union Bulletin. All Rights Reserved", True),
        ("(c)2024,all rights reserved", True),
        ("Ball rights reserved", False),
        ("all rights reserved!", False),
    ]:
        assert (fast.fullmatch(_norm(line)) is not None) is matches, line
    assert furniture_rules().patterns  # the whole set still compiles
