"""Smoke test of the benchmark scripts' pure functions: offline, in-memory, fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import extract_throughput  # noqa: E402
import quantulum_eval  # noqa: E402

from checker.model import Document  # noqa: E402

SUITE: list[dict[str, Any]] = [
    {"req": "I want two meters of cotton", "res": [{"value": 2, "unit": "metre", "surface": "x"}]},
    {"req": "It increased by 35% by 1960", "res": [{"value": 35, "unit": "percentage"}]},
    {"req": "At 2 pm everybody will be gone.", "res": []},
]


def test_quantulum_eval_scores_in_memory_cases() -> None:
    cases = quantulum_eval.parse_cases(SUITE)
    results = [quantulum_eval.run_case(case) for case in cases]
    fig = quantulum_eval.figures(results, show=5)
    assert fig["sentences"] == 3
    assert fig["expected_quantities"] == 2
    for level in ("value", "value_unit"):
        assert 0.0 <= fig[level]["f1"] <= 1.0
        assert fig[level]["expected"] == 2
    assert set(fig["families"]) == set(quantulum_eval.FAMILIES)
    assert "value+unit" in quantulum_eval.render(fig)


def test_quantulum_value_and_unit_matching() -> None:
    metre = quantulum_eval.Expected(2.0, "metre", "two meters")
    ours = quantulum_eval.Predicted(0.002, "kilometer", "quantity", "two meters")
    count = quantulum_eval.Predicted(2.0, None, "count", "two")
    assert quantulum_eval.value_matches(metre, ours)
    assert quantulum_eval.unit_matches(metre, ours)
    assert quantulum_eval.value_matches(metre, count)
    assert not quantulum_eval.unit_matches(metre, count)
    unknown = quantulum_eval.Expected(4.0, "furlong per fortnight", "4 fpf")
    four = quantulum_eval.Predicted(4.0, None, "count", "4")
    assert quantulum_eval.value_matches(unknown, four)
    assert not quantulum_eval.unit_matches(unknown, four)


def test_throughput_measures_in_memory_documents() -> None:
    docs = [
        Document(f"d{i}", f"d{i}.txt", text, None) for i, text in enumerate(r["req"] for r in SUITE)
    ]
    fig = extract_throughput.measure(docs, runs=1, stages=True, with_peers=False)
    assert fig["documents"] == 3
    assert fig["claims"] >= 1
    assert fig["stages"]["exclusive_seconds"]
    fig["corpus"] = "in memory"
    assert "KB/s" in extract_throughput.render(fig)


def test_adversarial_cases_have_the_size_asked_for() -> None:
    import adversarial

    made = adversarial.cases("ordinary text. " * 100)
    assert "100,000 digits" in made and "table pipes" in made
    for name, make in made.items():
        if name != "ordinary":
            assert len(make(1000)) == 1000, name
    assert adversarial.time_case("The flood killed 12 people.", 1) >= 0
