"""The engine's view of the cache: claims per document, and a whole unchanged run.

Two levels, both keyed by content, never by file names or times:
- a document's extraction, keyed by its text, id, path, publication date and the
  options, so a changed document is read again and every other one is not;
- a whole run's analysis (dates, claims, facts and findings), keyed by every document's
  key, so a second run over an unchanged corpus does no work beyond reading the files.
Every key also holds the checker version, the codec version and the configuration hash:
a new release or a changed lexicon never reuses old results.

A cache that cannot be opened, read or written turns into a `cache.unavailable`
diagnostic, and the run goes on without it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from checker.extract.claims import Extraction, Options
from checker.gate.cache import Cache, CacheUnavailable, key
from checker.gate.codec import (
    CODEC_VERSION,
    CodecError,
    decode_analysis,
    decode_extraction,
    decode_published,
    encode_analysis,
    encode_extraction,
    encode_published,
)
from checker.model import Claim, DateRange, Diagnostic, Document, Fact, Finding, Severity
from checker.version import __version__

_EXTRACTION = "extraction"
_RUN = "run"
# Entries nobody used for a month go, and the least recently used beyond a size: each
# changed corpus leaves a whole-run entry behind, and a CI cache should not grow forever.
_MAX_AGE_DAYS = 30
_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CachedRun:
    """What a whole run produced after reading: everything the report needs."""

    published: dict[str, DateRange | None]
    claims: tuple[Claim, ...]
    diagnostics: tuple[Diagnostic, ...]
    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _published_key(published: DateRange | None) -> str:
    if published is None:
        return "-"
    source = published.source.value if published.source else "-"
    return f"{published.earliest.isoformat()}/{published.latest.isoformat()}/{source}"


class ExtractionCache:
    """Extract documents through the cache; call `close` to write what was learnt."""

    def __init__(self, cache: Cache, salt: str) -> None:
        self._cache = cache
        self._salt = key(__version__, CODEC_VERSION, salt)
        self._pending: dict[str, bytes] = {}
        self._pending_run: tuple[str, bytes] | None = None
        self._problems: list[str] = []

    @classmethod
    def open(cls, directory: Path, salt: str) -> tuple[ExtractionCache | None, list[Diagnostic]]:
        """Open the cache in `directory`; on failure return None and a diagnostic."""
        try:
            return cls(Cache.open(directory), salt), []
        except CacheUnavailable as error:
            return None, [_unavailable(str(error))]

    def document_key(self, doc: Document, options: Options) -> str:
        """Return the key of one document's extraction."""
        return key(
            self._salt,
            doc.id,
            doc.path,
            _text_hash(doc.text),
            _published_key(doc.published),
            repr(options),
        )

    def lookup(self, doc: Document, options: Options) -> Extraction | None:
        """Return the document's claims if the cache holds them, else None."""
        data = self._get(_EXTRACTION, self.document_key(doc, options))
        if data is None:
            return None
        try:
            return decode_extraction(data)
        except CodecError:
            return None  # planted or damaged: read the document again and overwrite it

    def remember(self, doc: Document, options: Options, result: Extraction) -> None:
        """Keep a document's claims, to be written on `close`."""
        self._pending[self.document_key(doc, options)] = encode_extraction(result)

    def run_key(self, documents: Sequence[Document], options: Options, extra: str) -> str:
        """Return the key of a whole run over `documents` as read (before any dating)."""
        parts = [self.document_key(doc, options) for doc in documents]
        return key(self._salt, extra, json.dumps(parts))

    def load_run(self, name: str, documents: Sequence[Document]) -> CachedRun | None:
        """Return a cached run, or None when there is none or it cannot be decoded."""
        data = self._get(_RUN, name)
        if data is None:
            return None
        try:
            # Each part is taken out of the record and its text dropped once decoded: a
            # 10,000-report run's record is some 100 MB, and holding it whole beside
            # every copy made on the way put a warm run's peak over the cold run's.
            stored = json.loads(data)
            del data
            published = decode_published(stored.pop("published").encode("ascii"))
            extraction = decode_extraction(stored.pop("claims").encode("ascii"))
            by_id = {c.id: c for c in extraction.claims}
            facts, findings = decode_analysis(stored.pop("analysis").encode("ascii"), by_id)
        except (CodecError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if set(published) != {d.id for d in documents}:
            return None
        return CachedRun(published, extraction.claims, extraction.diagnostics, facts, findings)

    def save_run(self, name: str, run: CachedRun) -> None:
        """Remember a whole run's results under `name`."""
        stored = {
            "published": encode_published(run.published).decode("ascii"),
            "claims": encode_extraction(Extraction(run.claims, run.diagnostics)).decode("ascii"),
            "analysis": encode_analysis(run.facts, run.findings).decode("ascii"),
        }
        self._pending_run = (name, json.dumps(stored).encode("ascii"))

    def close(self) -> list[Diagnostic]:
        """Write what this run learnt in one transaction each; return any problem."""
        try:
            if self._pending:
                self._cache.put_many(_EXTRACTION, sorted(self._pending.items()))
            if self._pending_run is not None:
                self._cache.put_many(_RUN, [self._pending_run])
            self._cache.prune(max_age_days=_MAX_AGE_DAYS, max_bytes=_MAX_BYTES)
        except CacheUnavailable as error:
            self._problems.append(str(error))
        finally:
            self._pending.clear()
            self._cache.close()
        return [_unavailable(p) for p in dict.fromkeys(self._problems)]

    def _get(self, namespace: str, name: str) -> bytes | None:
        try:
            return self._cache.get(namespace, name)
        except CacheUnavailable as error:
            self._problems.append(str(error))
            return None


def _unavailable(reason: str) -> Diagnostic:
    return Diagnostic(None, Severity.NOTE, "cache.unavailable", f"cache not used: {reason}")


def with_published(
    documents: Iterable[Document], published: Mapping[str, DateRange | None]
) -> list[Document]:
    """Return the documents with the publication dates a cached run settled on."""
    return [replace(d, published=published.get(d.id)) for d in documents]
