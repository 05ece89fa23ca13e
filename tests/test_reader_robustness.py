"""Odd and hostile input files: each gives one clear diagnostic and the run goes on."""

from __future__ import annotations

import codecs
import errno
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.cli import app
from checker.engine import check
from checker.errors import NothingReadableError
from checker.ingest import DEFAULT_MAX_BYTES, Source, discover, read_document
from checker.model import Diagnostic, Report, Severity

STORY = "The storm killed 12 people on 3 May 2024."
GOOD = f"Storm report\n\n{STORY}\n"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def _codes(report: Report) -> dict[str, list[str]]:
    """Map each diagnosed path's file name to its diagnostic codes."""
    found: dict[str, list[str]] = {}
    for diagnostic in report.diagnostics:
        found.setdefault(Path(diagnostic.path or "").name, []).append(diagnostic.code)
    return found


def _only(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> Diagnostic:
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a process, killed if it blocks."""
    return subprocess.run(
        [sys.executable, "-m", "checker", *args, "--no-cache"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail a test that blocks (reading a named pipe would) instead of hanging the suite."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def blocked(signum: int, frame: object) -> None:
        raise TimeoutError("the reader blocked")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- size -----------------------------------------------------------------------------


def test_file_over_max_bytes_is_skipped_unread(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "big.txt").write_text(GOOD * 100, encoding="utf-8")
    report = check([tmp_path], max_bytes=1000)
    assert [d.path for d in report.documents] == [(tmp_path / "good.txt").as_posix()]
    diagnostic = _only(report.diagnostics)
    assert (diagnostic.code, diagnostic.severity) == ("read.too-large", Severity.WARNING)
    size = len(GOOD) * 100
    assert diagnostic.message == f"skipped: {size:,} bytes is over --max-bytes 1000"


def test_large_sizes_are_given_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(15_203_112)  # sparse: no need to write 15 MB
    doc, diagnostics = read_document(Source(path, "huge.txt"), "huge")
    assert doc is None
    assert _only(diagnostics).message == (
        "skipped: 15.2 MB (15,203,112 bytes) is over --max-bytes 10000000"
    )


def test_max_bytes_zero_means_no_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(GOOD * 100, encoding="utf-8")
    doc, diagnostics = read_document(Source(path, "big.txt"), "big", max_bytes=0)
    assert doc is not None and diagnostics == []
    assert len(doc.text) == len(GOOD) * 100


def test_a_file_exactly_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "edge.txt"
    path.write_text(GOOD, encoding="utf-8")
    doc, diagnostics = read_document(Source(path, "edge.txt"), "edge", max_bytes=len(GOOD))
    assert doc is not None and diagnostics == []


def test_a_file_that_grows_after_its_size_was_checked_is_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked first, but the read itself stops at max_bytes + 1."""
    path = tmp_path / "growing.txt"
    path.write_text(GOOD * 100, encoding="utf-8")
    small = os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
    real_stat = Path.stat

    def stale_stat(self: Path, **kwargs: Any) -> os.stat_result:
        return small if self == path else real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stale_stat)
    doc, diagnostics = read_document(Source(path, "growing.txt"), "growing", max_bytes=100)
    assert doc is None
    assert _only(diagnostics).message == "skipped: 101 bytes is over --max-bytes 100"


def test_the_cli_default_is_the_reader_default() -> None:
    import typer.main

    command = typer.main.get_command(app)
    option = next(p for p in command.params if p.name == "max_bytes")
    assert option.default == DEFAULT_MAX_BYTES == 10_000_000


# --- files that cannot be read --------------------------------------------------------


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        report = check([tmp_path])
    finally:
        locked.chmod(0o644)
    assert len(report.documents) == 1
    diagnostic = _only(report.diagnostics)
    assert (diagnostic.code, diagnostic.message) == ("read.error", "cannot read: permission denied")


def test_permission_denied_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads anything, so the refusal is simulated where the file is opened."""
    path = tmp_path / "locked.txt"
    path.write_text(GOOD, encoding="utf-8")

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", refuse)
    doc, diagnostics = read_document(Source(path, "locked.txt"), "locked")
    assert doc is None
    assert _only(diagnostics).message == "cannot read: permission denied"


def test_broken_symlink_in_a_folder_and_named(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    report = check([tmp_path])
    assert len(report.documents) == 1
    diagnostic = _only(report.diagnostics)
    assert (diagnostic.code, diagnostic.message) == (
        "read.error",
        "cannot read: broken symbolic link",
    )
    _, named = discover([str(tmp_path / "broken.txt")])
    assert (_only(named).code, _only(named).message) == ("read.error", "broken symbolic link")


def test_symlink_loop_in_a_folder_and_named(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    report = check([tmp_path])
    assert len(report.documents) == 1
    assert _codes(report) == {"a.txt": ["read.error"], "b.txt": ["read.error"]}
    assert {d.message for d in report.diagnostics} == {"cannot read: symbolic link loop"}
    _, named = discover([str(tmp_path / "a.txt")])
    assert (_only(named).code, _only(named).message) == ("read.error", "symbolic link loop")


def test_folder_symlink_loop_does_not_make_discovery_endless(tmp_path: Path) -> None:
    sub = tmp_path / "docs" / "sub"
    sub.mkdir(parents=True)
    (sub / "good.txt").write_text(GOOD, encoding="utf-8")
    (sub / "loop").symlink_to("..")  # docs/sub/loop -> docs
    (tmp_path / "docs" / "self").symlink_to(".")
    sources, diagnostics = discover([str(tmp_path / "docs")])
    assert diagnostics == []
    assert [s.display for s in sources] == [(sub / "good.txt").as_posix()]


def test_file_that_vanishes_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "gone.txt").write_text(GOOD, encoding="utf-8")
    real_discover = discover

    def discover_then_delete(paths: list[str]) -> tuple[list[Source], list[Diagnostic]]:
        found = real_discover(paths)
        (tmp_path / "gone.txt").unlink()
        return found

    monkeypatch.setattr("checker.engine.discover", discover_then_delete)
    report = check([tmp_path])
    assert len(report.documents) == 1
    diagnostic = _only(report.diagnostics)
    assert diagnostic.path == (tmp_path / "gone.txt").as_posix()
    assert (diagnostic.code, diagnostic.severity) == ("read.error", Severity.ERROR)
    assert diagnostic.message == "cannot read: vanished before it could be read"


@posix_only
@pytest.mark.usefixtures("alarm")
def test_named_pipe_is_skipped_without_blocking(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    report = check([tmp_path])
    assert len(report.documents) == 1
    diagnostic = _only(report.diagnostics)
    assert (diagnostic.code, diagnostic.message) == (
        "read.error",
        "cannot read: a named pipe, not a regular file",
    )
    _, named = discover([str(tmp_path / "pipe.txt")])
    assert _only(named).message == "cannot read: a named pipe, not a regular file"


@posix_only
@pytest.mark.usefixtures("alarm")
def test_pipe_swapped_in_after_the_size_check_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A regular file replaced by a pipe between `stat` and `open` is caught once open."""
    path = tmp_path / "swapped.txt"
    os.mkfifo(path)
    regular = os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
    real_stat = Path.stat

    def stale_stat(self: Path, **kwargs: Any) -> os.stat_result:
        return regular if self == path else real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stale_stat)
    doc, diagnostics = read_document(Source(path, "swapped.txt"), "swapped")
    assert doc is None
    assert _only(diagnostics).message == "cannot read: a named pipe, not a regular file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.usefixtures("alarm")
def test_device_file_is_skipped(tmp_path: Path) -> None:
    """A link to /dev/zero in the corpus is not read forever."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    report = check([tmp_path])
    assert len(report.documents) == 1
    assert _only(report.diagnostics).message == (
        "cannot read: a character device, not a regular file"
    )


def test_folder_named_like_a_document(tmp_path: Path) -> None:
    """`x.txt/` is a folder: walked into, never read as a file."""
    inner = tmp_path / "x.txt"
    inner.mkdir()
    (inner / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.md").mkdir()
    report = check([tmp_path])
    assert [Path(d.path).name for d in report.documents] == ["good.md"]
    assert report.diagnostics == ()
    doc, diagnostics = read_document(Source(inner, "x.txt"), "x")
    assert doc is None and _only(diagnostics).message == "cannot read: a folder"


def test_nothing_readable_raises_one_error(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(NothingReadableError, match="broken symbolic link"):
        check([tmp_path])


# --- encodings and line ends ----------------------------------------------------------

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}
LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


@pytest.mark.parametrize("line_end", LINE_ENDS)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_claims_index_the_text_in_every_encoding_and_line_end(
    tmp_path: Path, encoding: str, line_end: str
) -> None:
    line_end = LINE_ENDS[line_end]
    text = f"Storm report{line_end}{line_end}Caf\u00e9 news: {STORY}{line_end}"
    path = tmp_path / "doc.txt"
    path.write_bytes(ENCODINGS[encoding](text))
    report = check([path])
    doc = report.documents[0]
    assert doc.text == f"Storm report\n\nCaf\u00e9 news: {STORY}\n"
    assert report.diagnostics == ()
    assert {c.text for c in report.claims} >= {"12", "3 May 2024"}
    for claim in report.claims:
        assert doc.text[claim.span.start : claim.span.end] == claim.text
        line, column = doc.line_col(claim.span.start)
        assert line == 3
        assert column == doc.text.splitlines()[2].index(claim.text) + 1


@pytest.mark.parametrize("line_end", LINE_ENDS)
def test_invalid_utf8_names_the_byte_and_keeps_offsets_exact(tmp_path: Path, line_end: str) -> None:
    line_end = LINE_ENDS[line_end]
    data = f"Storm report{line_end}bad \xff byte{line_end}{STORY}{line_end}".encode("latin-1")
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    report = check([path])
    diagnostic = _only(report.diagnostics)
    assert diagnostic.code == "read.decode"
    bad_byte = data.index(b"\xff")
    assert f"invalid UTF-8 at byte {bad_byte};" in diagnostic.message
    assert diagnostic.line == 2
    doc = report.documents[0]
    assert doc.text == f"Storm report\nbad \ufffd byte\n{STORY}\n"
    for claim in report.claims:
        assert doc.text[claim.span.start : claim.span.end] == claim.text
        assert doc.line_col(claim.span.start)[0] == 3


# --- the real command line ------------------------------------------------------------


def _json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


@posix_only
def test_cli_reads_on_past_every_odd_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "page.html").write_text(f"<nav>Menu</nav><p>{STORY}</p>", encoding="utf-8")
    (corpus / "big.md").write_text(GOOD * 10, encoding="utf-8")
    (corpus / "blob.txt").write_bytes(b"PK\x03\x04\x00\x00")
    (corpus / "broken.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / "a.txt").symlink_to(corpus / "b.txt")
    (corpus / "b.txt").symlink_to(corpus / "a.txt")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "loop").symlink_to("..")
    (corpus / "dir.txt").mkdir()
    done = _run("corpus", "--format", "json", "--max-bytes", "200", cwd=tmp_path)
    data = _json(done)
    assert sorted(d["path"] for d in data["documents"]) == ["corpus/good.txt", "corpus/page.html"]
    assert {d["path"]: d["code"] for d in data["diagnostics"]} == {
        "corpus/a.txt": "read.error",
        "corpus/b.txt": "read.error",
        "corpus/big.md": "read.too-large",
        "corpus/blob.txt": "read.binary",
        "corpus/broken.txt": "read.error",
        "corpus/pipe.txt": "read.error",
    }
    html = next(c for c in data["claims"] if c["document"] == "page")
    assert html["text"] in STORY


def test_cli_max_bytes_zero_and_negative(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(GOOD * 10, encoding="utf-8")
    data = _json(_run("doc.txt", "--format", "json", "--max-bytes", "0", cwd=tmp_path))
    assert data["diagnostics"] == [] and len(data["documents"]) == 1
    done = _run("doc.txt", "--format", "json", "--max-bytes", "-1", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.parametrize("setup", ["missing", "empty-folder", "only-too-large"])
def test_cli_nothing_to_read_exits_2_with_one_line(tmp_path: Path, setup: str) -> None:
    target = tmp_path / "corpus"
    if setup == "empty-folder":
        target.mkdir()
    elif setup == "only-too-large":
        target.mkdir()
        (target / "big.txt").write_text(GOOD * 10, encoding="utf-8")
    done = _run("corpus", "--format", "json", "--max-bytes", "100", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("check: nothing to check under corpus")
