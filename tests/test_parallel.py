"""Worker processes: the report is the same whatever the count, and the CLI shows it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.engine import Timings, check
from checker.parallel import InProcess, ProcessPool, default_jobs
from checker.report.json_report import render_json

REPO = Path(__file__).resolve().parents[1]


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_a_pool_returns_results_in_input_order(jobs: int) -> None:
    items = list(range(50))
    ticks: list[int] = []
    with ProcessPool(jobs) as pool:
        assert pool.map(_square, items, ticks.append) == [x * x for x in items]
    assert sum(ticks) == len(items)
    assert InProcess().map(_square, items) == [x * x for x in items]


def test_small_corpora_stay_in_one_process() -> None:
    assert default_jobs(5) == 1
    assert default_jobs(10_000) >= 1


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus and the seeds together, copied a few times over."""
    folder = tmp_path_factory.mktemp("many")
    sources = sorted((REPO / "examples").iterdir())
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        sources += sorted(seeds.iterdir())
    for copy in range(3):
        for source in sources:
            shutil.copy(source, folder / f"{copy}_{source.name}")
    return folder


def test_the_report_is_byte_identical_for_any_worker_count(corpus: Path) -> None:
    outputs = {}
    for jobs in (1, 2, 3):
        timings = Timings()
        outputs[jobs] = render_json(check([corpus], jobs=jobs, timings=timings))
        assert timings.jobs == jobs
        assert set(timings.stages) >= {"read", "extract", "dates", "align", "compare"}
    assert outputs[1] == outputs[2] == outputs[3]


def test_cli_jobs_timings_and_quiet(corpus: Path, tmp_path: Path) -> None:
    out = {}
    for jobs in ("1", "2"):
        timings = tmp_path / f"t{jobs}.json"
        command = [sys.executable, "-m", "checker", str(corpus), "-f", "json", "--no-cache"]
        done = subprocess.run(
            [*command, "--jobs", jobs, "--timings", str(timings), "--quiet"],
            capture_output=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        assert done.stderr == b""  # no progress bar, nothing else, when not a terminal
        out[jobs] = done.stdout
        record = json.loads(timings.read_text())
        assert record["jobs"] == int(jobs)
        assert "report" in record["stages"]
    assert out["1"] == out["2"]


def test_workers_read_bad_files_as_this_process_does(tmp_path: Path) -> None:
    """Files are read in the pool too: what goes wrong with one is told the same way."""
    for n in range(4):
        (tmp_path / f"r{n}.txt").write_text(f"Officials said {40 + n} people died.\n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 owners said 41 people died.\n".encode("latin-1"))
    (tmp_path / "empty.md").write_text("   \n")
    reports = [check([tmp_path], jobs=jobs) for jobs in (1, 2)]
    codes = {d.code for d in reports[0].diagnostics}
    assert {"read.binary", "read.empty"} <= codes
    assert render_json(reports[0]) == render_json(reports[1])
