"""Documents: list and read (text, metadata, extracted facts with offsets); add and delete with
the service's bearer token."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from rdflib import URIRef

from api.common import Limit, Offset, rows, with_ids
from api.deps import PoolDep, SettingsDep, WriterDep
from api.routers.queries import PAGE_HEADERS, page_headers, page_rows
from api.writes import created, summary, with_store
from kg.document import Document
from kg.ingest import IngestError, from_record, parse_html, parse_txt
from kg.queries import load_queries
from kg.vocab import document_iri

if TYPE_CHECKING:
    from kg.store import KGStore
    from kg.targets import Target

router = APIRouter(prefix="/documents", tags=["documents"])

_TEXT = """
SELECT ?text ?title ?date ?url ?hash WHERE {
  BIND(kg:param("doc") AS ?doc)
  GRAPH ?doc { ?doc nif:isString ?text ; kg:contentHash ?hash .
    OPTIONAL { ?doc schema:headline ?title } OPTIONAL { ?doc schema:datePublished ?date }
    OPTIONAL { ?doc schema:url ?url } }
}"""

# Page furniture (navigation, captions, links): kept in the text, kept out of extraction.
_FURNITURE = """
SELECT ?start ?end WHERE {
  BIND(kg:param("doc") AS ?doc)
  GRAPH ?doc { ?doc kg:furniture ?f . ?f nif:beginIndex ?start ; nif:endIndex ?end }
} ORDER BY ?start ?end"""
# Every mention of an entity, with what it refers to.
_MENTIONS = """
SELECT ?start ?end ?text ?entity ?label ?type WHERE {
  BIND(kg:param("doc") AS ?doc)
  GRAPH ?doc {
    ?m a kg:Mention ; kg:refersTo ?entity ; nif:anchorOf ?text ;
       nif:beginIndex ?start ; nif:endIndex ?end .
    ?entity rdfs:label ?label ; a ?class .
  }
  BIND(STRAFTER(STR(?class), "#") AS ?type)
} ORDER BY ?start ?end ?entity ?label ?type"""


class NewDocument(BaseModel):
    id: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=2_000_000)
    title: str | None = None
    date: str | None = None
    url: str | None = None


@router.get("", responses={200: {"headers": PAGE_HEADERS}})
async def list_documents(
    request: Request,
    response: Response,
    pool: PoolDep,
    settings: SettingsDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in the title or the id.")
    ] = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Documents in the store, oldest first, with title, date, URL and counts of figures and
    quotes."""
    query = load_queries()["documents"]
    bindings = query.bindings({"q": q} if q else {})
    found, more = await page_rows(pool, settings, query.text, bindings, limit, offset)
    response.headers.update(page_headers(request, offset, len(found), more))
    return found


@router.get("/{doc_id:path}")
async def get_document(
    doc_id: Annotated[str, Path(max_length=300)], pool: PoolDep, settings: SettingsDep
) -> dict[str, Any]:
    """A document's text and metadata, and every figure, quote and mention with its offsets."""
    doc = {"doc": URIRef(document_iri(doc_id))}
    found, _ = await rows(pool, settings, _TEXT, doc)
    if not found:
        raise HTTPException(404, f"no document {doc_id!r}")
    queries = load_queries()
    # The rest does not depend on each other: asked together, answered by several workers.
    (figures, _), (quotes, _), (events, _), (furniture, _), (mentions, _) = await asyncio.gather(
        *(rows(pool, settings, queries[name].text, queries[name].bindings({"document": doc_id}))
          for name in ("figure-attributions", "quotes", "events")),
        rows(pool, settings, _FURNITURE, doc),
        rows(pool, settings, _MENTIONS, doc),
    )  # fmt: skip
    with_ids(mentions, "entity")
    return {"id": doc_id, **found[0], "figures": figures, "quotes": quotes, "events": events,
            "mentions": mentions, "furniture": [[r["start"], r["end"]] for r in furniture]}  # fmt: skip


@router.post("", status_code=201)
async def add_documents(
    _: WriterDep,
    pool: PoolDep,
    settings: SettingsDep,
    documents: list[NewDocument] | None = None,
) -> JSONResponse:
    """Ingest documents given as JSON ({id, text, title?, date?, url?}); returns what was extracted."""
    if not documents:
        raise HTTPException(422, "give a JSON array of documents")
    parsed: list[Document | IngestError] = []
    for d in documents:
        try:
            parsed.append(from_record(d.model_dump(), f"document {d.id}"))
        except ValueError as exc:
            parsed.append(IngestError(d.id, str(exc)))
    return await _build(pool, settings, parsed)


@router.post("/files", status_code=201)
async def add_files(
    _: WriterDep, pool: PoolDep, settings: SettingsDep, files: list[UploadFile]
) -> JSONResponse:
    """Ingest uploaded .txt or .html files (the file name is the document id)."""
    parsed: list[Document | IngestError] = []
    for upload in files:
        name = upload.filename or "upload.txt"
        raw = await upload.read()
        try:
            text = raw.decode("utf-8-sig")
            if not text.strip():
                raise ValueError("empty file")
            doc = (
                parse_html(name, text)
                if name.lower().endswith((".html", ".htm"))
                else parse_txt(name, text)
            )
            parsed.append(doc)
        except (UnicodeDecodeError, ValueError) as exc:
            parsed.append(
                IngestError(
                    name,
                    "not valid UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc),
                )
            )
    return await _build(pool, settings, parsed)


async def _build(pool: PoolDep, settings: SettingsDep, parsed: list) -> JSONResponse:
    """Extract first, while queries are still served (spaCy takes seconds a document); then
    take the store, only to write."""
    from kg.build import BuildReport, extractions, store_extractions

    report = BuildReport()
    loop = asyncio.get_running_loop()
    extracted = await loop.run_in_executor(
        None, lambda: list(extractions(parsed, settings.pipeline, report))
    )
    if extracted:
        await with_store(pool, lambda store: store_extractions(extracted, store, report))
    return created([summary(ex) for ex in extracted], [str(e) for e in report.errors])


@router.delete("/{doc_id:path}", status_code=204)
async def delete_document(doc_id: str, _: WriterDep, pool: PoolDep, settings: SettingsDep) -> None:
    """Drop a document's graph."""
    from kg.incidents import relink

    def drop(store: KGStore | Target) -> bool:
        removed = store.remove_document(doc_id)
        if removed:
            relink(store, store)  # removing a report may split an incident
        return removed

    removed = await with_store(pool, drop)
    if not removed:
        raise HTTPException(404, f"no document {doc_id!r}")
