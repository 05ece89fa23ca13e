"""Baselines: findings a team has accepted, so the gate stays green for them.

A baseline is a JSON file (`schemas/baseline.schema.json`) of fingerprints
(`checker.gate.fingerprint`). Entries are matched by fingerprint only; the subject and
quotes stored beside it are for the reader of the file and a reviewer of its diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.errors import UsageError
from checker.gate.fingerprint import fingerprint
from checker.model import Diagnostic, Fact, Finding, Report, Severity
from checker.report.records import collapse, format_interval, strip_controls

if TYPE_CHECKING:
    import jsonschema

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Entry:
    """One accepted finding."""

    fingerprint: str
    code: str
    subject: str = ""
    claims: tuple[tuple[str, str, str], ...] = ()  # (document, text, value) for reading
    reason: str = ""


@cache
def _validator() -> jsonschema.Draft202012Validator:
    # Imported here: jsonschema costs a tenth of a second, and most runs have no baseline.
    import jsonschema

    text = resources.files("checker").joinpath("schemas", "baseline.schema.json").read_text()
    return jsonschema.Draft202012Validator(json.loads(text))


def load_baseline(path: Path) -> dict[str, Entry]:
    """Read a baseline; a missing file is an empty one, a malformed one a `UsageError`."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the baseline: {error}") from error
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}:{error.lineno}: the baseline is not valid JSON: {error.msg}"
        ) from error
    problem = next(iter(_validator().iter_errors(data)), None)
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "top level"
        raise UsageError(f"{path}: {where}: {problem.message} (see schemas/baseline.schema.json)")
    return {
        item["fingerprint"]: Entry(
            item["fingerprint"],
            item["code"],
            item.get("subject", ""),
            tuple((c["document"], c["text"], c.get("value", "")) for c in item.get("claims", [])),
            item.get("reason", ""),
        )
        for item in data["entries"]
    }


def _facts(report: Report) -> dict[str, Fact]:
    return {fact.id: fact for fact in report.facts}


def fingerprints(report: Report) -> dict[str, str]:
    """Return each finding's fingerprint by finding id."""
    facts = _facts(report)
    return {f.id: fingerprint(f, facts.get(f.fact)) for f in report.findings}


def entries_for(report: Report, keep: Mapping[str, Entry]) -> dict[str, Entry]:
    """Return an entry for every finding of `report`, keeping the reasons in `keep`."""
    facts = _facts(report)
    out: dict[str, Entry] = {}
    for finding in report.findings:
        fact = facts.get(finding.fact)
        key = fingerprint(finding, fact)
        old = keep.get(key)
        out[key] = Entry(
            key,
            finding.code,
            collapse(strip_controls(fact.subject)) if fact else "",
            tuple(
                (c.span.doc_id, collapse(strip_controls(c.text)), format_interval(c.value))
                for c in finding.claims
            ),
            old.reason if old else "",
        )
    return out


def _entry_record(entry: Entry) -> dict[str, Any]:
    record: dict[str, Any] = {"fingerprint": entry.fingerprint, "code": entry.code}
    if entry.subject:
        record["subject"] = entry.subject
    if entry.claims:
        record["claims"] = [{"document": d, "text": t, "value": v} for d, t, v in entry.claims]
    if entry.reason:
        record["reason"] = entry.reason
    return record


def render_baseline(entries: Iterable[Entry], tool_version: str) -> str:
    """Return the baseline file's text: entries sorted by fingerprint, one stable layout."""
    data = {
        "version": FORMAT_VERSION,
        "tool": f"checker {tool_version}",
        "entries": [_entry_record(e) for e in sorted(entries, key=lambda e: e.fingerprint)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def apply_baseline(
    findings: Sequence[Finding], keys: Mapping[str, str], baseline: Mapping[str, Entry], path: str
) -> tuple[list[Finding], list[Diagnostic]]:
    """Drop the findings the baseline accepts; report its entries that matched nothing.

    `keys` maps finding ids to fingerprints (`fingerprints`).
    """
    kept = [f for f in findings if keys[f.id] not in baseline]
    seen = set(keys.values())
    stale = [
        Diagnostic(
            path,
            Severity.NOTE,
            "baseline.stale",
            f"entry {e.fingerprint} ({e.code}{': ' + e.subject if e.subject else ''}) matches "
            "no finding any more; --prune-baseline drops it",
        )
        for e in sorted(baseline.values(), key=lambda e: e.fingerprint)
        if e.fingerprint not in seen
    ]
    return kept, stale
