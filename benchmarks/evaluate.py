"""Score checker's findings against the gold files of the evaluation corpus.

For every `evaluation/gold/<story>.toml` (format: `evaluation/GOLD.md`) the checker is run
on `evaluation/stories/<story>/`, as a user would run it, and its findings are compared
with the gold ones; `evaluation/gold/seeds.toml` is scored against the shared seed folder
(`../shared/seeds`). Totals are printed for our corpus and for the seeds separately.

Scoring:
- a gold claim is located by its `quote`, which must occur exactly once in the document's
  text as the checker decoded it; a reported claim matches it when it is in the same
  document and the spans overlap;
- a reported error or warning is a true positive when two of its claims match two
  distinct claims of one gold `conflict`/`assumption`/`disputed` finding, else a false
  positive; recall counts the gold error/warning findings some reported error or warning
  matches; kind agreement counts the matched gold findings that some matching reported
  finding gives the same kind;
- a gold `update` is found when a reported note matches two of its claims (not in P/R);
- a must-not violation is a reported error or warning whose claims match every claim of
  a `must_not` entry.

Exit status: 0 after a successful run, 1 when `--min-precision`, `--min-recall` or
`--max-violations` is given and missed, 2 when a gold file is wrong (bad shape, unknown
document, a quote missing or not unique) or a story cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.engine import check
from checker.errors import NothingReadableError
from checker.model import Claim, Document, Finding, Report, Severity

REPO = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = REPO / "evaluation" / "stories"
DEFAULT_GOLD = REPO / "evaluation" / "gold"
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
SEEDS_STORY = "seeds"

SERIOUS_KINDS = frozenset({"conflict", "assumption", "disputed"})
GOLD_KINDS = SERIOUS_KINDS | {"update"}
SERIOUS = frozenset({Severity.ERROR, Severity.WARNING})

TOP_KEYS = frozenset({"story", "summary", "finding", "must_not"})
FINDING_KEYS = frozenset({"kind", "why", "claims"})
MUST_NOT_KEYS = frozenset({"why", "claims"})
CLAIM_KEYS = frozenset({"doc", "quote"})


class GoldError(Exception):
    """A gold file is wrong; `problems` lists every problem found, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# --- gold files ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldClaim:
    """One quoted figure in one document, as the gold file gives it."""

    doc: str
    quote: str


@dataclass(frozen=True, slots=True)
class GoldEntry:
    """A `[[finding]]` (with its kind) or a `[[must_not]]` entry (kind `None`)."""

    kind: str | None
    why: str
    claims: tuple[GoldClaim, ...]


@dataclass(frozen=True, slots=True)
class Gold:
    """A parsed gold file."""

    path: Path
    story: str
    summary: str
    findings: tuple[GoldEntry, ...]
    must_not: tuple[GoldEntry, ...]


def parse_gold(path: Path) -> Gold:
    """Read and validate a gold file; raise `GoldError` listing every problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GoldError([f"{path}: cannot parse: {exc}"]) from exc
    return gold_from_data(data, path)


def gold_from_data(data: dict[str, Any], path: Path) -> Gold:
    """Validate the parsed TOML of a gold file (see `evaluation/GOLD.md`)."""
    problems: list[str] = []

    def bad(message: str) -> None:
        problems.append(f"{path}: {message}")

    for key in sorted(set(data) - TOP_KEYS):
        bad(f"unknown key {key!r} (expected one of {', '.join(sorted(TOP_KEYS))})")
    story = data.get("story")
    if not isinstance(story, str) or not story:
        bad("`story` must be a non-empty string")
        story = path.stem
    summary = data.get("summary", "")
    if not isinstance(summary, str):
        bad("`summary` must be a string")
        summary = ""
    findings = _entries(data.get("finding", []), "finding", FINDING_KEYS, bad)
    must_not = _entries(data.get("must_not", []), "must_not", MUST_NOT_KEYS, bad)
    if problems:
        raise GoldError(problems)
    return Gold(path, story, summary, tuple(findings), tuple(must_not))


def _entries(
    raw: object, section: str, keys: frozenset[str], bad: Callable[[str], None]
) -> list[GoldEntry]:
    if not isinstance(raw, list):
        bad(f"`{section}` must be an array of tables ([[{section}]])")
        return []
    entries: list[GoldEntry] = []
    for number, item in enumerate(raw, 1):
        where = f"[[{section}]] #{number}"
        if not isinstance(item, dict):
            bad(f"{where}: must be a table")
            continue
        for key in sorted(set(item) - keys):
            bad(f"{where}: unknown key {key!r}")
        kind: str | None = None
        if section == "finding":
            raw_kind = item.get("kind")
            if raw_kind not in GOLD_KINDS:
                bad(f"{where}: kind {raw_kind!r} is not one of {', '.join(sorted(GOLD_KINDS))}")
                continue
            kind = str(raw_kind)
        why = item.get("why", "")
        if not isinstance(why, str) or not why.strip():
            bad(f"{where}: `why` must be a non-empty string")
            why = ""
        claims: list[GoldClaim] = []
        raw_claims = item.get("claims")
        if not isinstance(raw_claims, list) or len(raw_claims) < 2:
            bad(f"{where}: `claims` must list at least two claims")
            continue
        for index, claim in enumerate(raw_claims, 1):
            if (
                not isinstance(claim, dict)
                or set(claim) != CLAIM_KEYS
                or not all(isinstance(claim[k], str) and claim[k] for k in CLAIM_KEYS)
            ):
                bad(f'{where}: claim {index} must be {{ doc = "...", quote = "..." }}')
                continue
            claims.append(GoldClaim(claim["doc"], claim["quote"]))
        if len(set(claims)) != len(claims):
            bad(f"{where}: the same claim is listed twice")
        if section == "must_not" and len(claims) != 2:
            bad(f"{where}: a must_not entry holds exactly two claims")
        entries.append(GoldEntry(kind, why, tuple(claims)))
    return entries


# --- locating gold claims ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Located:
    """A gold claim found in a document: `[start, end)` of the document's text."""

    doc_id: str
    start: int
    end: int
    doc: str
    quote: str


@dataclass(frozen=True, slots=True)
class LocatedEntry:
    """A gold entry whose claims have been found."""

    kind: str | None
    why: str
    claims: tuple[Located, ...]


@dataclass(frozen=True, slots=True)
class LocatedGold:
    """A gold file with every quote resolved to a span."""

    story: str
    findings: tuple[LocatedEntry, ...]
    must_not: tuple[LocatedEntry, ...]


def relative_name(document: Document, root: str | Path) -> str:
    """Return the document's path relative to the folder the checker was run on."""
    prefix = Path(root).as_posix().rstrip("/") + "/"
    return document.path[len(prefix) :] if document.path.startswith(prefix) else document.path


def resolve_document(name: str, documents: Sequence[Document], root: str | Path) -> Document | None:
    """Find the document a gold `doc` names: its path under the story folder, else its
    file name or id when that is unique."""
    for document in documents:
        if relative_name(document, root) == name:
            return document
    by_name = [d for d in documents if Path(d.path).name == name]
    if len(by_name) == 1:
        return by_name[0]
    by_id = [d for d in documents if name in (d.id, Path(d.path).stem)]
    return by_id[0] if len(by_id) == 1 else None


def locate(gold: Gold, documents: Sequence[Document], root: str | Path) -> LocatedGold:
    """Resolve every gold quote in the documents' decoded text; raise `GoldError`."""
    problems: list[str] = []
    cache: dict[GoldClaim, Located] = {}

    def find(claim: GoldClaim, where: str) -> Located | None:
        if claim in cache:
            return cache[claim]
        document = resolve_document(claim.doc, documents, root)
        if document is None:
            names = ", ".join(sorted(relative_name(d, root) for d in documents))
            problems.append(f"{gold.path}: {where}: no document {claim.doc!r} (have: {names})")
            return None
        count = document.text.count(claim.quote)
        if count != 1:
            what = "not found" if count == 0 else f"found {count} times (must be unique)"
            problems.append(f"{gold.path}: {where}: quote {claim.quote!r} {what} in {claim.doc}")
            return None
        start = document.text.index(claim.quote)
        located = Located(document.id, start, start + len(claim.quote), claim.doc, claim.quote)
        cache[claim] = located
        return located

    def resolve(entries: Sequence[GoldEntry], section: str) -> tuple[LocatedEntry, ...]:
        out = []
        for number, entry in enumerate(entries, 1):
            found = [find(c, f"[[{section}]] #{number}") for c in entry.claims]
            claims = tuple(c for c in found if c is not None)
            out.append(LocatedEntry(entry.kind, entry.why, claims))
        return tuple(out)

    findings = resolve(gold.findings, "finding")
    must_not = resolve(gold.must_not, "must_not")
    if problems:
        raise GoldError(problems)
    return LocatedGold(gold.story, findings, must_not)


# --- scoring -----------------------------------------------------------------------------


def overlaps(claim: Claim, gold: Located) -> bool:
    """Return whether a reported claim matches a gold claim: same document, spans overlap."""
    span = claim.span
    return span.doc_id == gold.doc_id and span.start < gold.end and gold.start < span.end


def matched_count(claims: Sequence[Claim], gold: Sequence[Located]) -> int:
    """Return how many gold claims distinct reported claims can match, one to one."""
    owner: dict[int, int] = {}  # gold index -> reported index

    def augment(r: int, seen: set[int]) -> bool:
        for g, located in enumerate(gold):
            if g in seen or not overlaps(claims[r], located):
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = r
                return True
        return False

    return sum(augment(r, set()) for r in range(len(claims)))


def finding_matches(finding: Finding, entry: LocatedEntry) -> bool:
    """Return whether a reported finding rests on at least two claims of a gold finding."""
    return matched_count(finding.claims, entry.claims) >= 2


def violates(finding: Finding, entry: LocatedEntry) -> bool:
    """Return whether a reported finding holds every claim of a must-not entry."""
    return matched_count(finding.claims, entry.claims) == len(entry.claims)


@dataclass(slots=True)
class StoryScore:
    """The figures for one story, and what went wrong for `--verbose`."""

    story: str
    documents: int = 0
    gold: int = 0
    reported: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    matched: int = 0
    kind_agree: int = 0
    violations: int = 0
    updates_found: int = 0
    updates_gold: int = 0
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    false_negatives: list[dict[str, Any]] = field(default_factory=list)
    violation_list: list[dict[str, Any]] = field(default_factory=list)
    missed_updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """Return TP / reported errors and warnings, `None` when nothing was reported."""
        return self.tp / self.reported if self.reported else None

    @property
    def recall(self) -> float | None:
        """Return matched gold findings / gold findings, `None` without gold findings."""
        return self.matched / self.gold if self.gold else None

    def figures(self, *, details: bool = True) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict."""
        out: dict[str, Any] = {
            "story": self.story,
            "documents": self.documents,
            "gold": self.gold,
            "reported": self.reported,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "kind_agreement": {"agree": self.kind_agree, "matched": self.matched},
            "must_not_violations": self.violations,
            "update_notes": {"found": self.updates_found, "gold": self.updates_gold},
        }
        if details:
            out["false_positives"] = self.false_positives
            out["false_negatives"] = self.false_negatives
            out["must_not_violation_list"] = self.violation_list
            out["missed_updates"] = self.missed_updates
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _quotes(entry: LocatedEntry) -> list[dict[str, str]]:
    return [{"doc": c.doc, "quote": c.quote} for c in entry.claims]


def _reported(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "severity": str(finding.severity),
        "kind": str(finding.kind),
        "code": finding.code,
        "claims": [f"{c.span.doc_id}: {c.text}" for c in finding.claims],
        "message": finding.message,
    }


def score(report: Report, gold: LocatedGold) -> StoryScore:
    """Compare a report's findings with a located gold file."""
    result = StoryScore(gold.story, documents=len(report.documents))
    serious_gold = [g for g in gold.findings if g.kind in SERIOUS_KINDS]
    update_gold = [g for g in gold.findings if g.kind == "update"]
    serious = [f for f in report.findings if f.severity in SERIOUS]
    notes = [f for f in report.findings if f.severity is Severity.NOTE]
    result.gold = len(serious_gold)
    result.reported = len(serious)
    result.updates_gold = len(update_gold)

    matches: dict[int, list[Finding]] = {i: [] for i in range(len(serious_gold))}
    for finding in serious:
        hit = [i for i, entry in enumerate(serious_gold) if finding_matches(finding, entry)]
        for i in hit:
            matches[i].append(finding)
        if hit:
            result.tp += 1
        else:
            result.fp += 1
            result.false_positives.append(_reported(finding))
        for entry in gold.must_not:
            if violates(finding, entry):
                result.violations += 1
                result.violation_list.append(
                    {"why": entry.why, "claims": _quotes(entry), "finding": _reported(finding)}
                )
    for i, entry in enumerate(serious_gold):
        found = matches[i]
        if not found:
            result.fn += 1
            result.false_negatives.append(
                {"kind": entry.kind, "why": entry.why, "claims": _quotes(entry)}
            )
            continue
        result.matched += 1
        if any(str(f.kind) == entry.kind for f in found):
            result.kind_agree += 1
    for entry in update_gold:
        if any(finding_matches(note, entry) for note in notes):
            result.updates_found += 1
        else:
            result.missed_updates.append({"why": entry.why, "claims": _quotes(entry)})
    return result


def total(scores: Iterable[StoryScore], label: str = "TOTAL") -> StoryScore:
    """Sum story figures; precision and recall are then micro-averaged."""
    out = StoryScore(label)
    for s in scores:
        out.documents += s.documents
        out.gold += s.gold
        out.reported += s.reported
        out.tp += s.tp
        out.fp += s.fp
        out.fn += s.fn
        out.matched += s.matched
        out.kind_agree += s.kind_agree
        out.violations += s.violations
        out.updates_found += s.updates_found
        out.updates_gold += s.updates_gold
    return out


# --- running ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """One gold file and the folder its story is in."""

    gold_path: Path
    folder: Path
    group: str  # "corpus" or "seeds"


def plan(stories: Path, gold_dir: Path, seeds: Path) -> tuple[list[Job], list[str], list[str]]:
    """Pair gold files with story folders; return jobs, gold problems and notices."""
    jobs: list[Job] = []
    problems: list[str] = []
    notices: list[str] = []
    gold_files = sorted(gold_dir.glob("*.toml")) if gold_dir.is_dir() else []
    for path in gold_files:
        if path.stem == SEEDS_STORY:
            if seeds.is_dir():
                jobs.append(Job(path, seeds, "seeds"))
            else:
                notices.append(f"seeds not scored: no seed folder at {seeds}")
            continue
        folder = stories / path.stem
        if not folder.is_dir():
            problems.append(f"{path}: no story folder {folder}")
            continue
        jobs.append(Job(path, folder, "corpus"))
    if stories.is_dir():
        named = {p.stem for p in gold_files}
        for folder in sorted(p for p in stories.iterdir() if p.is_dir()):
            if folder.name not in named and not folder.name.startswith("."):
                notices.append(f"story {folder.name!r} not scored: no gold file")
    return jobs, problems, notices


def run_job(job: Job) -> tuple[StoryScore, Report]:
    """Run the checker on one story and score it; raise `GoldError` on a bad gold file."""
    gold = parse_gold(job.gold_path)
    expected = SEEDS_STORY if job.group == "seeds" else job.gold_path.stem
    if gold.story != expected:
        raise GoldError([f"{job.gold_path}: story = {gold.story!r}, expected {expected!r}"])
    try:
        report = check([str(job.folder)])
    except NothingReadableError as exc:
        raise GoldError([f"{job.gold_path}: {exc}"]) from exc
    located = locate(gold, report.documents, str(job.folder))
    return score(report, located), report


GROUPS = (("corpus", "our corpus"), ("seeds", "seeds"))


def evaluate(jobs: Sequence[Job]) -> tuple[dict[str, list[StoryScore]], list[str]]:
    """Score every job; return scores by group and every gold problem met."""
    scores: dict[str, list[StoryScore]] = {key: [] for key, _ in GROUPS}
    problems: list[str] = []
    for job in jobs:
        try:
            story_score, _ = run_job(job)
        except GoldError as exc:
            problems.extend(exc.problems)
            continue
        scores[job.group].append(story_score)
    return scores, problems


# --- output ------------------------------------------------------------------------------

COLUMNS = (
    ("story", 24),
    ("docs", 5),
    ("gold", 5),
    ("rep", 5),
    ("TP", 4),
    ("FP", 4),
    ("FN", 4),
    ("prec", 6),
    ("recall", 6),
    ("kind", 6),
    ("must-not", 8),
    ("updates", 7),
)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(s: StoryScore) -> str:
    cells = (
        s.story,
        s.documents,
        s.gold,
        s.reported,
        s.tp,
        s.fp,
        s.fn,
        _pct(s.precision),
        _pct(s.recall),
        f"{s.kind_agree}/{s.matched}",
        s.violations,
        f"{s.updates_found}/{s.updates_gold}",
    )
    parts = [f"{cells[0]!s:<{COLUMNS[0][1]}}"]
    parts.extend(f"{c!s:>{w}}" for c, (_, w) in zip(cells[1:], COLUMNS[1:], strict=True))
    return " ".join(parts)


def _claims_text(claims: Sequence[dict[str, str]]) -> str:
    return "; ".join(f'{c["doc"]}: "{c["quote"]}"' for c in claims)


def _details(s: StoryScore) -> list[str]:
    lines: list[str] = []
    for fp in s.false_positives:
        lines.append(f"  FP {fp['code']} ({fp['severity']}): {fp['message']}")
    for fn in s.false_negatives:
        lines.append(f"  FN {fn['kind']}: {fn['why']} [{_claims_text(fn['claims'])}]")
    for v in s.violation_list:
        f = v["finding"]
        lines.append(
            f"  MUST-NOT {f['code']} ({f['severity']}) pairs {_claims_text(v['claims'])}"
            f" — {v['why']} | {f['message']}"
        )
    for u in s.missed_updates:
        lines.append(f"  update missed: {u['why']} [{_claims_text(u['claims'])}]")
    return lines


def render(scores: dict[str, list[StoryScore]], *, verbose: bool = False) -> str:
    """Return the tables: one per group, a row per story and a total row."""
    header = _row_header()
    lines: list[str] = []
    for key, label in GROUPS:
        rows = scores.get(key, [])
        lines.append(f"== {label} ==")
        if not rows:
            lines.append("(no gold files scored)")
            lines.append("")
            continue
        lines.append(header)
        lines.append("-" * len(header))
        for s in rows:
            lines.append(_row(s))
            if verbose:
                lines.extend(_details(s))
        lines.append("-" * len(header))
        lines.append(_row(total(rows, f"TOTAL {label}")))
        lines.append("")
    lines.append(
        "prec = TP / reported errors+warnings; recall = gold findings matched / gold; "
        "kind = matched gold findings given the gold kind; updates = update notes found / gold."
    )
    return "\n".join(lines)


def _row_header() -> str:
    parts = [f"{COLUMNS[0][0]:<{COLUMNS[0][1]}}"]
    parts.extend(f"{name:>{width}}" for name, width in COLUMNS[1:])
    return " ".join(parts)


def as_json(scores: dict[str, list[StoryScore]], *, verbose: bool = False) -> dict[str, Any]:
    """Return the figures as a JSON-ready dict, by group."""
    out: dict[str, Any] = {}
    for key, label in GROUPS:
        rows = scores.get(key, [])
        out[key] = {
            "label": label,
            "stories": [s.figures(details=verbose) for s in rows],
            "total": total(rows, f"TOTAL {label}").figures(details=False) if rows else None,
        }
    return out


def gate(
    scores: dict[str, list[StoryScore]],
    *,
    min_precision: float | None,
    min_recall: float | None,
    max_violations: int | None,
) -> list[str]:
    """Return why the totals miss the given thresholds (empty when they pass).

    Undefined precision (nothing reported) and recall (no gold findings) pass.
    """
    failures: list[str] = []
    for key, label in GROUPS:
        rows = scores.get(key, [])
        if not rows:
            continue
        t = total(rows)
        p, r = t.precision, t.recall
        if min_precision is not None and p is not None and p < min_precision:
            failures.append(f"{label}: precision {p:.3f} < {min_precision}")
        if min_recall is not None and r is not None and r < min_recall:
            failures.append(f"{label}: recall {r:.3f} < {min_recall}")
        if max_violations is not None and t.violations > max_violations:
            failures.append(f"{label}: {t.violations} must-not violations > {max_violations}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--verbose", action="store_true", help="list every FP, FN and must-not violation"
    )
    parser.add_argument("--min-precision", type=float, default=None, metavar="P")
    parser.add_argument("--min-recall", type=float, default=None, metavar="R")
    parser.add_argument("--max-violations", type=int, default=None, metavar="N")
    args = parser.parse_args(argv)

    jobs, problems, notices = plan(args.stories, args.gold, args.seeds)
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    scores, more = evaluate(jobs)
    problems.extend(more)
    if problems:
        print(f"GOLD ERROR: {len(problems)} problem(s) in the gold files:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_json(scores, verbose=args.verbose), indent=2, ensure_ascii=False))
    else:
        print(render(scores, verbose=args.verbose))
    failures = gate(
        scores,
        min_precision=args.min_precision,
        min_recall=args.min_recall,
        max_violations=args.max_violations,
    )
    for failure in failures:
        print(f"below threshold: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
