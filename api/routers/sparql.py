"""SPARQL 1.1 Protocol, query operation, over the store (read-only).

Oxigraph evaluates and serialises the results itself; the default graph is the union of the
document graphs unless the request names default graphs.
"""

from __future__ import annotations

import re
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import StoreDep
from kg.vocab import PREFIXES

router = APIRouter(tags=["sparql"])

RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?[<?$\w]", re.IGNORECASE)
_POSITION = re.compile(r"(?:line|at)\s+(\d+)[:, ]+(?:column\s+)?(\d+)", re.IGNORECASE)


def _error(status: int, message: str) -> JSONResponse:
    body: dict[str, object] = {
        "error": "bad request" if status == 400 else "error",
        "message": message,
    }
    if m := _POSITION.search(message):
        body["line"], body["column"] = int(m.group(1)), int(m.group(2))
    return JSONResponse(body, status_code=status)


def _accepted(accept: str | None) -> list[str]:
    """Media types from an Accept header, best first (q-values honoured)."""
    if not accept:
        return ["*/*"]
    ranked = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranked.append((-q, index, fields[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def _choose(accept: str | None, table: dict, default: str) -> str | None:
    for media in _accepted(accept):
        if media in table:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default if media != "text/*" else next(t for t in table if t.startswith("text/"))
    return None


def _execute(
    store: StoreDep,
    query: str | None,
    accept: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
) -> Response:
    if not query or not query.strip():
        return _error(400, "no query given: pass it as the 'query' parameter")
    if _SERVICE.search(query):
        return _error(400, "SERVICE is not allowed: this endpoint never fetches from the network")
    try:
        result = store.ox.query(
            query,
            use_default_graph_as_union=not default_graphs,
            default_graph=[ox.NamedNode(g) for g in default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in named_graphs] or None,
            prefixes={p: str(ns) for p, ns in PREFIXES.items()},
        )
    except SyntaxError as exc:
        return _error(400, f"malformed query: {exc}")
    except ValueError as exc:
        return _error(400, str(exc))
    if isinstance(result, ox.QueryTriples):
        media = _choose(accept, GRAPH_TYPES, "text/turtle")
        if media is None:
            return _error(406, f"cannot answer a graph in {accept}; try text/turtle")
        body = result.serialize(format=GRAPH_TYPES[media])
    else:
        media = _choose(accept, RESULT_TYPES, "application/sparql-results+json")
        if media is None:
            return _error(
                406, f"cannot answer results in {accept}; try application/sparql-results+json"
            )
        body = result.serialize(format=RESULT_TYPES[media])
    return Response(body, media_type=media)


@router.get("/sparql")
def sparql_get(
    store: StoreDep,
    query: Annotated[str | None, Query(description="A SPARQL 1.1 query.")] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """SPARQL query by GET. Results as JSON, XML, CSV or TSV; graphs as Turtle, N-Triples, JSON-LD."""
    return _execute(store, query, accept, default_graph_uri or [], named_graph_uri or [])


@router.post("/sparql")
async def sparql_post(request: Request, store: StoreDep) -> Response:
    """SPARQL query by POST, as a form (`query=`) or as `application/sparql-query`."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    if content_type == "application/sparql-query":
        query = (await request.body()).decode("utf-8", errors="replace")
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        if "update" in form:
            return _error(403, "SPARQL Update is disabled: this endpoint is read-only")
        query = form.get("query")
        default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
    elif content_type == "application/sparql-update":
        return _error(403, "SPARQL Update is disabled: this endpoint is read-only")
    else:
        return _error(415, f"unsupported media type {content_type or 'none'!r}")
    accept = request.headers.get("accept")
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(
        _execute, store, str(query) if query else None, accept, default_graphs, named_graphs
    )
