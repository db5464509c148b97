"""JSON for apps: incidents linked across documents, and how each source's toll for one moved.

Rows come from the canned queries `incidents` and `incident-tolls` (GET /queries/… gives the same
rows); this router pages the list in the store and shapes one incident's tolls per category and
source."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from rdflib import URIRef

from api.common import Limit, Offset, rows, with_ids
from api.deps import PoolDep, SettingsDep
from api.routers.entities import Category
from api.routers.queries import PAGE_HEADERS, page_headers, page_rows
from kg.queries import load_queries
from kg.vocab import ID

router = APIRouter(tags=["incidents"])

IncidentName = Annotated[str, Path(pattern=r"^[a-z0-9-]+$", max_length=300)]
_PLACE = Query(max_length=200, description="A place whose name contains this text (any case).")
# Columns of incident-tolls that describe the incident or a category, not one figure.
_INCIDENT = ("incident", "incident_label", "incident_date")
_CATEGORY = ("low", "high", "disagree")
_INCIDENT_ROW = """SELECT ?label ?date WHERE {
  BIND(kg:param("incident") AS ?i) ?i a kg:Incident ; rdfs:label ?label .
  OPTIONAL { ?i sem:hasTimeStamp ?date } }"""


@router.get("/incidents", responses={200: {"headers": PAGE_HEADERS}})
async def list_incidents(
    request: Request,
    response: Response,
    pool: PoolDep,
    settings: SettingsDep,
    place: Annotated[str | None, _PLACE] = None,
    event_type: Annotated[
        str | None,
        Query(
            alias="type",
            pattern=r"^[A-Za-z -]+$",
            max_length=60,
            description="Event type contains this: drone-strike, strike, shelling.",
        ),
    ] = None,
    since: Annotated[date | None, Query(alias="from", description="On or after.")] = None,
    until: Annotated[date | None, Query(alias="to", description="On or before.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Incidents, latest first, with how many documents and figure claims report each; `id` is
    what GET /incidents/{id} takes."""
    query = load_queries()["incidents"]
    given = {
        "place": place,
        "type": event_type,
        "from": since and since.isoformat(),
        "to": until and until.isoformat(),
    }
    bindings = query.bindings({k: v for k, v in given.items() if v})
    found, more = await page_rows(pool, settings, query.text, bindings, limit, offset)
    response.headers.update(page_headers(request, offset, len(found), more))
    with_ids(found, "incident", str(ID["incident/"]))
    return found


@router.get("/incidents/{name}")
async def get_incident(
    name: IncidentName,
    response: Response,
    pool: PoolDep,
    settings: SettingsDep,
    category: Category | None = None,
) -> dict[str, Any]:
    """One incident's toll timeline: per category, the spread of the sources' latest figures,
    whether they disagree beyond their hedges, and per source its figures in order of
    publication (the rows of incident-tolls); `X-KG-Truncated: true` when the row cap cut them."""
    iri = str(ID[f"incident/{name}"])
    query = load_queries()["incident-tolls"]
    values = {"incident": iri} | ({"category": category} if category else {})
    found, cut = await rows(pool, settings, query.text, query.bindings(values))
    response.headers["X-KG-Truncated"] = "true" if cut else "false"
    if found:
        head = {"label": found[0]["incident_label"], "date": found[0]["incident_date"]}
    else:  # an incident none of whose figures are in this category, or no incident
        known, _ = await rows(pool, settings, _INCIDENT_ROW, {"incident": URIRef(iri)})
        if not known:
            raise HTTPException(404, f"no incident {name}")
        head = known[0]
    head = {"incident": iri, "id": name} | head
    return head | {"categories": tolls(found)}


def tolls(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """incident-tolls rows of one incident → per category its spread and per source its
    figures, sources in the order of their first figure."""
    categories: dict[str, dict[str, Any]] = {}
    for row in found:
        cat = categories.setdefault(
            row["category"], {"category": row["category"], **{k: row[k] for k in _CATEGORY},
                              "sources": {}}
        )  # fmt: skip
        key = row["source_iri"] or f"document:{row['document']}"
        source = cat["sources"].setdefault(
            key, {"source": row["source"], "source_iri": row["source_iri"], "latest": None,
                  "figures": []}
        )  # fmt: skip
        figure = {k: v for k, v in row.items() if k not in (*_INCIDENT, *_CATEGORY, "category",
                                                          "source", "source_iri")}  # fmt: skip
        source["figures"].append(figure)
        if row["latest"] and source["latest"] is None:
            source["latest"] = figure
    return [c | {"sources": list(c["sources"].values())} for c in categories.values()]
