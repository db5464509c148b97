"""JSON for apps: entities, figures and quotes with filters.

Every filter and the page (LIMIT/OFFSET) are part of the SPARQL the store runs, so a page far
past the row cap is as complete as the first, and its headers say whether more rows follow."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from api.common import Limit, Offset, rows, with_ids
from api.deps import PoolDep, SettingsDep
from api.routers.queries import PAGE_HEADERS, page_headers, page_rows
from kg.model import BASES
from kg.queries import load_queries
from kg.vocab import ID

router = APIRouter(tags=["entities, figures, quotes"])

# How a source or speaker was found (kg.model.BASES): "sentence" keeps what sentences say.
Basis = Literal[BASES]  # type: ignore[valid-type]
_BASIS = Query(description="Only sources found this way: " + ", ".join(BASES) + ".")

Category = Literal[
    "killed",
    "injured",
    "displaced",
    "trapped",
    "captured",
    "troops",
    "equipment",
    "territory",
    "other",
]

_SEARCH = """
SELECT ?entity ?label ?type (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?doc) AS ?documents)
       (GROUP_CONCAT(DISTINCT ?alias; separator="|") AS ?aliases)
WHERE {
  BIND(kg:param("q") AS ?q)
  GRAPH ?doc { ?m kg:refersTo ?entity . ?entity rdfs:label ?label ; a ?class .
    OPTIONAL { ?entity skos:altLabel ?alias } }
  BIND(STRAFTER(STR(?class), "#") AS ?type)
  FILTER(!BOUND(?q) || CONTAINS(LCASE(?label), LCASE(?q)) || CONTAINS(LCASE(COALESCE(?alias, "")), LCASE(?q)))
} GROUP BY ?entity ?label ?type ORDER BY DESC(?mentions) ?label ?entity ?type"""


@router.get("/entities", responses={200: {"headers": PAGE_HEADERS}})
async def search_entities(
    request: Request,
    response: Response,
    pool: PoolDep,
    settings: SettingsDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in the label or an alias.")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Entities whose label or alias contains `q`, most mentioned first."""
    bindings = {"q": RDFLiteral(q)} if q else {}
    found, more = await page_rows(pool, settings, _SEARCH, bindings, limit, offset)
    response.headers.update(page_headers(request, offset, len(found), more))
    with_ids(found, "entity")
    for row in found:
        row["aliases"] = sorted(a for a in (row.get("aliases") or "").split("|") if a)
    return found


# Who else is named where this entity is: the small network on its page.
NEIGHBOURS = 25
_NEIGHBOURS = f"""
SELECT ?entity ?label ?type (COUNT(DISTINCT ?s) AS ?sentences) (COUNT(DISTINCT ?doc) AS ?documents)
WHERE {{
  BIND(kg:param("entity") AS ?e)
  GRAPH ?doc {{
    ?m1 kg:refersTo ?e ; kg:inSentence ?s .
    ?m2 kg:inSentence ?s ; kg:refersTo ?entity .
    FILTER(?entity != ?e)
    ?entity rdfs:label ?label ; a ?class .
  }}
  BIND(STRAFTER(STR(?class), "#") AS ?type)
}} GROUP BY ?entity ?label ?type ORDER BY DESC(?sentences) ?label ?entity ?type LIMIT {NEIGHBOURS}"""

EntityKind = Literal["person", "organisation", "armedforce", "place", "source"]
EntityName = Annotated[str, Path(pattern=r"^[a-z0-9-]+(?:/[a-z0-9-]+)?$", max_length=300)]


@router.get("/entities/{kind}/{name:path}")
async def get_entity(
    kind: EntityKind, name: EntityName, response: Response, pool: PoolDep, settings: SettingsDep
) -> dict[str, Any]:
    """One entity (id as in /entities, e.g. `person/tomas-brekel`): its mentions, quotes,
    figures and the documents they are in; `X-KG-Truncated: true` when the row cap cut them
    (GET /queries/entity pages through all of them)."""
    iri = str(ID[f"{kind}/{name}"])
    query = load_queries()["entity"]
    found, cut = await rows(pool, settings, query.text, query.bindings({"name": iri}))
    response.headers["X-KG-Truncated"] = "true" if cut else "false"
    if not found:
        raise HTTPException(404, f"no entity {kind}/{name}")
    head = {k: found[0][k] for k in ("entity", "label", "type")}
    neighbours, _ = await rows(pool, settings, _NEIGHBOURS, {"entity": URIRef(iri)})
    with_ids(neighbours, "entity")
    return {
        **head,
        "id": f"{kind}/{name}",
        "neighbours": neighbours,
        "queries": _queries_about(iri, head["label"]),
        "mentions": [r for r in found if r["relation"] == "mentioned"],
        "quotes": [r for r in found if r["relation"] == "quoted"],
        "figures": [r for r in found if r["relation"] == "gave figure"],
        "documents": sorted({r["document"] for r in found}),
    }


def _queries_about(iri: str, label: str) -> list[dict[str, str]]:
    """The canned queries that answer about this entity, as GET /queries/… paths."""
    asked = {
        "entity": {"name": iri},
        "figure-attributions": {"source": iri},
        "quotes": {"speaker": iri},
        "co-mentions": {"entity": label},
    }
    known = load_queries()
    return [
        {"name": name, "description": known[name].description,
         "path": f"/queries/{name}?{urlencode(params)}"}
        for name, params in asked.items()
        if name in known
    ]  # fmt: skip


@router.get("/figures", responses={200: {"headers": PAGE_HEADERS}})
async def figures(
    request: Request,
    response: Response,
    pool: PoolDep,
    settings: SettingsDep,
    source: Annotated[
        str | None, Query(max_length=300, description="Source label contains, or source IRI.")
    ] = None,
    category: Category | None = None,
    document: Annotated[str | None, Query(max_length=300)] = None,
    place: Annotated[
        str | None,
        Query(
            max_length=200,
            description="A place named in the figure's sentence: a place mentioned there whose "
            "label or an alias contains this text (any case), or the place's IRI.",
        ),
    ] = None,
    country: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z]{2}$",
            description="ISO 3166 alpha-2 code of the country the claim's document is about.",
        ),
    ] = None,
    basis: Annotated[Basis | None, _BASIS] = None,
    since: Annotated[date | None, Query(alias="from", description="Published on or after.")] = None,
    until: Annotated[date | None, Query(alias="to", description="Published on or before.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Figure claims with their sources, filtered; rows as in the figure-attributions query
    (whose parameters these are: /queries/figure-attributions gives the same rows)."""
    query = load_queries()["figure-attributions"]
    given = {"source": source, "category": category, "document": document, "place": place,
             "country": country, "basis": basis, "from": since and since.isoformat(),
             "to": until and until.isoformat()}  # fmt: skip
    bindings = query.bindings({k: v for k, v in given.items() if v})
    found, more = await page_rows(pool, settings, query.text, bindings, limit, offset)
    response.headers.update(page_headers(request, offset, len(found), more))
    return found


@router.get("/quotes", responses={200: {"headers": PAGE_HEADERS}})
async def quotes(
    request: Request,
    response: Response,
    pool: PoolDep,
    settings: SettingsDep,
    speaker: Annotated[str | None, Query(max_length=300)] = None,
    document: Annotated[str | None, Query(max_length=300)] = None,
    basis: Annotated[Basis | None, _BASIS] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Quotations with their speakers, filtered."""
    query = load_queries()["quotes"]
    given = {"speaker": speaker, "document": document, "basis": basis}
    values = {k: v for k, v in given.items() if v}
    found, more = await page_rows(pool, settings, query.text, query.bindings(values), limit, offset)
    response.headers.update(page_headers(request, offset, len(found), more))
    return found
