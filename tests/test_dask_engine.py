"""The Dask engine: a two-worker cluster on loopback gives the local engine's report."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("distributed")

from checker.dask_engine import DaskRunner  # noqa: E402


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-threaded worker processes and a scheduler, on 127.0.0.1 only."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as started:
        yield started


@pytest.fixture(scope="module")
def runner(cluster: Any) -> Iterator[DaskRunner]:
    with DaskRunner.connect(cluster.scheduler_address) as connected:
        yield connected


def test_results_come_back_in_input_order(runner: DaskRunner) -> None:
    items = list(range(-1000, 0))
    ticks: list[int] = []
    assert runner.map(operator.neg, items, ticks.append) == [-x for x in items]
    assert sum(ticks) == len(items)
    assert len(ticks) == runner.partitions(len(items)) >= 4  # a tick per partition
    assert runner.map(operator.neg, []) == []
    assert runner.map(operator.neg, [3]) == [-3]
