"""Smoke test of `benchmarks/scale.py`'s pure functions on hand-made data: no subprocess."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import scale  # noqa: E402

TRUTH: dict[str, Any] = {
    "documents": [{"doc": "a", "file": "a.txt"}, {"doc": "b", "file": "b.txt"}],
    "conflicts": [
        # found, with its reference
        {"doc": "a", "start": 10, "end": 20, "reference": {"doc": "b", "start": 5, "end": 9}},
        # found by a finding that does not include the reference
        {"doc": "a", "start": 40, "end": 50, "reference": {"doc": "b", "start": 30, "end": 35}},
        # its claim is only in a note
        {"doc": "b", "start": 60, "end": 70, "reference": {"doc": "a", "start": 0, "end": 4}},
        # no claim overlaps: [80, 90) ends where the claim starts
        {"doc": "b", "start": 80, "end": 90, "reference": {"doc": "a", "start": 0, "end": 4}},
    ],
}


def claim(cid: str, doc: str, start: int, end: int) -> dict[str, Any]:
    return {"id": cid, "document": doc, "start": start, "end": end}


REPORT: dict[str, Any] = {
    "documents": [{"id": "a", "path": "/x/a.txt"}, {"id": "b", "path": "/x/b.txt"}],
    "claims": [
        claim("a#1", "a", 15, 25),
        claim("b#1", "b", 0, 6),
        claim("a#2", "a", 49, 55),
        claim("a#3", "a", 100, 110),
        claim("b#2", "b", 65, 66),
        claim("a#4", "a", 0, 3),
        claim("b#3", "b", 90, 95),
    ],
    "findings": [
        {"severity": "error", "claims": ["a#1", "b#1"], "code": "count.conflict"},
        {"severity": "warning", "claims": ["a#2", "a#3"], "code": "count.conflict"},
        {"severity": "note", "claims": ["b#2", "a#4"], "code": "count.update"},
        {"severity": "error", "claims": ["b#3", "a#4"], "code": "count.conflict"},
    ],
}


def test_planted_recall_matches_overlapping_claims() -> None:
    recall = scale.planted_recall(TRUTH, REPORT)
    assert recall == scale.Recall(planted=4, recalled=2, recalled_both=1)


def test_planted_recall_maps_documents_by_file_name() -> None:
    renamed = {
        **REPORT,
        "documents": [{"id": "a-2", "path": "/x/a.txt"}, {"id": "b", "path": "/x/b.txt"}],
        "claims": [
            {**c, "document": "a-2" if c["document"] == "a" else "b"} for c in REPORT["claims"]
        ],
    }
    assert scale.planted_recall(TRUTH, renamed) == scale.Recall(4, 2, 1)


def test_summary_and_scaling_math() -> None:
    assert scale.summarise([3.0, 1.0, 2.0]) == (2.0, 1.0, 3.0)
    assert scale.summarise([4.0, 1.0]) == (2.5, 1.0, 4.0)
    assert all(math.isnan(v) for v in scale.summarise([]))
    ratio, exponent = scale.scaling(10.0, 50.0, 1000, 5000)
    assert ratio == 5.0 and math.isclose(exponent, 1.0)
    ratio, exponent = scale.scaling(10.0, 40.0, 100, 200)
    assert math.isclose(exponent, 2.0)
    assert all(math.isnan(v) for v in scale.scaling(math.nan, 1.0, 1, 2))
    assert scale.mark(5.8, 5.8) == "pass" and scale.mark(5.9, 5.8) == "short"
    assert scale.mark(0.5, 1.0, higher_is_better=True) == "short"
    assert scale.mark(math.nan, 1.0) == "n/a"
    assert scale.median_stages([{"read": 1.0, "align": 3.0}, {"read": 3.0, "x": 1.0}]) == {
        "read": 2.0,
        "align": 3.0,
        "x": 1.0,
    }
    assert scale.median_stages([]) is None
    assert scale.align_compare({"align": 1.0, "compare": 0.5}) == 1.5
    assert math.isnan(scale.align_compare({"align": 1.0}))
    assert scale.size_spec("c2k") == (2000, 1) and scale.size_spec("c10k") == (10000, 7)
    assert scale.size_spec("c300") == (300, 0)


def test_markdown_table_pads_columns() -> None:
    table = scale.markdown_table(["corpus", "s"], [["c2k", "12.5"], ["c10k", "3"]])
    assert table.splitlines() == [
        "| corpus |    s |",
        "| ------ | ---- |",
        "| c2k    | 12.5 |",
        "| c10k   |    3 |",
    ]


def test_figures_and_render_on_made_up_results() -> None:
    small = scale.Corpus("c2k", Path("/c2k"), TRUTH, documents=2000, size=8_000_000)
    large = scale.Corpus("c10k", Path("/c10k"), TRUTH, documents=10000, size=40_000_000)
    stages = {"read": 1.0, "extract": 4.0, "align": 1.0, "compare": 1.0}
    results = [
        scale.Result(
            "c2k", "local --jobs 1", seconds=[8.0, 7.0, 9.0], rss_mib=[90.0], digests=["x"]
        ),
        scale.Result("c2k", "local --jobs 2", skipped="skipped: no --jobs"),
        scale.Result("c10k", "local --jobs 1", seconds=[44.0], rss_mib=[200.0], digests=["x"]),
        scale.Result("c10k", "warm cache", seconds=[5.0], rss_mib=[80.0], digests=["y"]),
    ]
    results[0].stages = stages
    results[2].stages = {k: v * 8 for k, v in stages.items()}
    results[0].planted, results[0].recalled, results[0].recalled_both = 4, 2, 1
    fig = scale.figures([small, large], results)
    first = fig["runs"][0]
    assert first["median_s"] == 8.0 and first["mb_per_s"] == 1.0 and first["docs_per_s"] == 250
    assert first["recall"] == 0.5 and first["recall_with_reference"] == 0.25
    assert fig["runs"][1] == {
        "corpus": "c2k",
        "config": "local --jobs 2",
        "skipped": "skipped: no --jobs",
    }
    assert fig["determinism"]["c2k"]["identical"]
    assert fig["determinism"]["c10k"] == {
        "identical": False,
        "runs": 2,
        "configs": ["local --jobs 1", "warm cache"],
        "differ": ["warm cache"],
    }
    [row] = fig["scaling"]
    assert row["whole_ratio"] == 5.5 and row["whole_ratio_mark"] == "pass"
    assert row["align_compare_ratio"] == 8.0 and row["align_compare_exponent_mark"] == "short"
    assert fig["throughput_target"]["mark"] == "pass"
    text = scale.render(fig)
    assert "| c2k    | local --jobs 1 |" in text
    assert "determinism c2k: one run (local --jobs 1), nothing to compare" in text
    assert "JSON DIFFERS" in text and "local --jobs 2 (c2k): skipped: no --jobs" in text
    assert "| corpus | config         | read | extract | align | compare |" in text
    assert "| c2k    | local --jobs 1 | 1.00 |    4.00 |  1.00 |    1.00 |" in text
