"""Each queries/*.rq is a route of its own, with its typed parameters in OpenAPI, validated
(422 on bad input) and bound as RDF terms; prepared once at start-up; paged; JSON or CSV."""

from __future__ import annotations

import csv
import inspect
import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from api.common import Limit, Offset, rows
from api.deps import PoolDep, SettingsDep
from kg.queries import CannedQuery, Parameter, ParameterError, load_queries

router = APIRouter(prefix="/queries", tags=["queries"])

_IRI_PATTERN = r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$"


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


def _annotation(p: Parameter) -> Any:
    kind: Any = {"integer": int, "decimal": float, "date": date}.get(p.type, str)
    if p.type == "enum":
        kind = Literal[tuple(p.values)]  # type: ignore[valid-type]
    extra: dict[str, Any] = {"description": p.description}
    if p.type == "iri":
        extra["pattern"] = _IRI_PATTERN
    if p.type == "string":
        extra["max_length"] = 1000
    return Annotated[kind if p.required else kind | None, Query(**extra)]


def _route(query: CannedQuery):
    async def endpoint(pool: PoolDep, settings: SettingsDep, **kwargs: Any) -> Response:
        limit, offset, fmt = kwargs.pop("limit"), kwargs.pop("offset"), kwargs.pop("format")
        values = {
            k: (v.isoformat() if isinstance(v, date) else str(v))
            for k, v in kwargs.items()
            if v is not None
        }
        try:
            bindings = query.bindings(values)
        except ParameterError as exc:
            raise HTTPException(422, str(exc)) from None
        found, truncated = await rows(pool, settings, query.text, bindings, cap=offset + limit)
        page = found[offset : offset + limit]
        headers = {
            "X-KG-Truncated": "true" if truncated and len(found) >= offset + limit else "false"
        }
        if fmt == "csv":
            out = io.StringIO()
            if page:
                writer = csv.DictWriter(out, fieldnames=list(page[0]))
                writer.writeheader()
                writer.writerows(page)
            return Response(out.getvalue(), media_type="text/csv", headers=headers)
        return JSONResponse(page, headers=headers)

    params = [
        inspect.Parameter("pool", inspect.Parameter.KEYWORD_ONLY, annotation=PoolDep),
        inspect.Parameter("settings", inspect.Parameter.KEYWORD_ONLY, annotation=SettingsDep),
    ]
    for p in query.parameters:
        default = inspect.Parameter.empty if p.required else None
        params.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
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
        responses={200: {"content": {"text/csv": {}}}, 422: {"description": "Invalid parameter"},
                   503: {"description": "Past the time limit"}},
    )  # fmt: skip
