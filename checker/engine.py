"""Run the pipeline: read → extract → date → align → compare → Report.

The only module that knows how the stages are scheduled: in this process, in a pool of
worker processes that read the files and their claims (`--jobs`), or on a cluster.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from checker.align import align, name_events
from checker.collector import fewer_collections
from checker.compare import compare
from checker.copies import copy_groups, date_from_copies
from checker.dating import corpus_middle, date_near, infer_publication
from checker.errors import NothingReadableError, UsageError
from checker.extract.claims import Extraction, Options, extract, with_publication
from checker.extract.reuse import reading_key, relabelled
from checker.facts import REFERENCE_ID, ReferenceFacts, load_facts
from checker.gate.store import CachedRun, ExtractionCache, with_published
from checker.ingest import DEFAULT_MAX_BYTES, Source, discover, read_document, unique_ids
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
from checker.parallel import (
    ClusterRunner,
    InProcess,
    ProcessPool,
    Runner,
    SharedMap,
    Tick,
    default_jobs,
)
from checker.pubdate import yearless_dateline
from checker.remote import ReadJob, discover_sources, is_url, read_job, read_jobs
from checker.stories import names_in, stories
from checker.version import __version__


@fewer_collections()
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
    jobs: int | None = None,
    runner: Runner | None = None,
    progress: Progress | None = None,
    timings: Timings | None = None,
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
    Claims are read out of documents by `runner` (`checker.parallel`), or else by
    `jobs` worker processes (default: one per core for a corpus of over 200
    documents); the report is the same whatever the count. A cluster's runner
    (`ClusterRunner`) does more: its workers read the documents (shared paths, or URLs:
    `checker.remote`) and their claims in one pass, then align and compare; the client
    lists the corpus, dates it and numbers what comes back. `progress` hears how far
    each stage is; `timings` receives the seconds each stage took.
    """
    clock = _Clock(timings)
    options = Options(day_first=day_first)
    cluster = runner if isinstance(runner, ClusterRunner) else None
    sources, diagnostics = _sources(paths, select, remote=cluster is not None)
    overrides = [lookup(dates or {}, source.display) for source in sources]
    workers = 1 if runner is not None else (jobs or default_jobs(len(sources)))
    if timings is not None:
        timings.jobs = workers
    # One pool for the run: its workers read the files, then the claims.
    with ProcessPool(workers) if workers > 1 else nullcontext() as pool:
        if cluster is None:
            documents, problems = _read_here(sources, overrides, max_bytes, pool or InProcess())
            first: dict[str, tuple[Document, Extraction]] = {}
        else:
            clock.lap("read")
            documents, problems, first = _read_on(
                cluster, sources, overrides, options, max_bytes, progress
            )
            clock.lap("extract")
        diagnostics.extend(problems)
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
        clock.lap("read")
        if timings is not None:
            timings.documents = len(documents)
        run_key = ""
        reference = load_facts(facts) if facts is not None else None
        if store is not None:
            run_key = store.run_key(documents, options, _run_salt(claims_only, facts))
            every = [*documents, *([reference.document] if reference else [])]
            if (cached := store.load_run(run_key, every)) is not None:
                clock.lap("cache")
                return _report(
                    paths,
                    with_published(every, cached.published),
                    cached.claims,
                    cached.facts,
                    cached.findings,
                    [*diagnostics, *cached.diagnostics],
                )
        read = _BatchReader(options, store, runner or pool or InProcess(), progress, first)
        dated, claims, found, checked, findings = _analyse(
            documents, read, reference, claims_only, clock, progress
        )
    if store is not None:
        published = {d.id: d.published for d in dated}
        store.save_run(
            run_key,
            CachedRun(published, tuple(claims), tuple(found), tuple(checked), tuple(findings)),
        )
        clock.lap("cache")
    return _report(paths, dated, claims, checked, findings, [*diagnostics, *found])


def _analyse(
    documents: list[Document],
    read: _BatchReader,
    reference: ReferenceFacts | None,
    claims_only: bool,
    clock: _Clock,
    progress: Progress | None,
) -> tuple[list[Document], list[Claim], list[Diagnostic], list[Fact], list[Finding]]:
    """Read the claims out of the documents, date them, align them and compare them."""
    extracted: dict[str, Extraction] = dict(
        zip((d.id for d in documents), read(documents), strict=True)
    )
    inferred = {
        doc.id: estimate
        for doc in documents
        if doc.published is None
        and (estimate := infer_publication(extracted[doc.id].claims)) is not None
    }
    dated = _apply_estimates(documents, extracted, inferred, read)
    clock.lap("extract")
    if reference is not None:
        result = extract(reference.document, read.options)
        dated.append(reference.document)
        extracted[REFERENCE_ID] = Extraction(
            tuple(replace(c, attribution=reference.source_at(c.span.start)) for c in result.claims),
            result.diagnostics,
        )
    dated = _apply_estimates(dated, extracted, _yearless_dateline_dates(dated), read)
    # A cluster's workers would be sent every text again: the texts are shingled here.
    local = None if isinstance(read.runner, ClusterRunner) else read.runner
    groups = copy_groups([d for d in dated if d.id != REFERENCE_ID], local)
    dated = _apply_estimates(dated, extracted, _copy_dates(dated, groups), read)
    claims = name_events([c for doc in dated for c in extracted[doc.id].claims])
    found = [d for doc in dated for d in extracted[doc.id].diagnostics]
    clock.lap("dates")
    if claims_only:
        return dated, claims, found, [], []
    tick = progress.stage("comparing facts", 0) if progress is not None else None
    told = stories(
        {d.id: names_in(d.text) for d in dated if d.id != REFERENCE_ID},
        open_docs=[REFERENCE_ID] if reference is not None else (),
    )
    # A cluster aligns and compares too; local workers only read claims.
    run: SharedMap | None = (
        read.runner.map_shared if isinstance(read.runner, ClusterRunner) else None
    )
    aligned = align(claims, told, run=run)
    clock.lap("align")
    published = {d.id: d.published for d in dated}
    checked, findings = compare(aligned, published, {d.id: d.text for d in dated}, run=run)
    checked = [replace(f, independent=_independent(f, groups)) for f in checked]
    if tick is not None:
        tick(1)
    clock.lap("compare")
    return dated, claims, found, checked, findings


def _read_here(
    sources: Sequence[Source],
    overrides: Sequence[DateRange | None],
    max_bytes: int,
    runner: Runner,
) -> tuple[list[Document], list[Diagnostic]]:
    """Read the documents on this machine: in this process or in the run's pool."""
    jobs = list(zip(sources, unique_ids(sources), overrides, strict=True))
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    for doc, problems in runner.map(_ReadLocal(max_bytes), jobs):
        diagnostics.extend(problems)
        if doc is not None:
            documents.append(doc)
    return documents, diagnostics


def _read_on(
    cluster: ClusterRunner,
    sources: Sequence[Source],
    overrides: Sequence[DateRange | None],
    options: Options,
    max_bytes: int,
    progress: Progress | None,
) -> tuple[list[Document], list[Diagnostic], dict[str, tuple[Document, Extraction]]]:
    """Read the documents and their claims on a cluster's workers, in one pass.

    Return the documents, what went wrong, and each document's claims by id: a worker
    reads the claims of the text it has just read, rather than the text coming here
    and going back out to be read again.
    """
    jobs = read_jobs(sources, unique_ids(sources), overrides)
    tick = progress.stage("reading claims", len(jobs)) if progress is not None and jobs else None
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    first: dict[str, tuple[Document, Extraction]] = {}
    for doc, problems, result in cluster.map(_ReadAndExtract(options, max_bytes), jobs, tick):
        diagnostics.extend(problems)
        if doc is not None and result is not None:
            documents.append(doc)
            first[doc.id] = (doc, result)
    return documents, diagnostics, first


def _sources(
    paths: Sequence[str | Path], select: Callable[[Path], bool] | None, *, remote: bool
) -> tuple[list[Source], list[Diagnostic]]:
    """List the documents to read: local files, and URLs when a cluster reads them.

    `select` (the configuration's include and exclude) sifts the files found in local
    folders; a file or URL named in `paths`, and what is found at a URL, are kept.
    """
    if remote:
        sources, diagnostics = discover_sources(paths)
    else:
        urls = [str(p) for p in paths if is_url(p)]
        if urls:
            raise UsageError(f"{urls[0]}: a URL is read by a cluster's workers (--engine dask)")
        sources, diagnostics = discover([str(p) for p in paths])
    if select is not None:
        named = {str(p) for p in paths}
        sources = [s for s in sources if s.display in named or is_url(s.display) or select(s.path)]
    return sources, diagnostics


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
    middle = corpus_middle(
        [
            d.published
            for d in documents
            if d.published is not None and d.published.source is not DateSource.INFERRED
        ]
    )
    estimates: dict[str, DateRange] = {}
    if middle is None:
        return estimates
    for doc in documents:
        # A dateline's day beats a wide estimate from the text's own relative dates.
        loose = doc.published is None or (
            doc.published.source is DateSource.INFERRED and not doc.published.exact
        )
        if loose and (day := yearless_dateline(doc.text)) is not None:
            estimate = date_near(day[0], day[1], middle)
            if estimate is not None:
                estimates[doc.id] = estimate
    return estimates


def _apply_estimates(
    documents: list[Document],
    extracted: dict[str, Extraction],
    estimates: Mapping[str, DateRange],
    read: _BatchReader,
) -> list[Document]:
    """Give documents their estimated dates and read them again in its light.

    The date changes what the text says: "July 12" in a report of July 17 is 2025-07-12,
    "on Monday" the Monday before it, "four years ago" four years before it. A range of
    possible dates is given to the claims as it is (`with_publication`), because reading
    a weekday or a missing year against a range would pick one day of it.
    """
    out: list[Document] = []
    again: list[Document] = []
    for doc in documents:
        estimate = estimates.get(doc.id)
        if estimate is None or doc.id == REFERENCE_ID:
            out.append(doc)
            continue
        doc = replace(doc, published=estimate)
        if estimate.exact:
            again.append(doc)
        else:
            old = extracted[doc.id]
            claims = tuple(with_publication(c, estimate) for c in old.claims)
            extracted[doc.id] = Extraction(claims, old.diagnostics)
        out.append(doc)
    extracted.update(zip((d.id for d in again), read(again), strict=True))
    return out


class _BatchReader:
    """Read the claims of a batch of documents: from the cache, else through the runner.

    `first` holds claims read already, with the documents, by a cluster's workers:
    they answer the first request for those very documents, and go into the cache.
    """

    def __init__(
        self,
        options: Options,
        store: ExtractionCache | None,
        runner: Runner,
        progress: Progress | None,
        first: Mapping[str, tuple[Document, Extraction]] | None = None,
    ) -> None:
        self.options = options
        self.store = store
        self.runner = runner
        self.progress = progress
        self.first = dict(first or {})
        if store is not None:
            for doc, result in self.first.values():
                store.remember(doc, options, result)

    def _known(self, doc: Document) -> Extraction | None:
        """Return claims read before: by the workers that read the document, or cached."""
        read = self.first.pop(doc.id, None)
        if read is not None and read[0] is doc:
            return read[1]  # the very document: not one given a date since
        return self.store.lookup(doc, self.options) if self.store else None

    def __call__(self, documents: Sequence[Document]) -> list[Extraction]:
        store, options = self.store, self.options
        found = [self._known(d) for d in documents]
        # Identical copies of a text are read once (`checker.extract.reuse`).
        keys = [
            reading_key(d) if hit is None else None for d, hit in zip(documents, found, strict=True)
        ]
        first: dict[Hashable, Document] = {}
        for doc, reading in zip(documents, keys, strict=True):
            if reading is not None:
                first.setdefault(reading, doc)
        todo = list(first.values())
        tick = None
        if self.progress is not None and todo:
            tick = self.progress.stage("reading claims", len(todo))
        read = dict(zip(first, self.runner.map(_Extract(options), todo, tick), strict=True))
        out = []
        for doc, hit, reading in zip(documents, found, keys, strict=True):
            if hit is None:
                hit = relabelled(read[reading], first[reading], doc)
                if store is not None:
                    store.remember(doc, options, hit)
            out.append(hit)
        return out


class _ReadLocal:
    """`read_document` with the run's size limit: a picklable job for a worker process."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def __call__(
        self, job: tuple[Source, str, DateRange | None]
    ) -> tuple[Document | None, list[Diagnostic]]:
        source, doc_id, override = job
        return read_document(source, doc_id, override, max_bytes=self.max_bytes)


class _ReadAndExtract:
    """Read a document and its claims where the job runs: a worker's whole first pass."""

    def __init__(self, options: Options, max_bytes: int) -> None:
        self.options = options
        self.max_bytes = max_bytes

    def __call__(self, job: ReadJob) -> tuple[Document | None, list[Diagnostic], Extraction | None]:
        doc, problems = read_job(job, self.max_bytes)
        return doc, problems, extract(doc, self.options) if doc is not None else None


class _Extract:
    """`extract` with the run's options: a picklable job for a worker process."""

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Extraction:
        return extract(doc, self.options)


class Progress(Protocol):
    """Hears how far a run is: `stage` opens one and returns its tick (n more done)."""

    def stage(self, name: str, total: int) -> Tick:
        """Start a stage of `total` steps; return the callable that reports steps done."""
        ...


@dataclass(slots=True)
class Timings:
    """What a run measured of itself: seconds by stage, documents, worker processes."""

    stages: dict[str, float] = field(default_factory=dict)
    documents: int = 0
    jobs: int = 1


class _Clock:
    """Add up the seconds each stage takes, into a caller's `Timings` when given one."""

    def __init__(self, into: Timings | None) -> None:
        self.into = into
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            stages = self.into.stages
            stages[stage] = stages.get(stage, 0.0) + now - self.last
        self.last = now


def _root_name(paths: Sequence[str | Path]) -> str:
    if len(paths) == 1:
        p = Path(paths[0])
        return (p.resolve().name if p.is_dir() else p.stem) or "documents"
    return "documents"
