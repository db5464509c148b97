"""Canned queries from queries/*.rq as JSON: parameters validated, then bound as RDF terms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from api.deps import StoreDep
from kg.queries import ParameterError, load_queries, run

router = APIRouter(prefix="/queries", tags=["queries"])


@router.get("")
def list_queries() -> list[dict[str, Any]]:
    """The canned queries with their typed parameters."""
    return [
        {
            "name": q.name,
            "description": q.description,
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


@router.get("/{name}")
def run_query(name: str, request: Request, store: StoreDep) -> list[dict[str, Any]]:
    """Run one canned query; its parameters are the query string (e.g. `?category=killed`)."""
    queries = load_queries()
    if name not in queries:
        raise HTTPException(404, f"no query named {name!r}")
    values = dict(request.query_params)
    try:
        return run(store, queries[name], values)
    except ParameterError as exc:
        raise HTTPException(422, str(exc)) from None
