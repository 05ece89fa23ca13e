"""The evaluation scorer (`benchmarks/evaluate.py`): scoring rules, gold files, seeds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import evaluate  # noqa: E402

from checker.ingest import discover, read_document, unique_ids  # noqa: E402
from checker.model import (  # noqa: E402
    Claim,
    Document,
    Finding,
    FindingKind,
    Interval,
    Kind,
    Report,
    Severity,
    Span,
    Subject,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "evaluation" / "gold"
STORIES = ROOT / "evaluation" / "stories"

TEXT_A = "Crew: 23 crew members were rescued. Also 40 firefighters north, 15 firefighters south."
TEXT_B = "Inquiry: 31 crew were aboard. The toll rose to 12 dead from 9 dead."
DOC_A = Document("a", "story/a.txt", TEXT_A)
DOC_B = Document("b", "story/b.md", TEXT_B)

GOLD_TOML = """
story = "story"
summary = "tiny"

[[finding]]
kind = "conflict"
why = "crew size"
claims = [
  { doc = "a.txt", quote = "23 crew members" },
  { doc = "b.md", quote = "31 crew" },
]

[[finding]]
kind = "assumption"
why = "never reported"
claims = [
  { doc = "a.txt", quote = "Crew:" },
  { doc = "b.md", quote = "Inquiry:" },
]

[[finding]]
kind = "update"
why = "toll grows"
claims = [
  { doc = "b.md", quote = "12 dead" },
  { doc = "b.md", quote = "9 dead" },
]

[[must_not]]
why = "different piers"
claims = [
  { doc = "a.txt", quote = "40 firefighters" },
  { doc = "a.txt", quote = "15 firefighters" },
]
"""


def _claim(doc: Document, text: str, n: int) -> Claim:
    start = doc.text.index(text)
    return Claim(
        id=f"{doc.id}#{n}",
        span=Span(doc.id, start, start + len(text)),
        text=text,
        kind=Kind.COUNT,
        value=Interval(1.0, 1.0),
        subject=Subject("x"),
        sentence=Span(doc.id, 0, len(doc.text)),
    )


def _finding(
    fid: str, severity: Severity, kind: FindingKind, *claims: Claim, code: str = "count.x"
) -> Finding:
    return Finding(fid, severity, kind, code, "F1", claims, f"message {fid}", "why", 0.9)


def _report(*findings: Finding) -> Report:
    return Report("0", (DOC_A, DOC_B), (), (), findings, ())


def _gold(tmp_path: Path, text: str = GOLD_TOML) -> evaluate.LocatedGold:
    path = tmp_path / "story.toml"
    path.write_text(text, encoding="utf-8")
    return evaluate.locate(evaluate.parse_gold(path), (DOC_A, DOC_B), "story")


CREW_23 = _claim(DOC_A, "23", 0)
CREW_31 = _claim(DOC_B, "31 crew were", 1)
FIRE_40 = _claim(DOC_A, "40", 2)
FIRE_15 = _claim(DOC_A, "15", 3)
DEAD_12 = _claim(DOC_B, "12", 4)
DEAD_9 = _claim(DOC_B, "9", 5)


def test_true_positive_false_positive_false_negative(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    tp = _finding("D1", Severity.ERROR, FindingKind.CONFLICT, CREW_23, CREW_31)
    fp = _finding("D2", Severity.WARNING, FindingKind.ASSUMPTION, CREW_23, DEAD_9, code="c.fp")
    result = evaluate.score(_report(tp, fp), gold)
    assert (result.gold, result.reported, result.tp, result.fp, result.fn) == (2, 2, 1, 1, 1)
    assert result.precision == 0.5 and result.recall == 0.5
    assert (result.kind_agree, result.matched) == (1, 1)
    assert [f["code"] for f in result.false_positives] == ["c.fp"]
    assert [f["why"] for f in result.false_negatives] == ["never reported"]
    assert result.violations == 0


def test_one_overlapping_claim_is_not_a_match_and_kind_disagreement_counts(
    tmp_path: Path,
) -> None:
    gold = _gold(tmp_path)
    half = _finding("D1", Severity.ERROR, FindingKind.CONFLICT, CREW_23, FIRE_40)
    wrong_kind = _finding("D2", Severity.WARNING, FindingKind.DISPUTED, CREW_23, CREW_31)
    result = evaluate.score(_report(half, wrong_kind), gold)
    assert (result.tp, result.fp, result.matched, result.kind_agree) == (1, 1, 1, 0)


def test_a_reported_update_error_is_a_false_positive(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    serious = _finding("D1", Severity.ERROR, FindingKind.CONFLICT, DEAD_12, DEAD_9)
    result = evaluate.score(_report(serious), gold)
    assert (result.tp, result.fp, result.updates_found) == (0, 1, 0)


def test_must_not_violation(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    bad = _finding("D1", Severity.WARNING, FindingKind.ASSUMPTION, FIRE_40, FIRE_15)
    note = _finding("N1", Severity.NOTE, FindingKind.IMPRECISE, FIRE_40, FIRE_15)
    result = evaluate.score(_report(bad, note), gold)
    assert result.violations == 1 and result.fp == 1
    assert result.violation_list[0]["why"] == "different piers"


def test_update_note_is_scored_apart_from_precision_and_recall(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    note = _finding("N1", Severity.NOTE, FindingKind.UPDATE, DEAD_9, DEAD_12)
    result = evaluate.score(_report(note), gold)
    assert (result.updates_found, result.updates_gold) == (1, 1)
    assert result.reported == 0 and result.precision is None and result.recall == 0.0
    missed = evaluate.score(_report(), gold)
    assert missed.updates_found == 0 and len(missed.missed_updates) == 1


def test_one_reported_claim_cannot_cover_two_gold_claims() -> None:
    doc = Document("c", "story/c.txt", "between 30 and 40 people")
    wide = _claim(doc, "30 and 40", 0)
    entry = evaluate.LocatedEntry(
        "conflict",
        "x",
        (evaluate.Located("c", 8, 10, "c.txt", "30"), evaluate.Located("c", 15, 17, "c.txt", "40")),
    )
    assert evaluate.matched_count([wide], entry.claims) == 1
    assert not evaluate.finding_matches(
        _finding("D1", Severity.ERROR, FindingKind.CONFLICT, wide), entry
    )


def test_totals_and_render(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    tp = _finding("D1", Severity.ERROR, FindingKind.CONFLICT, CREW_23, CREW_31)
    one = evaluate.score(_report(tp), gold)
    two = evaluate.score(_report(), gold)
    summed = evaluate.total([one, two])
    assert (summed.gold, summed.tp, summed.fn, summed.documents) == (4, 1, 3, 4)
    assert summed.recall == 0.25
    scores = {"corpus": [one, two], "seeds": []}
    text = evaluate.render(scores, verbose=True)
    assert "TOTAL our corpus" in text and "FN assumption: never reported" in text
    data = evaluate.as_json(scores)
    assert data["corpus"]["total"]["recall"] == 0.25 and data["seeds"]["total"] is None
    assert evaluate.gate(scores, min_precision=None, min_recall=0.5, max_violations=None)
    assert not evaluate.gate(scores, min_precision=1.0, min_recall=0.2, max_violations=0)


@pytest.mark.parametrize(
    ("replace", "needle"),
    [
        pytest.param(('"31 crew"', '"99 crew"'), "not found", id="missing-quote"),
        pytest.param(
            ('"40 firefighters"', '"firefighters"'), "found 2 times", id="ambiguous-quote"
        ),
        pytest.param(('"b.md"', '"c.md"'), "no document", id="unknown-doc"),
    ],
)
def test_bad_quotes_are_gold_errors(tmp_path: Path, replace: tuple[str, str], needle: str) -> None:
    with pytest.raises(evaluate.GoldError) as info:
        _gold(tmp_path, GOLD_TOML.replace(*replace, 1))
    assert any(needle in p for p in info.value.problems)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(GOLD_TOML.replace('kind = "conflict"', 'kind = "clash"'), id="bad-kind"),
        pytest.param(GOLD_TOML.replace("[[finding]]", "[[findings]]", 1), id="unknown-key"),
        pytest.param("story = 'x'\n[[must_not]]\nwhy = 'w'\nclaims = []\n", id="no-claims"),
        pytest.param("story = [", id="not-toml"),
    ],
)
def test_malformed_gold_files_are_rejected(tmp_path: Path, text: str) -> None:
    path = tmp_path / "story.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(evaluate.GoldError):
        evaluate.parse_gold(path)


def _story(tmp_path: Path) -> tuple[Path, Path]:
    stories, gold = tmp_path / "stories", tmp_path / "gold"
    (stories / "story").mkdir(parents=True)
    gold.mkdir()
    (stories / "story" / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (stories / "story" / "b.md").write_text(TEXT_B, encoding="utf-8")
    (gold / "story.toml").write_text(GOLD_TOML, encoding="utf-8")
    return stories, gold


def test_cli_runs_a_story_and_exits_by_the_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stories, gold = _story(tmp_path)
    base = ["--stories", str(stories), "--gold", str(gold), "--seeds", str(tmp_path / "none")]
    assert evaluate.main([*base, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["corpus"]["stories"][0]["gold"] == 2
    assert evaluate.main([*base, "--min-recall", "1.0"]) == 1
    capsys.readouterr()
    (gold / "story.toml").write_text(GOLD_TOML.replace('"31 crew"', '"99 crew"'), "utf-8")
    assert evaluate.main(base) == 2
    assert "GOLD ERROR" in capsys.readouterr().err


def _documents(folder: Path) -> list[Document]:
    sources, _ = discover([str(folder)])
    docs = [read_document(s, i)[0] for s, i in zip(sources, unique_ids(sources), strict=True)]
    return [d for d in docs if d is not None]


# Our corpus and the held-out sets: (gold folder, stories folder).
GOLD_SETS = [
    (GOLD_DIR, STORIES),
    *(
        (ROOT / "evaluation" / f"{name}-gold", ROOT / "evaluation" / name)
        for name in ("holdout", "holdout2", "holdout3", "holdout4", "holdout5")
    ),
]
GOLD_FILES = sorted(path for gold, _ in GOLD_SETS for path in gold.glob("*.toml"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in GOLD_FILES])
def test_every_gold_file_parses_and_every_quote_is_unique(
    path: Path, request: pytest.FixtureRequest
) -> None:
    gold = evaluate.parse_gold(path)
    if path.stem == evaluate.SEEDS_STORY:
        assert gold.story == evaluate.SEEDS_STORY
        folder: Path = request.getfixturevalue("seeds_dir")
    else:
        assert gold.story == path.stem
        stories = dict(GOLD_SETS)[path.parent]
        folder = stories / path.stem
        assert folder.is_dir(), f"no story folder for {path.name}"
    located = evaluate.locate(gold, _documents(folder), str(folder))
    assert len(located.findings) == len(gold.findings)


def test_seeds_score_both_findings_without_false_alarms(seeds_dir: Path) -> None:
    job = evaluate.Job(GOLD_DIR / "seeds.toml", seeds_dir, "seeds")
    result, _ = evaluate.run_job(job)
    assert (result.gold, result.matched, result.fn) == (2, 2, 0)
    assert result.fp == 0, result.false_positives
    assert result.violations == 0, result.violation_list
    assert result.kind_agree == 2


def test_our_corpus_meets_the_issue_targets() -> None:
    """Precision and recall on our own evaluation corpus stay at or above 0.9, with no
    must-not violation (issue 4's targets): a change that costs either fails here."""
    jobs, problems, _ = evaluate.plan(STORIES, GOLD_DIR, ROOT / "no-seeds-here")
    assert not problems
    scores, gold_problems = evaluate.evaluate(jobs)
    assert not gold_problems
    corpus = evaluate.total(scores["corpus"])
    assert corpus.precision is not None and corpus.precision >= 0.9, corpus
    assert corpus.recall is not None and corpus.recall >= 0.9, corpus
    assert corpus.violations == 0, corpus.violation_list
