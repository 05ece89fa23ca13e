"""Documents read by a cluster's workers: shared paths, or URLs fsspec understands.

With a cluster (`--engine dask`) the client only lists the corpus; each worker reads
the documents it is given and reads their claims at once, so the files never pass
through the client on their way in. A path is read as on the local engine, from a
filesystem the workers share with the client (NFS, a mounted bucket); a URL
(`s3://bucket/corpus/`, `gs://...`, `file:///shared/corpus`) is listed and read
through fsspec, which comes with dask (S3 and others need their fsspec package:
s3fs, gcsfs...). fsspec is imported only when a URL is given.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from checker.errors import UsageError
from checker.ingest import TEXT_SUFFIXES, Source, discover, read_document, too_large
from checker.model import DateRange, Diagnostic, Document, Severity

# A URL names its scheme: two letters or more, so a Windows drive (C:\) is not one.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(path: str | Path) -> bool:
    """Return whether a command-line path is a URL (`s3://...`) rather than a local path."""
    return isinstance(path, str) and _URL.match(path) is not None


@dataclass(frozen=True, slots=True)
class ReadJob:
    """One document for a worker to read: where it is, its id and any date given for it.

    `source.display` is the path as the user sees it (and as reports show it); a local
    `source.path` is absolute, because a worker does not share the client's folder;
    `url` is set for a document in an object store.
    """

    source: Source
    doc_id: str
    published: DateRange | None
    url: str | None = None


def discover_sources(paths: Sequence[str | Path]) -> tuple[list[Source], list[Diagnostic]]:
    """List the documents under local paths and URLs, as `checker.ingest.discover` does.

    Local paths are listed by `discover` itself, so they are found and ordered as on
    the local engine; a URL's documents follow, in the order of their URLs.
    """
    local = [str(p) for p in paths if not is_url(p)]
    sources, diagnostics = discover(local) if local else ([], [])
    for url in (str(p) for p in paths if is_url(p)):
        found, problems = _discover_url(url)
        sources.extend(found)
        diagnostics.extend(problems)
    return sources, diagnostics


def read_jobs(
    sources: Sequence[Source], ids: Sequence[str], dates: Sequence[DateRange | None]
) -> list[ReadJob]:
    """Return what each worker needs to read a source: absolute paths, URLs kept."""
    jobs = []
    for source, doc_id, published in zip(sources, ids, dates, strict=True):
        if is_url(source.display):
            jobs.append(ReadJob(source, doc_id, published, source.display))
        else:
            where = Source(Path(os.path.abspath(source.path)), source.display)
            jobs.append(ReadJob(where, doc_id, published))
    return jobs


def read_job(job: ReadJob, max_bytes: int) -> tuple[Document | None, list[Diagnostic]]:
    """Read one document on a worker: from its URL, or from the shared filesystem."""
    if job.url is not None:
        reader = _UrlReader(job.url)
        return read_document(
            job.source, job.doc_id, job.published, max_bytes=max_bytes, read_bytes=reader
        )
    if not os.path.lexists(job.source.path):
        message = (
            f"not found on the Dask worker as {job.source.path}: the workers must share "
            "the client's filesystem, or the corpus be given as a URL"
        )
        return None, [Diagnostic(job.source.display, Severity.ERROR, "read.missing", message)]
    return read_document(job.source, job.doc_id, job.published, max_bytes=max_bytes)


def _fsspec() -> Any:
    """Import fsspec, or say how to get it."""
    try:
        return importlib.import_module("fsspec")
    except ImportError:
        raise UsageError("a URL needs fsspec: pip install 'checker[dask]'") from None


def _discover_url(url: str) -> tuple[list[Source], list[Diagnostic]]:
    """List the documents at a URL: the object itself, or every document below it.

    As in a local folder, names starting with a dot are skipped, and only the document
    suffixes are read.
    """
    fsspec = _fsspec()
    try:
        fs, root = fsspec.core.url_to_fs(url)
        if not fs.exists(root):
            return [], [Diagnostic(url, Severity.ERROR, "read.missing", "no such file or folder")]
        if not fs.isdir(root):
            return [Source(Path(root), url)], []
        found = sorted(fs.find(root))
    except Exception as error:  # every store has errors of its own (botocore's, say)
        message = f"cannot list: {error}"
        return [], [Diagnostic(url, Severity.ERROR, "read.error", message)]
    sources = []
    for path in found:
        relative = PurePosixPath(path).relative_to(PurePosixPath(root))
        if any(part.startswith(".") for part in relative.parts):
            continue
        if relative.suffix.lower() not in TEXT_SUFFIXES:
            continue
        sources.append(Source(Path(path), fs.unstrip_protocol(path)))
    if not sources:
        message = "no .txt, .md, .markdown, .html or .htm files found in folder"
        return [], [Diagnostic(url, Severity.WARNING, "read.no-files", message)]
    return sources, []


class _UrlReader:
    """Fetch a document's bytes through fsspec: a `checker.ingest.ByteReader`."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, source: Source, max_bytes: int) -> tuple[bytes | None, Diagnostic | None]:
        fsspec = _fsspec()
        try:
            fs, path = fsspec.core.url_to_fs(self.url)
            size = fs.size(path)
            if max_bytes and size is not None and size > max_bytes:
                return None, too_large(source, int(size), max_bytes)
            with fs.open(path, "rb") as handle:
                data: bytes = handle.read(max_bytes + 1 if max_bytes else -1)
        except Exception as error:  # every store has errors of its own
            message = f"cannot read: {error}"
            return None, Diagnostic(source.display, Severity.ERROR, "read.error", message)
        if max_bytes and len(data) > max_bytes:
            return None, too_large(source, len(data), max_bytes)  # it grew as it was read
        return data, None
