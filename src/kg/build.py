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
    documents: int = 0
    figures: int = 0
    quotes: int = 0
    triples: int = 0
    errors: list[IngestError] = field(default_factory=list)


def build_documents(
    items: Iterable[Document | IngestError],
    store: KGStore,
    pipeline: str,
    batch_size: int = 32,
    processes: int = 1,
    on_error: Callable[[IngestError], None] | None = None,
    on_document: Callable[[Extraction], None] | None = None,
) -> BuildReport:
    report = BuildReport()

    def documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, IngestError):
                report.errors.append(item)
                if on_error:
                    on_error(item)
            else:
                yield item

    with store.bulk_writer() as writer:
        for ex in extract(documents(), load(pipeline), batch_size, processes):
            report.triples += writer.replace(*document_quads(ex))
            report.documents += 1
            report.figures += len(ex.figures)
            report.quotes += len(ex.quotes)
            if on_document:
                on_document(ex)
    store.flush()
    store.optimize()
    return report


def build_paths(paths: Iterable[Path], store: KGStore, pipeline: str, **kwargs) -> BuildReport:
    return build_documents(read_paths(paths), store, pipeline, **kwargs)
