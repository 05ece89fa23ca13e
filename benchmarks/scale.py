"""How `check` scales: wall time, throughput, memory and recall on 2,000 and 10,000 documents.

Corpora come from the shared generator (`<repo>/../shared/tools/gen_corpus.py`):
`c2k` is `--docs 2000 --seed 1`, `c10k` is `--docs 10000 --seed 7`, each written with
`--truth` so the planted conflicts are known. For each corpus and each configuration
the script runs the real command, `python -m checker CORPUS --format json`, in a new
process (start-up included), `--repeat` times, and reports:
- wall time: the median of the runs, and their min and max;
- MB/s (bytes of the files `check` reads / median wall time) and documents/s;
- peak RSS of the child (`os.wait4` on its pid: the child alone, or the largest process
  among the ones it waited for, never the sum and never earlier children);
- the time split by stage, from `check --timings FILE` ("n/a" when the option is missing);
- the recall of the planted conflicts, read off the JSON output;
- whether every run of every configuration printed byte-identical JSON.

Configurations: `local --jobs 1`, `local --jobs 2` (both `--no-cache`), `warm cache`
(`--cache TMPDIR`, filled by one untimed run) and `dask` (`--engine dask --scheduler
ADDRESS`, only with `--dask`: against `--scheduler` or a `LocalCluster` the script starts).
A configuration whose options `check` does not have yet is skipped with a line saying so.
Then it prints the c10k/c2k scaling ratios and exponents, and the targets with a pass or
short mark. It is a script, not a timed test.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import json
import math
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.ingest import TEXT_SUFFIXES

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GEN = REPO.parent / "shared" / "tools" / "gen_corpus.py"
MB = 1_000_000
# The corpora: name -> (documents, seed). Other names `c<N>` / `c<N>k` use seed 0.
SIZES: dict[str, tuple[int, int]] = {"c2k": (2000, 1), "c10k": (10000, 7)}
CONFIGS = ("jobs1", "jobs2", "warm", "dask")
RECALL_SEVERITIES = frozenset({"error", "warning"})
# Targets from the issue: c10k/c2k ratio and exponent, and MB/s per core for jobs 1 on c2k.
TARGET_WHOLE = (5.8, 1.1)
TARGET_ALIGN_COMPARE = (6.9, 1.2)
TARGET_MB_PER_CORE = 1.0
# Start-up: `check` on the five seeds, the figure.
SEEDS = REPO.parent / "shared" / "seeds"
TARGET_STARTUP_S = 0.5


@dataclass(frozen=True)
class Corpus:
    """A generated corpus on disk and what the script needs to know about it."""

    name: str
    path: Path
    truth: dict[str, Any]
    documents: int
    size: int


@dataclass(frozen=True)
class Config:
    """One way of running `check`: extra options, and whether a cache is filled first."""

    name: str
    options: tuple[str, ...]
    warm: bool = False
    note: str = ""


@dataclass
class Result:
    """Figures of one (corpus, configuration), or why it was skipped."""

    corpus: str
    config: str
    skipped: str = ""
    seconds: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    stages: dict[str, float] | None = None
    planted: int = 0
    recalled: int = 0
    recalled_both: int = 0
    digests: list[str] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Recall:
    """Planted conflicts, and how many an error or warning found (alone / with reference)."""

    planted: int
    recalled: int
    recalled_both: int


# ---------------------------------------------------------------- pure functions


def summarise(values: Sequence[float]) -> tuple[float, float, float]:
    """Return the median, minimum and maximum of `values` (NaNs when empty)."""
    if not values:
        return math.nan, math.nan, math.nan
    return statistics.median(values), min(values), max(values)


def scaling(small: float, large: float, small_bytes: int, large_bytes: int) -> tuple[float, float]:
    """Return the time ratio large/small and its exponent log(ratio) / log(size ratio)."""
    if small <= 0 or large <= 0 or large_bytes <= small_bytes or small_bytes <= 0:
        return math.nan, math.nan
    ratio = large / small
    return ratio, math.log(ratio) / math.log(large_bytes / small_bytes)


def mark(value: float, limit: float, higher_is_better: bool = False) -> str:
    """Return "pass" when `value` meets `limit`, "short" when not, "n/a" when unknown."""
    if math.isnan(value):
        return "n/a"
    ok = value >= limit if higher_is_better else value <= limit
    return "pass" if ok else "short"


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Return whether [start, end) and [other_start, other_end) share a character."""
    return start < other_end and other_start < end


def planted_recall(truth: Mapping[str, Any], report: Mapping[str, Any]) -> Recall:
    """Match the truth file's planted conflicts against a `check --format json` report.

    A conflict is recalled when a finding of severity error or warning lists a claim in
    the conflict's document whose span overlaps the planted [start, end); it is recalled
    with its reference when that finding also lists a claim overlapping the reference span.
    Truth documents are matched to report documents by file name, falling back to the id.
    """
    report_ids = {Path(d["path"]).name: d["id"] for d in report.get("documents", [])}
    truth_ids = {
        d["doc"]: report_ids.get(Path(d["file"]).name, d["doc"]) for d in truth["documents"]
    }
    claims = {c["id"]: c for c in report.get("claims", [])}
    by_document: dict[str, list[dict[str, Any]]] = {}
    for claim in claims.values():
        by_document.setdefault(claim["document"], []).append(claim)
    findings_of: dict[str, list[list[str]]] = {}
    for finding in report.get("findings", []):
        if finding["severity"] in RECALL_SEVERITIES:
            for claim_id in finding["claims"]:
                findings_of.setdefault(claim_id, []).append(finding["claims"])

    def covers(members: list[str], document: str, start: int, end: int) -> bool:
        return any(
            (c := claims.get(m)) is not None
            and c["document"] == document
            and _overlaps(c["start"], c["end"], start, end)
            for m in members
        )

    recalled = recalled_both = 0
    for conflict in truth["conflicts"]:
        document = truth_ids.get(conflict["doc"], conflict["doc"])
        hits = [
            members
            for claim in by_document.get(document, [])
            if _overlaps(claim["start"], claim["end"], conflict["start"], conflict["end"])
            for members in findings_of.get(claim["id"], [])
        ]
        if not hits:
            continue
        recalled += 1
        ref = conflict["reference"]
        ref_document = truth_ids.get(ref["doc"], ref["doc"])
        if any(covers(members, ref_document, ref["start"], ref["end"]) for members in hits):
            recalled_both += 1
    return Recall(len(truth["conflicts"]), recalled, recalled_both)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """Return a markdown table with padded columns: the first `left` left-aligned, others right."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            str(cell).ljust(widths[i]) if i < left else str(cell).rjust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def ordered_keys(maps: Iterable[Mapping[str, Any] | None]) -> list[str]:
    """Return every key of `maps`, in first-seen order (None counts as empty)."""
    return list(dict.fromkeys(k for m in maps for k in m or {}))


def median_stages(runs: Sequence[Mapping[str, float]]) -> dict[str, float] | None:
    """Return the per-stage median over runs, keys in the order the runs gave them."""
    if not runs:
        return None
    return {k: statistics.median(r[k] for r in runs if k in r) for k in ordered_keys(runs)}


def size_spec(name: str) -> tuple[int, int]:
    """Return (documents, seed) of a corpus name: the issue's, or `c<N>` / `c<N>k`, seed 0."""
    if name in SIZES:
        return SIZES[name]
    found = re.fullmatch(r"c(\d+)(k?)", name)
    if not found:
        raise SystemExit(f"unknown corpus size {name!r}: use c2k, c10k, or c<N> / c<N>k")
    return int(found[1]) * (1000 if found[2] else 1), 0


# ---------------------------------------------------------------- corpora and runs


def corpus_files(path: Path) -> list[Path]:
    """Return the files `check` would read in `path` (document suffixes, no hidden parts)."""
    return [
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in TEXT_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    ]


def prepare(name: str, folder: Path, generator: Path) -> Corpus:
    """Return corpus `name` from `folder`, generating it and its truth file when missing."""
    path, truth = folder / name, folder / f"{name}.truth.json"
    if path.exists() != truth.exists():
        raise SystemExit(f"{path} and {truth} must both exist, or neither (to generate them)")
    if not path.exists():
        docs, seed = size_spec(name)
        print(f"generating {name}: --docs {docs} --seed {seed} into {path}", file=sys.stderr)
        command = [sys.executable, str(generator), str(path), "--docs", str(docs)]
        command += ["--seed", str(seed), "--truth", str(truth)]
        subprocess.run(command, check=True, capture_output=True)
    files = corpus_files(path)
    return Corpus(
        name=name,
        path=path,
        truth=json.loads(truth.read_text("utf-8")),
        documents=len(files),
        size=sum(p.stat().st_size for p in files),
    )


# Runs one command and writes "<seconds> <ru_maxrss>" of it to the file named first.
# Why a go-between: Linux carries a parent's peak memory into a forked child's
# ru_maxrss across exec, and this script's own peak grows when it parses a large
# report (some 900 MiB after a c10k run), so every later child would report at least
# that. A small process started afresh forks the real command with its own small
# peak, and the figure is the command's alone.
_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_child(command: Sequence[str]) -> tuple[float, float, int, bytes, bytes]:
    """Run `command` in a new process; return seconds, peak RSS (MiB), exit code, out, err.

    The command is started by a small go-between (`_MEASURE`) that times it and reads
    its rusage with `os.wait4`: on Linux ru_maxrss is the larger of the command's own
    peak and that of the descendants it waited for, in KiB (bytes on macOS).
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as folder,
    ):
        figures = Path(folder) / "figures"
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(figures), *command],
            stdout=out,
            stderr=err,
            check=False,
        )
        seconds_text, rss_text = figures.read_text().split()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    scale = 1 if sys.platform == "darwin" else 1024
    return float(seconds_text), int(rss_text) * scale / 2**20, done.returncode, stdout, stderr


def last_error(stderr: bytes) -> str:
    """Return the most telling line of a failed run's standard error."""
    lines = [ln.strip(" │╭╰─╮╯") for ln in stderr.decode("utf-8", "replace").splitlines()]
    lines = [ln for ln in lines if ln]
    for ln in reversed(lines):
        if "No such option" in ln or ln.startswith("Error"):
            return ln
    return lines[-1] if lines else "(no message)"


class Checker:
    """Runs `python -m checker` and remembers which options it accepts."""

    def __init__(self) -> None:
        self._probed: dict[tuple[str, ...], str] = {}

    def missing(self, options: Sequence[str]) -> str:
        """Return "" when `check` accepts `options`, else why not (cached).

        Probed with `--version`, which exits before the values are used.
        """
        key = tuple(options)
        if key not in self._probed:
            command = [*self.prefix(), *options, "--version"]
            done = subprocess.run(command, capture_output=True, check=False)
            self._probed[key] = "" if done.returncode == 0 else last_error(done.stderr)
        return self._probed[key]

    def prefix(self) -> list[str]:
        """Return the command that starts `check`."""
        return [sys.executable, "-m", "checker"]

    def command(self, corpus: Path, options: Sequence[str]) -> list[str]:
        """Return the command line for one run."""
        return [*self.prefix(), str(corpus), "--format", "json", *options]


def configurations(
    checker: Checker, wanted: Sequence[str], scheduler: str | None, dask_note: str, cache: Path
) -> list[Config | tuple[str, str]]:
    """Return the configurations to run, or (name, reason) for the ones skipped."""
    jobs1: tuple[str, ...] = ("--jobs", "1")
    note = ""
    if checker.missing(jobs1):
        jobs1, note = (), "check has no --jobs option yet: ran without it (one process)"
    out: list[Config | tuple[str, str]] = []
    if "jobs1" in wanted:
        out.append(Config("local --jobs 1", ("--no-cache", *jobs1), note=note))
    if "jobs2" in wanted:
        reason = checker.missing(("--jobs", "2"))
        out.append(
            ("local --jobs 2", f"skipped: check does not accept --jobs 2 ({reason})")
            if reason
            else Config("local --jobs 2", ("--no-cache", "--jobs", "2"))
        )
    if "warm" in wanted:
        out.append(Config("warm cache", ("--cache", str(cache), *jobs1), warm=True, note=note))
    if "dask" in wanted:
        options = ("--no-cache", "--engine", "dask", "--scheduler", scheduler or "")
        if scheduler is None:
            out.append(("dask", dask_note))
        elif reason := checker.missing(options):
            out.append(("dask", f"skipped: check does not accept --engine dask ({reason})"))
        else:
            out.append(Config("dask", options, note=f"scheduler {scheduler}; RSS: client only"))
    return out


def measure(
    checker: Checker,
    corpus: Corpus,
    config: Config,
    repeat: int,
    timings: bool,
    work: Path,
    reports: dict[str, Recall],
) -> Result:
    """Run one configuration `repeat` times on `corpus` and collect its figures."""
    result = Result(corpus.name, config.name, note=config.note)
    stage_runs: list[dict[str, float]] = []
    base = checker.command(corpus.path, config.options)
    for attempt in range(repeat + (1 if config.warm else 0)):
        timing_file = work / f"timings-{corpus.name}-{attempt}.json"
        timing_file.unlink(missing_ok=True)
        command = [*base, "--timings", str(timing_file)] if timings else base
        seconds, rss, code, stdout, stderr = run_child(command)
        label = "fill" if config.warm and attempt == 0 else f"{len(result.seconds) + 1}/{repeat}"
        print(f"  {corpus.name} {config.name} {label}: {seconds:.1f} s", file=sys.stderr)
        if code not in (0, 1):
            result.skipped = f"check exited {code}: {last_error(stderr)}"
            return result
        digest = hashlib.sha256(stdout).hexdigest()
        if digest not in reports:
            try:
                reports[digest] = planted_recall(corpus.truth, json.loads(stdout))
            except (ValueError, KeyError, TypeError) as error:
                result.skipped = f"cannot read check's JSON output: {error!r:.200}"
                return result
        result.digests.append(digest)
        if config.warm and attempt == 0:
            continue
        result.seconds.append(seconds)
        result.rss_mib.append(rss)
        if timings and timing_file.exists():
            stages = json.loads(timing_file.read_text("utf-8")).get("stages")
            if isinstance(stages, dict):
                stage_runs.append({str(k): float(v) for k, v in stages.items()})
    recall = reports[result.digests[-1]]
    result.planted, result.recalled, result.recalled_both = (
        recall.planted,
        recall.recalled,
        recall.recalled_both,
    )
    result.stages = median_stages(stage_runs)
    return result


@contextlib.contextmanager
def dask_scheduler(wanted: bool, address: str | None) -> Iterator[tuple[str | None, str]]:
    """Yield (scheduler address or None, why not): a LocalCluster the script starts if needed."""
    if not wanted:
        yield None, "skipped: pass --dask to run it"
        return
    if address:
        yield address, ""
        return
    try:
        distributed = importlib.import_module("dask.distributed")
    except ImportError:
        yield (
            None,
            (
                "skipped: dask.distributed is not installed in this environment "
                "(pip install 'dask[distributed]' into the venv)"
            ),
        )
        return
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1"
    )
    try:
        yield str(cluster.scheduler_address), ""
    finally:
        cluster.close()


# ---------------------------------------------------------------- report


def fmt(value: float | None, digits: int = 1) -> str:
    """Return `value` rounded, or "n/a" for None or NaN."""
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def num(value: float, digits: int = 3) -> float | None:
    """Return `value` rounded for JSON, None for NaN."""
    return None if math.isnan(value) else round(value, digits)


def align_compare(stages: Mapping[str, float] | None) -> float:
    """Return the align + compare seconds of a stage split, NaN when either is missing."""
    if not stages or "align" not in stages or "compare" not in stages:
        return math.nan
    return stages["align"] + stages["compare"]


def scaling_rows(corpora: Sequence[Corpus], results: Sequence[Result]) -> list[dict[str, Any]]:
    """Return, per configuration run on both, the largest/smallest corpus scaling figures.

    Each figure (whole run, align + compare) gets its ratio and exponent, each marked
    against its target.
    """
    if len(corpora) < 2:
        return []
    small, large = min(corpora, key=lambda c: c.size), max(corpora, key=lambda c: c.size)
    done = {(r.corpus, r.config): r for r in results if not r.skipped}
    rows: list[dict[str, Any]] = []
    for config in dict.fromkeys(r.config for r in results):
        a, b = done.get((small.name, config)), done.get((large.name, config))
        if a is None or b is None:
            continue
        row: dict[str, Any] = {
            "config": config,
            "pair": f"{large.name}/{small.name}",
            "size_ratio": round(large.size / small.size, 3),
        }
        measured = {
            "whole": (summarise(a.seconds)[0], summarise(b.seconds)[0], TARGET_WHOLE),
            "align_compare": (
                align_compare(a.stages),
                align_compare(b.stages),
                TARGET_ALIGN_COMPARE,
            ),
        }
        for name, (x, y, (max_ratio, max_exponent)) in measured.items():
            ratio, exponent = scaling(x, y, small.size, large.size)
            row[f"{name}_ratio"] = num(ratio)
            row[f"{name}_ratio_mark"] = mark(ratio, max_ratio)
            row[f"{name}_exponent"] = num(exponent)
            row[f"{name}_exponent_mark"] = mark(exponent, max_exponent)
        rows.append(row)
    return rows


def startup(checker: Checker, seeds: Path, repeat: int) -> dict[str, Any]:
    """Time `check SEEDS --no-cache --quiet --no-report`, `repeat` runs after one untimed.

    The package is compiled to bytecode first, as an installed package is: where
    PYTHONDONTWRITEBYTECODE is set (this project's sandbox sets it), Python would
    otherwise compile every module again on each start, which no user pays twice.
    """
    if not seeds.is_dir():
        return {"skipped": f"no seeds folder at {seeds}"}
    package = Path(importlib.import_module("checker").__file__ or "").parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=False)
    command = [*checker.prefix(), str(seeds), "--no-cache", "--quiet", "--no-report"]
    seconds = [run_child(command)[0] for _ in range(repeat + 1)][1:]
    median, low, high = summarise(seconds)
    return {
        "runs_s": [round(s, 3) for s in seconds],
        "median_s": round(median, 3),
        "min_s": round(low, 3),
        "max_s": round(high, 3),
        "target_s": TARGET_STARTUP_S,
        "mark": mark(median, TARGET_STARTUP_S),
    }


def figures(corpora: Sequence[Corpus], results: Sequence[Result]) -> dict[str, Any]:
    """Return every figure as one JSON-ready dictionary."""
    by_name = {c.name: c for c in corpora}
    rows: list[dict[str, Any]] = []
    for r in results:
        row: dict[str, Any] = {"corpus": r.corpus, "config": r.config}
        if r.skipped:
            rows.append({**row, "skipped": r.skipped})
            continue
        corpus = by_name[r.corpus]
        median, low, high = summarise(r.seconds)
        row |= {
            "runs_s": [round(s, 3) for s in r.seconds],
            "median_s": round(median, 3),
            "min_s": round(low, 3),
            "max_s": round(high, 3),
            "mb_per_s": round(corpus.size / MB / median, 4),
            "docs_per_s": round(corpus.documents / median, 2),
            "peak_rss_mib": round(max(r.rss_mib), 1),
            "stages_s": r.stages,
            "planted": r.planted,
            "recalled": r.recalled,
            "recall": round(r.recalled / r.planted, 4) if r.planted else None,
            "recall_with_reference": round(r.recalled_both / r.planted, 4) if r.planted else None,
        }
        if r.note:
            row["note"] = r.note
        rows.append(row)
    determinism: dict[str, Any] = {}
    for corpus in corpora:
        ran = [r for r in results if r.corpus == corpus.name and r.digests]
        digests = {d for r in ran for d in r.digests}
        reference = ran[0].digests[0] if ran else ""
        determinism[corpus.name] = {
            "identical": len(digests) <= 1,
            "runs": sum(len(r.digests) for r in ran),
            "configs": [r.config for r in ran],
            "differ": [r.config for r in ran if set(r.digests) != {reference}],
        }
    scales = scaling_rows(corpora, results)
    throughput = next(
        (
            row
            for row in rows
            if row["corpus"] == "c2k" and row["config"] == "local --jobs 1" and "mb_per_s" in row
        ),
        None,
    )
    return {
        "corpora": [
            {"name": c.name, "path": str(c.path), "documents": c.documents, "bytes": c.size}
            for c in corpora
        ],
        "runs": rows,
        "determinism": determinism,
        "scaling": scales,
        "throughput_target": {
            "target_mb_per_s_per_core": TARGET_MB_PER_CORE,
            "jobs1_c2k_mb_per_s": throughput["mb_per_s"] if throughput else None,
            "mark": mark(throughput["mb_per_s"], TARGET_MB_PER_CORE, higher_is_better=True)
            if throughput
            else "n/a",
        },
    }


def render(fig: Mapping[str, Any]) -> str:
    """Return the figures as readable text: tables, determinism, scaling and targets."""
    out: list[str] = []
    for c in fig["corpora"]:
        out.append(
            f"{c['name']}: {c['documents']} documents, {c['bytes'] / MB:.2f} MB, {c['path']}"
        )
    headers = ["corpus", "config", "median s", "min–max s", "MB/s", "docs/s", "RSS MiB"]
    headers += ["recall", "recall +ref"]
    rows: list[list[str]] = []
    notes: dict[tuple[str, str], list[str]] = {}
    for r in fig["runs"]:
        if "skipped" in r or "note" in r:
            notes.setdefault((r["config"], r.get("skipped", r.get("note"))), []).append(r["corpus"])
        if "skipped" in r:
            continue
        recall = f"{r['recalled']}/{r['planted']} = {r['recall']:.1%}" if r["planted"] else "n/a"
        both = f"{r['recall_with_reference']:.1%}" if r["planted"] else "n/a"
        rows.append(
            [
                r["corpus"],
                r["config"],
                fmt(r["median_s"], 2),
                f"{fmt(r['min_s'], 2)}–{fmt(r['max_s'], 2)}",
                fmt(r["mb_per_s"], 3),
                fmt(r["docs_per_s"], 1),
                fmt(r["peak_rss_mib"], 0),
                recall,
                both,
            ]
        )
    out += ["", markdown_table(headers, rows, left=2)] if rows else ["", "(no configuration ran)"]
    if notes:
        out.append("")
        out += [f"{config} ({', '.join(names)}): {text}" for (config, text), names in notes.items()]
    ran = [r for r in fig["runs"] if "skipped" not in r]
    keys = ordered_keys(r["stages_s"] for r in ran)
    out.append("")
    if not keys:
        out.append("time by stage: n/a (check wrote no --timings)" if ran else "")
    else:
        stage_rows = [
            [r["corpus"], r["config"]]
            + [
                fmt(r["stages_s"][k], 2) if r["stages_s"] and k in r["stages_s"] else "n/a"
                for k in keys
            ]
            for r in ran
        ]
        out.append("time by stage, seconds (median over runs, check --timings):")
        out.append(markdown_table(["corpus", "config", *keys], stage_rows, left=2))
        out.append("")
    for name, d in fig["determinism"].items():
        if not d["configs"]:
            continue
        if d["runs"] < 2:
            out.append(f"determinism {name}: one run ({d['configs'][0]}), nothing to compare")
        elif d["identical"]:
            out.append(
                f"determinism {name}: JSON byte-identical across {d['runs']} runs of "
                + ", ".join(d["configs"])
            )
        else:
            out.append(
                f"determinism {name}: JSON DIFFERS; differing from the first run: "
                + ", ".join(d["differ"])
            )
    for s in fig["scaling"]:
        head = f"scaling {s['pair']} ({s['config']}, bytes ×{s['size_ratio']:.2f}):"
        for name, label, (max_ratio, max_exponent) in (
            ("whole", "whole run", TARGET_WHOLE),
            ("align_compare", "align+compare", TARGET_ALIGN_COMPARE),
        ):
            if s[f"{name}_ratio"] is None:
                out.append(f"{head} {label} n/a")
                continue
            out.append(
                f"{head} {label} ×{fmt(s[f'{name}_ratio'], 2)}"
                f" [target ≤ ×{max_ratio}: {s[f'{name}_ratio_mark']}],"
                f" exponent {fmt(s[f'{name}_exponent'], 2)}"
                f" [target ≤ {max_exponent}: {s[f'{name}_exponent_mark']}]"
            )
    if not fig["scaling"]:
        out.append("scaling: n/a (needs two corpus sizes)")
    t = fig["throughput_target"]
    got = "n/a" if t["jobs1_c2k_mb_per_s"] is None else f"{t['jobs1_c2k_mb_per_s']:.3f}"
    out.append(
        f"throughput local --jobs 1 on c2k: {got} MB/s per core"
        f"  [target ≥ {t['target_mb_per_s_per_core']}: {t['mark']}]"
    )
    if (up := fig.get("startup")) is not None:
        if "skipped" in up:
            out.append(f"start-up on the seeds: {up['skipped']}")
        else:
            out.append(
                f"start-up on the seeds (bytecode compiled): median {up['median_s']:.2f} s,"
                f" {up['min_s']:.2f}–{up['max_s']:.2f} s over {len(up['runs_s'])} runs"
                f"  [target ≤ {up['target_s']} s: {up['mark']}]"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="c2k,c10k", help="corpora, comma-separated")
    parser.add_argument(
        "--configs",
        default=",".join(CONFIGS),
        help=f"configurations, comma-separated, of {', '.join(CONFIGS)} (dask needs --dask)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per configuration")
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        help="reuse NAME and NAME.truth.json here (generated here when missing)",
    )
    parser.add_argument("--generator", type=Path, default=DEFAULT_GEN)
    parser.add_argument("--dask", action="store_true", help="also run --engine dask")
    parser.add_argument(
        "--scheduler", help="run dask against this scheduler (default with --dask: a LocalCluster)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--no-startup", action="store_true", help="do not time start-up on the seeds"
    )
    args = parser.parse_args(argv)
    wanted = [c.strip() for c in args.configs.split(",") if c.strip()]
    if unknown := [c for c in wanted if c not in CONFIGS]:
        parser.error(f"unknown configuration(s) {', '.join(unknown)}; use {', '.join(CONFIGS)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    names = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for name in names:
        size_spec(name)
    checker = Checker()
    results: list[Result] = []
    corpora: list[Corpus] = []
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="checker-scale-")))
        folder = args.corpus_dir or work
        folder.mkdir(parents=True, exist_ok=True)
        timings = not checker.missing(("--timings", str(work / "probe.json")))
        if not timings:
            print("stage split: n/a (check has no --timings option)", file=sys.stderr)
        scheduler, dask_note = stack.enter_context(
            dask_scheduler(bool(args.dask or args.scheduler) and "dask" in wanted, args.scheduler)
        )
        for name in names:
            corpus = prepare(name, folder, args.generator)
            corpora.append(corpus)
            reports: dict[str, Recall] = {}
            cache = work / f"cache-{name}"
            for config in configurations(checker, wanted, scheduler, dask_note, cache):
                if isinstance(config, tuple):
                    results.append(Result(name, config[0], skipped=config[1]))
                    print(f"  {name} {config[0]}: {config[1]}", file=sys.stderr)
                    continue
                results.append(
                    measure(checker, corpus, config, args.repeat, timings, work, reports)
                )
    fig = figures(corpora, results)
    if not args.no_startup:
        fig["startup"] = startup(checker, SEEDS, max(args.repeat, 5))
    print(json.dumps(fig, indent=2) if args.json else render(fig))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
