"""GET /sparql?query=… answered straight from ASGI, before FastAPI's middleware and routing.

Lookups are the hot path of a SPARQL endpoint, and FastAPI's per-request machinery (middleware,
routing, parameter and dependency solving) cost more than the query did. A plain GET query goes
through the same `answer()` as the documented route, with the same guard, negotiation, limits
and errors; anything else (the service description, POST, updates, cross-origin requests that
need CORS headers, parameters out of range or unknown) goes on to FastAPI unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from api.common import http_error
from api.routers.sparql import answer, parse_timeout

if TYPE_CHECKING:
    from starlette.responses import Response

_PATHS = {"/sparql", "/sparql/"}
_KNOWN = {"query", "default-graph-uri", "named-graph-uri", "timeout"}


class KGApp(FastAPI):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not await _fast(self, scope, receive, send):
            await super().__call__(scope, receive, send)


async def _fast(app: FastAPI, scope: Scope, receive: Receive, send: Send) -> bool:
    """Answer a plain GET query and say so; leave anything else to FastAPI."""
    if (
        scope["type"] != "http"
        or scope["method"] != "GET"
        or scope["path"] not in _PATHS
        or any(name == b"origin" for name, _ in scope["headers"])
        or not hasattr(app.state, "pool")
    ):
        return False
    try:
        params = parse_qsl(
            scope["query_string"].decode("utf-8"), keep_blank_values=True, strict_parsing=True
        )
    except (UnicodeDecodeError, ValueError):
        return False
    names = [k for k, _ in params]
    timeouts = [v for k, v in params if k == "timeout"]
    seconds = parse_timeout(timeouts[0]) if len(timeouts) == 1 else None
    if (
        names.count("query") != 1
        or not set(names) <= _KNOWN
        or len(timeouts) > 1
        or isinstance(seconds, str)
    ):
        return False
    scope["app"] = app
    response: Response
    try:
        response = await answer(
            Request(scope, receive),
            app.state.pool,
            app.state.settings,
            next(v for k, v in params if k == "query"),
            [v for k, v in params if k == "default-graph-uri"],
            [v for k, v in params if k == "named-graph-uri"],
            seconds,
        )
    except HTTPException as exc:
        response = http_error(exc)
    await response(scope, receive, send)
    return True
