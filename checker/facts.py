"""Reference facts an editor states with their source (`check --facts FILE`).

Each fact is a sentence, written the way a report would state it ("A US-led coalition
invaded Iraq on March 20, 2003."), or a subject and a value ("US-led invasion of Iraq"
and "2003-03-20"). The sentences form one reference document that is read, aligned and
compared like any other; a document that disagrees with it gets a finding that cites
the source.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from checker.errors import UsageError
from checker.model import Document

# "@" cannot start a file stem's id by accident: no document takes the reference's place.
REFERENCE_ID = "@reference"


@dataclass(frozen=True, slots=True)
class ReferenceFacts:
    """The reference document and, by character offset, the source of each line."""

    document: Document
    sources: tuple[tuple[int, int, str], ...]

    def source_at(self, offset: int) -> str | None:
        """Return the source of the fact whose line holds `offset`."""
        for start, end, source in self.sources:
            if start <= offset < end:
                return source
        return None


def _schema() -> dict[str, Any]:
    text = resources.files("checker").joinpath("schemas", "facts.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def load_facts(path: Path, display: str | None = None) -> ReferenceFacts:
    """Read a facts file; raise UsageError naming the file and the entry when it is wrong."""
    try:
        raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except OSError as error:
        raise UsageError(f"{path}: cannot read the facts file ({error.strerror})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: not valid TOML: {error}") from error
    # Imported here: jsonschema costs a tenth of a second, and most runs have no facts.
    from jsonschema import Draft202012Validator

    problems = sorted(Draft202012Validator(_schema()).iter_errors(data), key=lambda e: list(e.path))
    if problems:
        where = "/".join(str(p) for p in problems[0].path) or "top level"
        raise UsageError(f"{path}: {where}: {problems[0].message} (see schemas/facts.schema.json)")
    # Each statement is put on the line of the facts file where its entry starts, so
    # that a finding's "file:line" points at the entry the editor wrote.
    file_lines = raw.splitlines()
    lines = [""] * len(file_lines)
    placed: list[tuple[int, str, str]] = []
    search_from = 0
    for fact in data["fact"]:
        statement = fact.get("statement") or f"{fact['subject']}: {fact['value']}"
        sentence = " ".join(str(statement).split()).rstrip(".") + "."
        key = "statement" if "statement" in fact else "subject"
        at = next(
            (
                n
                for n in range(search_from, len(file_lines))
                if file_lines[n].lstrip().startswith(key)
            ),
            None,
        )
        if at is None or lines[at]:
            at = len(lines)
            lines.append("")
        lines[at] = sentence
        search_from = at + 1
        placed.append((at, sentence, str(fact["source"])))
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    sources = tuple((starts[n], starts[n] + len(s), source) for n, s, source in placed)
    document = Document(
        id=REFERENCE_ID,
        path=display or path.as_posix(),
        text="\n".join(lines) + "\n",
        title="Reference facts",
    )
    return ReferenceFacts(document, sources)
