"""The same input gives the same bytes, and an interrupted write leaves no half file.

Output must not depend on the order the file system lists a folder in, on Python's
string hashing (`PYTHONHASHSEED`), or on the name of the folder the corpus sits in
beyond the paths it prints. Reports are written through a temporary file and a rename,
so a failed or interrupted write leaves the old report or none, never a torn one.

Worker-count determinism (the same bytes whatever `--jobs N`) belongs here too, once
a `--jobs` option exists.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

import checker.engine
from checker import cli
from checker.engine import check
from checker.report import render_json, render_markdown
from checker.report.markdown import md_escape

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


def _corpus(name: str) -> Path:
    """Return a corpus folder; the shared seeds may be missing outside CI."""
    folder = {"examples": EXAMPLES, "seeds": SEEDS}[name]
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"corpus missing: {folder}")
        pytest.skip(f"corpus missing: {folder}")
    return folder


CORPORA = ["examples", "seeds"]


def _outputs(paths: list[str | Path]) -> tuple[str, str]:
    report = check(paths)
    return render_json(report), render_markdown(report)


# -- listing order -----------------------------------------------------------------------


class _Listing:
    """A stand-in for `os.scandir`'s iterator that yields entries in a chosen order."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = iter(entries)

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        return self

    def __next__(self) -> os.DirEntry[str]:
        return next(self.entries)

    def __enter__(self) -> _Listing:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None

    def close(self) -> None:
        return None


Order = Callable[[list[os.DirEntry[str]]], list[os.DirEntry[str]]]


def _reversed(entries: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
    return sorted(entries, key=lambda entry: entry.name, reverse=True)


def _shuffled(entries: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
    shuffled = sorted(entries, key=lambda entry: entry.name)
    random.Random(20240504).shuffle(shuffled)
    return shuffled


def _listed_in(monkeypatch: pytest.MonkeyPatch, order: Order) -> list[str]:
    """Make `os.scandir` (which `os.walk`, and so discovery, uses) list in `order`."""
    real = os.scandir
    listed: list[str] = []

    def scandir(path: Any = ".") -> _Listing:
        with real(path) as iterator:
            entries = order(list(iterator))
        listed.extend(entry.name for entry in entries)
        return _Listing(entries)

    monkeypatch.setattr(os, "scandir", scandir)
    return listed


@pytest.mark.parametrize("order", [_reversed, _shuffled], ids=["reversed", "shuffled"])
@pytest.mark.parametrize("name", CORPORA)
def test_listing_order_does_not_change_the_output(
    monkeypatch: pytest.MonkeyPatch, name: str, order: Order
) -> None:
    corpus = _corpus(name)
    expected = _outputs([corpus])
    listed = _listed_in(monkeypatch, order)
    assert _outputs([corpus]) == expected
    assert listed, "discovery did not go through os.scandir: the test proves nothing"


@pytest.mark.parametrize("name", CORPORA)
def test_creation_order_on_disk_does_not_change_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Copies made in opposite orders, checked by the same relative path, agree."""
    files = sorted(p for p in _corpus(name).iterdir() if p.is_file())
    outputs = []
    for label, ordered in (("forward", files), ("backward", files[::-1])):
        folder = tmp_path / label / "corpus"
        folder.mkdir(parents=True)
        for path in ordered:
            shutil.copyfile(path, folder / path.name)
        monkeypatch.chdir(folder.parent)
        outputs.append(_outputs(["corpus"]))
    assert outputs[0] == outputs[1]


def test_argument_order_does_not_change_the_output() -> None:
    files = sorted(p for p in _corpus("examples").iterdir() if p.is_file())
    assert _outputs(list(files)) == _outputs(list(reversed(files)))


# -- hash seeds ----------------------------------------------------------------------------


def _cli(corpus: Path, fmt: str, hash_seed: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHECKER_", "GITHUB_"))}
    env["PYTHONHASHSEED"] = hash_seed
    command = [sys.executable, "-m", "checker", str(corpus), "--format", fmt, "--no-cache"]
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.parametrize("name", CORPORA)
def test_hash_seed_does_not_change_the_output(tmp_path: Path, name: str) -> None:
    """Separate processes with different string hashing print the same bytes."""
    corpus = _corpus(name)
    runs = {
        (fmt, seed): _cli(corpus, fmt, seed, tmp_path)
        for fmt in ("json", "markdown")
        for seed in ("0", "1", "4242")
    }
    results = {key: process.communicate(timeout=120) for key, process in runs.items()}
    for (fmt, seed), (stdout, stderr) in results.items():
        assert runs[fmt, seed].returncode in (cli.EXIT_CLEAN, cli.EXIT_FINDINGS), stderr
        assert stdout, (fmt, seed, stderr)
        assert stdout == results[fmt, "0"][0], f"{fmt} differs with PYTHONHASHSEED={seed}"
    # In-process rendering gives the very same bytes as the command line.
    json_text, markdown_text = _outputs([corpus])
    assert results["json", "0"][0] == json_text.encode("utf-8")
    assert results["markdown", "0"][0] == markdown_text.encode("utf-8")


# -- folder names --------------------------------------------------------------------------


def _without_root(text: str, root: Path) -> Any:
    """Return the JSON report with `root` cut from every path; fail if it is elsewhere."""
    record = json.loads(text)
    prefix = root.as_posix() + "/"
    for item in [*record["documents"], *record["diagnostics"]]:
        if item.get("path") and item["path"].startswith(prefix):
            item["path"] = item["path"][len(prefix) :]
    rest = json.dumps(record, ensure_ascii=False)
    assert root.name not in rest, f"{root.name!r} appears outside the paths"
    return record


@pytest.mark.parametrize("name", CORPORA)
def test_folder_name_changes_only_the_paths(tmp_path: Path, name: str) -> None:
    records = []
    for folder_name in ("first-copy", "Zweite Kopie (2)"):
        folder = tmp_path / folder_name
        shutil.copytree(_corpus(name), folder)
        json_text, markdown_text = _outputs([folder])
        records.append(_without_root(json_text, folder))
        # The markdown differs by the paths and the title's folder name only.
        normalised = markdown_text.replace(md_escape(folder.as_posix()), "ROOT")
        records.append(normalised.replace(f"# Fact check: {folder_name}", "# Fact check: X"))
    assert records[0] == records[2]
    assert records[1] == records[3]


# -- atomic writes -------------------------------------------------------------------------


class _TornHandle:
    """A file handle that writes half of what it is given, then fails."""

    def __init__(self, handle: Any, error: BaseException) -> None:
        self.handle = handle
        self.error = error

    def __enter__(self) -> _TornHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.handle.close()

    def write(self, text: str) -> int:
        self.handle.write(text[: len(text) // 2])
        self.handle.flush()
        raise self.error


def _tear_writes(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> _TornHandle:
        return _TornHandle(real(fd, *args, **kwargs), error)

    monkeypatch.setattr(os, "fdopen", fdopen)


NEW = "new report\n" * 1000
ERRORS = [OSError(28, "No space left on device"), KeyboardInterrupt()]


@pytest.mark.parametrize("error", ERRORS, ids=["disk-full", "ctrl-c"])
def test_a_torn_write_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old report\n", encoding="utf-8")
    _tear_writes(monkeypatch, error)
    with pytest.raises(type(error)):
        cli.write_atomically(target, NEW)
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


@pytest.mark.parametrize("error", ERRORS, ids=["disk-full", "ctrl-c"])
def test_a_torn_first_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    target = tmp_path / "reports" / "report.json"
    _tear_writes(monkeypatch, error)
    with pytest.raises(type(error)):
        cli.write_atomically(target, NEW)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_a_failed_rename_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old report\n", encoding="utf-8")

    def refuse(source: Any, destination: Any) -> None:
        raise PermissionError(13, "Permission denied", str(destination))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        cli.write_atomically(target, NEW)
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_a_whole_write_replaces_the_file_exactly(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old report\n", encoding="utf-8")
    text = "é | `x`\nline two\n" * 500
    cli.write_atomically(target, text)
    assert target.read_bytes() == text.encode("utf-8")  # no newline translation
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


@pytest.fixture
def umask_027() -> Iterator[int]:
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_new_file_gets_the_umask_permissions_not_the_temporary_files(
    tmp_path: Path, umask_027: int
) -> None:
    target = tmp_path / "report.md"
    cli.write_atomically(target, NEW)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask_027


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask_027: int) -> None:
    target = tmp_path / "baseline.json"
    target.write_text("{}\n", encoding="utf-8")
    target.chmod(0o664)
    cli.write_atomically(target, NEW)
    assert target.stat().st_mode & 0o777 == 0o664
    assert target.read_text(encoding="utf-8") == NEW


# -- Ctrl-C --------------------------------------------------------------------------------


def _interrupted_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    """Run `main()` with a check that is interrupted; return exit code, stdout, stderr."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(checker.engine, "check", interrupted)
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "out.json"
    argv = ["check", str(_corpus("examples")), "--no-cache", f"--output=json={output}"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    captured = capsys.readouterr()
    assert not output.exists()
    assert not (tmp_path / "reports").exists()
    return exit_info.value.code, captured.out, captured.err


def test_ctrl_c_exits_130_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = _interrupted_main(tmp_path, monkeypatch, capsys)
    assert code == 130
    assert out == ""


def test_ctrl_c_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, _out, err = _interrupted_main(tmp_path, monkeypatch, capsys)
    assert err == "check: interrupted\n"
