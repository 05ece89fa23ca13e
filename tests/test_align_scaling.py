"""Alignment at scale: the fast clustering is the plain greedy one, and stories part facts.

`_cluster` computes the verdict between two claim profiles once and looks groups up by
story instead of scanning them; on real claims it must give exactly the groups the
plain greedy loop gives (every member compatible, first group wins).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from checker.align import _cluster, align, block_key, compatible, main_events
from checker.ambiguity import vague_subjects
from checker.engine import check
from checker.model import Claim
from checker.stories import names_in, stories

REPO = Path(__file__).resolve().parents[1]
CORPORA = [
    REPO / "examples",
    REPO.parent / "shared" / "seeds",
    *sorted((REPO / "evaluation" / "stories").glob("*/docs")),
]


def plain_greedy(claims: Sequence[Claim], main: Mapping[str, str]) -> list[list[Claim]]:
    """The definition `_cluster` must keep: join the first group all of whose members fit."""
    groups: list[list[Claim]] = []
    for claim in claims:
        for group in groups:
            if all(compatible(claim, other, main) for other in group):
                group.append(claim)
                break
        else:
            groups.append([claim])
    return groups


def blocks(claims: Sequence[Claim]) -> list[list[Claim]]:
    vague = vague_subjects(claims)
    found: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
    for claim in claims:
        key = None if claim.id in vague else block_key(claim)
        if key is not None:
            found[key].append(claim)
    return [found[k] for k in sorted(found)]


@pytest.mark.parametrize("corpus", [c for c in CORPORA if c.is_dir()], ids=lambda p: p.parent.name)
def test_memoised_clustering_is_the_plain_greedy_one(corpus: Path) -> None:
    claims = list(check([corpus], claims_only=True).claims)
    main = main_events(claims)
    for block in blocks(claims):
        assert _cluster(block, main) == plain_greedy(block, main)


def test_copies_of_one_block_cluster_like_the_plain_loop() -> None:
    """Syndicated copies share profiles: the memo must still put each copy right."""
    claims = list(check([REPO / "examples"], claims_only=True).claims)
    copies = [
        c.__class__(**{**{f: getattr(c, f) for f in c.__slots__}, "id": f"{c.id}~{n}"})
        for n in range(3)
        for c in claims
    ]
    main = main_events(copies)
    for block in blocks(copies):
        assert _cluster(block, main) == plain_greedy(block, main)


def _corpus(folder: Path, texts: dict[str, str]) -> None:
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_stories_part_look_alike_figures_of_two_places(tmp_path: Path) -> None:
    area = "Unemployment in the area stands at {}%."
    arnarvia = "Floods hit Arnarvia on Monday. Residents of Arnarvia fled. " + area
    zanistan = "A storm hit Zanistan on Monday. Roads in Zanistan closed. " + area
    _corpus(
        tmp_path,
        {
            "a1.txt": arnarvia.format(15),
            "a2.txt": "The Arnarvia floods: schools in Arnarvia shut. " + area.format(15),
            "z1.txt": zanistan.format(40),
            "z2.txt": "Talks in Zanistan: aid for Zanistan. " + area.format(40),
        },
    )
    report = check([tmp_path])
    unemployment = [f for f in report.facts if "nemployment" in f.subject or "area" in f.subject]
    docs = [sorted({c.span.doc_id[0] for c in f.claims}) for f in report.facts if len(f.claims) > 1]
    assert ["a", "z"] not in [sorted(set(d)) for d in docs], (unemployment, docs)
    assert not report.findings


def test_a_follow_up_naming_the_place_once_is_the_same_story() -> None:
    names = {
        "first": names_in("The Kestel dam burst. Water from the Kestel dam reached Sarva."),
        "second": names_in("Rescuers in the town of Brenk, below the Kestel dam, said so."),
        "third": names_in("A quake shook Ostrel, and Ostrel was cut off."),
        "fourth": names_in("Ostrel is quiet, near Brenk."),
    }
    told = stories(names)
    assert told.related("first", "second")
    assert told.related("third", "fourth")


def test_a_name_in_every_report_of_a_large_corpus_tells_nothing() -> None:
    names = {f"d{n}": Counter({"Iraq": 3, "Baghdad": 2}) for n in range(60)}
    told = stories(names)
    assert all(told.open(d) for d in names)
    assert told.related("d1", "d2")


def test_reports_without_names_and_reference_files_are_open() -> None:
    told = stories(
        {"named": Counter({"Arnarvia": 2}), "other": Counter({"Arnarvia": 1}), "none": Counter()},
        open_docs=["named"],
    )
    assert told.open("named") and told.open("none")
    assert told.related("none", "other")


def test_align_without_stories_is_unchanged_by_them_in_one_story() -> None:
    report = check([REPO / "examples"], claims_only=True)
    claims = list(report.claims)
    told = stories({d.id: names_in(d.text) for d in report.documents})
    assert align(claims, told) == align(claims)


def _codes(folder: Path) -> list[str]:
    return sorted(f.code for f in check([folder]).findings)


def test_sixty_copies_of_one_report_change_no_finding(tmp_path: Path) -> None:
    """Copies make the story's names common; the reports must still meet."""
    examples = sorted((REPO / "examples").iterdir())
    alone = tmp_path / "alone"
    many = tmp_path / "many"
    for folder, copies in ((alone, 1), (many, 60)):
        folder.mkdir()
        for n in range(copies):
            (folder / f"copy_{n}.txt").write_bytes(examples[0].read_bytes())
        for source in examples[1:]:
            (folder / source.name).write_bytes(source.read_bytes())
    report = check([many])
    assert _codes(many) == _codes(alone)
    # One finding per disagreement, however many copies state each side.
    assert len(report.findings) == len(check([alone]).findings)


def test_shared_verdicts_equal_pair_by_pair_ones(tmp_path: Path) -> None:
    from itertools import combinations

    from checker.compare import _verdicts, compare_pair

    examples = sorted((REPO / "examples").iterdir())
    for n in range(4):
        for source in examples:
            (tmp_path / f"{n}_{source.name}").write_bytes(source.read_bytes())
    report = check([tmp_path])
    published = {d.id: d.published for d in report.documents}
    texts = {d.id: d.text for d in report.documents}
    for fact in report.facts:
        fast = _verdicts(fact.claims, published, texts)
        plain = [
            v
            for a, b in combinations(fact.claims, 2)
            if (v := compare_pair(a, b, published, texts))
        ]
        assert [(v.kind, v.confidence, {v.a.id, v.b.id}) for v in fast] == [
            (v.kind, v.confidence, {v.a.id, v.b.id}) for v in plain
        ]
