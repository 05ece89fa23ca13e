"""The Dask engine: a two-worker cluster on loopback gives the local engine's report.

Skipped where distributed is not installed (`pip install -e '.[test]'` installs it).
"""

from __future__ import annotations

import json
import operator
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from checker.dask_engine import DaskRunner, _balance
from checker.engine import Timings, check
from checker.report.json_report import render_json

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "tools" / "gen_corpus.py"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-threaded worker processes and a scheduler, on 127.0.0.1 only."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        # No dashboard wanted; its HTTP server starts anyway, so on a free loopback port.
        dashboard_address="127.0.0.1:0",
    ) as started:
        yield started


@pytest.fixture(scope="module")
def runner(cluster: Any) -> Iterator[DaskRunner]:
    with DaskRunner.connect(cluster.scheduler_address) as connected:
        yield connected


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three hundred generated news reports: enough for several partitions per worker."""
    if not GENERATOR.is_file():
        pytest.skip(f"corpus generator missing: {GENERATOR}")
    folder = tmp_path_factory.mktemp("generated") / "c300"
    command = [sys.executable, str(GENERATOR), "--docs", "300", "--seed", "5", str(folder)]
    subprocess.run(command, check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def corpus(generated: Path, seeds_dir: Path) -> list[Path]:
    return [REPO / "examples", seeds_dir, generated]


@pytest.fixture(scope="module")
def local_report(corpus: list[Path]) -> str:
    return render_json(check(corpus, jobs=1))


def test_the_dask_engine_report_is_byte_identical(
    runner: DaskRunner, corpus: list[Path], local_report: str
) -> None:
    timings = Timings()
    report = check(corpus, runner=runner, timings=timings)
    assert render_json(report) == local_report
    assert len(report.documents) > 300 and report.findings
    assert set(timings.stages) >= {"read", "extract", "dates", "align", "compare"}


def test_cli_dask_engine_is_byte_identical(
    cluster: Any, corpus: list[Path], local_report: str, tmp_path: Path
) -> None:
    timings = tmp_path / "timings.json"
    paths = [str(p) for p in corpus]
    engine = ["--engine", "dask", "--scheduler", cluster.scheduler_address]
    done = _cli(*paths, *engine, "--timings", str(timings))
    assert done.returncode == 1, done.stderr  # the corpus has conflicts
    assert done.stderr == b""
    assert done.stdout.decode("utf-8") == local_report
    record = json.loads(timings.read_text())
    assert record["engine"] == "dask"
    assert record["jobs"] == 2  # the cluster's worker threads


def test_results_come_back_in_input_order(runner: DaskRunner) -> None:
    items = list(range(-1000, 0))
    ticks: list[int] = []
    assert runner.map(operator.neg, items, ticks.append) == [-x for x in items]
    assert sum(ticks) == len(items)
    assert len(ticks) == runner.partitions(len(items)) >= 4  # a tick per partition
    assert runner.map(operator.neg, []) == []
    assert runner.map(operator.neg, [3]) == [-3]


def test_a_shared_map_gives_every_item_the_shared_value(runner: DaskRunner) -> None:
    items = [[i] * (i % 7 + 1) for i in range(200)]  # lists of varied length: cost len
    shared = {"offset": 1000}  # a dict: scattered whole, not key by key
    got = runner.map_shared(_plus_offset, items, shared, len)
    assert got == [len(item) + 1000 for item in items]
    assert runner.map_shared(_plus_offset, [], shared) == []


def _plus_offset(item: list[int], shared: dict[str, int]) -> int:
    return len(item) + shared["offset"]


def test_batches_are_balanced_by_cost() -> None:
    costs = [100, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50, 50]
    batches = _balance(costs, 3)
    assert sorted(i for b in batches for i in b) == list(range(len(costs)))
    assert [0] in batches  # the heaviest alone
    assert all(b == sorted(b) for b in batches)
    assert _balance([5], 8) == [[0]]


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "checker", "-f", "json", "--no-cache", "--quiet", *args]
    return subprocess.run(command, capture_output=True, check=False)


def test_an_unreachable_scheduler_is_one_line() -> None:
    done = _cli(str(REPO / "examples"), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1")
    assert done.returncode == 2
    assert done.stderr.startswith(b"check: cannot reach the Dask scheduler at tcp://127.0.0.1:1")
    assert done.stderr.count(b"\n") == 1
