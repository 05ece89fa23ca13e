"""Documents a cluster's workers read: shared paths and fsspec URLs (`checker.remote`).

The workers are stood in for by a runner that reads in this process (`Scrambled`), and
the object store by fsspec's in-memory filesystem, so no cluster or network is needed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cluster_fixtures import Scrambled

from checker.engine import check
from checker.errors import UsageError
from checker.gate.store import ExtractionCache
from checker.ingest import Source
from checker.remote import ReadJob, discover_sources, is_url, read_job, read_jobs
from checker.report.json_report import render_json

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def test_urls_are_told_from_paths() -> None:
    assert is_url("s3://bucket/corpus/")
    assert is_url("file:///shared/corpus")
    assert not is_url("corpus/a.txt")
    assert not is_url("C://corpus")  # a drive letter is no scheme
    assert not is_url(Path("s3://bucket"))  # a Path has lost its URL already


def test_a_local_path_goes_to_the_workers_absolute() -> None:
    source = Source(Path("examples/a.txt"), "examples/a.txt")
    [job] = read_jobs([source], ["a"], [None])
    assert job.source.path.is_absolute() and job.source.display == "examples/a.txt"
    assert job.url is None


def test_a_worker_that_does_not_share_the_files_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    doc, problems = read_job(ReadJob(Source(missing, "gone.txt"), "gone", None), 0)
    assert doc is None
    [problem] = problems
    assert problem.code == "read.missing" and "share the client's filesystem" in problem.message


def test_a_url_needs_a_cluster() -> None:
    with pytest.raises(UsageError, match="--engine dask"):
        check(["s3://bucket/corpus"])


@pytest.fixture
def store_url() -> Iterator[str]:
    """The examples in fsspec's in-memory filesystem, with a hidden file and a stray one."""
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    root = "/corpus-test"
    for path in sorted(EXAMPLES.iterdir()):
        fs.pipe(f"{root}/news/{path.name}", path.read_bytes())
    fs.pipe(f"{root}/news/.hidden.txt", b"Not read: 5 people.")
    fs.pipe(f"{root}/news/data.bin", b"\x00\x01")
    fs.pipe(f"{root}/big.txt", b"x" * 2000)
    yield f"memory://{root}"
    fs.rm(root, recursive=True)


def test_a_url_is_listed_like_a_folder(store_url: str) -> None:
    sources, problems = discover_sources([f"{store_url}/news"])
    assert problems == []
    names = [s.display.rsplit("/", 1)[1] for s in sources]
    assert names == sorted(p.name for p in EXAMPLES.iterdir())
    assert all(s.display.startswith(f"{store_url}/news/") for s in sources)
    _, problems = discover_sources([f"{store_url}/nothing-here"])
    assert [p.code for p in problems] == ["read.missing"]


def test_a_url_is_read_with_the_max_bytes_limit(store_url: str) -> None:
    [source], _ = discover_sources([f"{store_url}/big.txt"])
    [job] = read_jobs([source], ["big"], [None])
    assert job.url == f"{store_url}/big.txt"
    doc, problems = read_job(job, 1000)
    assert doc is None and [p.code for p in problems] == ["read.too-large"]
    doc, problems = read_job(job, 0)
    assert doc is not None and doc.text == "x" * 2000 and problems == []


def test_workers_reading_a_url_give_the_local_report(store_url: str, tmp_path: Path) -> None:
    local = json.loads(render_json(check([EXAMPLES], jobs=1)))
    remote = render_json(check([f"{store_url}/news"], runner=Scrambled()))
    # The same report, but for where the documents were found.
    shown = remote.replace(f"{store_url}/news/", f"{EXAMPLES.as_posix()}/")
    assert json.loads(shown) == local


def test_workers_reading_fill_the_cache_a_local_run_uses(tmp_path: Path) -> None:
    corpus = Path(shutil.copytree(EXAMPLES, tmp_path / "examples"))
    expected = render_json(check([corpus], jobs=1))
    for runner in (Scrambled(), None):  # the cluster fills it; a local run reads it
        store, problems = ExtractionCache.open(tmp_path / "cache", "test")
        assert store is not None and not problems
        try:
            assert render_json(check([corpus], runner=runner, store=store)) == expected
        finally:
            assert store.close() == []
