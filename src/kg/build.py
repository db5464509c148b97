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


@dataclass
class BuildReport:
    documents: int = 0  # stored: inputs refused or skipped are in `errors`
    figures: int = 0
    quotes: int = 0
    triples: int = 0
    errors: list[IngestError] = field(default_factory=list)


def _source(doc: Document) -> str:
    return doc.source_path or f"document {doc.id}"


def extractions(
    items: Iterable[Document | IngestError],
    pipeline: str,
    report: BuildReport,
    batch_size: int = 32,
    processes: int = 1,
    on_error: Callable[[IngestError], None] | None = None,
) -> Iterator[Extraction]:
    """What is extracted from each document; a bad input is reported (in `report`, and to
    `on_error`) and the rest goes on. The store is not needed: the service extracts while
    queries are still served, and takes the store only to write.

    Ids must be unique within a build: a document whose id an earlier one of the same build has
    is refused (it used to replace that one silently: a .jsonl or a POST /documents batch
    repeating an id, two report.txt given directly). A document too long to parse is refused
    alone; the others of its batch are built."""
    first_source: dict[str, str] = {}

    def refuse(error: IngestError) -> None:
        report.errors.append(error)
        if on_error:
            on_error(error)

    def documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, IngestError):
                refuse(item)
                continue
            source, first = _source(item), first_source.get(item.id)
            if first is not None:
                where = "given twice" if first == source else f"already that of {first}"
                refuse(
                    IngestError(source, f"not built: its id {item.id!r} is {where} in this build")
                )
                continue
            first_source[item.id] = source
            yield item

    def unparsable(doc: Document, reason: str) -> None:
        refuse(IngestError(_source(doc), reason))

    yield from extract(documents(), load(pipeline), batch_size, processes, on_refused=unparsable)


def store_extractions(
    extracted: Iterable[Extraction],
    store: KGStore,
    report: BuildReport,
    on_document: Callable[[Extraction], None] | None = None,
) -> BuildReport:
    """Write each extraction as its document's graph (replacing an older one in one
    transaction), then compact the store."""
    with store.bulk_writer() as writer:
        for ex in extracted:
            report.triples += writer.replace(*document_quads(ex))
            report.documents += 1
            report.figures += len(ex.figures)
            report.quotes += len(ex.quotes)
            if on_document:
                on_document(ex)
    store.flush()
    store.optimize()
    return report


def build_documents(
    items: Iterable[Document | IngestError],
    store: KGStore,
    pipeline: str,
    batch_size: int = 32,
    processes: int = 1,
    on_error: Callable[[IngestError], None] | None = None,
    on_document: Callable[[Extraction], None] | None = None,
) -> BuildReport:
    """Extract and store documents as they come (see extractions and store_extractions)."""
    report = BuildReport()
    extracted = extractions(items, pipeline, report, batch_size, processes, on_error)
    return store_extractions(extracted, store, report, on_document)


def build_paths(paths: Iterable[Path], store: KGStore, pipeline: str, **kwargs) -> BuildReport:
    return build_documents(read_paths(paths), store, pipeline, **kwargs)
