"""Measure extraction throughput (KB/s, one process) on a generated news corpus.

Generates a corpus with the shared generator (`<repo>/../shared/tools/gen_corpus.py`),
reads it with `checker.ingest`, then times `extract` over every document: the median of
`--runs` passes, `time.perf_counter`. One extra, separate pass wraps the functions the
extractor calls from other modules in timers (exclusive time, grouped by module) to
give a per-stage split; it is not part of the median. With `--with-peers`, quantulum3's
`parser.parse` and dateparser's `search.search_dates` are timed over the same texts
when they are importable (they are not dependencies of checker).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from checker.extract import claims as claims_module
from checker.extract.claims import Options, extract
from checker.ingest import discover, read_document, unique_ids
from checker.model import Document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GEN = REPO.parent / "shared" / "tools" / "gen_corpus.py"


@dataclass(frozen=True, slots=True)
class Timing:
    """One timed pass over the corpus."""

    seconds: float
    claims: int


@dataclass(slots=True)
class StageClock:
    """Exclusive time per stage: a callee's time is taken out of its caller's."""

    totals: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    stack: list[float] = field(default_factory=list)  # child time accumulated per frame

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Return `fn` timed under `stage`."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(0.0)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                children = self.stack.pop()
                self.totals[stage] = self.totals.get(stage, 0.0) + elapsed - children
                self.calls[stage] = self.calls.get(stage, 0) + 1
                if self.stack:
                    self.stack[-1] += elapsed

        return timed


def generate(out: Path, docs: int, seed: int, gen: Path) -> None:
    """Run the shared corpus generator into `out`."""
    command = [sys.executable, str(gen), str(out), "--docs", str(docs), "--seed", str(seed)]
    command += ["--truth", str(out.parent / "truth.json")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"gen_corpus.py failed ({done.returncode}):\n{done.stderr}")


def read_corpus(folder: Path) -> list[Document]:
    """Read every document under `folder` as the checker does."""
    sources, _ = discover([str(folder)])
    documents = []
    for source, doc_id in zip(sources, unique_ids(sources), strict=True):
        doc, _ = read_document(source, doc_id)
        if doc is not None:
            documents.append(doc)
    return documents


def time_extract(documents: Sequence[Document]) -> Timing:
    """Time one extraction pass over all documents."""
    options = Options()
    start = time.perf_counter()
    claims = sum(len(extract(doc, options).claims) for doc in documents)
    return Timing(time.perf_counter() - start, claims)


def _stage_name(fn: Any) -> str:
    module = str(getattr(fn, "__module__", "") or "")
    return module.rsplit(".", 1)[-1] or "other"


def _targets(module: ModuleType) -> Iterator[tuple[str, Any]]:
    """Yield the functions (plain or cached) a module holds that come from checker."""
    for name, obj in list(vars(module).items()):
        if inspect.isclass(obj) or not callable(obj) or name.startswith("__"):
            continue
        if not (inspect.isfunction(obj) or hasattr(obj, "__wrapped__")):
            continue
        if str(getattr(obj, "__module__", "")).startswith("checker."):
            yield name, obj


@contextmanager
def instrumented(clock: StageClock) -> Iterator[None]:
    """Wrap the extractor's collaborators in timers for the duration of the block.

    Functions imported into `checker.extract.claims` from other modules are timed under
    their module's name; so are the module-level functions of modules it imports whole
    (e.g. `timex.*`). Time spent in claims.py itself is what remains.
    """
    patched: list[tuple[ModuleType, str, Any]] = []
    own = claims_module.__name__
    for name, fn in _targets(claims_module):
        if fn.__module__ != own:
            patched.append((claims_module, name, fn))
    for value in list(vars(claims_module).values()):
        if isinstance(value, ModuleType) and value.__name__.startswith("checker."):
            for name, fn in _targets(value):
                if fn.__module__ == value.__name__:
                    patched.append((value, name, fn))
    try:
        for module, name, fn in patched:
            setattr(module, name, clock.wrap(_stage_name(fn), fn))
        yield
    finally:
        for module, name, fn in patched:
            setattr(module, name, fn)


def stage_split(documents: Sequence[Document]) -> tuple[float, dict[str, float]]:
    """Return the instrumented pass's total seconds and exclusive seconds per stage."""
    clock = StageClock()
    outer = clock.wrap("claims.py itself", extract)
    options = Options()
    with instrumented(clock):
        start = time.perf_counter()
        for doc in documents:
            outer(doc, options)
        total = time.perf_counter() - start
    return total, dict(sorted(clock.totals.items(), key=lambda kv: -kv[1]))


def peer_timings(texts: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Time quantulum3 and dateparser over the texts when importable; else say skipped."""
    peers: dict[str, dict[str, Any]] = {}
    size_kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    # dateparser is told the language: checker reads English only, and without it
    # search_dates tries to detect the language of every text (about 10x slower).
    specs: dict[str, tuple[str, str, dict[str, Any]]] = {
        "quantulum3.parser.parse": ("quantulum3.parser", "parse", {}),
        "dateparser.search.search_dates(languages=['en'])": (
            "dateparser.search",
            "search_dates",
            {"languages": ["en"]},
        ),
    }
    for label, (module_name, attr, kwargs) in specs.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fn = getattr(importlib.import_module(module_name), attr)
        except ImportError as exc:
            peers[label] = {"skipped": f"not importable ({exc.name or exc})"}
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(texts[0] if texts else "warm up", **kwargs)  # loads models and tables
            start = time.perf_counter()
            found = 0
            for text in texts:
                found += len(fn(text, **kwargs) or [])
        seconds = time.perf_counter() - start
        peers[label] = {
            "seconds": round(seconds, 3),
            "kb_per_s": round(size_kb / seconds, 1) if seconds else None,
            "items": found,
        }
    return peers


def measure(
    documents: Sequence[Document],
    runs: int,
    stages: bool,
    with_peers: bool,
    peer_docs: int | None = None,
) -> dict[str, Any]:
    """Return the figures for one corpus."""
    size_kb = sum(len(d.text.encode("utf-8")) for d in documents) / 1024
    time_extract(documents[:5])  # warm caches: lexicon loads, compiled tables
    timings = [time_extract(documents) for _ in range(runs)]
    seconds = statistics.median(t.seconds for t in timings)
    n_claims = timings[0].claims
    fig: dict[str, Any] = {
        "documents": len(documents),
        "kb": round(size_kb, 1),
        "claims": n_claims,
        "runs": [round(t.seconds, 4) for t in timings],
        "seconds": round(seconds, 4),
        "kb_per_s": round(size_kb / seconds, 1) if seconds else None,
        "claims_per_s": round(n_claims / seconds, 1) if seconds else None,
    }
    if stages:
        total, split = stage_split(documents)
        fig["stages"] = {
            "instrumented_seconds": round(total, 4),
            "exclusive_seconds": {k: round(v, 4) for k, v in split.items()},
        }
    if with_peers:
        sample = documents[:peer_docs] if peer_docs is not None else documents
        fig["peer_documents"] = len(sample)
        fig["peers"] = peer_timings([d.text for d in sample])
    return fig


def render(fig: dict[str, Any]) -> str:
    """Return the figures as readable text."""
    lines = [
        f"corpus      {fig['corpus']}",
        f"documents   {fig['documents']}",
        f"KB          {fig['kb']}",
        f"claims      {fig['claims']}",
        f"seconds     {fig['seconds']}  (median of {', '.join(map(str, fig['runs']))})",
        f"KB/s        {fig['kb_per_s']}",
        f"claims/s    {fig['claims_per_s']}",
    ]
    if "stages" in fig:
        st = fig["stages"]
        total = st["instrumented_seconds"]
        lines += ["", f"per-stage exclusive time (separate instrumented pass, {total} s):"]
        for stage, secs in st["exclusive_seconds"].items():
            share = 100 * secs / total if total else 0.0
            lines.append(f"  {stage:18}{secs:9.3f} s {share:6.1f} %")
    if "peers" in fig:
        lines += ["", f"side by side ({fig['peer_documents']} documents, peers one pass each):"]
        lines.append(f"  {'checker extract (median)':50}{fig['kb_per_s']:>9} KB/s")
        for label, peer in fig["peers"].items():
            if "skipped" in peer:
                lines.append(f"  {label:50}skipped: {peer['skipped']}")
            else:
                lines.append(
                    f"  {label:50}{peer['kb_per_s']:>9} KB/s  ({peer['seconds']} s, "
                    f"{peer['items']} items)"
                )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate or read a corpus, time extraction and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--docs", type=int, default=200, help="documents to generate")
    ap.add_argument("--seed", type=int, default=1, help="generator seed")
    ap.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="path to gen_corpus.py")
    ap.add_argument("--corpus", type=Path, help="time an existing folder instead of generating")
    ap.add_argument("--runs", type=int, default=3, help="timed passes; the median is reported")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage pass")
    ap.add_argument("--with-peers", action="store_true", help="also time quantulum3/dateparser")
    ap.add_argument("--peer-docs", type=int, metavar="N", help="time peers on the first N only")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as tmp:
        if args.corpus is not None:
            folder, label = args.corpus, str(args.corpus)
        else:
            if not args.gen.is_file():
                raise SystemExit(f"corpus generator not found: {args.gen} (use --gen PATH)")
            folder = Path(tmp) / "corpus"
            generate(folder, args.docs, args.seed, args.gen)
            label = f"gen_corpus.py --docs {args.docs} --seed {args.seed}"
        documents = read_corpus(folder)
        if not documents:
            raise SystemExit(f"no documents read from {folder}")
        fig: dict[str, Any] = {"corpus": label}
        fig.update(
            measure(
                documents, max(1, args.runs), not args.no_stages, args.with_peers, args.peer_docs
            )
        )
    print(json.dumps(fig, indent=2) if args.json else render(fig))
    return 0


if __name__ == "__main__":
    sys.exit(main())
