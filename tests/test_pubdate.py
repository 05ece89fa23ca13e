"""Publication dates from headers, front matter and datelines."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.model import DateSource
from checker.pubdate import find_publication_date, front_matter, parse_date, scan_header

D = date

# (id, text, expected (earliest, latest) or None)
HEADER_CASES = [
    ("date-keyword-line", " date 2024-08-07 0\nHeadline\n", (D(2024, 8, 7), D(2024, 8, 7))),
    ("weekday-day-month-time", "Wednesday 7 August 2024 - 21:29\n", (D(2024, 8, 7),) * 2),
    ("iso-with-time", "Headline\n2024-08-26 07:51:42\n", (D(2024, 8, 26),) * 2),
    ("iso-t-zone", "2024-08-26T23:51:42-05:00\nHeadline\n", (D(2024, 8, 26),) * 2),
    ("iso-t-z", "Headline\n2021-01-31T10:00:00Z\n", (D(2021, 1, 31),) * 2),
    ("month-day-year", "Headline\nAugust 26, 2024\n", (D(2024, 8, 26),) * 2),
    ("day-month-year", "26 August 2024\n", (D(2024, 8, 26),) * 2),
    ("abbrev-ordinal", "Posted on Aug. 3rd, 2021 at 5:30 p.m. EDT\n", (D(2021, 8, 3),) * 2),
    ("published-label", "Published: 3 March 2023\n", (D(2023, 3, 3),) * 2),
    (
        "published-over-updated-same-line",
        "Updated 9 Mar 2023 | Published 3 Mar 2023",
        (D(2023, 3, 3),) * 2,
    ),
    (
        "published-over-updated-lines",
        "Updated: 2023-03-09\nPublished: 2023-03-03\n",
        (D(2023, 3, 3),) * 2,
    ),
    ("only-updated", "Last updated 5 May 2022 10:00 GMT\n", (D(2022, 5, 5),) * 2),
    ("plain-over-updated", "Updated: 2023-03-09\n2023-03-01\n", (D(2023, 3, 1),) * 2),
    ("byline-and-date", "By Jane Doe | March 3, 2023\n", (D(2023, 3, 3),) * 2),
    ("masthead-then-date", "Crescent Review | Nov. 27, 2022\n", (D(2022, 11, 27),) * 2),
    ("masthead-with-number", "Headline\nSentinel 24 | Oct. 5, 2022\n", (D(2022, 10, 5),) * 2),
    ("masthead-joiners", "Voice of the North \u00b7 3 March 2024\n", (D(2024, 3, 3),) * 2),
    ("date-then-masthead", "June 9, 2021 | 08:15 GMT | The Daily-Post\n", (D(2021, 6, 9),) * 2),
    ("prose-beside-bar", "Headline\nFloods hit the north | 3 March 2024\n", None),
    ("two-worded-parts", "Crescent Review | 3 March 2024 | Floods Hit\n", None),
    ("markdown-emphasis", "*Published 3 March 2023*\n", (D(2023, 3, 3),) * 2),
    ("dotted-day-first", "07.08.2024\n", (D(2024, 8, 7),) * 2),
    ("dotted-year-first", "Updated: 2024.08.26\n", (D(2024, 8, 26),) * 2),
    ("iso-one-digit", "Published: 2024-8-6\n", (D(2024, 8, 6),) * 2),
    ("day-month-dashed", "26-Aug-2024\n", (D(2024, 8, 26),) * 2),
    ("slash-unambiguous", "26/08/2024\n", (D(2024, 8, 26),) * 2),
    ("slash-ambiguous-range", "03/04/2023\n", (D(2023, 3, 4), D(2023, 4, 3))),
    ("weekday-disagrees", "Monday 7 August 2024\n", (D(2024, 8, 7),) * 2),
    (
        "dateline-year-from-header",
        "Story 2024\n\nBAGHDAD, Aug 26 (Reuters) - Text.",
        (D(2024, 8, 26),) * 2,
    ),
    ("dateline-own-year", "BEIRUT, Lebanon, Aug 26, 2024 (AP) \u2014 Text.", (D(2024, 8, 26),) * 2),
    ("dateline-day-month", "Story 2023\nPARIS, 26 August (AFP) -- Text.", (D(2023, 8, 26),) * 2),
    (
        "dateline-crosses-new-year",
        "2 January 2025\nWASHINGTON, Dec 31 (Reuters) - x",
        (D(2025, 1, 2),) * 2,
    ),
    (
        "dateline-region-with-joiner",
        "Story 2025\n\nPORT EASDALE, Isle of Tarran, Nov 8 (Coastline Wire) - Text.",
        (D(2025, 11, 8),) * 2,
    ),
    ("place-then-date", "PRESS RELEASE\nHarwell Quay, 11 November 2025\n", (D(2025, 11, 11),) * 2),
    (
        "dateline-weekday-in-emphasis",
        "Headline\n\n**LISDARRA, Tuesday 4 November 2025** \u2014 Text.",
        (D(2025, 11, 4),) * 2,
    ),
    ("dateline-weekday-comma", "LONDON, Tuesday, Nov. 4, 2025 (AP) - Text.", (D(2025, 11, 4),) * 2),
    ("words-then-date", "Headline\nWe met 3 March 2024\n", None),
    ("dateline-no-year", "Headline\n\nBAGHDAD, Aug 26 (Reuters) - Text.", None),
    ("dateless-dateline", "Headline\nBAGHDAD (Dispatches) -- Text on 3 May 2020.", None),
    ("date-in-prose", "Headline\nThe attack on 7 August 2024 killed five people.\n", None),
    ("impossible-date", "2023-02-30\n", None),
    ("no-date", "Headline\nBody text.\n", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in HEADER_CASES], ids=[c[0] for c in HEADER_CASES]
)
def test_header_forms(text: str, expected: tuple[date, date] | None) -> None:
    found = find_publication_date(text, markdown=False)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.earliest, found.latest) == expected
        assert found.source is DateSource.TEXT


def test_body_dates_are_not_read() -> None:
    prose = "A long opening paragraph of the story that goes on and on for many words. " * 3
    assert find_publication_date(f"Headline\n{prose}\n2024-01-01\n", markdown=False) is None


def test_header_zone_is_limited_to_first_lines() -> None:
    text = "\n".join(["line"] * 9 + ["2024-01-01"])
    assert find_publication_date(text, markdown=False) is None


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (" date 2024-08-07 0\nWed 7 Aug 2024\nTitle", [" date 2024-08-07 0", "Wed 7 Aug 2024"]),
        ("T 2024\nBaghdad, August 26 (RHC)-- Text", ["Baghdad, August 26 (RHC)--"]),
        ("Title\nBAGHDAD (Dispatches) -- Text", []),
    ],
    ids=["header-lines", "dateline-prefix", "dateless-dateline-not-skipped"],
)
def test_spans_cover_header_lines(text: str, spans: list[str]) -> None:
    assert [text[s:e] for s, e in scan_header(text, markdown=False).spans] == spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: T\ndate: 2023-05-01\n---\n2024-01-01\n", D(2023, 5, 1)),
        ("---\npublished: '2023-05-01T10:00:00Z'\n---\nBody\n", D(2023, 5, 1)),
        ("+++\ndate = 2023-05-01\n+++\nBody\n", D(2023, 5, 1)),
        ("---\nupdated: 2023-06-01\ndate: 2023-05-01\n---\n", D(2023, 5, 1)),
    ],
    ids=["yaml-date", "yaml-published-quoted", "toml-front-matter", "date-over-updated"],
)
def test_front_matter(text: str, expected: date) -> None:
    found = find_publication_date(text, markdown=True)
    assert found is not None
    assert found.earliest == expected
    assert found.source is DateSource.FRONT_MATTER


def test_front_matter_only_for_markdown() -> None:
    # In plain text the `date:` line is still a labelled header line, not front matter.
    found = find_publication_date("---\ndate: 2023-05-01\n---\n", markdown=False)
    assert found is not None
    assert found.source is DateSource.TEXT


def test_front_matter_fields_and_span() -> None:
    text = "---\ntitle: 'A title'\nnested:\n  date: 2020-01-01\n---\nBody"
    front = front_matter(text)
    assert front is not None
    assert front.fields == {"title": "A title", "nested": ""}
    assert text[front.start : front.end] == text[: text.index("Body")]


def test_parse_date() -> None:
    assert parse_date("on 3 March 2023 at noon") == (D(2023, 3, 3), D(2023, 3, 3))
    assert parse_date("no date here") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_e301387acb8c9699.txt", None),
        ("001_74fd81c8c935c95f.txt", None),
        ("002_118fddbc593f8a91.txt", D(2024, 8, 7)),
        ("003_f1ccebb72a0df907.txt", D(2024, 8, 26)),
        ("004_47495087b65cf818.txt", None),
    ],
    ids=["000", "001", "002", "003", "004"],
)
def test_seeds(seeds_dir: Path, name: str, expected: date | None) -> None:
    text = (seeds_dir / name).read_text(encoding="utf-8-sig")
    found = find_publication_date(text, markdown=False)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.exact and found.earliest == expected


@given(st.text(st.sampled_from("\n\r a7"), max_size=80), st.integers(0, 20))
def test_opening_lines_are_the_lines_up_to_the_last_read(text: str, body_from: int) -> None:
    from checker.pubdate import DATELINE_LINES, _opening_lines

    # Every line, split by the pattern the general path uses.
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    ends = [m.start() for m in re.finditer(r"\r\n|\r|\n", text)] + [len(text)]
    lines = [(s, e) for s, e in zip(starts, ends, strict=True) if s >= body_from]
    non_empty = [i for i, (s, e) in enumerate(lines) if text[s:e].strip()]
    if len(non_empty) >= DATELINE_LINES:
        lines = lines[: non_empty[DATELINE_LINES - 1] + 1]
    assert _opening_lines(text, body_from) == lines


def _parts(*choices: str) -> st.SearchStrategy[str]:
    return st.sampled_from(choices)


# Lines shaped like datelines, part by part, each part sometimes missing or wrong.
_DATELINE_LIKE = st.tuples(
    _parts("", "*", "ALCAZ", "New York", "Saint-Denis, France", "it"),
    _parts("", ",", ", ", ";"),
    _parts("", "July 17", "Jul. 3rd", "17 July", "July"),
    _parts("", ", 2023", " 1999", "2023"),
    _parts("", " (AP)", "(Reuters) "),
    _parts("", " --", "-", " \u2013", "\u2014", ":", " ."),
    _parts("", " The rest of the story.", " x"),
).map("".join)


@given(_DATELINE_LIKE)
def test_lines_the_dateline_shortcuts_skip_match_no_dateline(line: str) -> None:
    from checker.pubdate import _may_be_dateline, _may_end_a_dateline, _patterns

    patterns = _patterns()
    if patterns.dateline.match(line):
        assert _may_be_dateline(line)
    if patterns.dateless_dateline.match(line):
        assert _may_end_a_dateline(line)
