"""Run the pipeline: read → extract → date → align → compare → Report.

The only module that knows how the stages are scheduled; today in-process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from checker.align import align, name_events
from checker.compare import compare
from checker.copies import copy_groups, date_from_copies
from checker.dating import date_from_corpus, infer_publication
from checker.errors import NothingReadableError
from checker.extract.claims import Extraction, Options, extract, with_publication
from checker.facts import REFERENCE_ID, load_facts
from checker.gate.store import CachedRun, ExtractionCache, with_published
from checker.ingest import DEFAULT_MAX_BYTES, discover, read_document, unique_ids
from checker.manifest import lookup, unused_keys
from checker.model import (
    Claim,
    DateRange,
    DateSource,
    Diagnostic,
    Document,
    Fact,
    Finding,
    Report,
    Severity,
)
from checker.pubdate import yearless_dateline
from checker.stories import names_in, stories
from checker.version import __version__

Reader = Callable[[Document, Options], Extraction]


def check(
    paths: Sequence[str | Path],
    *,
    dates: Mapping[str, DateRange] | None = None,
    day_first: bool | None = None,
    claims_only: bool = False,
    facts: Path | None = None,
    select: Callable[[Path], bool] | None = None,
    store: ExtractionCache | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Check the documents under `paths` against each other and return the report.

    `dates` gives publication dates by file path, name or stem (from `--date` or a
    manifest); they override dates found in the text. With `claims_only` the report
    holds documents and claims only: nothing is aligned or compared. `facts` names a
    reference facts file (TOML, `schemas/facts.schema.json`) that documents are checked
    against as well. `select` keeps only the files found in folders it accepts (the
    configuration's include and exclude); files named in `paths` are always read.
    `store` reuses the claims of documents read before (`checker.gate.store`).
    A file larger than `max_bytes` (0: no limit) is skipped with a diagnostic.
    """
    sources, diagnostics = discover([str(p) for p in paths])
    if select is not None:
        named = {str(p) for p in paths}
        sources = [s for s in sources if s.display in named or select(s.path)]
    documents: list[Document] = []
    for source, doc_id in zip(sources, unique_ids(sources), strict=True):
        override = lookup(dates or {}, source.display)
        doc, problems = read_document(source, doc_id, override, max_bytes=max_bytes)
        diagnostics.extend(problems)
        if doc is not None:
            documents.append(doc)
    for key in unused_keys(dates or {}, [s.display for s in sources]):
        diagnostics.append(
            Diagnostic(
                None,
                Severity.WARNING,
                "date.unused",
                f"a date was given for {key!r}, which matches no document",
            )
        )
    if not documents:
        reasons = (
            "; ".join(
                f"{d.path}: {d.message}" if d.path else d.message
                for d in diagnostics
                if d.severity in (Severity.ERROR, Severity.WARNING)
            )
            or "no .txt, .md or .html files"
        )
        raise NothingReadableError(
            f"nothing to check under {', '.join(map(str, paths))}: {reasons}"
        )
    options = Options(day_first=day_first)
    reader = store.extract if store is not None else extract
    run_key = ""
    reference = load_facts(facts) if facts is not None else None
    if store is not None:
        run_key = store.run_key(documents, options, _run_salt(claims_only, facts))
        every = [*documents, *([reference.document] if reference else [])]
        if (cached := store.load_run(run_key, every)) is not None:
            return _report(
                paths,
                with_published(every, cached.published),
                cached.claims,
                cached.facts,
                cached.findings,
                [*diagnostics, *cached.diagnostics],
            )
    extracted: dict[str, Extraction] = {}
    dated: list[Document] = []
    for doc in documents:
        result = reader(doc, options)
        if doc.published is None and (estimate := infer_publication(result.claims)) is not None:
            doc = replace(doc, published=estimate)
            result = _redated(doc, result, options, reader)
        dated.append(doc)
        extracted[doc.id] = result
    if reference is not None:
        result = extract(reference.document, options)
        dated.append(reference.document)
        extracted[REFERENCE_ID] = Extraction(
            tuple(replace(c, attribution=reference.source_at(c.span.start)) for c in result.claims),
            result.diagnostics,
        )
    dated = _apply_estimates(dated, extracted, _yearless_dateline_dates(dated), options, reader)
    groups = copy_groups([d for d in dated if d.id != REFERENCE_ID])
    dated = _apply_estimates(dated, extracted, _copy_dates(dated, groups), options, reader)
    claims = name_events([c for doc in dated for c in extracted[doc.id].claims])
    found = [d for doc in dated for d in extracted[doc.id].diagnostics]
    published = {d.id: d.published for d in dated}
    checked: list[Fact] = []
    findings: list[Finding] = []
    if not claims_only:
        told = stories(
            {d.id: names_in(d.text) for d in dated if d.id != REFERENCE_ID},
            open_docs=[REFERENCE_ID] if reference is not None else (),
        )
        checked, findings = compare(align(claims, told), published, {d.id: d.text for d in dated})
        checked = [replace(f, independent=_independent(f, groups)) for f in checked]
    if store is not None:
        store.save_run(
            run_key,
            CachedRun(published, tuple(claims), tuple(found), tuple(checked), tuple(findings)),
        )
    return _report(paths, dated, claims, checked, findings, [*diagnostics, *found])


def _report(
    paths: Sequence[str | Path],
    documents: Sequence[Document],
    claims: Sequence[Claim],
    facts: Sequence[Fact],
    findings: Sequence[Finding],
    diagnostics: Sequence[Diagnostic],
) -> Report:
    return Report(
        checker_version=__version__,
        documents=tuple(documents),
        claims=tuple(claims),
        facts=tuple(facts),
        findings=tuple(findings),
        diagnostics=tuple(sorted(diagnostics, key=lambda d: d.order)),
        root_name=_root_name(paths),
    )


def _run_salt(claims_only: bool, facts: Path | None) -> str:
    """Return what else a whole run depends on: the mode and the reference facts' text."""
    reference = facts.read_bytes() if facts is not None and facts.is_file() else b""
    return f"{claims_only}:{hashlib.sha256(reference).hexdigest()}"


def _independent(fact: Fact, groups: Mapping[str, int]) -> int:
    """Count the independent reports behind a fact: copies of one text count once."""
    return len({groups.get(c.span.doc_id, -1 - i) for i, c in enumerate(fact.claims)})


def _copy_dates(documents: list[Document], groups: Mapping[str, int]) -> dict[str, DateRange]:
    """Offer an undated copy of a syndicated story the dates of its dated copies."""
    members: dict[int, list[Document]] = {}
    for doc in documents:
        if doc.id in groups:
            members.setdefault(groups[doc.id], []).append(doc)
    estimates: dict[str, DateRange] = {}
    for doc in documents:
        copies = members.get(groups.get(doc.id, -1), [])
        if len(copies) > 1 and (estimate := date_from_copies(doc, copies)) is not None:
            estimates[doc.id] = estimate
    return estimates


def _yearless_dateline_dates(documents: list[Document]) -> dict[str, DateRange]:
    """Date each undated report whose dateline gives a day but no year from the others."""
    known = [
        d.published
        for d in documents
        if d.published is not None and d.published.source is not DateSource.INFERRED
    ]
    estimates: dict[str, DateRange] = {}
    for doc in documents:
        # A dateline's day beats a wide estimate from the text's own relative dates.
        loose = doc.published is None or (
            doc.published.source is DateSource.INFERRED and not doc.published.exact
        )
        if loose and (day := yearless_dateline(doc.text)) is not None:
            estimate = date_from_corpus(day[0], day[1], known)
            if estimate is not None:
                estimates[doc.id] = estimate
    return estimates


def _apply_estimates(
    documents: list[Document],
    extracted: dict[str, Extraction],
    estimates: Mapping[str, DateRange],
    options: Options,
    reader: Reader,
) -> list[Document]:
    """Give documents their estimated dates and read them again in its light.

    The date changes what the text says: "July 12" in a report of July 17 is 2025-07-12,
    "on Monday" the Monday before it, "four years ago" four years before it. A range of
    possible dates is given to the claims as it is (`with_publication`), because reading
    a weekday or a missing year against a range would pick one day of it.
    """
    out: list[Document] = []
    for doc in documents:
        estimate = estimates.get(doc.id)
        if estimate is None or doc.id == REFERENCE_ID:
            out.append(doc)
            continue
        doc = replace(doc, published=estimate)
        extracted[doc.id] = _redated(doc, extracted[doc.id], options, reader)
        out.append(doc)
    return out


def _redated(doc: Document, old: Extraction, options: Options, reader: Reader) -> Extraction:
    """Return a newly dated document's claims: read again when its date is one day."""
    published = doc.published
    if published is not None and published.exact:
        return reader(doc, options)
    return Extraction(tuple(with_publication(c, published) for c in old.claims), old.diagnostics)


def _root_name(paths: Sequence[str | Path]) -> str:
    if len(paths) == 1:
        p = Path(paths[0])
        return (p.resolve().name if p.is_dir() else p.stem) or "documents"
    return "documents"
