"""`--engine` and `--scheduler`: checked before any work, one line on error, dask lazy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _check(*args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """Run `check` in a new interpreter, after `prelude` (to hide a module, say)."""
    start = "import sys\nfrom checker.cli import main\nsys.argv = ['check', *sys.argv[1:]]\nmain()"
    code = f"{prelude}\n{start}"
    return subprocess.run(
        [sys.executable, "-c", code, str(REPO / "examples"), "-f", "json", "--no-cache", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "dask"], "--engine dask needs --scheduler ADDRESS"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
        (
            ["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2"],
            "--jobs is for the local engine",
        ),
    ],
)
def test_options_that_do_not_go_together_fail_in_one_line(args: list[str], message: str) -> None:
    done = _check(*args)
    assert done.returncode == 2
    assert done.stderr.startswith(f"check: {message}")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_without_dask_the_engine_says_how_to_install_it() -> None:
    hide = (
        "import sys\nfor name in ('dask', 'dask.bag', 'distributed'):\n    sys.modules[name] = None"
    )
    done = _check("--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", prelude=hide)
    assert done.returncode == 2
    assert done.stderr.startswith("check: --engine dask needs dask")
    assert "pip install 'checker[dask]'" in done.stderr
    assert done.stderr.count("\n") == 1


def test_the_command_line_does_not_import_dask() -> None:
    code = (
        "import sys, checker.cli, checker.engine\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
