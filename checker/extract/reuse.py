"""Read the claims of identical documents once.

A folder of syndicated reports often holds the same text many times over: the wire
story as each outlet saved it. What `extract` reads depends only on a document's text,
its publication date, its skipped ranges and whether it is markdown; its id and path
only label the result. So the claims of one copy, relabelled, are the claims of every
other: 400 copies are read in the time of one.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from checker.extract.claims import Extraction
from checker.extract.markdown import MARKDOWN_SUFFIXES
from checker.model import Document


def reading_key(doc: Document) -> Hashable:
    """Return what the claims of `doc` depend on: equal keys, equal claims."""
    markdown = doc.path.lower().endswith(MARKDOWN_SUFFIXES)
    return (doc.text, doc.published, doc.skipped, markdown)


def relabelled(result: Extraction, source: Document, target: Document) -> Extraction:
    """Return the claims read from `source` as the claims of its identical `target`."""
    if source.id == target.id and source.path == target.path:
        return result
    head = len(source.id)
    claims = tuple(
        replace(
            claim,
            id=target.id + claim.id[head:],  # "<doc id>#<n>": the number stays
            span=replace(claim.span, doc_id=target.id),
            sentence=replace(claim.sentence, doc_id=target.id),
        )
        for claim in result.claims
    )
    diagnostics = tuple(
        replace(d, path=target.path) if d.path == source.path else d for d in result.diagnostics
    )
    return Extraction(claims, diagnostics)
