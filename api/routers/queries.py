"""Each queries/*.rq is a route of its own, with its typed parameters in OpenAPI, validated
(422 on bad input) and bound as RDF terms; prepared once at start-up; paged; JSON or CSV.

Paging happens in the store: the page's LIMIT and OFFSET go into the SPARQL it runs, one row
more than the page is asked for, so a page past the row cap still has rows and its headers say
truthfully whether more follow (`X-KG-Truncated`, and an RFC 8288 `Link: <…>; rel="next"`)."""

from __future__ import annotations

import csv
import inspect
import io
import keyword
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from api.common import Limit, Offset, rows
from api.deps import PoolDep, SettingsDep
from api.pool import QueryPool
from kg.queries import CannedQuery, Parameter, ParameterError, load_queries, paged
from kg.settings import Settings

router = APIRouter(prefix="/queries", tags=["queries"])

_IRI_PATTERN = r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$"

# The headers of every paged route, as its OpenAPI description lists them.
PAGE_HEADERS: dict[str, Any] = {
    "X-KG-Truncated": {
        "description": "`true` when rows follow this page, `false` when it is the last.",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
    "Link": {
        "description": 'When rows follow: `<…&offset=N>; rel="next"` (RFC 8288), the next page.',
        "schema": {"type": "string"},
    },
}


async def page_rows(
    pool: QueryPool,
    settings: Settings,
    sparql: str,
    bindings: dict[str, RDFLiteral | URIRef],
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], bool]:
    """One page of a SELECT's rows and whether rows follow it.

    The store is asked for `limit + 1` rows from `offset`: the extra row, or the row cap cutting
    the answer first (a KG_ROW_CAP below `limit`), says that more follow."""
    found, cut = await rows(
        pool, settings, paged(sparql, limit + 1, offset), bindings, cap=limit + 1
    )
    return found[:limit], len(found) > limit or cut


def page_headers(request: Request, offset: int, shown: int, more: bool) -> dict[str, str]:
    """`X-KG-Truncated: true` exactly when rows follow this page, with a link to the next page
    (a relative reference: it resolves against the URL the client asked, proxies included)."""
    if not more:
        return {"X-KG-Truncated": "false"}
    nxt = request.url.include_query_params(offset=offset + shown)
    link = f"<{quote(nxt.path, safe='/')}?{nxt.query}>"
    return {"X-KG-Truncated": "true", "Link": f'{link}; rel="next"'}


@router.get("")
def list_queries() -> list[dict[str, Any]]:
    """The canned queries with their typed parameters."""
    return [
        {
            "name": q.name,
            "description": q.description,
            "path": f"/queries/{q.name}",
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": p.default,
                    "values": list(p.values) or None,
                    "description": p.description,
                }
                for p in q.parameters
            ],
        }
        for q in load_queries().values()
    ]


def _python_name(p: Parameter) -> str:
    """A parameter named like a Python keyword (`from`) is `from_` in the signature."""
    return f"{p.name}_" if keyword.iskeyword(p.name) else p.name


def _annotation(p: Parameter) -> Any:
    kind: Any = {"integer": int, "decimal": float, "date": date}.get(p.type, str)
    if p.type == "enum":
        kind = Literal[tuple(p.values)]  # type: ignore[valid-type]
    extra: dict[str, Any] = {"description": p.description}
    if _python_name(p) != p.name:
        extra["alias"] = p.name
    if p.type == "iri":
        extra["pattern"] = _IRI_PATTERN
    if p.type == "string":
        extra["max_length"] = 1000
    return Annotated[kind if p.required else kind | None, Query(**extra)]


def _route(query: CannedQuery):
    names = {_python_name(p): p.name for p in query.parameters}

    async def endpoint(
        request: Request, pool: PoolDep, settings: SettingsDep, **kwargs: Any
    ) -> Response:
        limit, offset, fmt = kwargs.pop("limit"), kwargs.pop("offset"), kwargs.pop("format")
        values = {
            names[k]: (v.isoformat() if isinstance(v, date) else str(v))
            for k, v in kwargs.items()
            if v is not None
        }
        try:
            bindings = query.bindings(values)
        except ParameterError as exc:
            raise HTTPException(422, str(exc)) from None
        page, more = await page_rows(pool, settings, query.text, bindings, limit, offset)
        headers = page_headers(request, offset, len(page), more)
        if fmt == "csv":
            out = io.StringIO()
            if page:
                writer = csv.DictWriter(out, fieldnames=list(page[0]))
                writer.writeheader()
                writer.writerows(page)
            return Response(out.getvalue(), media_type="text/csv", headers=headers)
        return JSONResponse(page, headers=headers)

    params = [
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter("pool", inspect.Parameter.KEYWORD_ONLY, annotation=PoolDep),
        inspect.Parameter("settings", inspect.Parameter.KEYWORD_ONLY, annotation=SettingsDep),
    ]
    for p in query.parameters:
        default = inspect.Parameter.empty if p.required else None
        params.append(inspect.Parameter(_python_name(p), inspect.Parameter.KEYWORD_ONLY,
                                        annotation=_annotation(p), default=default))  # fmt: skip
    params += [
        inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, default=1000, annotation=Limit),
        inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=Offset),
        inspect.Parameter("format", inspect.Parameter.KEYWORD_ONLY, default="json",
                          annotation=Annotated[Literal["json", "csv"], Query(description="json or csv.")]),
    ]  # fmt: skip
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = query.name.replace("-", "_")
    endpoint.__doc__ = query.description
    return endpoint


for _query in load_queries().values():
    router.add_api_route(
        f"/{_query.name}", _route(_query), methods=["GET"], name=_query.name,
        summary=_query.name, description=_query.description,
        responses={200: {"content": {"text/csv": {}}, "headers": PAGE_HEADERS},
                   422: {"description": "Invalid parameter"},
                   503: {"description": "Past the time limit"}},
    )  # fmt: skip
