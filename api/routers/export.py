"""Exports of the whole graph: GEXF and GraphML for graph tools, RDF dumps for triple stores."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import PoolDep, SettingsDep
from kg.export import FORMATS, GRAPH_FORMATS, RDF_FORMATS, SUFFIXES, export_bytes
from kg.networks import Filters
from kg.store import KGStore

router = APIRouter(prefix="/export", tags=["export"])


@router.get("/{fmt}")
async def export(
    fmt: str,
    pool: PoolDep,
    settings: SettingsDep,
    view: Literal["entity", "attribution", "comention"] = "entity",
    since: Annotated[date | None, Query(alias="from", description="Published on or after.")] = None,
    until: Annotated[date | None, Query(alias="to", description="Published on or before.")] = None,
    document: Annotated[list[str] | None, Query(description="Only these documents.")] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """Download a network (gexf, graphml, csv as a zip of nodes.csv and edges.csv, png) in one of
    the views, filtered; or the store as nquads, trig, turtle, ntriples or jsonld."""
    if fmt not in FORMATS:
        raise HTTPException(
            404, f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}"
        )
    filters = Filters(since, until, frozenset(document) if document else None, category)

    def dump() -> bytes:
        store = KGStore(settings.store, read_only=True)
        try:
            return export_bytes(store, fmt, view, filters)
        finally:
            store.close()

    async with pool.borrow():  # holds off writes while reading
        body = await asyncio.get_running_loop().run_in_executor(None, dump)
    media = GRAPH_FORMATS.get(fmt) or RDF_FORMATS[fmt][1]
    suffix = SUFFIXES.get(fmt, fmt)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="kg-{view}.{suffix}"'})  # fmt: skip
