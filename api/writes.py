"""Writes: they take the whole pool (workers stop), open the store read-write, then release it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from api import guard
from api.common import error
from api.pool import WorkerPool
from kg.settings import Settings
from kg.store import KGStore
from kg.vocab import PREFIX_MAP

T = TypeVar("T")


async def with_store(pool: WorkerPool, settings: Settings, work: Callable[[KGStore], T]) -> T:
    """Run `work` on a read-write store while no worker holds the store."""
    async with pool.exclusive():

        def job() -> T:
            store = KGStore(settings.store, served_by_me=True)
            try:
                return work(store)
            finally:
                store.close()

        return await asyncio.get_running_loop().run_in_executor(None, job)


async def write_update(
    request: Request,
    pool: WorkerPool,
    settings: Settings,
    update: str,
    using: list[str] | None = None,
    using_named: list[str] | None = None,
) -> Response:
    """SPARQL Update on the store; the protocol's using-graph-uri parameters become USING."""
    try:
        guard.check(guard.inspect(update), set())
        update = guard.with_using(update, using or [], using_named or [])
    except guard.Refused as exc:
        return error(400, str(exc))
    base = str(request.url.replace(query=""))

    def apply(store: KGStore) -> None:
        store.ox.update(update, base_iri=base, prefixes=PREFIX_MAP)

    try:
        await with_store(pool, settings, apply)
    except SyntaxError as exc:
        return error(400, f"malformed update: {str(exc).splitlines()[0][:500]}")
    except (ValueError, OSError) as exc:
        return error(400, str(exc).splitlines()[0][:500])
    return Response(status_code=204)


def summary(ex: Any) -> dict[str, Any]:
    """What was extracted from one document, with offsets into its text."""
    return {
        "id": ex.document.id,
        "title": ex.document.title,
        "date": ex.document.date.isoformat() if ex.document.date else None,
        "figures": [
            {"value": f.value, "qualifier": f.qualifier, "category": f.category, "measure": f.measure,
             "source": f.source.label if f.source else None, "start": f.start, "end": f.end,
             "text": f.text, "certainty": f.certainty}
            for f in ex.figures
        ],
        "quotes": [
            {"speaker": q.speaker.label if q.speaker else None, "quote": q.text, "start": q.start, "end": q.end}
            for q in ex.quotes
        ],
        "entities": sorted({(e.type, e.label) for e in ex.entities.values()}),
        "events": [{"type": e.type, "trigger": e.text, "start": e.start, "end": e.end} for e in ex.events],
    }  # fmt: skip


def created(items: list[dict[str, Any]], errors: list[str]) -> JSONResponse:
    return JSONResponse({"documents": items, "errors": errors}, status_code=201 if items else 422)
