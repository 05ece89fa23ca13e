"""Markdown structure as context: table cells, list items, headings, skipped code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract.markdown import (
    Block,
    cell_subject,
    context_of,
    markdown_blocks,
    parse_blocks,
)
from checker.extract.sentences import document_sentences
from checker.ingest import markdown_ranges, merge_ranges
from checker.model import Document
from checker.pubdate import front_matter

PRICING = """\
---
title: Plans and limits
date: 2024-05-01
---

# Limits

## Uploads

| Limit | Free | Pro | Enterprise |
| --- | :---: | ---: | :-- |
| Maximum file size | 100 MB | 2 GB | 10 GB |
| API requests per minute | 60 | 600 | 6,000 |
| Price per user per month | $0 | $12 | $40 |

Prices exclude tax.
"""


def md(text: str, path: str = "doc.md") -> Document:
    """Return a markdown document with code and front matter skipped, as ingest does."""
    skipped = merge_ranges(markdown_ranges(text, front_matter(text)))
    return Document("doc", path, text, skipped=skipped)


def cells(doc: Document) -> dict[str, str]:
    """Return {cell subject: cell text} for the value cells of a document."""
    return {
        cell_subject(b): doc.text[b.start : b.end]
        for b in markdown_blocks(doc)
        if b.kind == "table-cell" and not b.is_label
    }


def texts(doc: Document, kind: str) -> list[str]:
    return [doc.text[b.start : b.end] for b in markdown_blocks(doc) if b.kind == kind]


@pytest.mark.parametrize(
    ("subject", "value"),
    [
        ("Maximum file size × Free", "100 MB"),
        ("Maximum file size × Pro", "2 GB"),
        ("Maximum file size × Enterprise", "10 GB"),
        ("API requests per minute × Free", "60"),
        ("API requests per minute × Pro", "600"),
        ("API requests per minute × Enterprise", "6,000"),
        ("Price per user per month × Free", "$0"),
        ("Price per user per month × Pro", "$12"),
        ("Price per user per month × Enterprise", "$40"),
    ],
)
def test_pricing_table_cell_subjects(subject: str, value: str) -> None:
    assert cells(md(PRICING))[subject] == value


def test_pricing_table_structure() -> None:
    doc = md(PRICING)
    table = [b for b in markdown_blocks(doc) if b.kind == "table-cell"]
    assert len(table) == 16
    assert {b.context for b in table} == {("Limits", "Uploads")}
    labels = [doc.text[b.start : b.end] for b in table if b.is_label]
    assert labels == [
        "Limit",
        "Free",
        "Pro",
        "Enterprise",
        "Maximum file size",
        "API requests per minute",
        "Price per user per month",
    ]
    pro = next(b for b in table if doc.text[b.start : b.end] == "2 GB")
    assert (pro.row_label, pro.column_header, pro.row, pro.column) == (
        "Maximum file size",
        "Pro",
        1,
        2,
    )
    assert texts(doc, "paragraph") == ["Prices exclude tax."]
    assert not [b for b in markdown_blocks(doc) if b.end <= PRICING.index("# Limits")]


def test_sentences_never_cross_cells() -> None:
    doc = md(PRICING)
    sentences = [doc.text[s:e] for s, e in document_sentences(doc.text, doc.skipped)]
    assert "2 GB" in sentences
    assert "Maximum file size" in sentences
    assert not [s for s in sentences if "|" in s or "---" in s]


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        pytest.param(
            "Plan | Storage\n--- | ---\nPro | 2 GB\nTeam | 5 TB\n",
            {"Pro × Storage": "2 GB", "Team × Storage": "5 TB"},
            id="no-outer-pipes",
        ),
        pytest.param(
            "| Plan | Storage |\n|:-----|-----:|\n| Pro | 2 GB |\n",
            {"Pro × Storage": "2 GB"},
            id="alignment-colons",
        ),
        pytest.param(
            "| Plan | Cost |\n| :---: | :---: |\n| Pro \\| Team | $12 |\n",
            {"Pro | Team × Cost": "$12"},
            id="escaped-pipe",
        ),
        pytest.param(
            "| Plan | Seats | Cost |\n| --- | --- | --- |\n| Pro | 5 |\n| Team | 9 | $3 | x |\n",
            {"Pro × Seats": "5", "Team × Seats": "9", "Team × Cost": "$3"},
            id="ragged-rows",
        ),
        pytest.param(
            "| **Plan** | `size` |\n| --- | --- |\n| *Pro* | 2 GB |\n",
            {"Pro × size": "2 GB"},
            id="emphasis-stripped-from-labels",
        ),
        pytest.param(
            "Some text | not a table\n--- \n| Plan | Cost |\n",
            {},
            id="cell-count-mismatch-is-no-table",
        ),
        pytest.param(
            "```\n| Plan | Cost |\n| --- | --- |\n| Pro | $12 |\n```\n",
            {},
            id="table-in-fenced-code",
        ),
        pytest.param(
            "~~~markdown\n| Plan | Cost |\n| --- | --- |\n| Pro | $12 |\n~~~\n",
            {},
            id="table-in-tilde-fence",
        ),
        pytest.param(
            "<!--\n| Plan | Cost |\n| --- | --- |\n| Pro | $12 |\n-->\n",
            {},
            id="table-in-html-comment",
        ),
    ],
)
def test_table_variants(text: str, subjects: dict[str, str]) -> None:
    assert cells(md(text)) == subjects


def test_fenced_table_yields_no_blocks_or_sentences() -> None:
    doc = md("```\n| Plan | Cost |\n| --- | --- |\n| Pro | $12 |\n```\n")
    assert markdown_blocks(doc) == []
    assert document_sentences(doc.text, doc.skipped) == []


def test_escaped_pipe_offsets() -> None:
    doc = md("| Plan | Cost |\n| --- | --- |\n| Pro \\| Team | $12 |\n")
    label = next(b for b in markdown_blocks(doc) if b.row == 1 and b.column == 0)
    assert doc.text[label.start : label.end] == "Pro \\| Team"
    assert label.row_label == "Pro | Team"


def test_crlf_offsets_are_exact() -> None:
    text = (
        "# Limits\r\n\r\n| Plan | Size |\r\n| --- | --- |\r\n| Pro | 2 GB |\r\n\r\n- Team: 5 TB\r\n"
    )
    doc = Document("doc", "doc.md", text)
    blocks = markdown_blocks(doc)
    got = [(b.kind, text[b.start : b.end]) for b in blocks]
    assert got == [
        ("heading", "Limits"),
        ("table-cell", "Plan"),
        ("table-cell", "Size"),
        ("table-cell", "Pro"),
        ("table-cell", "2 GB"),
        ("list-item", "Team: 5 TB"),
    ]
    assert cells(doc) == {"Pro × Size": "2 GB"}
    assert all("\r" not in text[s:e] for s, e in document_sentences(text, ()))


NESTED = """\
# Pricing

Plans:

- Free: 100 MB
- Pro: 2 GB
  - Storage: 5 TB
    per workspace
  - Seats: 10
- Enterprise
  1. Storage: unlimited
  2. Seats: 500

After the list.
"""


@pytest.mark.parametrize(
    ("item", "context"),
    [
        ("Free: 100 MB", ("Pricing", "Plans")),
        ("Pro: 2 GB", ("Pricing", "Plans")),
        ("Storage: 5 TB\n    per workspace", ("Pricing", "Plans", "Pro")),
        ("Seats: 10", ("Pricing", "Plans", "Pro")),
        ("Enterprise", ("Pricing", "Plans")),
        ("Storage: unlimited", ("Pricing", "Plans", "Enterprise")),
        ("Seats: 500", ("Pricing", "Plans", "Enterprise")),
    ],
)
def test_nested_list_context(item: str, context: tuple[str, ...]) -> None:
    doc = md(NESTED)
    found = {doc.text[b.start : b.end]: b for b in markdown_blocks(doc)}
    assert found[item].kind == "list-item"
    assert found[item].context == context


def test_list_ends_and_its_context_with_it() -> None:
    doc = md(NESTED)
    after = next(b for b in markdown_blocks(doc) if doc.text[b.start : b.end] == "After the list.")
    assert (after.kind, after.context) == ("paragraph", ("Pricing",))


def test_parent_item_up_to_colon() -> None:
    doc = md("- Plans: as of May\n  - Pro: 2 GB\n")
    child = markdown_blocks(doc)[1]
    assert (doc.text[child.start : child.end], child.context) == ("Pro: 2 GB", ("Plans",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Title\n=====\n\nIntro.\n\nSection\n-------\n\nBody 5.\n",
            [
                ("heading", "Title", ()),
                ("paragraph", "Intro.", ("Title",)),
                ("heading", "Section", ("Title",)),
                ("paragraph", "Body 5.", ("Title", "Section")),
            ],
            id="setext",
        ),
        pytest.param(
            "# A #\n## B\ntext\n### C ###\n## D\nmore\n",
            [
                ("heading", "A", ()),
                ("heading", "B", ("A",)),
                ("paragraph", "text", ("A", "B")),
                ("heading", "C", ("A", "B")),
                ("heading", "D", ("A",)),
                ("paragraph", "more", ("A", "D")),
            ],
            id="atx-levels-and-closing-hashes",
        ),
        pytest.param(
            "#hashtag 5\n# C#\n",
            [("paragraph", "#hashtag 5", ()), ("heading", "C#", ())],
            id="hash-without-space-is-text",
        ),
        pytest.param(
            "Troops\n\n---\n\n5 left.\n",
            [("paragraph", "Troops", ()), ("paragraph", "5 left.", ())],
            id="thematic-break-after-blank-is-not-setext",
        ),
        pytest.param(
            "The war began in\n2003. It went on.\n",
            [("paragraph", "The war began in\n2003. It went on.", ())],
            id="number-dot-inside-paragraph-is-not-an-item",
        ),
        pytest.param(
            "> Quoted 5 times\n> again\n",
            [("paragraph", "Quoted 5 times\n> again", ())],
            id="blockquote-marker-outside-block",
        ),
    ],
)
def test_headings_and_paragraphs(
    text: str, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    doc = md(text)
    got = [(b.kind, text[b.start : b.end], b.context) for b in markdown_blocks(doc)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param(
            "1. First 100 files\n2. Second 200 files\n",
            ["First 100 files", "Second 200 files"],
            id="ordered-markers-are-not-sentences",
        ),
        pytest.param(
            "# Limits 2024\nthe cap is 5 GB.\n",
            ["Limits 2024", "the cap is 5 GB."],
            id="heading-never-runs-into-text",
        ),
        pytest.param(
            "- Pro: 2 GB\n- 5 seats\n",
            ["Pro: 2 GB", "5 seats"],
            id="bullets-are-separate",
        ),
    ],
)
def test_sentence_units(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in document_sentences(text, ())] == sentences


def test_context_of() -> None:
    doc = md(PRICING)
    blocks = markdown_blocks(doc)
    offset = PRICING.index("2 GB") + 1
    block = context_of(blocks, offset)
    assert block is not None and cell_subject(block) == "Maximum file size × Pro"
    assert context_of(blocks, PRICING.index("| 2 GB")) is None
    assert context_of(blocks, 0) is None
    assert context_of([], 5) is None


def test_only_markdown_documents() -> None:
    assert markdown_blocks(Document("d", "d.txt", "# Limits\n")) == []
    assert markdown_blocks(Document("d", "D.MARKDOWN", "# Limits\n")) != []


def test_cell_subject_parts() -> None:
    assert cell_subject(Block(0, 1, "table-cell", (), "Pro", "Cost", 1, 1)) == "Pro × Cost"
    assert cell_subject(Block(0, 1, "table-cell", (), "", "Cost", 1, 1)) == "Cost"
    assert cell_subject(Block(0, 1, "table-cell", (), "Pro", "Plan", 1, 0)) == "Pro"
    assert cell_subject(Block(0, 1, "table-cell", (), None, "Plan", 0, 0)) == "Plan"


_MARKDOWNISH = st.text(alphabet=st.sampled_from(list("ab1 .:|-\\#=*+>`~\t\r\n")), max_size=200)


@settings(max_examples=400, deadline=None)
@given(_MARKDOWNISH, st.lists(st.tuples(st.integers(0, 200), st.integers(0, 40)), max_size=4))
def test_blocks_are_sorted_in_bounds_and_disjoint(text: str, skips: list[tuple[int, int]]) -> None:
    skipped = merge_ranges((min(s, len(text)), min(s + n, len(text))) for s, n in skips)
    blocks = parse_blocks(text, skipped)
    previous = 0
    for block in blocks:
        assert previous <= block.start < block.end <= len(text)
        assert text[block.start : block.end].strip(" \t") == text[block.start : block.end]
        previous = block.end
    assert markdown_blocks(md(text)) is not None
    for start, end in document_sentences(text, skipped):
        assert 0 <= start < end <= len(text)
