"""A runner that aligns and compares as well (`ClusterRunner`): the report does not change.

No cluster here: a stand-in runner reads the documents and does the work in a
scrambled order and through pickling, as a cluster's workers would, so the engine's
hand-over is tested wherever dask is missing.
"""

from __future__ import annotations

from pathlib import Path

from cluster_fixtures import Scrambled

from checker.engine import check
from checker.parallel import ClusterRunner, InProcess
from checker.report.json_report import render_json

REPO = Path(__file__).resolve().parents[1]


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
