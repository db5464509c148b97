"""SPARQL 1.1 Protocol at /sparql: query by GET, POST form or POST sparql-query; updates only
with the service's bearer token. Answers come from the worker pool, with its time limit and
row cap; the default graph is the union of document graphs unless the request names graphs."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from api import guard
from api.common import StreamWithin, deadline, error, error_body, rows, run
from api.deps import PoolDep, SettingsDep, require_writer
from api.messages import Job, Term
from api.pool import QueryPool
from api.writes import write_update
from kg.settings import Settings

router = APIRouter(tags=["sparql"])

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}  # fmt: skip
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/n-quads": "nquads", "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}  # fmt: skip
_FORMATS = RESULT_TYPES | GRAPH_TYPES

SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .
@prefix void: <http://rdfs.org/ns/void#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query{update} ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
        fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:N-Quads, fmt:JSON-LD, fmt:RDF_XML ;
    sd:defaultDataset [ a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples {triples} ] ] .
"""


def _accepted(accept: str | None) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured)."""
    ranked = []
    for index, part in enumerate((accept or "*/*").split(",")):
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


def negotiate(accept: str | None, table: dict[str, str], default: str) -> str | None:
    for media in _accepted(accept):
        if media in table:
            return media
        if media in ("*/*", "application/*"):
            return default
        if media == "text/*":
            return next(t for t in table if t.startswith("text/"))
    return None


_HAS_GRAPH = 'ASK { BIND(kg:param("g") AS ?g) GRAPH ?g { } }'


async def _missing_graphs(pool: QueryPool, settings: Settings, iris: tuple[str, ...]) -> set[str]:
    """Which of the FROM graphs the store does not hold (asked one by one: a list of every
    graph would be cut by the row cap in a store of many documents)."""
    missing = set()
    for iri in iris:
        job = Job(_HAS_GRAPH, "json", 1, params={"g": Term("iri", iri)})
        answer = await run(pool, settings, job)
        if b"true" not in answer.body:
            missing.add(iri)
    return missing


@dataclass(frozen=True)
class Reply:
    """The protocol's answer to a query, before any web framework: the GET fast path sends it
    as it is, the routes wrap it in a Response."""

    status: int
    media: str
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None
    deadline: float = 0.0  # a stream must reach its client by then (StreamWithin)

    def response(self) -> Response:
        """As a Starlette response: streamed within its deadline, or whole."""
        headers = {k.decode(): v.decode() for k, v in self.headers}
        if self.stream is not None:
            return StreamWithin(self.stream, self.deadline, status_code=self.status,
                                media_type=self.media, headers=headers)  # fmt: skip
        return Response(self.body, status_code=self.status, media_type=self.media, headers=headers)


def _failed(status: int, message: str = "", **extra: object) -> Reply:
    body = json.dumps(error_body(status, message, **extra)).encode()
    return Reply(status, "application/json", [], body)


async def reply(
    pool: QueryPool,
    settings: Settings,
    query: str,
    accept: str | None,
    base_iri: str,
    default_graphs: list[str],
    named_graphs: list[str],
    timeout: float | None,
) -> Reply:
    """Guard, negotiation, the worker pool, headers: everything but HTTP itself."""
    try:
        inspected = guard.inspect(query)
        missing = (
            await _missing_graphs(pool, settings, inspected.datasets)
            if inspected.refusal is None
            else set()
        )
        guard.check(inspected, missing)
    except guard.Refused as exc:
        return _failed(400, str(exc))
    except HTTPException as exc:
        return _from(exc)
    form = inspected.form
    if form in ("SELECT", "ASK"):
        media = negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
    else:
        media = negotiate(accept, GRAPH_TYPES, "text/turtle")
    if media is None:
        return _failed(406, f"nothing acceptable for a {form} in {accept!r}")
    job = Job(query, _FORMATS[media], settings.row_cap, default_graphs=default_graphs,
              named_graphs=named_graphs, base_iri=base_iri, union=not inspected.datasets)  # fmt: skip
    try:
        result = await run(pool, settings, job, timeout)
    except HTTPException as exc:
        return _from(exc)
    headers = [(b"vary", b"Accept"), (b"x-kg-row-cap", str(settings.row_cap).encode())]
    if result.cached:
        headers.append((b"x-kg-cache", b"hit"))
    if result.stream is not None:
        return Reply(200, media, headers, stream=result.stream,
                     deadline=deadline(settings, timeout))  # fmt: skip
    headers.append((b"x-kg-truncated", b"true" if result.truncated else b"false"))
    return Reply(200, media, headers, result.body)


def _from(exc: HTTPException) -> Reply:
    """A refusal or failure raised below (time limit, a worker's error) as a reply."""
    detail = dict(exc.detail) if isinstance(exc.detail, dict) else {"message": str(exc.detail)}
    detail.pop("error", None)
    return _failed(exc.status_code, **detail)


async def answer(
    request: Request,
    pool: PoolDep,
    settings: SettingsDep,
    query: str,
    default_graphs: list[str],
    named_graphs: list[str],
    timeout: float | None,
) -> Response:
    """`reply()` as a Starlette response, for the routes."""
    got = await reply(pool, settings, query, request.headers.get("accept"),
                      str(request.url).partition("?")[0], default_graphs, named_graphs, timeout)  # fmt: skip
    return got.response()


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise HTTPException(400, error_body(400, f"give one '{name}', not {len(values)}"))
    return values[0] if values else None


@router.get("/sparql/", include_in_schema=False)
@router.get("/sparql")
async def sparql_get(
    request: Request,
    pool: PoolDep,
    settings: SettingsDep,
    query: Annotated[str | None, Query(description="A SPARQL 1.1 query.")] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
    timeout: Annotated[
        float | None, Query(ge=0.1, le=3600, description="Seconds; at most the service's limit.")
    ] = None,
) -> Response:
    """SPARQL query by GET. Results as JSON, XML, CSV or TSV; graphs as Turtle, N-Triples,
    N-Quads, JSON-LD or RDF/XML (by Accept). Without a query: the service description."""
    params = request.query_params
    if "update" in params:
        return error(400, "SPARQL Update goes by POST")
    text = _one(params.getlist("query"), "query")
    if text is None:
        found, _ = await rows(
            pool, settings, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        )
        body = SERVICE_DESCRIPTION.format(
            endpoint=str(request.url.replace(query="")),
            update=", sd:SPARQL11Update" if settings.token else "",
            triples=found[0]["n"] if found else 0,
        )
        return Response(body, media_type="text/turtle")
    return await answer(request, pool, settings, text, default_graph_uri or [],
                        named_graph_uri or [], timeout)  # fmt: skip


def _content_type(request: Request) -> tuple[str, str | None]:
    raw = request.headers.get("content-type") or ""
    media = raw.split(";")[0].strip().lower()
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", raw, re.IGNORECASE)
    return media, charset.group(1).lower() if charset else None


@router.post("/sparql/", include_in_schema=False)
@router.post("/sparql")
async def sparql_post(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """SPARQL query by POST, as a form (`query=`) or `application/sparql-query`; SPARQL Update
    (form `update=` or `application/sparql-update`) with the service's bearer token."""
    media, charset = _content_type(request)
    if charset and charset not in ("utf-8", "utf8"):
        return error(415, f"the body must be UTF-8, not {charset}")
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    timeout = params.get("timeout")
    if media == "application/x-www-form-urlencoded":
        form = await request.form()
        queries, updates = form.getlist("query"), form.getlist("update")
        if queries and updates:
            return error(400, "give a query or an update, not both")
        if updates:
            await require_writer(settings, await _credentials(request))
            return await write_update(
                request, pool, settings, str(_one([str(u) for u in updates], "update"))
            )
        text = _one([str(q) for q in queries], "query")
        default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
    elif media == "application/sparql-query":
        try:
            text = (await request.body()).decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return error(415, "the body must be UTF-8")
    elif media == "application/sparql-update":
        await require_writer(settings, await _credentials(request))
        try:
            update = (await request.body()).decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return error(415, "the body must be UTF-8")
        return await write_update(request, pool, settings, update, params.getlist("using-graph-uri"),
                                  params.getlist("using-named-graph-uri"))  # fmt: skip
    else:
        return error(415, f"unsupported media type {media or 'none'!r}: use "
                          "application/x-www-form-urlencoded or application/sparql-query")  # fmt: skip
    if not text or not text.strip():
        return error(400, "no query given")
    seconds = parse_timeout(timeout)
    if isinstance(seconds, str):
        return error(422, seconds)
    return await answer(request, pool, settings, text, default_graphs, named_graphs, seconds)


def parse_timeout(value: str | None) -> float | str | None:
    """Seconds asked for by a request, or the message saying why they are refused."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return "timeout must be a number of seconds"
    if seconds is not None and not 0.1 <= seconds <= 3600:
        return "timeout must be between 0.1 and 3600 seconds"
    return seconds


async def _credentials(request: Request):
    from fastapi.security import HTTPBearer

    return await HTTPBearer(auto_error=False)(request)
