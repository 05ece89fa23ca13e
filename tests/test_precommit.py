"""The `pre-commit` tool itself runs this repository's hook in a temporary repository.

`pre-commit try-repo` installs the checker from this working tree into its own
environment, exactly as a user's `.pre-commit-config.yaml` would, and runs the hook
defined in `.pre-commit-hooks.yaml`. It needs git and the package registry; it is
skipped when pre-commit is not installed, except under CI, where it must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AGREED = "date 2024-05-04\n\nThe flood in Arvale killed 12 people on Friday, officials said.\n"
AGAIN = "date 2024-05-05\n\nTwelve people died when the flood hit Arvale on Friday.\n"
CONTRADICTS = "date 2024-05-05\n\nThe flood that struck Arvale on Friday killed 30 people.\n"


def _pre_commit() -> list[str]:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if found is None or shutil.which("git") is None or not (ROOT / ".git").exists():
        if os.environ.get("CI"):
            pytest.fail("pre-commit, git and a git checkout of the project are needed under CI")
        pytest.skip("pre-commit, git or a git checkout is missing")
    return [found]


def _git(repo: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    subprocess.run(command, cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit environment for the module: installing the hook is the slow part."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [*_pre_commit(), "try-repo", str(ROOT), "check", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_hook_passes_a_consistent_corpus_and_fails_a_contradiction(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    repo = tmp_path / "newsroom"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "a.txt").write_text(AGREED, encoding="utf-8")
    (repo / "docs" / "b.txt").write_text(AGAIN, encoding="utf-8")
    (repo / "checker.toml").write_text('paths = ["docs"]\n', encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "corpus")

    clean = _try_repo(repo, pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    (repo / "docs" / "c.txt").write_text(CONTRADICTS, encoding="utf-8")
    _git(repo, "add", ".")
    failed = _try_repo(repo, pre_commit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "count.conflict" in failed.stdout
