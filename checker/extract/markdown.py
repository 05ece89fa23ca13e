"""Read markdown structure as context for claims: headings, list items, table cells.

A table cell's subject is its row label with its column header ("Maximum file size" ×
"Pro" → 2 GB); list items and headings give context to the text under them. The parser
is a single pass over lines (linear time), GitHub-flavoured where it matters for
claims: pipe tables, ATX and setext headings, nested bullet and ordered lists.
Lines wholly inside `Document.skipped` (front matter, fenced code, HTML comments) act
as blank lines, so a table inside a code fence yields nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from checker.model import Document

BlockKind = Literal["heading", "list-item", "table-cell", "paragraph"]

MARKDOWN_SUFFIXES = (".md", ".markdown")
_LABEL_CHARS = 120

_LINE_END = re.compile(r"\r\n?|\n")
_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)[ \t]*")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"([ \t]*)([-*+]|(\d{1,9})[.)])(?=[ \t]|$)([ \t]*)")
_QUOTE = re.compile(r"[ \t]*(?:>[ \t]?)+")
_DELIMITER_CELL = re.compile(r"[ \t]*:?-+:?[ \t]*")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_WRAPPER = re.compile(r"^[*_`~]+|[*_`~]+$")
_SENTENCE_BREAK = re.compile(r".*[.!?][ \t]+", re.S)


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit of a markdown document, by offsets into `Document.text`.

    `context` is the heading path above the block, then (for list items and the text
    under them) the lead-in line and the parent items' labels. For table cells,
    `row_label` is the first cell of the row, `column_header` the header cell of the
    column; `row` counts body rows from 1 (0 is the header row) and `column` from 0.
    """

    start: int
    end: int
    kind: BlockKind
    context: tuple[str, ...] = ()
    row_label: str | None = None
    column_header: str | None = None
    row: int | None = None
    column: int | None = None

    @property
    def is_label(self) -> bool:
        """Return whether this is a header cell or a first-column cell: a label, not a value."""
        return self.kind == "table-cell" and (self.row == 0 or self.column == 0)


def markdown_blocks(doc: Document) -> list[Block]:
    """Return the blocks of a markdown document, in text order; [] for other files."""
    if not doc.path.lower().endswith(MARKDOWN_SUFFIXES):
        return []
    return parse_blocks(doc.text, doc.skipped)


def cell_subject(block: Block) -> str:
    """Return "<row label> × <column header>" for a table cell (whichever parts exist)."""
    if block.row == 0:
        return block.column_header or ""
    if block.column == 0:
        return block.row_label or ""
    parts = [p for p in (block.row_label, block.column_header) if p]
    return " × ".join(parts)


def context_of(blocks: Sequence[Block], offset: int) -> Block | None:
    """Return the block containing `offset`, if any (blocks sorted, not overlapping)."""
    index = bisect.bisect_right(blocks, offset, key=lambda b: b.start) - 1
    if index >= 0 and blocks[index].start <= offset < blocks[index].end:
        return blocks[index]
    return None


def clean_label(raw: str) -> str:
    """Return a cell, heading or item text as a plain label: no escapes or emphasis."""
    text = _LINK.sub(r"\1", raw)
    text = _ESCAPE.sub(r"\1", text)
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous = text
        text = _WRAPPER.sub("", text).strip()
    return text[:_LABEL_CHARS]


def parse_blocks(text: str, skipped: Sequence[tuple[int, int]] = ()) -> list[Block]:
    """Return the blocks of any text read as markdown, in text order."""
    plain = _plain_blocks(text, skipped)
    return plain if plain is not None else _Parser(text, skipped).run()


# -- plain text ------------------------------------------------------------------------
# Most documents are plain prose: paragraphs whose lines start with a word. Their blocks
# are the runs of non-blank lines, found by one search instead of reading line by line.

# A line that may be read as more than text: white space before its first character (an
# indented item or quote), or a first character that can open a heading, rule, setext
# underline, list item, quote or table row. Lines are read as the text has them (as the
# parser does) and as masked (where a skipped start must not hide white space).
_MARKUP_LINE = r"(?:[^\S\r\n]+\S|[#=\-*_+>|]|[0-9]{1,9}[.)])"
_MARKUP_AFTER_BREAK = re.compile(r"[\r\n]" + _MARKUP_LINE)
_MARKUP_FIRST = re.compile(_MARKUP_LINE)
# A pipe on a line followed by a non-blank line: the two may be a table's header and
# delimiter rows.
_PIPE_BEFORE_TEXT = re.compile(r"\|[^\r\n]*(?:\r\n?|\n)[^\S\r\n]*\S")
# A run of non-blank lines, where none starts with white space.
_PARAGRAPH = re.compile(r"\S[^\r\n]*(?:(?:\r\n?|\n)\S[^\r\n]*)*")


def _plain_blocks(text: str, skipped: Sequence[tuple[int, int]]) -> list[Block] | None:
    """Return the blocks of a text with no markdown syntax (its paragraphs), or None if
    a line might hold some: then the parser reads the text, with the same result for
    plain text.

    Every non-blank line of such a text starts with a character the parser reads as
    text, so each run of non-blank lines is one paragraph from its first character to
    the last line's end before trailing blanks, and no heading gives it context.
    """
    masked = _masked(text, skipped) if skipped else text
    if not _plain(text, masked):
        return None
    blocks = []
    for m in _PARAGRAPH.finditer(masked):
        start, end = m.span()
        if text[end - 1] in " \t":  # a paragraph starts with a non-blank character
            end = _trim(text, start, end)[1]
        blocks.append(Block(start, end, "paragraph"))
    if skipped:
        ranges = _merged(skipped)
        blocks = [b for b in blocks if not _inside(ranges, b.start, b.end, len(text))]
    return blocks


def is_plain(text: str, skipped: Sequence[tuple[int, int]] = ()) -> bool:
    """Return whether the text's blocks are its paragraphs: runs of non-blank lines
    (`parse_blocks` reads it with `_plain_blocks`)."""
    return _plain(text, _masked(text, skipped) if skipped else text)


def _plain(text: str, masked: str) -> bool:
    return not (_may_hold_markup(text) or (masked is not text and _may_hold_markup(masked)))


def _may_hold_markup(text: str) -> bool:
    """Return whether a line of `text` might be read as more than a paragraph's text."""
    return (
        _MARKUP_FIRST.match(text) is not None
        or _MARKUP_AFTER_BREAK.search(text) is not None
        or ("|" in text and _PIPE_BEFORE_TEXT.search(text) is not None)
    )


def _inside(ranges: Sequence[tuple[int, int]], start: int, end: int, length: int) -> bool:
    """Return whether start..end lies within one of the sorted, merged `ranges`."""
    index = bisect.bisect_right(ranges, (start, length + 1)) - 1
    return index >= 0 and ranges[index][0] <= start and end <= ranges[index][1]


# -- the parser ------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    """An open list item: where its content starts (a column) and its label."""

    column: int
    label: str


@dataclass(slots=True)
class _Open:
    """The paragraph, heading text or list item being read (its lines so far)."""

    start: int
    end: int
    kind: BlockKind
    context: tuple[str, ...]
    in_list: bool


@dataclass(slots=True)
class _Table:
    """The table being read: its header labels and how many body rows so far."""

    headers: list[str]
    context: tuple[str, ...]
    rows: int = 0


@dataclass(slots=True)
class _Parser:
    text: str
    skipped: Sequence[tuple[int, int]]
    blocks: list[Block] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)
    blank: list[bool] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    lead_in: str | None = None
    pending_lead: str | None = None
    open: _Open | None = None
    table: _Table | None = None
    blank_before: bool = True

    def run(self) -> list[Block]:
        self.skipped = _merged(self.skipped)
        self._split_lines()
        index = 0
        while index < len(self.lines):
            index = self._line(index)
        self._flush()
        return [b for b in self.blocks if not self._all_skipped(b.start, b.end)]

    # -- lines -------------------------------------------------------------------------
    def _split_lines(self) -> None:
        """Record each line's (start, end without terminator) and whether it is blank."""
        masked = _masked(self.text, self.skipped)
        start = 0
        for m in _LINE_END.finditer(self.text):
            self.lines.append((start, m.start()))
            start = m.end()
        self.lines.append((start, len(self.text)))
        self.blank = [not masked[s:e].strip() for s, e in self.lines]

    def _all_skipped(self, start: int, end: int) -> bool:
        return _inside(self.skipped, start, end, len(self.text))

    def _line(self, index: int) -> int:
        """Read line `index`; return the index of the next line to read."""
        start, end = self.lines[index]
        line = self.text[start:end]
        if self.blank[index]:
            self._flush()
            self.table = None
            self.blank_before = True
            return index + 1
        if self.table is not None:
            if not _ends_table(line):
                self._row(start, end)
                self.blank_before = False
                return index + 1
            self.table = None
        consumed = self._block_start(index, start, end, line)
        self.blank_before = False
        return consumed

    def _block_start(self, index: int, start: int, end: int, line: str) -> int:
        """Read a line outside a table: a table start, heading, item or text."""
        if self._table_start(index, start, end):
            return index + 2
        if line[:1].isalpha():  # no heading, rule or list marker starts with a letter
            self._text(start, end, line)
            return index + 1
        if (m := _ATX.match(line)) is not None:
            self._atx(start, end, line, m)
            return index + 1
        if self._setext(line):
            return index + 1
        if _THEMATIC.match(line):
            self._flush()
            self._close_list()
            self.pending_lead = None
            return index + 1
        item = _ITEM.match(line)
        if item is not None and self._starts_item(item, line):
            self._item(start, end, line, item)
            return index + 1
        self._text(start, end, line)
        return index + 1

    # -- tables ------------------------------------------------------------------------
    def _table_start(self, index: int, start: int, end: int) -> bool:
        if index + 1 >= len(self.lines) or self.blank[index + 1]:
            return False
        if "|" not in self.text[start:end]:
            return False  # a header row has a pipe: most lines are prose, read no further
        header = _cells(self.text, start, end)
        if header is None or not header[1]:
            return False
        d_start, d_end = self.lines[index + 1]
        delimiter = _cells(self.text, d_start, d_end)
        if delimiter is None or len(delimiter[0]) != len(header[0]):
            return False
        if not all(_DELIMITER_CELL.fullmatch(self.text, s, e) for s, e in delimiter[0]):
            return False
        self._flush()
        indent = _indent(self.text[start:end])
        self._settle_list(indent)
        context = self._context(in_list=bool(self.items))
        self.pending_lead = None
        labels = [clean_label(self.text[s:e]) for s, e in header[0]]
        self.table = _Table(labels, context)
        for column, (s, e) in enumerate(header[0]):
            self._cell(s, e, row=0, column=column, row_label=None)
        return True

    def _row(self, start: int, end: int) -> None:
        table = self.table
        assert table is not None
        found = _cells(self.text, start, end)
        cells = found[0] if found is not None else []
        table.rows += 1
        cells = cells[: len(table.headers)]  # excess cells are ignored, as GitHub does
        label = clean_label(self.text[cells[0][0] : cells[0][1]]) if cells else ""
        for column, (s, e) in enumerate(cells):
            self._cell(s, e, row=table.rows, column=column, row_label=label)

    def _cell(self, start: int, end: int, *, row: int, column: int, row_label: str | None) -> None:
        table = self.table
        assert table is not None
        start, end = _trim(self.text, start, end)
        if start < end:
            header = table.headers[column] if row else clean_label(self.text[start:end])
            self.blocks.append(
                Block(start, end, "table-cell", table.context, row_label, header, row, column)
            )

    # -- headings ----------------------------------------------------------------------
    def _atx(self, start: int, end: int, line: str, m: re.Match[str]) -> None:
        self._flush()
        self._close_list()
        self.pending_lead = None
        level = len(m.group(1))
        content = line[m.end() :].rstrip(" \t")
        hashes = len(content) - len(content.rstrip("#"))
        if hashes and (hashes == len(content) or content[-hashes - 1] in " \t"):
            content = content[:-hashes].rstrip(" \t")  # a closing run of #s
        c_start = start + m.end()
        c_end = c_start + len(content)
        self._heading(c_start, c_end, level)

    def _setext(self, line: str) -> bool:
        m = _SETEXT.match(line)
        opened = self.open
        if m is None or opened is None or opened.kind != "paragraph" or opened.in_list:
            return False
        self.open = None
        self.pending_lead = None
        self._heading(opened.start, opened.end, 1 if m.group(1)[0] == "=" else 2)
        return True

    def _heading(self, start: int, end: int, level: int) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        context = tuple(label for _, label in self.headings if label)
        if start < end:
            self.blocks.append(Block(start, end, "heading", context))
        self.headings.append((level, clean_label(self.text[start:end])))

    # -- lists and text ----------------------------------------------------------------
    def _starts_item(self, m: re.Match[str], line: str) -> bool:
        """Return whether a marker starts an item (not a paragraph's "2003. It ..." line)."""
        opened = self.open
        if opened is None or opened.in_list or self.blank_before:
            return True
        # As in CommonMark, only "1." or a non-empty bullet may interrupt a paragraph.
        if m.group(3) is not None:
            return int(m.group(3)) == 1
        return bool(line[m.end() :].strip())

    def _item(self, start: int, end: int, line: str, m: re.Match[str]) -> None:
        self._flush()
        indent = _indent(m.group(1))
        spaces = _indent(m.group(4), indent + len(m.group(2))) - indent - len(m.group(2))
        column = indent + len(m.group(2)) + (1 if spaces > 4 or spaces == 0 else spaces)
        if not self.items:  # a new list: the paragraph before it may introduce it
            self.lead_in, self.pending_lead = self.pending_lead, None
        while self.items and indent < self.items[-1].column:
            self.items.pop()
        context = self._context(in_list=True)
        c_start, c_end = _trim(self.text, start + m.end(), end)
        self.items.append(_Item(column, _item_label(self.text[c_start:c_end])))
        if c_start < c_end:
            self.open = _Open(c_start, c_end, "list-item", context, in_list=True)

    def _text(self, start: int, end: int, line: str) -> None:
        c_start, c_end = _trim(self.text, start, end)
        if self.open is not None and not self.blank_before:
            self.open.end = c_end  # a continuation line (lazy or indented)
            return
        self._flush()
        self._settle_list(_indent(line))
        quote = _QUOTE.match(self.text, c_start, c_end)
        if quote is not None and quote.end() < c_end:
            c_start = _trim(self.text, quote.end(), c_end)[0]
        in_list = bool(self.items)
        self.open = _Open(c_start, c_end, "paragraph", self._context(in_list), in_list)

    def _settle_list(self, indent: int) -> None:
        """Close the list items a line at `indent` after a blank line does not belong to."""
        if not self.blank_before:
            return
        while self.items and indent < self.items[-1].column:
            self.items.pop()
        if not self.items:
            self._close_list()

    def _close_list(self) -> None:
        self.items.clear()
        self.lead_in = None

    def _context(self, in_list: bool) -> tuple[str, ...]:
        path = [label for _, label in self.headings if label]
        if in_list:
            if self.lead_in:
                path.append(self.lead_in)
            path.extend(item.label for item in self.items if item.label)
        return tuple(path)

    def _flush(self) -> None:
        """Close the open block and record it."""
        opened, self.open = self.open, None
        if opened is None or opened.start >= opened.end:
            return
        self.blocks.append(Block(opened.start, opened.end, opened.kind, opened.context))
        if opened.kind == "paragraph" and not opened.in_list:
            raw = self.text[opened.start : opened.end]
            self.pending_lead = _lead_in(raw) if raw.endswith(":") else None
        else:
            self.pending_lead = None


# -- helpers -----------------------------------------------------------------------------


def _masked(text: str, skipped: Sequence[tuple[int, int]]) -> str:
    """Return the text with skipped ranges blanked (line breaks kept)."""
    parts = []
    position = 0
    for start, end in sorted(skipped):
        start = max(start, position)
        if start >= end:
            continue
        parts.append(text[position:start])
        parts.append(re.sub(r"[^\r\n]", " ", text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _merged(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the non-empty ranges sorted, with overlapping or touching ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _cells(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool] | None:
    """Return a row's raw cell ranges and whether it had an unescaped pipe."""
    start, end = _trim(text, start, end)
    if start >= end:
        return None
    pipes = []
    position = start
    while position < end:
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == "|":
            pipes.append(position)
        position += 1
    bounds = [start - 1, *pipes, end]
    if pipes and pipes[0] == start:
        bounds.pop(0)
    if pipes and pipes[-1] == end - 1 and len(bounds) > 2:
        bounds.pop()
    cells = [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]
    return cells, bool(pipes)


def _ends_table(line: str) -> bool:
    """Return whether a line after a table row starts another block instead of a row."""
    if _ATX.match(line) or _THEMATIC.match(line) or line.lstrip().startswith(">"):
        return True
    item = _ITEM.match(line)
    return item is not None and "|" not in line


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def _indent(prefix: str, column: int = 0) -> int:
    """Return the column reached after the leading white space of `prefix` (tabs stop at 4)."""
    for char in prefix:
        if char == "\t":
            column += 4 - column % 4
        elif char == " ":
            column += 1
        else:
            break
    return column


def _item_label(content: str) -> str:
    """Return what a list item says about its children: its text up to a colon."""
    head = content.split(":", 1)[0] if ":" in content else content
    return clean_label(head)


def _lead_in(paragraph: str) -> str:
    """Return the last sentence of a paragraph that introduces a list, without its colon."""
    m = _SENTENCE_BREAK.match(paragraph)
    tail = paragraph[m.end() :] if m else paragraph
    return clean_label(tail.rstrip(":"))
