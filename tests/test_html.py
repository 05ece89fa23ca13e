"""HTML pages: the readable text, its title and date, and claims that index it."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine import check
from checker.html_text import MAX_DEPTH, declared_charset, html_to_text
from checker.ingest import Source, discover, read_document
from checker.model import DateRange, DateSource, Document, Severity

STORY = "The storm killed 12 people on 3 May 2024."


def _text(markup: str) -> str:
    return html_to_text(markup).text


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def _read(path: Path) -> tuple[Document, list[str]]:
    doc, diagnostics = read_document(Source(path, path.name), path.stem)
    assert doc is not None, diagnostics
    return doc, [d.code for d in diagnostics]


# --- what is dropped ------------------------------------------------------------------

DROPPED = [
    ("script", "<script>var SECRET = 1;</script>"),
    ("script-with-markup", "<script>document.write('<p>SECRET</p>')</script>"),
    ("style", "<style>p::after { content: 'SECRET' }</style>"),
    ("noscript", "<noscript>SECRET: enable JavaScript</noscript>"),
    ("template", "<template><p>SECRET</p></template>"),
    ("svg", "<svg><title>SECRET</title><text>SECRET</text></svg>"),
    ("nav", "<nav><ul><li>SECRET</li></ul></nav>"),
    ("page-header", "<header><a href='/'>SECRET</a></header>"),
    ("footer", "<footer>SECRET 2024</footer>"),
    ("aside", "<aside>SECRET related story</aside>"),
    ("form", "<form><label>SECRET</label><input name=q></form>"),
    ("button", "<button>SECRET share</button>"),
    ("iframe", "<iframe>SECRET</iframe>"),
    ("hidden", "<div hidden><p>SECRET</p></div>"),
    ("aria-hidden", "<span aria-hidden='true'>SECRET</span>"),
    ("display-none", "<div style='color: red; DISPLAY: none'>SECRET</div>"),
    ("role-navigation", "<div role='navigation'>SECRET</div>"),
    ("comment", "<!-- SECRET -->"),
]


@pytest.mark.parametrize("markup", [c[1] for c in DROPPED], ids=[c[0] for c in DROPPED])
def test_furniture_and_hidden_content_is_dropped(markup: str) -> None:
    text = _text(_page(f"<p>Before.</p>{markup}<p>After.</p>"))
    assert "SECRET" not in text
    assert text == "Before.\n\nAfter.\n"


def test_hidden_until_found_is_kept() -> None:
    """Content the reader can reveal by searching the page is part of it."""
    assert _text("<div hidden='until-found'>Shown on search.</div>") == "Shown on search.\n"


def test_head_is_dropped_even_when_left_open() -> None:
    markup = "<html><head><title>T</title><meta name=x content=y><p>Body text.</p>"
    assert _text(markup) == "Body text.\n"


# --- layout ---------------------------------------------------------------------------

LAYOUT = [
    ("paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo.\n"),
    ("headings", "<h1>Title</h1><h2>Sub</h2>text", "Title\n\nSub\n\ntext\n"),
    ("list-items", "<ul><li>first 12</li><li>second 14</li></ul>", "first 12\n\nsecond 14\n"),
    ("unclosed-items", "<ul><li>first<li>second</ul>", "first\n\nsecond\n"),
    ("br", "line one<br>line two<br/>line three", "line one\nline two\nline three\n"),
    ("double-br", "a<br><br><br><br>b", "a\n\nb\n"),
    ("inline", "a <b>bold</b> and <i>it</i>alic", "a bold and italic\n"),
    ("whitespace", "  many \n\t spaces   here  ", "many spaces here\n"),
    ("across-tags", "<span>a </span> <span> b</span>", "a b\n"),
    ("nbsp-kept", "12&nbsp;km", "12\u00a0km\n"),
    ("entities", "&amp; &lt;tag&gt; &#8364;5 &eacute; &quot;q&quot;", '& <tag> €5 é "q"\n'),
    ("bare-ampersand", "AT&T and R&D", "AT&T and R&D\n"),
    ("charref-cr", "a&#13;b", "a b\n"),
    ("pre", "<p>x</p><pre>  a   b\n    c  </pre>", "x\n\n  a   b\n    c\n"),
    ("blockquote", "said:<blockquote>Quote.</blockquote>after", "said:\n\nQuote.\n\nafter\n"),
    ("dl", "<dl><dt>Deaths</dt><dd>12</dd></dl>", "Deaths\n\n12\n"),
    ("figcaption", "<figure><img alt=x><figcaption>Caption</figcaption></figure>", "Caption\n"),
    ("empty", "", ""),
    ("only-markup", "<div><span></span></div>", ""),
]


@pytest.mark.parametrize(
    ("markup", "expected"), [c[1:] for c in LAYOUT], ids=[c[0] for c in LAYOUT]
)
def test_layout(markup: str, expected: str) -> None:
    assert _text(markup) == expected


def test_table_cells_are_tab_separated_and_rows_are_paragraphs() -> None:
    markup = (
        "<table><caption>Toll</caption><thead><tr><th>Place</th><th>Deaths</th></tr></thead>"
        "<tbody><tr><td>Arvale</td><td>12</td></tr><tr><td></td><td>3</td></tr></tbody></table>"
    )
    text = _text(markup)
    assert text == "Toll\n\nPlace\tDeaths\n\nArvale\t12\n\n3\n"
    assert "|" not in text  # the markdown table reader must not see a table


def test_block_elements_keep_sentences_apart(tmp_path: Path) -> None:
    """Numbers in two list items or table rows never end up in one sentence."""
    path = tmp_path / "page.html"
    body = "<ul><li>Deaths 12</li><li>injured 30</li></ul><table><tr><td>2023</td></tr>"
    path.write_text(_page(body + "<tr><td>2024</td></tr></table>"), encoding="utf-8")
    report = check([path], claims_only=True)
    text = report.documents[0].text
    sentences = [text[c.sentence.start : c.sentence.end] for c in report.claims]
    assert sentences and all(
        sum(n in s for n in ("12", "30", "2023", "2024")) == 1 for s in sentences
    )


# --- the story first ------------------------------------------------------------------


def test_article_is_preferred_over_the_rest_of_the_body() -> None:
    markup = _page(
        "<div class=banner>Breaking: 99 dead elsewhere</div>"
        "<article><header><h1>Storm</h1><p class=byline>By A. Writer</p></header>"
        f"<p>{STORY}</p><form><p>Leave a comment</p></form></article>"
        "<div class=related>More: 44 stories</div>"
    )
    assert _text(markup) == f"Storm\n\nBy A. Writer\n\n{STORY}\n"


def test_main_is_preferred_and_several_articles_are_kept() -> None:
    markup = _page("<p>Intro 1</p><main><article>A 2</article><article>B 3</article></main>")
    assert _text(markup) == "A 2\n\nB 3\n"


def test_role_main_counts_as_main() -> None:
    assert _text(_page("<p>Outside</p><div role=main>Inside</div>")) == "Inside\n"


def test_body_is_used_without_article_or_main() -> None:
    assert _text(_page("<p>One</p><div>Two</div>")) == "One\n\nTwo\n"


def test_empty_article_falls_back_to_the_body() -> None:
    assert _text(_page("<article> <img src=x> </article><p>Real text</p>")) == "Real text\n"


def test_article_in_an_aside_is_a_teaser_and_dropped() -> None:
    markup = _page(f"<p>{STORY}</p><aside><article>Other story 99</article></aside>")
    assert _text(markup) == f"{STORY}\n"


def test_a_form_around_the_whole_page_is_kept_when_nothing_else_is_left() -> None:
    """ASP.NET pages wrap the body in one form; its text is the page's text."""
    assert _text(_page(f"<form id=form1><div><p>{STORY}</p></div></form>")) == f"{STORY}\n"


def test_a_page_form_is_dropped_when_the_body_has_other_text() -> None:
    assert _text(_page("<p>Story.</p><form><p>Sign up</p></form>")) == "Story.\n"


# --- malformed and hostile markup -----------------------------------------------------

MALFORMED = [
    ("unclosed-tags", "<div><p>One<p>Two <span>three", "One\n\nTwo three\n"),
    ("stray-end-tags", "</div></div>Text</span></p>more", "Text\n\nmore\n"),
    ("unclosed-script", "<p>Shown</p><script>var x = '<p>SECRET</p>';", "Shown\n"),
    ("unclosed-style", "<p>Shown</p><style>SECRET {", "Shown\n"),
    ("unclosed-comment", "<p>Shown</p><!-- SECRET", "Shown\n"),
    ("unterminated-quote", '<p>Shown</p><a href="x>SECRET</a>', "Shown\n"),
    ("cut-off-tag", "<p>Shown</p><a href=x", "Shown\n"),
    # HTML reads `<![…` as a bogus comment up to the first `>`; unclosed, it runs to the end.
    ("marked-section", "<![if !IE]>Shown<![endif]> <![CDATA[x]]> <![bogus[ y", "Shown\n"),
    ("bad-charrefs", "&#0; &#x110000; &#99999999999; &bogus;", "\ufffd \ufffd \ufffd &bogus;\n"),
    ("self-closing-div", "<div/>a<br/>b", "a\nb\n"),
    ("misnested", "<b><i>a</b>b</i>c", "abc\n"),
    ("attributes", "<p a=1 a=2 'b'=\"x\" =c/>Text", "Text\n"),
    ("nul", "a\x00b", "a\x00b\n"),
]


@pytest.mark.parametrize(
    ("markup", "expected"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_markup(markup: str, expected: str) -> None:
    assert _text(markup) == expected


def test_ten_thousand_nested_divs() -> None:
    markup = "<div>" * 10_000 + "Deep text" + "</div>" * 10_000 + "<p>After</p>"
    assert _text(markup) == "Deep text\n\nAfter\n"


def test_hidden_stays_hidden_beyond_the_depth_limit() -> None:
    """Past MAX_DEPTH elements become siblings, as in a browser; hidden ones stay hidden."""
    markup = "<div hidden>" * (MAX_DEPTH * 3) + "SECRET" + "<p>also SECRET"
    assert _text("<p>Shown</p>" + markup) == "Shown\n"


HOSTILE = [
    ("unclosed-start-tags", "<a " * 40_000),
    ("unclosed-quotes", "<a b='" * 40_000),
    ("unclosed-comments", "<!--" * 40_000),
    ("unclosed-end-tags", "</a" * 40_000),
    ("processing-instructions", "<?" * 40_000),
    ("comment-openers", "<!-- >" * 40_000),
    ("lone-angles", "< " * 40_000),
    ("marked-sections", "<![CDATA[" * 40_000),
    ("stray-end-tags-deep", "<div>" * 1000 + "</span>" * 40_000),
]


@pytest.mark.parametrize("markup", [c[1] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_markup_takes_linear_time(markup: str) -> None:
    """HTMLParser alone takes minutes on some of these (quadratic re-scanning)."""
    started = time.perf_counter()
    html_to_text(markup)
    assert time.perf_counter() - started < 5


# --- title and date -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "title"),
    [
        ("<title>  Storm \n kills 12 </title><h1>Heading</h1>", "Storm kills 12"),
        ("<title></title><h1>First <em>heading</em></h1><h1>Second</h1>", "First heading"),
        ("<header><h1>Site name</h1></header><h1>Story</h1>", "Story"),
        ("<svg><title>Icon</title></svg><p>x</p>", None),
        ("<p>No title</p>", None),
    ],
    ids=["title", "first-h1", "h1-not-in-page-header", "svg-title-ignored", "none"],
)
def test_title(markup: str, title: str | None) -> None:
    assert html_to_text(markup).title == title


DATES = [
    ("meta-property", '<meta property="article:published_time" content="2024-05-04T08:00:00Z">'),
    ("meta-name-date", '<meta name="date" content="2024-05-04">'),
    ("meta-itemprop", '<meta itemprop="datePublished" content="May 4, 2024">'),
    ("dc-date", '<meta name="DC.date.issued" content="2024-05-04">'),
    (
        "json-ld",
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2024-05-04T10:00:00+02:00"}</script>',
    ),
]


@pytest.mark.parametrize("head", [c[1] for c in DATES], ids=[c[0] for c in DATES])
def test_publication_date_from_markup(tmp_path: Path, head: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(_page(f"<p>{STORY}</p>", head), encoding="utf-8")
    doc, codes = _read(path)
    assert codes == []
    assert doc.published == DateRange(date(2024, 5, 4), date(2024, 5, 4), DateSource.TEXT)


def test_time_in_header_gives_the_date_but_time_in_the_story_does_not(tmp_path: Path) -> None:
    in_header = _page(f"<article><header><time datetime='2024-05-04'>Sat</time></header>{STORY}")
    in_story = _page(f"<article><p>{STORY} <time datetime='2024-05-03'>3 May</time></p>")
    assert html_to_text(in_header).dates == ("2024-05-04",)
    assert html_to_text(in_story).dates == ()


def test_meta_date_outranks_time_and_json_ld() -> None:
    markup = (
        '<script type="application/ld+json">{"datePublished": "2024-01-01"}</script>'
        '<meta name="date" content="2024-02-02">'
        '<meta property="article:published_time" content="2024-03-03">'
        "<header><time datetime='2024-04-04'></time></header><time pubdate datetime=2024-05-05>"
    )
    assert html_to_text(markup).dates == (
        "2024-03-03",
        "2024-02-02",
        "2024-01-01",
        "2024-05-05",
        "2024-04-04",
    )


def test_unreadable_meta_date_falls_back_to_the_header_line(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    head = '<meta name="date" content="soon">'
    path.write_text(_page(f"<p>Published 4 May 2024</p><p>{STORY}</p>", head), encoding="utf-8")
    doc, _ = _read(path)
    assert doc.published is not None and doc.published.earliest == date(2024, 5, 4)


def test_a_given_date_beats_the_markup(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(_page(STORY, '<meta name="date" content="2024-05-04">'), encoding="utf-8")
    override = DateRange(date(2024, 6, 1), date(2024, 6, 1), DateSource.CLI)
    doc, _ = read_document(Source(path, "page.html"), "page", override)
    assert doc is not None and doc.published == override


# --- reading pages --------------------------------------------------------------------


def test_html_and_htm_are_discovered(tmp_path: Path) -> None:
    for name in ["a.html", "b.HTM", "c.txt", "d.xhtml", ".e.html"]:
        (tmp_path / name).write_text("<p>x</p>", encoding="utf-8")
    sources, diagnostics = discover([str(tmp_path)])
    assert diagnostics == []
    assert [Path(s.display).name for s in sources] == ["a.html", "b.HTM", "c.txt"]


def test_claims_from_a_page_index_its_extracted_text(tmp_path: Path) -> None:
    path = tmp_path / "storm.html"
    head = "<title>Storm | News</title><style>.x{}</style>"
    body = (
        "<nav><a href=/>Home</a> 5 links</nav><article><h1>Storm</h1>"
        f"<p>Officials &amp; medics said:<br><b>{STORY.replace(' ', '  ')}</b></p></article>"
    )
    path.write_text(_page(body, head), encoding="utf-8")
    report = check([path])
    doc = report.documents[0]
    assert doc.title == "Storm | News"
    assert doc.text == f"Storm\n\nOfficials & medics said:\n{STORY}\n"
    assert {c.text for c in report.claims} >= {"12", "3 May 2024"}
    for claim in report.claims:
        assert doc.text[claim.span.start : claim.span.end] == claim.text
        assert doc.line_col(claim.span.start)[0] == 4


def test_page_with_no_readable_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "app.html"
    path.write_text("<html><script>app()</script><nav>Menu</nav></html>", encoding="utf-8")
    doc, diagnostics = read_document(Source(path, "app.html"), "app")
    assert doc is not None and doc.text == ""
    assert [(d.code, d.severity) for d in diagnostics] == [("read.empty", Severity.NOTE)]


# --- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b'<meta charset="windows-1252">', "cp1252"),
        (b"<meta charset=ISO-8859-1>", "cp1252"),  # browsers read Latin-1 as windows-1252
        (b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', "koi8-r"),
        (b'<META CHARSET="Shift_JIS">', "cp932"),
        (b'<meta charset="utf-8">', None),
        (b'<meta charset="utf-16">', None),  # an ASCII-compatible file cannot be UTF-16
        (b'<meta charset="no-such-encoding">', None),
        (b'<meta charset="base64">', None),  # a codec, but not a text encoding
        (b"\xef\xbb\xbf<meta charset=windows-1252>", None),  # the byte-order mark wins
        (b"<p>no declaration</p>", None),
    ],
)
def test_declared_charset(head: bytes, codec: str | None) -> None:
    assert declared_charset(head) == codec


def test_page_in_a_declared_encoding(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    markup = _page(
        "<p>Caf\u00e9 \u201cr\u00e9sum\u00e9\u201d \u20ac12</p>", "<meta charset=cp1252>"
    )
    path.write_bytes(markup.encode("cp1252"))
    doc, codes = _read(path)
    assert codes == []
    assert doc.text == "Caf\u00e9 \u201cr\u00e9sum\u00e9\u201d \u20ac12\n"


def test_bad_bytes_in_a_declared_encoding_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<meta charset=windows-1252>\r\n<p>ok \x81 here</p>")
    doc, diagnostics = read_document(Source(path, "page.html"), "page")
    assert doc is not None and doc.text == "ok \ufffd here\n"
    assert [(d.code, d.line) for d in diagnostics] == [("read.decode", 2)]
    assert "invalid cp1252 at byte 35" in diagnostics[0].message


def test_invalid_utf8_page_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(f"<p>bad \xff byte</p><p>{STORY}</p>".encode("latin-1"))
    report = check([path])
    assert [d.code for d in report.diagnostics] == ["read.decode"]
    assert "byte 7" in report.diagnostics[0].message
    doc = report.documents[0]
    assert doc.text.startswith("bad \ufffd byte\n\n")
    for claim in report.claims:
        assert doc.text[claim.span.start : claim.span.end] == claim.text


def test_utf16_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page(f"<p>{STORY}</p>", "<meta charset=utf-16>").encode("utf-16"))
    doc, codes = _read(path)
    assert codes == [] and doc.text == f"{STORY}\n"


# --- properties -----------------------------------------------------------------------

TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<br>",
        "<li>",
        "<table>",
        "<tr>",
        "<td>",
        "</td>",
        "<pre>",
        "</pre>",
        "<article>",
        "</article>",
        "<main>",
        "<nav>",
        "</nav>",
        "<header>",
        "</header>",
        "<form>",
        "</form>",
        "<div hidden>",
        "<span aria-hidden=true>",
        "<title>",
        "</title>",
        "<h1>",
        "</h1>",
        "<svg>",
        "</svg>",
        "<template>",
        "</template>",
        "<textarea>",
        "</textarea>",
        "<div/>",
        "<!-- c -->",
        "<!DOCTYPE html>",
        "<![CDATA[x]]>",
        "<meta name=date content=2024-05-04>",
        "&amp;",
        "&#0;",
        "&nbsp;",
        " ",
        "\n",
        "\r\n",
        "\t",
        "12 people",
        "Text.",
    ]
)
SCRIPTS = st.sampled_from(
    [
        "<script>SECRET</script>",
        "<script type=text/javascript>var a = '<p>SECRET</p>';</script>",
        "<style>SECRET{}</style>",
        "<script>SECRET",
    ]
)
SOUP = st.lists(st.one_of(TAGS, SCRIPTS), max_size=60).map("".join)
# Anything at all, including partial tags, quotes and comment openers.
ANY = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(TAGS, SCRIPTS, st.sampled_from(["<", "</", "<!", "<!--", "'", '"', "=", ">"])),
        max_size=60,
    ).map("".join),
)


def _assert_tidy(text: str) -> None:
    assert "\r" not in text
    assert "\n\n\n" not in text
    assert not text or (text.endswith("\n") and not text.startswith("\n"))
    for line in text.split("\n"):
        assert line == line.rstrip(" \t")


@settings(max_examples=300, deadline=None)
@given(markup=ANY)
def test_never_raises_and_the_text_is_tidy(markup: str) -> None:
    result = html_to_text(markup)
    _assert_tidy(result.text)
    assert result.title is None or (result.title and len(result.title) <= 1000)


@settings(max_examples=300, deadline=None)
@given(markup=SOUP)
def test_script_and_style_content_never_reaches_the_text(markup: str) -> None:
    result = html_to_text(markup)
    assert "SECRET" not in result.text
    _assert_tidy(result.text)
