"""The `check` command: a thin shell around `checker.check` and the gate.

Settings come from the command line, then the project's configuration
(`[tool.checker]` in pyproject.toml or checker.toml), then built-in defaults.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from checker.config import Config
    from checker.dask_engine import DaskRunner
    from checker.engine import Timings
    from checker.gate.baseline import Entry

from checker.errors import CheckerError, UsageError
from checker.model import SEVERITY_RANK, DateRange, Diagnostic, Report, Severity
from checker.version import __version__

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class Format(StrEnum):
    """What `check` prints to standard output."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"
    JUNIT = "junit"


class FailOn(StrEnum):
    """The least severity that makes `check` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    NEVER = "never"


class Engine(StrEnum):
    """Where the stages run: here, or on a Dask cluster."""

    LOCAL = "local"
    DASK = "dask"


class MinSeverity(StrEnum):
    """The least severity shown."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"checker {__version__}")
        raise typer.Exit(EXIT_CLEAN)


def exit_code(report: Report, fail_on: FailOn) -> int:
    """Return 1 when a finding reaches the `--fail-on` severity, else 0."""
    if fail_on is FailOn.NEVER:
        return EXIT_CLEAN
    floor = SEVERITY_RANK[Severity(fail_on.value)]
    return (
        EXIT_FINDINGS
        if any(SEVERITY_RANK[f.severity] >= floor for f in report.findings)
        else EXIT_CLEAN
    )


def write_atomically(path: Path, text: str) -> None:
    """Write a file through a temporary file and a rename, so no half report is left.

    The file keeps the permissions of the one it replaces; a new one gets the usual
    ones (0o666 less the umask), not the owner-only mode of a temporary file. The data
    reaches the disk before the rename, so a crash leaves the old file or the new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_output(value: str) -> tuple[Format, Path]:
    """Read one `--output FORMAT=PATH`."""
    name, sep, path = value.partition("=")
    formats = ", ".join(f.value for f in Format if f is not Format.TEXT)
    if not sep or not path:
        raise UsageError(f"--output {value!r}: expected FORMAT=PATH, FORMAT one of {formats}")
    try:
        chosen = Format(name.strip().lower())
    except ValueError:
        raise UsageError(
            f"--output {value!r}: unknown format {name!r} (one of {formats})"
        ) from None
    if chosen is Format.TEXT:
        raise UsageError(f"--output {value!r}: text is for the terminal; use markdown")
    return chosen, Path(path)


@dataclass(frozen=True, slots=True)
class _Baseline:
    path: Path
    update: bool
    prune: bool


def _render(report: Report, fmt: Format, *, color: bool = False) -> str:
    from checker.report import RENDERERS
    from checker.report.terminal import render_terminal

    if fmt is Format.TEXT:
        return render_terminal(report, color=color)
    return RENDERERS[fmt.value](report)


@app.command()
def run(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Folders (searched recursively) and files to check "
            "(default: `paths` from the configuration); with --engine dask, also URLs "
            "(s3://bucket/corpus/, file:///shared/corpus).",
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="What to print on standard output.")
    ] = Format.TEXT,
    output: Annotated[
        list[str] | None,
        typer.Option(
            help="Also write a report: FORMAT=PATH, FORMAT one of json, markdown, sarif, "
            "github, gitlab, junit (repeatable).",
            metavar="FORMAT=PATH",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Write the markdown report here (default: reports/<folder>.md); "
            "short for --output markdown=PATH.",
            metavar="PATH",
        ),
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Write no default markdown report.")
    ] = False,
    new: Annotated[
        list[Path] | None,
        typer.Option(
            help="A new or changed document (repeatable): report only findings involving "
            "one; the rest of the corpus is context.",
            metavar="PATH",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Treat documents changed since the merge-base of this git revision and "
            "HEAD, and uncommitted ones, as new.",
            metavar="GIT_REF",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Ignore the findings recorded in this baseline file.", metavar="FILE"),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option(
            "--update-baseline", help="Record every current finding in the baseline; exit 0."
        ),
    ] = False,
    prune_baseline: Annotated[
        bool,
        typer.Option(
            "--prune-baseline", help="Drop baseline entries that no longer occur; add none."
        ),
    ] = False,
    date: Annotated[
        list[str] | None,
        typer.Option(
            help="Publication date of a file: FILE=YYYY-MM-DD (repeatable).", metavar="FILE=DATE"
        ),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="A TOML, JSON or CSV file of publication dates by file.", metavar="FILE"),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="Exit 1 when a finding is at least this severe [default: error]."),
    ] = None,
    min_severity: Annotated[
        MinSeverity | None,
        typer.Option(help="Show only findings at least this severe [default: note]."),
    ] = None,
    day_first: Annotated[
        bool | None,
        typer.Option(
            "--day-first/--month-first",
            help="Read 3/1/2020 as 3 January / March 1 (default: only unambiguous dates).",
        ),
    ] = None,
    color: Annotated[
        bool | None,
        typer.Option(
            "--color/--no-color",
            help="Colour the terminal summary (default: when printing to a terminal).",
        ),
    ] = None,
    facts: Annotated[
        Path | None,
        typer.Option(
            help="Reference facts (TOML) to check every document against.", metavar="FILE"
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Configuration file (default: checker.toml or [tool.checker] in "
            "pyproject.toml, searched upward to the repository root).",
            metavar="FILE",
        ),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(help="Cache folder [default: .checker-cache].", metavar="PATH"),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    max_bytes: Annotated[
        int,
        typer.Option(
            "--max-bytes",
            min=0,
            help="Skip files larger than this many bytes (0: no limit).",
            metavar="N",
        ),
    ] = 10_000_000,  # checker.ingest.DEFAULT_MAX_BYTES, not imported: it is slow to import
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes that read claims [default: one per core for over "
            "200 documents, else 1]. The report is the same for any count.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Run here (local), or on the Dask cluster at --scheduler (dask; needs "
            "pip install 'checker[dask]'). The report is the same.",
        ),
    ] = Engine.LOCAL,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="The Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786.",
            metavar="ADDRESS",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Draw no progress bar on the terminal.")
    ] = False,
    timings: Annotated[
        Path | None,
        typer.Option(
            help="Write the seconds each stage took, as JSON, to this file.",
            metavar="FILE",
            hidden=True,
        ),
    ] = None,
    claims_only: Annotated[
        bool,
        typer.Option(
            "--claims-only",
            help="Only extract: print documents and claims (json), or one claim per line (text).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Find where documents disagree about facts that can be measured."""
    from checker.config import load_config
    from checker.manifest import load_manifest, parse_date_option

    settings = load_config(config)
    from checker.remote import is_url

    # Strings until here: a URL made a Path would lose a slash (s3:/bucket).
    corpus = [p if is_url(p) else Path(p) for p in paths or []] or list(settings.paths)
    if not corpus:
        raise UsageError("no PATH given and no `paths` in the configuration")
    if (update_baseline or prune_baseline) and not (baseline or settings.baseline):
        raise UsageError("--update-baseline and --prune-baseline need --baseline FILE")
    if update_baseline and prune_baseline:
        raise UsageError("--update-baseline and --prune-baseline cannot be combined")
    if new and since:
        raise UsageError("--new and --since cannot be combined")
    outputs = [parse_output(value) for value in output or []]
    if report is not None:
        outputs.append((Format.MARKDOWN, report))
    dates: dict[str, DateRange] = {}
    manifest_path = manifest or settings.manifest
    if manifest_path is not None:
        dates.update(load_manifest(manifest_path))
    dates.update(parse_date_option(value) for value in date or [])
    if day_first is None and settings.date_order is not None:
        day_first = settings.date_order == "day-first"
    run = _Run(jobs, quiet, timings, engine, _scheduler(engine, scheduler, jobs, settings))
    result = _check(
        corpus + list(new or []),
        settings=settings,
        dates=dates,
        day_first=day_first,
        claims_only=claims_only,
        facts=facts or settings.facts,
        cache_dir=None if no_cache or not settings.cache else (cache or settings.cache_dir),
        max_bytes=max_bytes,
        run=run,
    )
    if claims_only:
        _print_claims(result, output_format)
        for fmt, path in outputs:
            write_atomically(path, _render(result, fmt))
        run.write_timings()
        raise typer.Exit(EXIT_CLEAN)
    baseline_path = baseline or settings.baseline
    plan = (
        _Baseline(baseline_path, update_baseline, prune_baseline)
        if baseline_path is not None
        else None
    )
    changed = _changed(new, since, corpus)
    entries: dict[str, Entry] | None = None
    if plan is not None:
        from checker.gate.baseline import load_baseline

        entries = load_baseline(plan.path)
        if plan.update or plan.prune:
            entries = _write_baseline(result, plan, entries)
            if plan.update:
                raise typer.Exit(EXIT_CLEAN)
    result = _gate(result, changed, plan, entries)
    code = exit_code(result, fail_on or FailOn(settings.fail_on))
    floor = min_severity or MinSeverity(settings.min_severity)
    from checker.gate.apply import at_least

    shown = at_least(result, Severity(floor.value))
    _emit(shown, output_format, outputs, color=color, no_report=no_report)
    run.write_timings()
    raise typer.Exit(code)


@dataclass(slots=True)
class _Run:
    """How to run the engine, and what it measured of itself (for `--timings`)."""

    jobs: int | None
    quiet: bool
    timings: Path | None
    engine: Engine = Engine.LOCAL
    scheduler: str | None = None
    measured: Timings | None = None
    engine_done: float = 0.0

    def write_timings(self) -> None:
        """Write the stage times, the report's included, to the `--timings` file."""
        if self.timings is None or self.measured is None:
            return
        stages = dict(self.measured.stages)
        stages["report"] = time.perf_counter() - self.engine_done
        record = {
            "stages": {k: round(v, 4) for k, v in stages.items()},
            "documents": self.measured.documents,
            "jobs": self.measured.jobs,
            "engine": self.engine.value,
        }
        write_atomically(self.timings, json.dumps(record, indent=1) + "\n")


def _scheduler(
    engine: Engine, scheduler: str | None, jobs: int | None, settings: Config
) -> str | None:
    """Return the Dask scheduler's address for the run, None for the local engine.

    The options that only make sense together are checked here, before any work.
    """
    if engine is Engine.LOCAL:
        if scheduler is not None:
            raise UsageError("--scheduler needs --engine dask")
        return None
    if not scheduler:
        raise UsageError(
            "--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786; "
            "`dask scheduler` starts one)"
        )
    if jobs is not None:
        raise UsageError("--jobs is for the local engine; a Dask cluster runs on its workers")
    if settings.lexicon:
        # Workers load the bundled lexicon; extending theirs would outlive this run.
        raise UsageError("--engine dask does not support a lexicon extension (`lexicon`) yet")
    return scheduler


def _runner(run: _Run) -> AbstractContextManager[DaskRunner | None]:
    """Return the runner `--engine` asks for: None lets the local engine choose its own."""
    if run.scheduler is None:
        return nullcontext()
    from checker.dask_engine import DaskRunner, silence_logs  # only for --engine dask

    silence_logs()
    return DaskRunner.connect(run.scheduler)


def _check(
    corpus: list[str | Path],
    *,
    settings: Config,
    dates: dict[str, DateRange],
    day_first: bool | None,
    claims_only: bool,
    facts: Path | None,
    cache_dir: Path | None,
    max_bytes: int,
    run: _Run,
) -> Report:
    """Run the engine with the configuration's lexicon, file filter and cache."""
    from checker import lexicon
    from checker.config import config_hash, matches
    from checker.engine import Timings, check
    from checker.gate.store import ExtractionCache
    from checker.progress import TerminalProgress

    if settings.lexicon:
        lexicon.extend(settings.lexicon)
    select = None
    if settings.include or settings.exclude:
        select = partial(matches, settings)
    store: ExtractionCache | None = None
    problems: list[Diagnostic] = []
    if cache_dir is not None:
        # The facts file is in the engine's run key and manifest dates are in each
        # document's key, so they are left out here: changing them does not throw away
        # every document's claims.
        salt = config_hash(replace(settings, facts=None, manifest=None))
        store, problems = ExtractionCache.open(cache_dir, salt)
    measured = Timings()
    try:
        with (
            _runner(run) as runner,
            TerminalProgress.for_terminal(run.quiet) or nullcontext() as progress,
        ):
            result = check(
                corpus,
                dates=dates,
                day_first=day_first,
                claims_only=claims_only,
                facts=facts,
                select=select,
                store=store,
                max_bytes=max_bytes,
                jobs=run.jobs,
                runner=runner,
                progress=progress,
                timings=measured,
            )
            if runner is not None:
                measured.jobs = runner.threads()  # what "jobs" means on a cluster
    finally:
        if store is not None:
            problems.extend(store.close())
    run.measured = measured
    run.engine_done = time.perf_counter()
    if problems:
        result = replace(
            result,
            diagnostics=tuple(sorted([*result.diagnostics, *problems], key=lambda d: d.order)),
        )
    return result


def _print_claims(result: Report, fmt: Format) -> None:
    from checker.report.claims import render_claim_lines

    text = render_claim_lines(result) if fmt is Format.TEXT else _render(result, fmt)
    typer.echo(text, nl=False)


def _changed(
    new: list[Path] | None, since: str | None, corpus: list[str | Path]
) -> tuple[Path, ...] | None:
    """Return the files a gate run is about, or None when the whole corpus is."""
    if new:
        missing = [str(p) for p in new if not p.exists()]
        if missing:
            raise UsageError(f"--new {missing[0]}: no such file or folder")
        return tuple(new)
    if since is None:
        return None
    from checker.gate.changed import changed_since

    first = Path(corpus[0])
    where = first if first.is_dir() else first.parent
    return tuple(changed_since(since, where))


def _write_baseline(result: Report, plan: _Baseline, old: dict[str, Entry]) -> dict[str, Entry]:
    """Record every current finding (`--update-baseline`) or drop stale entries (prune).

    Return the entries written, which the rest of the run uses instead of reading the
    file again.
    """
    from checker.gate.apply import suppressed
    from checker.gate.baseline import entries_for, render_baseline

    current = entries_for(suppressed(result), old)
    if plan.prune:
        current = {key: entry for key, entry in old.items() if key in current}
    write_atomically(plan.path, render_baseline(current.values(), __version__))
    verb = "recorded" if plan.update else "kept"
    typer.echo(f"Baseline {plan.path.as_posix()}: {len(current)} findings {verb}", err=True)
    return current


def _gate(
    result: Report,
    changed: tuple[Path, ...] | None,
    plan: _Baseline | None,
    entries: dict[str, Entry] | None,
) -> Report:
    from checker.gate.apply import Gate, apply_gate

    return apply_gate(
        result,
        Gate(changed, entries, plan.path.as_posix() if plan is not None else None),
    )


def _emit(
    shown: Report,
    fmt: Format,
    outputs: list[tuple[Format, Path]],
    *,
    color: bool | None,
    no_report: bool,
) -> None:
    """Print the chosen format, write every `--output`, and the GitHub step summary."""
    use_color = sys.stdout.isatty() if color is None else color
    if fmt is Format.JSON:
        from checker.report.json_report import write_json

        # Streamed: a large corpus's JSON is not held whole, nor copied to be printed.
        write_json(shown, sys.stdout.write)
    else:
        typer.echo(_render(shown, fmt, color=use_color), nl=False)
    targets = list(outputs)
    if fmt is Format.TEXT and not no_report and not any(f is Format.MARKDOWN for f, _ in targets):
        targets.append((Format.MARKDOWN, Path("reports") / f"{shown.root_name or 'documents'}.md"))
    for target_format, path in targets:
        write_atomically(path, _render(shown, target_format))
        if fmt is Format.TEXT:
            typer.echo(f"Report written to {path.as_posix()}")
    if Format.GITHUB in (fmt, *(f for f, _ in outputs)):
        from checker.report.github import write_step_summary

        write_step_summary(_render(shown, Format.MARKDOWN))


def main() -> None:
    """Run the command line; turn every error into one line and exit code 2."""
    try:
        app(standalone_mode=True)
    except CheckerError as error:
        typer.echo(f"check: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        typer.echo("check: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit as done:
        # typer turns Ctrl-C inside the command into a silent exit 130; say why.
        if done.code == EXIT_INTERRUPTED:
            typer.echo("check: interrupted", err=True)
        raise
    except Exception as error:  # a bug: say so in one line; CHECKER_DEBUG=1 shows the traceback
        if os.environ.get("CHECKER_DEBUG"):
            raise
        typer.echo(f"check: internal error: {error!r} (set CHECKER_DEBUG=1 for details)", err=True)
        sys.exit(EXIT_USAGE)
