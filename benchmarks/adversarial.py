"""Extraction time on adversarial text against ordinary text of the same size.

Issue 6 asks that 1 MB of adversarial text take no more than 3× the time of 1 MB of
ordinary text: extraction must stay linear whatever lands in a repository. Each case
is built to the same size and extracted as one document in this process (the median of
`--runs` passes, `time.perf_counter`). Ordinary text comes from the shared corpus
generator. The script prints each case's time, its ratio to ordinary text, and the
growth exponent between half size and full size (1.0 is linear).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from checker.extract.claims import Options, extract
from checker.model import Document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GEN = REPO.parent / "shared" / "tools" / "gen_corpus.py"
MB = 1_000_000


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def ordinary_text(size: int, generator: Path) -> str:
    """Return `size` characters of generated news text, paragraphs as written."""
    with tempfile.TemporaryDirectory() as tmp:
        docs = max(10, size // 3000)
        command = [sys.executable, str(generator), "--docs", str(docs), "--seed", "5", tmp]
        subprocess.run(command, check=True, capture_output=True)
        text = "\n\n".join(p.read_text("utf-8") for p in sorted(Path(tmp).glob("*.txt")))
    while len(text) < size:
        text += "\n\n" + text
    return text[:size]


def cases(ordinary: str) -> dict[str, Callable[[int], str]]:
    """Return each case as a function of the wanted size."""
    return {
        "ordinary": lambda size: ordinary[:size],
        "one line": lambda size: ordinary[:size].replace("\n", " "),
        "100,000 digits": lambda size: ("7" * 100_000 + " " + ordinary)[:size],
        "all digits": _repeat("1234567890"),
        "more than more than": _repeat("more than "),
        "about nearly some": _repeat("about nearly some roughly "),
        "punctuation runs": _repeat("!?.,;:-–—()[]{}\"'/\\|*&^%$#@~`<>"),
        "numbers and spaces": _repeat("12 "),
        "digit groups": _repeat("1,"),
        "decimal dots": _repeat("1."),
        "dashes between numbers": _repeat("1-"),
        "money signs": _repeat("$1 "),
        "dates": _repeat("3 May 2024, "),
        "month names": _repeat("May "),
        "table pipes": _repeat("| 1 | 2 |\n"),
        "no spaces letters": _repeat("abcdefghij"),
    }


def time_case(text: str, runs: int) -> float:
    """Return the median seconds to extract `text` as one document."""
    options = Options()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extract(Document("bench", "bench.txt", text), options)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=MB, help="characters per case")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", action="append", help="run only these cases (repeatable)")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GEN)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    ordinary = ordinary_text(args.size, args.generator)
    chosen = {k: v for k, v in cases(ordinary).items() if not args.only or k in args.only}
    time_case(ordinary[:20_000], 1)  # load the lexicon and unit tables before timing
    base = time_case(ordinary[: args.size], args.runs)
    rows = []
    for name, make in chosen.items():
        half = time_case(make(args.size // 2), args.runs)
        full = base if name == "ordinary" else time_case(make(args.size), args.runs)
        exponent = math.log(full / half, 2) if half > 0 and full > 0 else float("nan")
        rows.append(
            {
                "case": name,
                "seconds": round(full, 3),
                "ratio": round(full / base, 2),
                "exponent": round(exponent, 2),
            }
        )
        if not args.json:
            print(
                f"{name:>24}  {full:8.3f} s  {full / base:5.2f}×  exponent {exponent:5.2f}",
                flush=True,
            )
    if args.json:
        print(json.dumps({"size": args.size, "cases": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
