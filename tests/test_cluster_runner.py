"""A runner that aligns and compares as well (`ClusterRunner`): the report does not change.

No cluster here: a stand-in runner does the work in a scrambled order, in batches and
through pickling, as a cluster's workers would, so the engine's hand-over is tested
wherever dask is missing.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from checker.engine import check
from checker.parallel import ClusterRunner, InProcess
from checker.report.json_report import render_json

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

REPO = Path(__file__).resolve().parents[1]


class Scrambled(InProcess):
    """Does each item's job on a pickled copy, heaviest first; counts the calls."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def map_shared(
        self,
        fn: Callable[[T, S], R],
        items: Sequence[T],
        shared: S,
        cost: Callable[[T], int] | None = None,
    ) -> list[R]:
        self.calls.append(len(items))
        copied: Sequence[T] = pickle.loads(pickle.dumps(items))
        context: S = pickle.loads(pickle.dumps(shared))
        weight = cost or (lambda _: 1)
        order = sorted(range(len(items)), key=lambda i: (-weight(items[i]), -i))
        out: dict[int, R] = {i: fn(copied[i], context) for i in order}
        return pickle.loads(pickle.dumps([out[i] for i in range(len(items))]))


def test_a_cluster_runner_aligns_and_compares_to_the_same_report(seeds_dir: Path) -> None:
    paths = [REPO / "examples", seeds_dir]
    runner = Scrambled()
    assert isinstance(runner, ClusterRunner)
    assert not isinstance(InProcess(), ClusterRunner)
    local = render_json(check(paths, jobs=1))
    assert render_json(check(paths, runner=runner)) == local
    assert len(runner.calls) == 2  # one alignment, one comparison
    assert all(runner.calls)


def test_claims_only_runs_no_alignment() -> None:
    runner = Scrambled()
    check([REPO / "examples"], runner=runner, claims_only=True)
    assert runner.calls == []
