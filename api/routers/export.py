"""Exports of the graph: GEXF and GraphML for graph tools, RDF dumps for triple stores.

Every filter is honoured or refused with 400, never ignored: an RDF dump keeps whole document
graphs (chosen by `document`, `from`, `to`), so `view` and `category` are refused for it."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.common import deadline, error_body, timed_out
from api.deps import PoolDep, SettingsDep
from api.pool import QueryFailed, QueryTimeout
from kg.export import (
    FORMATS,
    GRAPH_FORMATS,
    RDF_FORMATS,
    SUFFIXES,
    ExportError,
    check,
    export_bytes,
)
from kg.networks import Filters

router = APIRouter(prefix="/export", tags=["export"])


@router.get("/{fmt}")
async def export(
    fmt: str,
    pool: PoolDep,
    settings: SettingsDep,
    view: Annotated[
        Literal["entity", "attribution", "comention"] | None,
        Query(description="Network view (default entity); refused for the RDF formats."),
    ] = None,
    since: Annotated[date | None, Query(alias="from", description="Published on or after.")] = None,
    until: Annotated[date | None, Query(alias="to", description="Published on or before.")] = None,
    document: Annotated[list[str] | None, Query(description="Only these documents.")] = None,
    category: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Only figure claims of this category (attribution and entity views); "
            "refused for the comention view and the RDF formats.",
        ),
    ] = None,
) -> Response:
    """Download a network (gexf, graphml, csv as a zip of nodes.csv and edges.csv, png) in one of
    the views, filtered; or the store's document graphs as nquads, trig, turtle, ntriples or
    jsonld, all of them or those chosen by `document`, `from` and `to`."""
    if fmt not in FORMATS:
        raise HTTPException(
            404, f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}"
        )
    filters = Filters(since, until, frozenset(document) if document else None, category)
    try:
        chosen = check(fmt, view, filters)  # refused before the store is opened
    except ExportError as exc:
        raise HTTPException(400, str(exc)) from None

    def dump() -> bytes:
        with pool.reader() as store:
            return export_bytes(store, fmt, chosen, filters)

    try:
        async with pool.borrow(deadline(settings)):  # holds off writes while reading
            body = await asyncio.get_running_loop().run_in_executor(None, dump)
    except QueryTimeout:
        raise timed_out(settings.query_timeout) from None
    except QueryFailed as exc:  # "the service is stopping": 503, as every other route says
        raise HTTPException(exc.status, error_body(exc.status, exc.message)) from None
    media = GRAPH_FORMATS.get(fmt) or RDF_FORMATS[fmt][1]
    name = f"kg-{chosen}.{SUFFIXES.get(fmt, fmt)}" if chosen else f"kg.{SUFFIXES.get(fmt, fmt)}"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
