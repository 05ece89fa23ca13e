"""Turn an HTML page into the plain text a reader sees, for the read stage.

The page is read with the standard library's `html.parser.HTMLParser`, in one linear
pass. What a reader does not see as the story is dropped: scripts, styles, templates,
hidden elements, and page furniture (navigation, site header and footer, asides,
forms, buttons). When the page marks its story with `<article>` or `<main>`, only that
text is kept. Block elements end lines so that sentences never merge, table cells are
separated by a tab (never a `|`, which the markdown table reader would take for a
table), and white space is collapsed within a line as a browser does, except in `<pre>`.

The text is what the checker reads and what claim offsets index, so it is built once
here and never changed afterwards.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Browsers (Blink) stop nesting at this depth and add deeper elements as siblings; so do
# we, which keeps memory bounded however deeply hostile markup nests.
MAX_DEPTH = 512
TITLE_CHARS = 1000  # what is kept of a <title> or <h1> while reading it
LD_JSON_CHARS = 200_000  # what is kept of JSON-LD scripts, where datePublished lives
CHARSET_SNIFF_BYTES = 4096  # the spec prescans 1024 bytes; some heads declare it later
DATES_PER_KIND = 8  # publication-date candidates kept of each kind (meta, JSON-LD, <time>)

# Never rendered as the story: code, embedded documents, widgets and the page head.
_HARD_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "canvas",
        "button",
        "select",
        "textarea",
        "datalist",
        "dialog",
        "audio",
        "video",
        "noembed",
        "noframes",
        "head",
        "title",
    }
)
# Page furniture around the story. A <header> inside <article> or <main> is the story's
# own header (its headline and byline) and is kept.
_SOFT_DROP = frozenset({"nav", "header", "footer", "aside"})
_SOFT_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
_MAIN = frozenset({"article", "main"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
# Elements that may stay in <head>; any other start tag ends a head left unclosed.
_HEAD_CONTENT = frozenset(
    {"base", "link", "meta", "noscript", "script", "style", "template", "title"}
)
# Meta names, properties and itemprops that state the publication date, most trusted first.
_META_DATE_KEYS = (
    "article:published_time",
    "datepublished",
    "og:article:published_time",
    "date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "publish-date",
    "publishdate",
    "pubdate",
    "publication_date",
    "date_published",
    "parsely-pub-date",
    "sailthru.date",
)
_RANK_META, _RANK_LD_JSON, _RANK_TIME_PUBDATE, _RANK_TIME_HEADER = range(4)

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; a no-break space is text
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,64})"')
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]{1,40})""", re.I)
# Labels the Encoding Standard maps to another encoding than Python's codec of that name.
_CHARSET_ALIASES = {
    **dict.fromkeys(
        (
            "ansi_x3.4-1968",
            "ascii",
            "cp819",
            "csisolatin1",
            "ibm819",
            "iso-8859-1",
            "iso-ir-100",
            "iso8859-1",
            "iso88591",
            "iso_8859-1",
            "iso_8859-1:1987",
            "l1",
            "latin1",
            "us-ascii",
            "x-cp1252",
        ),
        "cp1252",
    ),
    "gb2312": "gbk",
    "gb_2312-80": "gbk",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "tis-620": "cp874",
}
# Python codecs that are not encodings a web page can be in.
_NOT_PAGE_CODECS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "utf-7"}
)

# Effects an open element has on what is kept; recorded so its end tag can undo them.
_HARD, _SOFT, _OUTER_FORM, _IN_MAIN, _PRE, _HEADER, _TITLE, _H1 = (1 << i for i in range(8))
_LD_JSON = 1 << 8


@dataclass(frozen=True, slots=True)
class HtmlText:
    """A page's readable text, its title, and publication dates its markup states.

    `dates` holds the raw values of `<meta>` publication dates, JSON-LD `datePublished`
    and `<time datetime>` in a header, most trusted first; the reader parses them.
    """

    text: str
    title: str | None = None
    dates: tuple[str, ...] = ()


def html_to_text(markup: str) -> HtmlText:
    """Return the readable text of `markup`; never raises, whatever the markup."""
    parser = _Extractor()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError:
        # HTMLParser reports markup it cannot parse (`<![bogus[`) with AssertionError;
        # keep what was read up to there rather than lose the page.
        pass
    return parser.result()


def declared_charset(data: bytes) -> str | None:
    """Return the Python codec a page's `<meta charset>` names, or None to read UTF-8.

    A byte-order mark wins over the declaration; an unknown label, a non-text codec and
    UTF-16 (which a meta tag in an ASCII-compatible file cannot truly declare) all mean
    UTF-8, as in a browser.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    match = _META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    if match is None:
        return None
    label = match.group(1).decode("ascii").strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CODECS:
        return None
    if info.name.startswith(("utf-8", "utf-16", "utf-32")):
        return None
    return info.name


@dataclass(slots=True)
class _Capture:
    """The text of a `<title>` or `<h1>`, kept up to TITLE_CHARS."""

    parts: list[str] = field(default_factory=list)
    size: int = 0

    def add(self, data: str) -> None:
        """Add text while there is room."""
        if self.size < TITLE_CHARS:
            self.parts.append(data[: TITLE_CHARS - self.size])
            self.size += len(self.parts[-1])

    def text(self) -> str | None:
        """Return the text with its white space collapsed, or None when there is none."""
        return _HTML_SPACE.sub(" ", "".join(self.parts)).strip() or None


class _Lines:
    """One candidate text, laid out as a browser lays out inline text and blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.newlines = 0  # line breaks owed before the next text (at most 2)
        self.separator = ""  # " " or a tab owed before the next text on the same line

    def write(self, text: str) -> None:
        """Append text, after the line breaks or separator it is owed."""
        if self.parts:
            if self.newlines:
                self.parts.append("\n" * self.newlines)
            elif self.separator:
                self.parts.append(self.separator)
        self.parts.append(text)
        self.newlines = 0
        self.separator = ""

    def space(self) -> None:
        """Owe one space: white space collapses to one, and none at a line's ends."""
        if not self.separator:
            self.separator = " "

    def cell(self) -> None:
        """Owe a tab: the next table cell on this line."""
        self.separator = "\t"

    def line_break(self) -> None:
        """End the line (`<br>`, a newline in `<pre>`)."""
        self.newlines = min(self.newlines + 1, 2)

    def block(self) -> None:
        """End the paragraph with a blank line, so sentences in two blocks never merge."""
        self.newlines = 2

    def text(self) -> str:
        """Return the text, ending with one newline when it is not empty."""
        return "".join(self.parts) + "\n" if self.parts else ""


class _Extractor(HTMLParser):
    """Collect the readable text of a page in one pass, with a bounded element stack."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[tuple[str, int]] = []
        self._open: Counter[str] = Counter()
        self._depth: Counter[int] = Counter()  # how many open elements have each effect
        # The story (<article>/<main>), the body without forms, the body with them.
        self._main, self._body, self._loose = _Lines(), _Lines(), _Lines()
        self._title: _Capture | None = None
        self._h1: _Capture | None = None
        self._ld_json: list[str] = []
        self._ld_json_chars = 0
        self._dates: list[tuple[int, int, str]] = []
        self._dates_by_rank: Counter[int] = Counter()

    # --- HTMLParser callbacks ---------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: note what it hides or marks, and break the line for a block."""
        attributes = _first_values(attrs)
        if self._open["head"] and tag not in _HEAD_CONTENT:
            self._close("head")  # a body element ends a head left unclosed, as in a browser
        self._note_dates(tag, attributes)
        if tag in _VOID:
            self._void(tag)
            return
        if tag in _BLOCK:
            self._broadcast(_Lines.block)
        if tag in ("td", "th"):
            self._broadcast(_Lines.cell)
        if len(self._stack) >= MAX_DEPTH:
            self._pop()  # too deep: the new element becomes a sibling of the deepest one
        effects = self._effects(tag, attributes)
        self._stack.append((tag, effects))
        self._open[tag] += 1
        self._count(effects, 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """`<x/>`: HTML ignores the slash on elements that are not void, so `<div/>` opens."""
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        """Close the element and any left open inside it; ignore a stray end tag."""
        if self._open[tag]:
            self._close(tag)
        elif tag == "br":
            self._broadcast(_Lines.line_break)  # `</br>` is read as `<br>`
        elif tag == "p":
            self._broadcast(_Lines.block)  # `</p>` with no `<p>` makes an empty paragraph

    def handle_data(self, data: str) -> None:
        """Keep text that a reader sees; capture the title and JSON-LD on the way."""
        if self._depth[_TITLE] and self._title is not None:
            self._title.add(data)
        if self._depth[_LD_JSON] and self._ld_json_chars < LD_JSON_CHARS:
            self._ld_json.append(data)
            self._ld_json_chars += len(data)
        if self.cdata_elem is not None or self._depth[_HARD] or self._depth[_SOFT]:
            return
        if self._depth[_H1] and self._h1 is not None:
            self._h1.add(data)
        if self._depth[_PRE]:
            self._preformatted(data)
        else:
            self._inline(data)

    def parse_html_declaration(self, i: int) -> int:
        """Read `<![CDATA[…` and `<![if …]>` as bogus comments up to `>`, as HTML does.

        The inherited parser raises on marked sections with unknown keywords (`<![x[`).
        """
        if self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    def close(self) -> None:
        """Finish, dropping a construct the end of input cut off.

        `feed` stops at a tag, comment or declaration it cannot complete; since the
        whole page has been fed, it is cut off by the end of input, and a browser drops
        it (an unclosed comment hides the rest of the page). Leaving it to
        `HTMLParser.close` would re-scan the rest of the input once per `<` in it:
        quadratic time on markup like `<a <a <a …`.
        """
        if self.rawdata.startswith("<"):
            self.rawdata = ""
        super().close()

    # --- result ---------------------------------------------------------------------

    def result(self) -> HtmlText:
        """Return the story's text if the page marks one, else the body's."""
        chosen = next((c for c in (self._main, self._body, self._loose) if c.parts), self._body)
        title = (self._title and self._title.text()) or (self._h1 and self._h1.text()) or None
        return HtmlText(chosen.text(), title, self._ranked_dates())

    # --- helpers --------------------------------------------------------------------

    def _effects(self, tag: str, attributes: dict[str, str | None]) -> int:
        """Return what an opening element does to the text inside it."""
        role = (attributes.get("role") or "").strip().lower()
        in_main = self._depth[_IN_MAIN] > 0
        effects = 0
        if tag in _HARD_DROP or _hidden(attributes):
            effects |= _HARD
        if role in _SOFT_ROLES or tag in ("nav", "footer", "aside"):
            effects |= _SOFT
        if tag == "header":
            effects |= _HEADER | (0 if in_main else _SOFT)
        if tag == "form":
            # A form inside the story is a comment or sign-up form; one around the whole
            # page (ASP.NET wraps the body in one) is kept if nothing better is found.
            effects |= _SOFT if in_main else _OUTER_FORM
        if tag in _MAIN or role == "main":
            effects |= _IN_MAIN
        if tag in ("pre", "listing", "plaintext"):
            effects |= _PRE
        if tag == "title" and self._title is None and not self._open["svg"]:
            self._title = _Capture()
            effects |= _TITLE
        if tag == "h1" and self._h1 is None and not self._hidden_now(effects):
            self._h1 = _Capture()
            effects |= _H1
        if tag == "script" and "ld+json" in (attributes.get("type") or "").lower():
            effects |= _LD_JSON
        return effects

    def _hidden_now(self, effects: int) -> bool:
        """Return whether text would be dropped under the open elements and `effects`."""
        return bool(effects & (_HARD | _SOFT) or self._depth[_HARD] or self._depth[_SOFT])

    def _count(self, effects: int, step: int) -> None:
        """Add or remove one element's effects from the running counts."""
        bit = 1
        while bit <= effects:
            if effects & bit:
                self._depth[bit] += step
            bit <<= 1

    def _close(self, tag: str) -> None:
        """Pop open elements down to and including the innermost `tag`."""
        while self._stack:
            if self._pop() == tag:
                return

    def _pop(self) -> str:
        """Pop the innermost open element, undoing its effects."""
        tag, effects = self._stack.pop()
        self._open[tag] -= 1
        if not self._open[tag]:
            del self._open[tag]  # only open names are kept, however many names a page uses
        self._count(effects, -1)
        if tag in _BLOCK:
            self._broadcast(_Lines.block)
        return tag

    def _void(self, tag: str) -> None:
        """Handle an element with no content: a line break or a rule."""
        if tag == "br":
            self._broadcast(_Lines.line_break)
        elif tag == "hr":
            self._broadcast(_Lines.block)

    def _targets(self) -> list[_Lines]:
        """Return the candidate texts that visible text at this point belongs to."""
        targets = [self._loose]
        if not self._depth[_OUTER_FORM]:
            targets.append(self._body)
        if self._depth[_IN_MAIN]:
            targets.append(self._main)
        return targets

    def _broadcast(self, action: Callable[[_Lines], None]) -> None:
        """Apply a layout action (a block end, a cell) to every candidate text."""
        for lines in (self._main, self._body, self._loose):
            action(lines)

    def _inline(self, data: str) -> None:
        """Write ordinary text with its white space collapsed."""
        collapsed = _HTML_SPACE.sub(" ", data)
        core = collapsed.strip(" ")
        for lines in self._targets():
            if collapsed.startswith(" "):
                lines.space()
            if core:
                lines.write(core)
                if collapsed.endswith(" "):
                    lines.space()

    def _preformatted(self, data: str) -> None:
        """Write `<pre>` text line by line, keeping its spacing."""
        text = data.replace("\r\n", "\n").replace("\r", "\n")
        for lines in self._targets():
            for index, line in enumerate(text.split("\n")):
                if index:
                    lines.line_break()
                if line.strip():
                    lines.write(line.rstrip())
                elif line:
                    lines.space()  # white space between two inline elements on one line

    def _note_dates(self, tag: str, attributes: dict[str, str | None]) -> None:
        """Record a publication date stated by a meta tag, an itemprop or a `<time>`."""
        key = attributes.get("property") or attributes.get("name") or attributes.get("itemprop")
        value = attributes.get("content") or attributes.get("datetime")
        if key and value and (key := key.strip().lower()) in _META_DATE_KEYS:
            self._add_date(_RANK_META, _META_DATE_KEYS.index(key), value)
        if tag != "time" or not attributes.get("datetime"):
            return
        if "pubdate" in attributes:
            self._add_date(_RANK_TIME_PUBDATE, 0, attributes["datetime"] or "")
        elif self._depth[_HEADER]:
            self._add_date(_RANK_TIME_HEADER, 0, attributes["datetime"] or "")

    def _add_date(self, rank: int, subrank: int, value: str) -> None:
        """Keep a date candidate; the first few of each kind are plenty."""
        if self._dates_by_rank[rank] < DATES_PER_KIND and value.strip():
            self._dates_by_rank[rank] += 1
            self._dates.append((rank, subrank, value.strip()[:64]))

    def _ranked_dates(self) -> tuple[str, ...]:
        """Return the date candidates, most trusted first, in page order within a rank."""
        found = list(self._dates)
        ld_json = _LD_DATE.findall("".join(self._ld_json))[:DATES_PER_KIND]
        found.extend((_RANK_LD_JSON, 0, value) for value in ld_json)
        ordered = sorted(enumerate(found), key=lambda item: (item[1][:2], item[0]))
        return tuple(value for _, (_, _, value) in ordered)


def _first_values(attrs: list[tuple[str, str | None]]) -> dict[str, str | None]:
    """Return the attributes as a dict; as in a browser, the first of a repeated name wins."""
    values: dict[str, str | None] = {}
    for name, value in attrs:
        values.setdefault(name, value)
    return values


def _hidden(attributes: dict[str, str | None]) -> bool:
    """Return whether an element is hidden: `hidden`, `aria-hidden="true"`, `display:none`.

    `hidden="until-found"` is content the reader can reveal by searching the page, so
    it is kept.
    """
    if "hidden" in attributes and (attributes["hidden"] or "").strip().lower() != "until-found":
        return True
    if (attributes.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search((attributes.get("style") or "").lower()))
