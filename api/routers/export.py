"""Exports of the whole graph: GEXF and GraphML for graph tools, RDF dumps for triple stores."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from api.deps import PoolDep, SettingsDep
from kg.export import FORMATS, GRAPH_FORMATS, RDF_FORMATS, export_bytes
from kg.store import KGStore

router = APIRouter(prefix="/export", tags=["export"])


@router.get("/{fmt}")
async def export(fmt: str, pool: PoolDep, settings: SettingsDep) -> Response:
    """Download the graph as gexf, graphml, nquads, trig, turtle or ntriples."""
    if fmt not in FORMATS:
        raise HTTPException(
            404, f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}"
        )

    def dump() -> bytes:
        store = KGStore(settings.store, read_only=True)
        try:
            return export_bytes(store, fmt)
        finally:
            store.close()

    async with pool.borrow():  # holds off writes while reading
        body = await asyncio.get_running_loop().run_in_executor(None, dump)
    media = GRAPH_FORMATS.get(fmt) or RDF_FORMATS[fmt][1]
    suffix = {"nquads": "nq", "ntriples": "nt", "turtle": "ttl"}.get(fmt, fmt)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="kg.{suffix}"'})  # fmt: skip
