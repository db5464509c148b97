"""Running jobs on the pool from a route: deadlines, limits, errors as JSON, terms for parameters."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from contextvars import ContextVar
from typing import Annotated, Any

from fastapi import HTTPException, Query
from fastapi.responses import JSONResponse, StreamingResponse
from rdflib import Literal, URIRef
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from api.messages import Job, Term
from api.pool import Answer, QueryFailed, QueryPool, QueryTimeout
from kg.settings import Settings
from kg.vocab import ID

log = logging.getLogger("kg.service")
POSITION = re.compile(r"\bat (\d+):(\d+)")  # where a parse error says it stopped

# Paging of every list route (canned queries, entities, figures, quotes).
Limit = Annotated[int, Query(ge=1, le=10_000, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]

# When the request being served arrived (set by api.fastpath.KGApp for every request): a time
# limit counts from there, so time spent waiting for a write or a worker counts too.
ARRIVAL: ContextVar[float | None] = ContextVar("kg_arrival", default=None)


class StreamWithin(StreamingResponse):
    """A streamed answer that must reach its client by the request's deadline.

    Past it (a client that stopped reading holds a worker), or when the worker fails mid-answer,
    the connection is cut rather than the body ended as if it were whole: uvicorn closes a
    connection whose response the app left unfinished. The worker is replaced (api.pool)."""

    def __init__(self, content: AsyncIterator[bytes], deadline: float, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.deadline = deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with asyncio.timeout(max(0.0, self.deadline - time.monotonic())):
                await super().__call__(scope, receive, send)
        except (TimeoutError, QueryTimeout) as exc:
            log.info("a streamed answer was cut at its time limit (%s)", type(exc).__name__)
        except QueryFailed as exc:
            log.warning("a streamed answer was cut: %s", exc.message)
        finally:
            # Not left to the garbage collector: closing the stream frees its worker now.
            closing = getattr(self.body_iterator, "aclose", None)
            if closing is not None:
                await closing()


def with_ids(found: list[dict[str, Any]], column: str, base: str = str(ID)) -> None:
    """Give each row the `id` the routes take: its `column` IRI without `base`
    ("person/tomas-brekel" of an entity, the name of an incident under its own base)."""
    for row in found:
        row["id"] = row[column].removeprefix(base)


def error_body(status: int, message: str, **extra: object) -> dict[str, Any]:
    """The one shape of every error the service answers: its status and a message."""
    return {"error": status, "message": message, **extra}


def error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(error_body(status, message, **extra), status_code=status)


def http_error(exc: StarletteHTTPException) -> JSONResponse:
    """Every error is a JSON object with `error` (the status) and `message`."""
    body = (
        exc.detail if isinstance(exc.detail, dict) else error_body(exc.status_code, str(exc.detail))
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
        503, error_body(503, f"the query ran past its time limit of {seconds:g} s")
    )


async def rows(
    pool: QueryPool,
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
    pool: QueryPool, settings: Settings, job: Job, timeout: float | None = None
) -> Answer:
    try:
        return await pool.run(job, deadline(settings, timeout))
    except QueryTimeout:
        raise timed_out(limit(settings, timeout)) from None
    except QueryFailed as exc:
        body = error_body(exc.status, exc.message)
        if m := POSITION.search(exc.message):
            body["line"], body["column"] = int(m.group(1)), int(m.group(2))
        raise HTTPException(exc.status, body) from None
