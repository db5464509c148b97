"""Running jobs on the pool from a route: deadlines, limits, errors as JSON, terms for parameters."""

from __future__ import annotations

import re
import time
from contextvars import ContextVar
from typing import Annotated, Any

from fastapi import HTTPException, Query
from fastapi.responses import JSONResponse
from rdflib import Literal, URIRef
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.messages import Job, Term
from api.pool import Answer, QueryFailed, QueryTimeout, WorkerPool
from kg.settings import Settings

_POSITION = re.compile(r"\bat (\d+):(\d+)")

# Paging of every list route (canned queries, entities, figures, quotes).
Limit = Annotated[int, Query(ge=1, le=10_000, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]

# When the request being served arrived (set by api.fastpath.KGApp for every request): a time
# limit counts from there, so time spent waiting for a write or a worker counts too.
ARRIVAL: ContextVar[float | None] = ContextVar("kg_arrival", default=None)


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


def term(value: Literal | URIRef) -> Term:
    """An RDF term as a worker reads it back."""
    if isinstance(value, URIRef):
        return Term("iri", str(value))
    if value.language:
        return Term("lang", str(value), value.language)
    return Term("literal", str(value), str(value.datatype) if value.datatype else None)


def limit(settings: Settings, asked: float | None) -> float:
    """A request may ask for less time than the service allows, never more."""
    if asked is None or asked <= 0:
        return settings.query_timeout
    return min(asked, settings.query_timeout)


def deadline(settings: Settings, asked: float | None = None) -> float:
    """When the request must be answered by: its arrival plus its time limit."""
    return (ARRIVAL.get() or time.monotonic()) + limit(settings, asked)


def timed_out(seconds: float) -> HTTPException:
    return HTTPException(
        503, {"error": 503, "message": f"the query ran past its time limit of {seconds:g} s"}
    )


async def rows(
    pool: WorkerPool,
    settings: Settings,
    sparql: str,
    bindings: dict[str, Literal | URIRef] | None = None,
    cap: int | None = None,
    timeout: float | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """Rows of a SELECT run in a worker; kg:param("name") reads `bindings`; `timeout` asks
    for less time than the service's limit."""
    job = Job(
        query=sparql,
        format="rows",
        cap=min(cap or settings.row_cap, settings.row_cap),
        params={k: term(v) for k, v in (bindings or {}).items()},
    )
    answer = await run(pool, settings, job, timeout)
    return answer.rows or [], answer.truncated


async def run(
    pool: WorkerPool, settings: Settings, job: Job, timeout: float | None = None
) -> Answer:
    try:
        return await pool.run(job, deadline(settings, timeout))
    except QueryTimeout:
        raise timed_out(limit(settings, timeout)) from None
    except QueryFailed as exc:
        body: dict[str, Any] = {"error": exc.status, "message": exc.message}
        if m := _POSITION.search(exc.message):
            body["line"], body["column"] = int(m.group(1)), int(m.group(2))
        raise HTTPException(exc.status, body) from None
