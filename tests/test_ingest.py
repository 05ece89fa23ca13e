"""The read stage: discovery, decoding, furniture, titles."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.ingest import (
    Source,
    _line_patterns,
    discover,
    furniture_ranges,
    markdown_ranges,
    merge_ranges,
    read_document,
    unique_ids,
)
from checker.lexicon import load
from checker.model import DateRange, DateSource, Document, Severity
from checker.pubdate import front_matter


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def _read(path: Path, doc_id: str = "doc") -> Document:
    doc, diagnostics = read_document(Source(path, path.name), doc_id)
    assert doc is not None, diagnostics
    return doc


def _skipped_texts(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e in doc.skipped]


# --- discovery ------------------------------------------------------------------------


def test_discover_walks_folders_sorted_and_skips_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [
        "b.txt",
        "a.md",
        "sub/c.markdown",
        "sub/d.TXT",
        "e.html",
        "f.pdf",
        ".hidden.txt",
        ".git/f.txt",
    ]:
        _write(tmp_path / "docs" / name, "x")
    monkeypatch.chdir(tmp_path)
    sources, diagnostics = discover(["docs/"])
    assert diagnostics == []
    assert [s.display for s in sources] == [
        "docs/a.md",
        "docs/b.txt",
        "docs/e.html",
        "docs/sub/c.markdown",
        "docs/sub/d.TXT",
    ]


def test_discover_takes_named_files_whatever_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "notes.log", "x")
    _write(tmp_path / "docs" / "a.txt", "x")
    monkeypatch.chdir(tmp_path)
    sources, _ = discover(["notes.log", "./docs", "docs/a.txt"])
    # docs/a.txt is named twice (through its folder and by name) and read once.
    assert [s.display for s in sources] == ["docs/a.txt", "notes.log"]


@pytest.mark.parametrize(
    ("setup", "code"),
    [("missing", "read.missing"), ("broken-link", "read.error"), ("empty-folder", "read.no-files")],
    ids=["missing", "broken-link", "empty-folder"],
)
def test_discover_problems(tmp_path: Path, setup: str, code: str) -> None:
    target = tmp_path / "thing"
    if setup == "broken-link":
        target.symlink_to(tmp_path / "nowhere.txt")
    elif setup == "empty-folder":
        target.mkdir()
    sources, diagnostics = discover([str(target)])
    assert sources == []
    assert [d.code for d in diagnostics] == [code]
    assert diagnostics[0].path == target.as_posix()


def test_discover_missing_is_an_error(tmp_path: Path) -> None:
    _, diagnostics = discover([str(tmp_path / "nope")])
    assert diagnostics[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("displays", "expected"),
    [
        (["a/x.txt", "b/y.txt"], ["x", "y"]),
        (["b/x.txt", "a/x.md"], ["x-2", "x"]),
        (["a/x.txt", "b/x.txt", "c/x.txt"], ["x", "x-2", "x-3"]),
        (["a/x.txt", "b/x.txt", "x-2.txt"], ["x", "x-3", "x-2"]),
    ],
    ids=["distinct", "display-order", "three", "suffix-collides-with-stem"],
)
def test_unique_ids(displays: list[str], expected: list[str]) -> None:
    sources = [Source(Path(d), d) for d in displays]
    ids = unique_ids(sources)
    assert ids == expected
    assert len(set(ids)) == len(ids)


# --- decoding -------------------------------------------------------------------------

DECODE_CASES = [
    ("plain", b"one\ntwo\n", "one\ntwo\n"),
    ("bom", b"\xef\xbb\xbfone\ntwo", "one\ntwo"),
    ("crlf", b"one\r\ntwo\r\n", "one\ntwo\n"),
    ("lone-cr", b"one\rtwo\r", "one\ntwo\n"),
    ("mixed", b"\xef\xbb\xbfa\r\nb\rc\nd\r\r\n", "a\nb\nc\nd\n\n"),
    ("non-ascii", "caf\u00e9 \u201c2,500\u201d\r\n".encode(), "caf\u00e9 \u201c2,500\u201d\n"),
    ("bom-only-at-start", b"a\xef\xbb\xbfb", "a\ufeffb"),
]


@pytest.mark.parametrize(
    ("data", "expected"), [c[1:] for c in DECODE_CASES], ids=[c[0] for c in DECODE_CASES]
)
def test_decoding_matches_open(tmp_path: Path, data: bytes, expected: str) -> None:
    path = _write(tmp_path / "doc.txt", data)
    doc = _read(path)
    assert doc.text == expected
    with open(path, encoding="utf-8-sig") as handle:
        assert doc.text == handle.read()


def test_offsets_index_whole_text_after_crlf(tmp_path: Path) -> None:
    path = _write(tmp_path / "doc.txt", b"Title\r\nShare\r\nBody 12\r\n")
    doc = _read(path)
    assert _skipped_texts(doc) == ["Share"]
    assert doc.text[doc.text.index("12") :].startswith("12")
    assert doc.line_col(doc.text.index("12")) == (3, 6)


def test_invalid_utf8_is_replaced_with_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "doc.txt", b"\xef\xbb\xbfok\nbad \xff byte\n")
    doc, diagnostics = read_document(Source(path, "doc.txt"), "doc")
    assert doc is not None
    assert doc.text == "ok\nbad \ufffd byte\n"
    assert [(d.code, d.severity, d.line) for d in diagnostics] == [
        ("read.decode", Severity.WARNING, 2)
    ]
    assert "byte 10" in diagnostics[0].message


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = _write(tmp_path / "doc.txt", "Title\r\nBody\r\n".encode("utf-16"))
    assert _read(path).text == "Title\nBody\n"


def test_binary_is_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path / "blob.txt", b"PK\x03\x04\x00\x00binary")
    doc, diagnostics = read_document(Source(path, "blob.txt"), "blob")
    assert doc is None
    assert [(d.code, d.message, d.path) for d in diagnostics] == [
        ("read.binary", "skipped: binary file", "blob.txt")
    ]


@pytest.mark.parametrize("kind", ["folder", "broken-link", "missing", "unreadable"])
def test_unreadable_gives_one_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "doc.txt"
    if kind == "folder":
        path.mkdir()
    elif kind == "broken-link":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root can read any file")
        _write(path, "x").chmod(0)
    doc, diagnostics = read_document(Source(path, "doc.txt"), "doc")
    assert doc is None
    assert [d.code for d in diagnostics] == ["read.error"]
    assert diagnostics[0].message.startswith("cannot read")


@pytest.mark.parametrize(
    "data", [b"", b"  \n\r\n\t", b"\xef\xbb\xbf"], ids=["empty", "whitespace", "bom-only"]
)
def test_empty_gives_document_and_note(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path / "doc.txt", data)
    doc, diagnostics = read_document(Source(path, "doc.txt"), "doc")
    assert doc is not None and doc.title is None and doc.skipped == ()
    assert [(d.code, d.severity) for d in diagnostics] == [("read.empty", Severity.NOTE)]


def test_published_override_wins(tmp_path: Path) -> None:
    path = _write(tmp_path / "doc.txt", "2024-08-26 07:51:42\nTitle\n")
    override = DateRange(date(2024, 1, 1), date(2024, 1, 1), DateSource.CLI)
    doc, _ = read_document(Source(path, "doc.txt"), "doc", override)
    assert doc is not None
    assert doc.published == override
    assert _skipped_texts(doc) == ["2024-08-26 07:51:42"]


# --- furniture ------------------------------------------------------------------------

BODY = "\n".join(f"Paragraph {i} of the story says something." for i in range(10))

FURNITURE_CASES = [
    ("share-buttons", "Title\nPinterest\n  Telegram \nLinkedin\nWhatsApp\nX\nEmail\n" + BODY, 6),
    ("story-code", "Title\nStory Code : 1152650\n" + BODY, 1),
    ("edited-by", "Title\nEdited by Some Editor\n" + BODY, 1),
    ("photo-credit-line", "A caption about a march. (Photo by AFP)\n" + BODY, 1),
    (
        "comment-form-lines",
        BODY + "\nAll fields required\nNOT TO BE PUBLISHED\ncaptcha challenge",
        3,
    ),
    ("copyright", BODY + "\n\u00a9 2024 Some Press. All rights reserved.", 1),
    ("no-furniture-in-prose", "Title\nShare prices rose as the Pinterest deal closed.\n" + BODY, 0),
]


@pytest.mark.parametrize(
    ("text", "count"), [c[1:] for c in FURNITURE_CASES], ids=[c[0] for c in FURNITURE_CASES]
)
def test_furniture_lines(text: str, count: int) -> None:
    ranges = furniture_ranges(text)
    assert len(ranges) == count
    for start, end in ranges:
        assert text[start:end].strip()
        assert "\n" not in text[start:end]


@pytest.mark.parametrize(
    ("text", "tail_from"),
    [
        (BODY + "\n\nMAKE A COMMENT\nYour words here\nmore words", "MAKE A COMMENT"),
        (BODY + "\nCommentaries\n\nMAKE A COMMENT\nAll fields required\nup", "Commentaries"),
        ("Title\nComments\nAll fields required\nCaptcha\n" + BODY, "Comments"),
        ("Title\nMake a comment\nThe story goes on.\n" + BODY, None),
    ],
    ids=["late-marker", "first-late-marker", "early-marker-confirmed", "early-marker-in-story"],
)
def test_tail_markers(text: str, tail_from: str | None) -> None:
    tails = [(s, e) for s, e in furniture_ranges(text) if e == len(text) and "\n" in text[s:e]]
    if tail_from is None:
        assert tails == []
    else:
        assert tails == [(text.index(tail_from), len(text))]


MARKDOWN_CASES = [
    ("front-matter", "---\ntitle: T\n---\nBody 5", ["---\ntitle: T\n---\n"]),
    ("backtick-fence", "Body\n```python\nx = 5\n```\nMore", ["```python\nx = 5\n```"]),
    ("tilde-fence", "Body\n~~~\n5 km\n~~~\nMore", ["~~~\n5 km\n~~~"]),
    ("unclosed-fence", "Body\n```\n5 km\n", ["```\n5 km\n"]),
    ("longer-fence", "````\n```\n5\n````\nx", ["````\n```\n5\n````"]),
    ("html-comment", "Body <!-- 5 km --> more", ["<!-- 5 km -->"]),
    ("inline-code", "Set `retries = 5` and ``a `b` c``.", ["`retries = 5`", "``a `b` c``"]),
    ("no-inline-across-blank", "a `b\n\nc` d", []),
    ("code-span-inside-fence-ignored", "```\n`a`\n```\n", ["```\n`a`\n```"]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in MARKDOWN_CASES], ids=[c[0] for c in MARKDOWN_CASES]
)
def test_markdown_ranges(text: str, expected: list[str]) -> None:
    ranges = merge_ranges(markdown_ranges(text, front_matter(text)))
    assert [text[s:e] for s, e in ranges] == expected


def test_markdown_only_for_markdown_suffix(tmp_path: Path) -> None:
    text = "Title\n```\n5 km\n```\n"
    assert _skipped_texts(_read(_write(tmp_path / "a.txt", text))) == []
    assert _skipped_texts(_read(_write(tmp_path / "a.md", text))) == ["```\n5 km\n```"]


# --- titles ---------------------------------------------------------------------------

TITLE_CASES = [
    ("front-matter", "a.md", '---\ntitle: "From front"\n---\n# Heading\n', "From front"),
    ("atx-heading", "a.md", "Intro line\n\n# The heading #\nBody\n", "The heading"),
    ("heading-not-in-code", "a.md", "```\n# not this\n```\n# This one\n", "This one"),
    ("first-line-markdown", "a.md", "## Sub heading\nBody\n", "Sub heading"),
    ("first-line", "a.txt", "\n\n  Headline here  \nBody\n", "Headline here"),
    (
        "after-date-header",
        "a.txt",
        " date 2024-08-07 0\nWed 7 Aug 2024 - 21:29\n\nHeadline\n",
        "Headline",
    ),
    ("after-furniture", "a.txt", "Share\nStory Code : 1\nHeadline\n", "Headline"),
    ("long", "a.txt", "word " * 100, ("word " * 40).strip()[:194] + "\u2026"),
]


@pytest.mark.parametrize(
    ("name", "text", "title"), [c[1:] for c in TITLE_CASES], ids=[c[0] for c in TITLE_CASES]
)
def test_titles(tmp_path: Path, name: str, text: str, title: str) -> None:
    doc = _read(_write(tmp_path / name, text))
    assert doc.title is not None and len(doc.title) <= 200
    if title.endswith("\u2026"):
        assert doc.title.endswith("\u2026") and doc.title.startswith("word word")
    else:
        assert doc.title == title


# --- seeds ----------------------------------------------------------------------------

SEED_CASES = [
    ("000_e301387acb8c9699", None, [], False),
    ("001_74fd81c8c935c95f", None, [], False),
    (
        "002_118fddbc593f8a91",
        date(2024, 8, 7),
        [" date 2024-08-07 0", "Story Code : 1152650"],
        False,
    ),
    (
        "003_f1ccebb72a0df907",
        date(2024, 8, 26),
        ["2024-08-26 07:51:42", "Pinterest", "WhatsApp"],
        True,
    ),
    ("004_47495087b65cf818", None, [], False),
]


@pytest.mark.parametrize(
    ("stem", "published", "skipped_lines", "comment_tail"),
    SEED_CASES,
    ids=[c[0][:3] for c in SEED_CASES],
)
def test_seeds(
    seeds_dir: Path, stem: str, published: date | None, skipped_lines: list[str], comment_tail: bool
) -> None:
    path = seeds_dir / f"{stem}.txt"
    doc, diagnostics = read_document(Source(path, f"seeds/{stem}.txt"), stem)
    assert doc is not None and diagnostics == []
    with open(path, encoding="utf-8-sig") as handle:
        assert doc.text == handle.read()
    assert (doc.published.earliest if doc.published else None) == published
    skipped = _skipped_texts(doc)
    for line in skipped_lines:
        assert line in skipped
    assert (doc.skipped[-1][1] == len(doc.text) if doc.skipped else False) == comment_tail
    assert doc.title
    assert not any(s <= doc.text.index(doc.title[:20]) < e for s, e in doc.skipped)


def test_seed_003_skips_dateline_and_caption_but_not_story(seeds_dir: Path) -> None:
    doc = _read(seeds_dir / "003_f1ccebb72a0df907.txt", "003")
    skipped = "".join(_skipped_texts(doc))
    assert "August 26 (RHC)--" in skipped
    assert "(Photo by AFP)" in skipped
    assert "MAKE A COMMENT" in skipped and "captcha" in skipped
    assert "2,500" not in skipped and "two decades" not in skipped


def test_seed_folder_discovery(seeds_dir: Path) -> None:
    sources, diagnostics = discover([str(seeds_dir)])
    assert diagnostics == []
    assert [Path(s.display).name for s in sources] == sorted(
        p.name for p in seeds_dir.glob("*.txt")
    )
    assert unique_ids(sources) == [Path(s.display).stem for s in sources]


# --- properties -----------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        b"\n",
        b"\r\n",
        b"\r",
        b"\xef\xbb\xbf",
        b"\xff",
        b"\x00",
        b"```",
        b"~~~",
        b"`",
        b"<!--",
        b"-->",
        b"---\n",
        b"Share\n",
        b"Comments\n",
        b"MAKE A COMMENT\n",
        b"2024-08-26 07:51:42\n",
        b"Baghdad, August 26 (RHC)--",
        b"# T\n",
        "\u00e9\u2019".encode(),
        b"Story Code : 1\n",
        b"title: x\n",
    ]
)
BYTES = st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(FRAGMENTS, st.binary(max_size=8)), max_size=40).map(b"".join),
)


@settings(max_examples=150, deadline=None)
@given(data=BYTES, suffix=st.sampled_from([".txt", ".md"]))
def test_read_never_raises_and_ranges_are_sane(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("prop") / f"doc{suffix}"
    path.write_bytes(data)
    doc, diagnostics = read_document(Source(path, path.name), "doc")
    if doc is None:
        assert [d.code for d in diagnostics] == ["read.binary"]
        return
    previous_end = 0
    for start, end in doc.skipped:
        assert previous_end <= start < end <= len(doc.text)
        previous_end = end
    if doc.title is not None:
        assert 0 < len(doc.title) <= 200


_LINE_BITS = st.sampled_from(
    [
        *("story id: 12", "Edited by", "(Photo: AFP)", "©", "all rights reserved", "tags:"),
        *("Share on", "twitter", "5 min read", "views: 1,200", "12 comments", "(", ")", "."),
        *(" ", "x"),
    ]
)


@given(st.lists(_LINE_BITS, max_size=6).map("".join))
@settings(max_examples=400, deadline=None)
def test_joined_line_patterns_match_what_each_pattern_matches(line: str) -> None:
    sources = list(load("furniture")["lines"]["patterns"].values())
    separate = [re.compile(p, re.I) for p in sources]
    joined = _line_patterns(sources)
    assert len(joined) == 1
    assert any(p.fullmatch(line) for p in joined) == any(p.fullmatch(line) for p in separate)


def test_a_pattern_with_groups_keeps_its_own() -> None:
    patterns = _line_patterns([r"(a)\1", "b+", "c"])
    assert [p.pattern for p in patterns] == ["(?:b+)|(?:c)", r"(a)\1"]
    assert [bool(any(p.fullmatch(s) for p in patterns)) for s in ("aa", "bb", "c", "ab")] == [
        True,
        True,
        True,
        False,
    ]


@given(st.text(alphabet="ab\n", max_size=30))
def test_line_starts_follow_every_newline(text: str) -> None:
    expected = (0, *(i + 1 for i, ch in enumerate(text) if ch == "\n"))
    assert Document("d", "d.txt", text).line_starts == expected


@pytest.mark.parametrize("text", ["", "one line", "a\nb\n", "\n\n", "x\n\ny\nlast"])
def test_a_built_documents_line_starts_are_those_it_would_find(tmp_path: Path, text: str) -> None:
    from checker.ingest import Source, read_document
    from checker.model import Document

    path = tmp_path / "doc.txt"
    path.write_text(text + "\nBody.", encoding="utf-8")
    doc, _ = read_document(Source(path, "doc.txt"), "doc")
    assert doc is not None
    assert doc.line_starts == Document(doc.id, doc.path, doc.text).line_starts
