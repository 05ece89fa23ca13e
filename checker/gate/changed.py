"""Which documents a gate run is about: `--new PATH` and `--since GIT_REF`.

The rest of the corpus is context: it is read, aligned and compared as usual, but only
findings that involve at least one changed document are reported.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from checker.errors import UsageError

_GIT_TIMEOUT_SECONDS = 60


def _git(args: Sequence[str], cwd: Path) -> str:
    """Run git and return its output; a failure becomes a `UsageError` naming the command."""
    command = ["git", *args]
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=_GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as error:
        raise UsageError("--since needs git, which is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise UsageError(f"`{' '.join(command)}` did not finish") from error
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()
        detail = reason[-1] if reason else f"exit {done.returncode}"
        raise UsageError(f"`{' '.join(command)}` failed: {detail}")
    return done.stdout


def _nul_separated(output: str) -> list[str]:
    return [part for part in output.split("\0") if part]


def changed_since(ref: str, cwd: Path) -> list[Path]:
    """Return the files added, modified or renamed since the merge-base of `ref` and HEAD.

    Uncommitted changes count too (staged, unstaged, and untracked files git does not
    ignore): a gate run before a commit sees what the commit will hold. Deleted files are
    left out, as they have nothing to check. Paths are absolute.
    """
    if ref.startswith("-"):
        raise UsageError(f"--since {ref!r}: a git revision cannot start with '-'")
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    base = _git(["merge-base", ref, "HEAD"], cwd).strip()
    # Comparing the merge-base with the working tree covers commits since it as well as
    # changes not yet committed. With rename detection off, a moved file is "added" under
    # its new name, which is the name it is checked under.
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=AMR", base, "--"], top)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    names = sorted(set(_nul_separated(diff)) | set(_nul_separated(untracked)))
    return [(top / name).resolve() for name in names]


def _resolved(path: str | Path) -> Path:
    return Path(path).resolve()


def changed_documents(
    documents: Iterable[tuple[str, str]], changed: Iterable[str | Path]
) -> frozenset[str]:
    """Return the ids of documents whose file is one of `changed`, or under a changed folder.

    `documents` gives each document's id and its path as read.
    """
    wanted = {_resolved(p) for p in changed}
    out = set()
    for doc_id, path in documents:
        resolved = _resolved(path)
        if resolved in wanted or any(parent in wanted for parent in resolved.parents):
            out.add(doc_id)
    return frozenset(out)
