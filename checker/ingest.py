"""The read stage: find input files and turn each into a `Document`.

Decoding follows CONTRACT.md: UTF-8 with the byte-order mark removed and universal
newlines, so that every offset indexes exactly `open(path, encoding="utf-8-sig").read()`.
An HTML page is decoded (by its `<meta charset>` when it names one) and its readable
text extracted (`checker.html_text`); offsets index that text.
Page furniture (share buttons, comment forms, header date lines, markdown code) is
marked in `Document.skipped`, never cut out of the text.

Input may be hostile or odd: a file too large, a named pipe that would block, a link
that is broken or loops, a file that vanishes before it is read. Each gives one
diagnostic and the run goes on.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

from checker import lexicon
from checker.html_text import HtmlText, declared_charset, html_to_text
from checker.model import DateRange, DateSource, Diagnostic, Document, Severity
from checker.pubdate import FrontMatter, front_matter, parse_date, scan_header

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
TEXT_SUFFIXES = frozenset({".txt", *MARKDOWN_SUFFIXES, *HTML_SUFFIXES})
BINARY_SNIFF_BYTES = 8192
TITLE_CHARS = 200
DEFAULT_MAX_BYTES = 10_000_000  # `--max-bytes`: larger files are skipped; 0 means no limit

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read, and its path as the user should see it."""

    path: Path
    display: str

    @property
    def markdown(self) -> bool:
        """Return whether the file is markdown, judged by its suffix."""
        return self.path.suffix.lower() in MARKDOWN_SUFFIXES

    @property
    def html(self) -> bool:
        """Return whether the file is an HTML page, judged by its suffix."""
        return self.path.suffix.lower() in HTML_SUFFIXES


@dataclass(frozen=True, slots=True)
class FurnitureRules:
    """Compiled furniture.toml: exact lines, line patterns and comment-section markers."""

    exact: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    tail_markers: frozenset[str]
    tail_position: float
    confirm_lines: int
    confirm_window: int


# Fetch a source's bytes, at most `max_bytes + 1` of them (all when 0), or return None
# and the diagnostic saying why not.
ByteReader = Callable[[Source, int], tuple[bytes | None, Diagnostic | None]]


def discover(paths: Sequence[str]) -> tuple[list[Source], list[Diagnostic]]:
    """Return the text files named by `paths` (walking folders) and what went wrong."""
    sources: list[Source] = []
    diagnostics: list[Diagnostic] = []
    for given in paths:
        found, problems = _discover_one(given)
        sources.extend(found)
        diagnostics.extend(problems)
    return _dedupe(sources), diagnostics


def unique_ids(sources: Sequence[Source]) -> list[str]:
    """Return one id per source: its stem, suffixed -2, -3… where stems repeat."""
    stems = [Path(s.display).stem or s.display for s in sources]
    order = sorted(range(len(sources)), key=lambda i: sources[i].display)
    # Every real stem is reserved, so a file really named `x-2` keeps its name.
    reserved = set(stems)
    assigned: set[str] = set()
    ids = [""] * len(sources)
    for index in order:
        stem = stems[index]
        candidate, counter = stem, 1
        while candidate in assigned or (candidate != stem and candidate in reserved):
            counter += 1
            candidate = f"{stem}-{counter}"
        assigned.add(candidate)
        ids[index] = candidate
    return ids


def read_document(
    source: Source,
    doc_id: str,
    published_override: DateRange | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    read_bytes: ByteReader | None = None,
) -> tuple[Document | None, list[Diagnostic]]:
    """Read and decode one source; return None and a diagnostic when it cannot be used.

    A file over `max_bytes` (0: no limit) is skipped unread. `read_bytes` fetches the
    bytes from elsewhere than the local filesystem (an object store, `checker.remote`).
    """
    data, problem = (read_bytes or _read_bytes)(source, max_bytes)
    if data is None:
        return None, [problem] if problem else []
    if _is_binary(data):
        return None, [_diag(source, Severity.WARNING, "read.binary", "skipped: binary file")]
    text, diagnostics = _decode_source(source, data)
    page = html_to_text(text) if source.html else None
    if page is not None:
        text = page.text
    if not text.strip():
        diagnostics.append(_diag(source, Severity.NOTE, "read.empty", "file has no text"))
        return Document(doc_id, source.display, text, published_override), diagnostics
    return _build(source, doc_id, text, published_override, page), diagnostics


def decode(data: bytes) -> tuple[str, int | None]:
    """Decode bytes as the contract says; return the text and the first bad byte offset."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _universal_newlines(data.decode("utf-16", errors="replace")), None
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    body = data[bom:]
    try:
        return _universal_newlines(body.decode("utf-8")), None
    except UnicodeDecodeError as exc:
        text = body.decode("utf-8", errors="replace")
        return _universal_newlines(text), bom + exc.start


def furniture_ranges(text: str) -> list[Range]:
    """Return the ranges of page-furniture lines and of a trailing comment section."""
    lines = text.split("\n")
    return _furniture_ranges(text, lines, _spans(lines))


def _furniture_ranges(text: str, lines: list[str], spans: list[Range]) -> list[Range]:
    """`furniture_ranges`, given the text's lines and their spans."""
    rules = furniture_rules()
    # Each line is normalised once: the furniture test and the comment-tail search
    # both read the normal forms.
    norms = [_norm(line) if line else "" for line in lines]  # a story's lines are half blank
    furniture = _furniture_flags(norms, rules)
    ranges = [span for span, is_furniture in zip(spans, furniture, strict=True) if is_furniture]
    tail = _tail_start(lines, spans, norms, furniture, rules)
    if tail is not None:
        ranges.append((tail, len(text)))
    return ranges


def markdown_ranges(text: str, front: FrontMatter | None) -> list[Range]:
    """Return the ranges of front matter, fenced code, HTML comments and inline code."""
    ranges: list[Range] = [(front.start, front.end)] if front else []
    ranges.extend(_fenced_blocks(text, front.end if front else 0))
    masked = _mask(text, ranges)
    comments = [(m.start(), m.end()) for m in re.finditer(r"<!--.*?(?:-->|\Z)", masked, re.S)]
    ranges.extend(comments)
    masked = _mask(masked, comments)
    ranges.extend((m.start(), m.end()) for m in _INLINE_CODE.finditer(masked))
    return ranges


def find_title(
    text: str, skipped: Sequence[Range], *, markdown: bool, front: FrontMatter | None
) -> str | None:
    """Return the front-matter title, first `# heading`, or first non-furniture line."""
    lines = text.split("\n")
    return _find_title(lines, _spans(lines), skipped, markdown=markdown, front=front)


def _find_title(
    lines: list[str],
    spans: list[Range],
    skipped: Sequence[Range],
    *,
    markdown: bool,
    front: FrontMatter | None,
) -> str | None:
    """`find_title`, given the text's lines and their spans."""
    if front is not None and front.fields.get("title"):
        return _trim(front.fields["title"])
    if markdown:
        for line in _title_candidates(lines, spans, skipped):
            heading = _HEADING.match(line)
            if heading and heading.group(1).strip():
                return _trim(heading.group(1))
    # The first candidate line decides (it is not blank); the rest are never looked at.
    for line in _title_candidates(lines, spans, skipped):
        line = line.strip()
        if markdown:
            line = line.lstrip("#").strip()
        if line:
            return _trim(line)
    return None


def _title_candidates(
    lines: list[str], spans: list[Range], skipped: Sequence[Range]
) -> Iterator[str]:
    """Yield the lines that are neither blank nor skipped, in order."""
    for line, (start, end) in zip(lines, spans, strict=True):
        if line.strip() and not _overlaps(start, end, skipped):
            yield line


def merge_ranges(ranges: Iterable[Range]) -> tuple[Range, ...]:
    """Return the ranges sorted, with overlapping or touching ones merged."""
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


@cache
def furniture_rules() -> FurnitureRules:
    """Compile furniture.toml once."""
    data = lexicon.load("furniture")
    lines, tail = data["lines"], data["tail"]
    patterns = _line_patterns(list(lines.get("patterns", {}).values()))
    return FurnitureRules(
        exact=frozenset(_norm(x) for x in lines["exact"]),
        patterns=patterns,
        tail_markers=frozenset(_norm(x) for x in tail["markers"]),
        tail_position=float(tail["min_position"]),
        confirm_lines=int(tail["confirm_lines"]),
        confirm_window=int(tail["confirm_window"]),
    )


def _line_patterns(sources: list[str]) -> tuple[re.Pattern[str], ...]:
    """Compile the line patterns, those without groups as one alternation.

    A line matches the alternation as a whole exactly when it matches one of them as a
    whole, and one call replaces a score of them on every line of every document. A
    pattern with groups keeps its own (its group numbers may matter to it).
    """
    compiled = [re.compile(p, re.I) for p in sources]
    plain = [p.pattern for p in compiled if p.groups == 0]
    kept = [p for p in compiled if p.groups != 0]
    if len(plain) > 1:
        try:
            return (re.compile("|".join(f"(?:{p})" for p in plain), re.I), *kept)
        except re.error:
            pass  # e.g. a global inline flag that must open its own pattern
    return tuple(compiled)


# A markdown ATX heading: its text without the closing hashes.
_HEADING = re.compile(r" {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# A run of backticks, the shortest content, and the same run again; no blank line inside.
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)


def _build(
    source: Source,
    doc_id: str,
    text: str,
    published_override: DateRange | None,
    page: HtmlText | None = None,
) -> Document:
    """Assemble a Document: header date, skipped ranges, title.

    For an HTML page, its `<title>` (or first `<h1>`) and the date its markup states
    come first; the extracted text's own header still gives them otherwise.
    """
    header = scan_header(text, markdown=source.markdown)
    front = front_matter(text) if source.markdown else None
    # The lines are split once, for the furniture and the title.
    lines = text.split("\n")
    spans = _spans(lines)
    ranges = [*_furniture_ranges(text, lines, spans), *header.spans]
    if source.markdown:
        ranges.extend(markdown_ranges(text, front))
    skipped = merge_ranges(ranges)
    if page is not None and page.title:
        title: str | None = _trim(page.title)
    else:
        title = _find_title(lines, spans, skipped, markdown=source.markdown, front=front)
    published = published_override or _page_date(page) or header.published
    # The line starts are those of the lines already split, rather than found again.
    starts = tuple([start for start, _end in spans])
    return Document(doc_id, source.display, text, published, title, skipped, starts)


def _page_date(page: HtmlText | None) -> DateRange | None:
    """Return the first publication date in a page's markup that reads as a full date."""
    for value in page.dates if page is not None else ():
        parsed = parse_date(value)
        if parsed is not None:
            return DateRange(parsed[0], parsed[1], DateSource.TEXT)
    return None


def _decode_source(source: Source, data: bytes) -> tuple[str, list[Diagnostic]]:
    """Decode a file's bytes: UTF-8, or the encoding an HTML page declares.

    Undecodable bytes are replaced, with one warning naming the first one's offset.
    """
    codec = declared_charset(data) if source.html else None
    text, bad_offset = decode(data) if codec is None else _decode_declared(data, codec)
    if bad_offset is None:
        return text, []
    # The line in the file as an editor shows it: lone CRs end lines too.
    line = _universal_newlines(data[:bad_offset].decode("latin-1")).count("\n") + 1
    name = "UTF-8" if codec is None else codec
    message = f"invalid {name} at byte {bad_offset}; undecodable bytes replaced with U+FFFD"
    return text, [_diag(source, Severity.WARNING, "read.decode", message, line)]


def _decode_declared(data: bytes, codec: str) -> tuple[str, int | None]:
    """Decode with a page's declared codec; return the text and the first bad byte offset."""
    try:
        return _universal_newlines(data.decode(codec)), None
    except UnicodeDecodeError as exc:
        return _universal_newlines(data.decode(codec, errors="replace")), exc.start


def _discover_one(given: str) -> tuple[list[Source], list[Diagnostic]]:
    """Expand one command-line path into sources."""
    path = Path(given)
    shown = path.as_posix()
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ENOENT and not path.is_symlink():
            message = "no such file or folder"
            return [], [_diag_path(shown, Severity.ERROR, "read.missing", message)]
        message = _os_reason(path, exc)
        return [], [_diag_path(shown, Severity.ERROR, "read.error", message)]
    if stat.S_ISDIR(mode):
        return _walk(path, shown)
    if stat.S_ISREG(mode):
        return [Source(path, shown)], []
    message = f"cannot read: {_special(mode)}"
    return [], [_diag_path(shown, Severity.ERROR, "read.error", message)]


def _walk(root: Path, shown: str) -> tuple[list[Source], list[Diagnostic]]:
    """Walk a folder for documents, skipping hidden names.

    Symlinked folders are not followed, so a link back up the tree (`dir/loop -> ..`)
    cannot make the walk endless. Every file with a document suffix is listed, whatever
    it is (a named pipe, a broken link): reading it says what is wrong with it.
    """
    sources: list[Source] = []
    problems: list[Diagnostic] = []

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename).as_posix() if exc.filename else shown
        message = f"cannot read folder: {exc.strerror or exc}"
        problems.append(_diag_path(where, Severity.ERROR, "read.error", message))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = Path(folder).relative_to(root)
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in TEXT_SUFFIXES:
                continue
            display = (Path(shown) / relative / name).as_posix()
            sources.append(Source(Path(folder) / name, display))
    if not sources and not problems:
        message = "no .txt, .md, .markdown, .html or .htm files found in folder"
        problems.append(_diag_path(shown, Severity.WARNING, "read.no-files", message))
    return sources, problems


def _dedupe(sources: list[Source]) -> list[Source]:
    """Sort by display path and drop a file named twice (by folder and by name)."""
    seen: set[str] = set()
    unique = []
    for source in sorted(sources, key=lambda s: s.display):
        key = os.path.realpath(source.path)
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def _read_bytes(source: Source, max_bytes: int) -> tuple[bytes | None, Diagnostic | None]:
    """Return the file's bytes, or None and the diagnostic saying why not.

    The size is checked before reading, and at most `max_bytes + 1` bytes are read, so
    neither a huge file nor one that grows while it is read is taken in whole.
    """
    try:
        info = source.path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, _not_regular(source, info.st_mode)
        if max_bytes and info.st_size > max_bytes:
            return None, _too_large(source, info.st_size, max_bytes)
        data, mode = _read_regular(source.path, max_bytes)
    except OSError as exc:
        reason = _os_reason(source.path, exc)
        return None, _diag(source, Severity.ERROR, "read.error", f"cannot read: {reason}")
    if data is None:
        return None, _not_regular(source, mode)  # replaced since it was looked at
    if max_bytes and len(data) > max_bytes:
        return None, _too_large(source, len(data), max_bytes)  # it grew as it was read
    return data, None


def _read_regular(path: Path, max_bytes: int) -> tuple[bytes | None, int]:
    """Read up to `max_bytes + 1` bytes (all when 0) if `path` is a regular file.

    It is opened without blocking and checked again once open: a named pipe put in the
    file's place after it was looked at would otherwise block the run forever.
    Returns None and the file's mode when it is not a regular file.
    """
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # POSIX only; Windows has no named pipes here
    fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return None, mode
        if nonblocking:
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the handle owns it now
            return handle.read(max_bytes + 1 if max_bytes else -1), mode
    finally:
        if fd >= 0:
            os.close(fd)


def _os_reason(path: Path, exc: OSError) -> str:
    """Say in a few words why a path could not be looked at or read."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "vanished before it could be read"
    return (exc.strerror or str(exc)).lower()


def _file_kind(mode: int) -> str:
    """Name the kind of a file that is not a regular file."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _special(mode: int) -> str:
    """Describe a file that is not a regular file: "a folder", "a named pipe, not a …"."""
    kind = _file_kind(mode)
    return kind if stat.S_ISDIR(mode) else f"{kind}, not a regular file"


def _not_regular(source: Source, mode: int) -> Diagnostic:
    """Say that a source is a folder, a pipe or a device and was not read."""
    return _diag(source, Severity.ERROR, "read.error", f"cannot read: {_special(mode)}")


def too_large(source: Source, size: int, max_bytes: int) -> Diagnostic:
    """Say that a source is over `--max-bytes` and was skipped (for a `ByteReader`)."""
    return _too_large(source, size, max_bytes)


def _too_large(source: Source, size: int, max_bytes: int) -> Diagnostic:
    """Say that a source is over `--max-bytes` and was skipped."""
    message = f"skipped: {_size(size)} is over --max-bytes {max_bytes}"
    return _diag(source, Severity.WARNING, "read.too-large", message)


def _size(size: int) -> str:
    """Format a byte count for a message: "15.2 MB (15,203,112 bytes)", "1,234 bytes"."""
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:.1f} MB ({size:,} bytes)"


def _is_binary(data: bytes) -> bool:
    """Return whether the bytes look binary: a NUL early on (UTF-16 is decoded, not binary)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def _universal_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, as `open()` does in text mode."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _spans(lines: list[str]) -> list[Range]:
    """Return the (start, end) of every line of `text.split("\\n")`, without its newline."""
    lengths = list(map(len, lines))
    starts = accumulate([length + 1 for length in lengths], initial=0)
    # `starts` runs one past the last line (the start a next line would have).
    return [(start, start + length) for start, length in zip(starts, lengths, strict=False)]


def _norm(line: str) -> str:
    """Normalise a line for exact furniture matching."""
    return " ".join(line.strip().rstrip(":").lower().split())


def _is_furniture(norm: str, rules: FurnitureRules) -> bool:
    """Return whether a whole line, given in its `_norm` form, is furniture."""
    if not norm:
        return False
    return norm in rules.exact or any(p.fullmatch(norm) for p in rules.patterns)


def _furniture_flags(norms: list[str], rules: FurnitureRules) -> list[bool]:
    """Return `_is_furniture` of each line's normal form."""
    if len(rules.patterns) != 1:
        return [_is_furniture(norm, rules) for norm in norms]
    # The usual case, one pattern: the test written out, without a call per line.
    exact, fullmatch = rules.exact, rules.patterns[0].fullmatch
    return [bool(norm) and (norm in exact or fullmatch(norm) is not None) for norm in norms]


def _tail_start(
    lines: list[str],
    spans: list[Range],
    norms: list[str],
    furniture: list[bool],
    rules: FurnitureRules,
) -> int | None:
    """Return where a trailing comment section starts, if there is one.

    `norms` and `furniture` are each line's `_norm` form and furniture test.
    """
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    for index, line in enumerate(non_empty):
        if norms[line] not in rules.tail_markers:
            continue
        late = index >= rules.tail_position * len(non_empty)
        following = non_empty[index + 1 : index + 1 + rules.confirm_window]
        confirmed = sum(furniture[i] for i in following)
        if late or confirmed >= rules.confirm_lines:
            return spans[line][0]
    return None


def _fenced_blocks(text: str, start_at: int) -> list[Range]:
    """Return fenced code blocks (``` or ~~~); an unclosed fence runs to the end."""
    blocks: list[Range] = []
    opening = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*$", re.M)
    position = start_at
    while (match := opening.search(text, position)) is not None:
        fence = match.group(1)
        if fence[0] == "`" and "`" in match.group(0)[match.end(1) - match.start() :]:
            position = match.end()  # a backtick fence's info string may not contain backticks
            continue
        closing = re.compile(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}[ \t]*$", re.M)
        end_match = closing.search(text, match.end())
        end = end_match.end() if end_match else len(text)
        blocks.append((match.start(), end))
        position = end
    return blocks


def _mask(text: str, ranges: Iterable[Range]) -> str:
    """Blank out ranges with spaces, keeping every offset and line break."""
    chars = list(text)
    for start, end in ranges:
        chars[start:end] = re.sub(r"[^\n]", " ", text[start:end])
    return "".join(chars)


def _overlaps(start: int, end: int, ranges: Sequence[Range]) -> bool:
    """Return whether [start, end) overlaps any range."""
    return any(s < end and start < e for s, e in ranges)


def _trim(title: str) -> str:
    """Collapse whitespace and cut a title to TITLE_CHARS at a word boundary."""
    title = " ".join(title.split())
    if len(title) <= TITLE_CHARS:
        return title
    cut = title[: TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


def _diag(
    source: Source, severity: Severity, code: str, message: str, line: int | None = None
) -> Diagnostic:
    """Make a diagnostic about a source."""
    return Diagnostic(source.display, severity, code, message, line)


def _diag_path(shown: str, severity: Severity, code: str, message: str) -> Diagnostic:
    """Make a diagnostic about a command-line path."""
    return Diagnostic(shown, severity, code, message)
