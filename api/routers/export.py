"""Exports of the whole graph: GEXF and GraphML for graph tools, RDF dumps for triple stores."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from api.deps import StoreDep
from kg.export import FORMATS, GRAPH_FORMATS, RDF_FORMATS, export_bytes

router = APIRouter(prefix="/export", tags=["export"])


@router.get("/{fmt}")
def export(fmt: str, store: StoreDep) -> Response:
    """Download the graph as gexf, graphml, nquads, trig, turtle or ntriples."""
    if fmt not in FORMATS:
        raise HTTPException(
            404, f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}"
        )
    media = GRAPH_FORMATS.get(fmt) or RDF_FORMATS[fmt][1]
    suffix = {"nquads": "nq", "ntriples": "nt", "turtle": "ttl"}.get(fmt, fmt)
    return Response(
        export_bytes(store, fmt),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="kg.{suffix}"'},
    )
