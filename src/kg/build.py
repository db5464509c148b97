"""ingest → extract → graph → store, for many documents, with errors reported and skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.document import Document
from kg.extract import extract
from kg.graph import document_quads
from kg.ingest import IngestError, read_paths
from kg.model import Extraction
from kg.nlp import load
from kg.store import KGStore
from kg.targets import StoreTarget, Target


@dataclass
class BuildReport:
    documents: int = 0  # stored: inputs refused or skipped are in `errors`
    figures: int = 0
    quotes: int = 0
    triples: int = 0
    unchanged: int = 0  # held by the store with the same text already: not built again
    errors: list[IngestError] = field(default_factory=list)


def source_of(doc: Document) -> str:
    """Where a document was read, for messages."""
    return doc.source_path or f"document {doc.id}"


class IdGuard:
    """Ids must be unique within a build: a document whose id an earlier one of the same build
    has is refused (it used to replace that one silently: a .jsonl or a POST /documents batch
    repeating an id, two report.txt given directly)."""

    def __init__(self) -> None:
        self.first_source: dict[str, str] = {}

    def refusal(self, doc_id: str, source: str) -> IngestError | None:
        first = self.first_source.get(doc_id)
        if first is None:
            self.first_source[doc_id] = source
            return None
        where = "given twice" if first == source else f"already that of {first}"
        return IngestError(source, f"not built: its id {doc_id!r} is {where} in this build")


def extractions(
    items: Iterable[Document | IngestError],
    pipeline: str,
    report: BuildReport,
    batch_size: int = 32,
    processes: int = 1,
    on_error: Callable[[IngestError], None] | None = None,
    stored_hash: Callable[[str], str | None] | None = None,
) -> Iterator[Extraction]:
    """What is extracted from each document; a bad input is reported (in `report`, and to
    `on_error`) and the rest goes on. The store is not needed: the service extracts while
    queries are still served, and takes the store only to write.

    Ids must be unique within a build (`IdGuard`). A document too long to parse is refused
    alone; the others of its batch are built. With `stored_hash` (the content hash the target
    holds for an id), a document whose text is unchanged is counted in `report.unchanged` and
    not built again."""
    guard = IdGuard()

    def refuse(error: IngestError) -> None:
        report.errors.append(error)
        if on_error:
            on_error(error)

    def documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, IngestError):
                refuse(item)
                continue
            refusal = guard.refusal(item.id, source_of(item))
            if refusal is not None:
                refuse(refusal)
            elif stored_hash is not None and stored_hash(item.id) == item.content_hash:
                report.unchanged += 1
            else:
                yield item

    def unparsable(doc: Document, reason: str) -> None:
        refuse(IngestError(source_of(doc), reason))

    yield from extract(documents(), load(pipeline), batch_size, processes, on_refused=unparsable)


def as_target(store: KGStore | Target) -> Target:
    return StoreTarget(store) if isinstance(store, KGStore) else store


def store_extractions(
    extracted: Iterable[Extraction],
    store: KGStore | Target,
    report: BuildReport,
    on_document: Callable[[Extraction], None] | None = None,
) -> BuildReport:
    """Write each extraction as its document's graph (replacing an older one whole); a local
    store is compacted at the end."""
    with as_target(store) as target:
        for ex in extracted:
            report.triples += target.replace(*document_quads(ex))
            report.documents += 1
            report.figures += len(ex.figures)
            report.quotes += len(ex.quotes)
            if on_document:
                on_document(ex)
    return report


def build_documents(
    items: Iterable[Document | IngestError],
    store: KGStore | Target,
    pipeline: str,
    batch_size: int = 32,
    processes: int = 1,
    on_error: Callable[[IngestError], None] | None = None,
    on_document: Callable[[Extraction], None] | None = None,
    force: bool = False,
) -> BuildReport:
    """Extract and store documents as they come (see extractions and store_extractions); a
    document the store holds with the same text is skipped unless `force`."""
    report, target = BuildReport(), as_target(store)

    def stored_hash(doc_id: str) -> str | None:
        return target.hashes([doc_id]).get(doc_id)

    extracted = extractions(
        items, pipeline, report, batch_size, processes, on_error, None if force else stored_hash
    )
    return store_extractions(extracted, target, report, on_document)


def build_paths(
    paths: Iterable[Path], store: KGStore | Target, pipeline: str, **kwargs
) -> BuildReport:
    return build_documents(read_paths(paths), store, pipeline, **kwargs)
