"""The `check` command: a thin shell around `checker.check`."""

from __future__ import annotations

import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from checker.errors import CheckerError
from checker.model import SEVERITY_RANK, Report, Severity
from checker.version import __version__

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class Format(StrEnum):
    """What `check` prints to standard output."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


class FailOn(StrEnum):
    """The least severity that makes `check` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    NEVER = "never"


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
    """Write a file through a temporary file and a rename, so no half report is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command()
def run(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Folders (searched recursively) and files to check.",
            show_default=False,
            metavar="PATH",
        ),
    ],
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="What to print on standard output.")
    ] = Format.TEXT,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Write the markdown report here (default: reports/<folder>.md).", metavar="PATH"
        ),
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Write no markdown report.")
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
        FailOn, typer.Option(help="Exit 1 when a finding is at least this severe.")
    ] = FailOn.ERROR,
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
    from checker.engine import check
    from checker.manifest import load_manifest, parse_date_option
    from checker.report import RENDERERS
    from checker.report.claims import render_claim_lines
    from checker.report.terminal import render_terminal

    dates = dict(load_manifest(manifest)) if manifest else {}
    dates.update(parse_date_option(value) for value in date or [])
    result = check(paths, dates=dates, day_first=day_first, claims_only=claims_only, facts=facts)
    if claims_only:
        render = (
            render_claim_lines if output_format is Format.TEXT else RENDERERS[output_format.value]
        )
        typer.echo(render(result), nl=False)
        if report is not None:
            write_atomically(report, RENDERERS["markdown"](result))
        raise typer.Exit(EXIT_CLEAN)
    if output_format is Format.TEXT:
        use_color = sys.stdout.isatty() if color is None else color
        typer.echo(render_terminal(result, color=use_color), nl=False)
    else:
        typer.echo(RENDERERS[output_format.value](result), nl=False)
    target = report
    if target is None and output_format is Format.TEXT and not no_report:
        target = Path("reports") / f"{result.root_name or 'documents'}.md"
    if target is not None and not no_report:
        write_atomically(target, RENDERERS["markdown"](result))
        if output_format is Format.TEXT:
            typer.echo(f"Report written to {target.as_posix()}")
    raise typer.Exit(exit_code(result, fail_on))


def main() -> None:
    """Run the command line; turn every error into one line and exit code 2."""
    try:
        app(standalone_mode=True)
    except CheckerError as error:
        typer.echo(f"check: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        typer.echo("check: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: say so in one line; CHECKER_DEBUG=1 shows the traceback
        if os.environ.get("CHECKER_DEBUG"):
            raise
        typer.echo(f"check: internal error: {error!r} (set CHECKER_DEBUG=1 for details)", err=True)
        sys.exit(EXIT_USAGE)
