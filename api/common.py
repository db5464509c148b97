"""Running jobs on the pool from a route: limits, errors as JSON, terms for parameters."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import HTTPException, Query
from fastapi.responses import JSONResponse
from rdflib import Literal, URIRef
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.pool import Answer, Job, QueryFailed, QueryTimeout, WorkerPool
from kg.settings import Settings

_POSITION = re.compile(r"\bat (\d+):(\d+)")

# Paging of every list route (canned queries, entities, figures, quotes).
Limit = Annotated[int, Query(ge=1, le=10_000, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]


def error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": status, "message": message, **extra}, status_code=status)


def http_error(exc: StarletteHTTPException) -> JSONResponse:
    """Every error is a JSON object with `error` (the status) and `message`."""
    body = (
        exc.detail
        if isinstance(exc.detail, dict)
        else {"error": exc.status_code, "message": str(exc.detail)}
    )
    return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def term_spec(term: Literal | URIRef) -> tuple[str, str, str | None]:
    """An RDF term as a worker reads it back (pickles plainly across processes)."""
    if isinstance(term, URIRef):
        return ("iri", str(term), None)
    if term.language:
        return ("lang", str(term), term.language)
    return ("literal", str(term), str(term.datatype) if term.datatype else None)


def limit(settings: Settings, asked: float | None) -> float:
    """A request may ask for less time than the service allows, never more."""
    if asked is None or asked <= 0:
        return settings.query_timeout
    return min(asked, settings.query_timeout)


async def rows(
    pool: WorkerPool,
    settings: Settings,
    sparql: str,
    bindings: dict[str, Literal | URIRef] | None = None,
    cap: int | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """Rows of a SELECT run in a worker; kg:param("name") reads `bindings`."""
    job = Job(
        query=sparql,
        format="rows",
        cap=min(cap or settings.row_cap, settings.row_cap),
        params={k: term_spec(v) for k, v in (bindings or {}).items()},
    )
    answer = await run(pool, settings, job)
    return answer.rows or [], answer.truncated


async def run(
    pool: WorkerPool, settings: Settings, job: Job, timeout: float | None = None
) -> Answer:
    seconds = limit(settings, timeout)
    try:
        return await pool.run(job, seconds)
    except QueryTimeout:
        raise HTTPException(
            503, {"error": 503, "message": f"the query ran past its time limit of {seconds:g} s"}
        ) from None
    except QueryFailed as exc:
        body: dict[str, Any] = {"error": exc.status, "message": exc.message}
        if m := _POSITION.search(exc.message):
            body["line"], body["column"] = int(m.group(1)), int(m.group(2))
        raise HTTPException(exc.status, body) from None
