"""The names a report uses, found as the plainly written pattern finds them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from checker.stories import _NAME, names_in

# The pattern as first written: a look back for the word, comma or colon and the space
# before the capital. `_NAME` tests the capital first; the matches must be the same.
_PLAIN_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][^\W\d_]{2,}")

_TEXTS = st.text(st.sampled_from("aZ Kb,;:.\n_7éÉ\t")) | st.text()


@given(_TEXTS)
def test_names_are_those_the_plain_pattern_finds(text: str) -> None:
    assert [m.span() for m in _NAME.finditer(text)] == [
        m.span() for m in _PLAIN_NAME.finditer(text)
    ]


def test_names_in_counts_each_name() -> None:
    text = "Aid reached Kestel, said Kestel officials; in Kestel: Ankara said. The end."
    assert names_in(text) == {"Kestel": 3, "Ankara": 1}
