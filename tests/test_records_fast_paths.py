"""The report records' shortcuts give what their general forms give."""

from __future__ import annotations

import re
import sys
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from checker.bounds import _json_bound, json_bound
from checker.report.records import collapse


def test_every_whitespace_character_but_the_space_is_unprintable() -> None:
    # `collapse` returns a printable text without double spaces as it is.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace() and char != " ":
            assert not char.isprintable(), hex(code)


_WHITESPACE_HEAVY = st.text(
    st.sampled_from(
        [
            " ",
            "\t",
            "\n",
            "\r",
            "\x0b",
            "\x0c",
            "\x1c",
            "\x85",
            "\xa0",
            "\u2028",
            "\u3000",
            "a",
            "é",
            "\x07",
        ]
    )
)


@given(st.text() | _WHITESPACE_HEAVY)
def test_collapse_is_one_space_for_every_whitespace_run(text: str) -> None:
    assert collapse(text) == re.sub(r"\s+", " ", text)


_BOUNDS = (
    st.none()
    | st.integers()
    | st.sampled_from([2**53 - 1, 2**53, 2**53 + 1, -(2**53) - 1, 10**20, -(10**20)])
    | st.floats()
    | st.dates(min_value=date(1900, 1, 1))
    | st.booleans()
)


@given(_BOUNDS)
def test_json_bound_shortcuts_match_the_general_path(bound: object) -> None:
    got, want = json_bound(bound), _json_bound(bound)  # type: ignore[arg-type]
    assert type(got) is type(want) and got == want
