"""Writes: they take the whole pool (workers stop), open the store read-write, then release it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response

from api import guard
from api.common import error, error_body
from api.pool import QueryFailed, QueryPool, QueryTimeout
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.store import KGStore
    from kg.targets import Target

log = logging.getLogger("kg.service")

T = TypeVar("T")


async def with_store(pool: QueryPool, work: Callable[[KGStore | Target], T]) -> T:
    """Run `work` on the pool's writer (the local store opened read-write while no worker holds
    it, or the SPARQL server), one write at a time."""

    def job() -> T:
        with pool.writer() as store:
            return work(store)

    try:
        async with pool.exclusive():
            return await asyncio.get_running_loop().run_in_executor(None, job)
    except QueryFailed as exc:  # no writer here, or the server failed the write
        raise HTTPException(exc.status, error_body(exc.status, exc.message)) from None


async def write_update(
    request: Request,
    pool: QueryPool,
    settings: Settings,
    update: str,
    using: list[str] | None = None,
    using_named: list[str] | None = None,
) -> Response:
    """SPARQL Update on the store, in a write worker walled off the network like the query
    workers; the protocol's using-graph-uri parameters become USING."""
    try:
        guard.check(guard.inspect(update), set())
        update = guard.with_using(update, using or [], using_named or [])
    except guard.Refused as exc:
        return error(400, str(exc))
    base = str(request.url.replace(query=""))
    try:
        await pool.update(update, base, settings.update_timeout)
    except QueryTimeout:
        return error(503, f"the update ran past its time limit of {settings.update_timeout:g} s; "
                          "nothing was written")  # fmt: skip
    except QueryFailed as exc:
        return error(exc.status, exc.message)
    log.info("update applied (%d characters)", len(update))
    return Response(status_code=204)


def summary(ex: Any) -> dict[str, Any]:
    """What was extracted from one document, with offsets into its text."""
    return {
        "id": ex.document.id,
        "title": ex.document.title,
        "date": ex.document.date.isoformat() if ex.document.date else None,
        "figures": [
            {"value": f.value, "qualifier": f.qualifier, "category": f.category, "measure": f.measure,
             "source": f.source.label if f.source else None, "source_text": f.source_text,
             "source_basis": f.basis, "cue": f.cue, "start": f.start, "end": f.end,
             "text": f.text, "certainty": f.certainty}
            for f in ex.figures
        ],
        "quotes": [
            {"speaker": q.speaker.label if q.speaker else None, "speaker_text": q.speaker_text,
             "speaker_basis": q.basis, "quote": q.text, "start": q.start, "end": q.end}
            for q in ex.quotes
        ],
        "entities": sorted({(e.type, e.label) for e in ex.entities.values()}),
        "events": [{"type": e.type, "trigger": e.text, "start": e.start, "end": e.end} for e in ex.events],
    }  # fmt: skip


def created(items: list[dict[str, Any]], errors: list[str]) -> JSONResponse:
    return JSONResponse({"documents": items, "errors": errors}, status_code=201 if items else 422)
