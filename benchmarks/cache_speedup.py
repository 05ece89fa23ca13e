"""Cold and warm `check` runs on a generated corpus: what the cache buys a CI gate.

Generates a corpus with the shared generator (`<repo>/../shared/tools/gen_corpus.py`,
2,000 documents by default), then times the real `check` command in a new process each
time (start-up included), with a fresh cache folder:
1. cold: empty cache;
2. warm: the same corpus again;
3. one changed: one document edited, the rest as before (the usual pull request);
4. no cache: `--no-cache`, for reference.
It checks that the warm and uncached runs print byte-identical JSON, and prints the
times and the cold/warm ratio. It is a script, not a timed test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GEN = REPO.parent / "shared" / "tools" / "gen_corpus.py"


def generate(out: Path, docs: int, seed: int, generator: Path) -> None:
    """Write a corpus of `docs` documents to `out` with the shared generator."""
    command = [sys.executable, str(generator), "--docs", str(docs), "--seed", str(seed), str(out)]
    subprocess.run(command, check=True, capture_output=True)


def timed_check(corpus: Path, cache: Path | None) -> tuple[float, bytes]:
    """Run `check CORPUS --format json` in a new process; return seconds and its output."""
    command = [sys.executable, "-m", "checker", str(corpus), "--format", "json"]
    command += ["--cache", str(cache)] if cache else ["--no-cache"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"check failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return seconds, done.stdout


def edit_one(corpus: Path) -> None:
    """Append a sentence to the first document, as a pull request would change one."""
    first = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))[0]
    first.write_text(first.read_text("utf-8") + "\nThe council met again on Tuesday.\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--generator", type=Path, default=DEFAULT_GEN)
    parser.add_argument("--corpus", type=Path, help="use this corpus instead of generating one")
    parser.add_argument("--skip-uncached", action="store_true", help="skip the --no-cache run")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="checker-cache-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        if args.corpus:
            subprocess.run(["cp", "-r", str(args.corpus), str(corpus)], check=True)
        else:
            generate(corpus, args.docs, args.seed, args.generator)
        size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
        cache = work / "cache"
        cold, cold_out = timed_check(corpus, cache)
        warm, warm_out = timed_check(corpus, cache)
        figures: dict[str, object] = {
            "documents": sum(1 for p in corpus.iterdir() if p.is_file()),
            "megabytes": round(size / 1e6, 2),
            "cold_s": round(cold, 2),
            "warm_s": round(warm, 2),
            "ratio": round(cold / warm, 1),
            "warm_output_identical": warm_out == cold_out,
        }
        if not args.skip_uncached:
            uncached, uncached_out = timed_check(corpus, None)
            figures["uncached_s"] = round(uncached, 2)
            figures["uncached_output_identical"] = uncached_out == cold_out
        edit_one(corpus)
        changed, _ = timed_check(corpus, cache)
        figures["one_changed_s"] = round(changed, 2)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name:>26}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
