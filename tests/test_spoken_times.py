"""`spoken_times`: a time right after a verb of speaking dates the statement."""

from __future__ import annotations

import pytest

from checker.extract.attribution import spoken_times
from checker.text import tokenize


def _marks_at(text: str, words: list[str]) -> tuple[list[str], frozenset[int]]:
    tokens = tokenize(text)
    marks = [i for i, t in enumerate(tokens) if t.raw in words]
    spoken = spoken_times(text, tokens, marks)
    return [tokens[i].raw for i in sorted(spoken)], spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("The crash killed 12 people, the board said on Thursday.", ["Thursday"]),
        ("The minister told a news conference on Monday that 40 died.", ["Monday"]),
        ("The coastguard warned on Friday that 31 were missing.", ["Friday"]),
        ("Police said Tuesday the toll had risen.", ["Tuesday"]),
        # The time dates what happened, not the saying: other words stand between.
        ("Police said the bridge collapsed on Tuesday.", []),
        ("Police said, on reflection, that Tuesday was the worst day.", []),
        ("The quake struck on Monday and killed 40.", []),
    ],
)
def test_spoken_times(text: str, spoken: list[str]) -> None:
    words = ["Monday", "Tuesday", "Thursday", "Friday"]
    assert _marks_at(text, words)[0] == spoken
