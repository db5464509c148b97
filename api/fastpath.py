"""GET /sparql?query=… answered straight from ASGI, before FastAPI's middleware and routing.

Lookups are the hot path of a SPARQL endpoint, and FastAPI's per-request machinery (middleware,
routing, parameter and dependency solving) cost more than the query did. A plain GET query goes
through the same `answer()` as the documented route, with the same guard, negotiation, limits
and errors, and its whole response is kept for the next time it is asked (api.cache). Anything
else (the service description, POST, updates, cross-origin requests that need CORS headers,
parameters out of range or unknown) goes on to FastAPI unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from api import cache as answers
from api.common import http_error
from api.routers.sparql import answer, parse_timeout

if TYPE_CHECKING:
    from starlette.responses import Response

_PATHS = {"/sparql", "/sparql/"}
_KNOWN = {"query", "default-graph-uri", "named-graph-uri", "timeout"}
_HIT = (b"x-kg-cache", b"hit")


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
        or not hasattr(app.state, "pool")
    ):
        return False
    accept = host = b""
    for name, value in scope["headers"]:
        if name == b"origin":
            return False
        if name == b"accept" and not accept:  # the first, as Starlette reads headers
            accept = value
        elif name == b"host" and not host:
            host = value
    pool, cache = app.state.pool, app.state.cache
    # The answer depends on the query string, the Accept header and, through relative IRIs
    # resolved against the endpoint's own address, its scheme, host and path.
    key = (scope["query_string"], accept, scope["scheme"], host, scope["path"])
    since = cache.generation if cache is not None else 0
    if cache is not None and (hit := cache.get(key, count_miss=False)) is not None:
        await send(
            {"type": "http.response.start", "status": hit.status, "headers": [*hit.headers, _HIT]}
        )
        await send({"type": "http.response.body", "body": hit.body})
        return True
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
    query = next(v for k, v in params if k == "query")
    response: Response
    try:
        response = await answer(
            Request(scope, receive),
            pool,
            app.state.settings,
            query,
            [v for k, v in params if k == "default-graph-uri"],
            [v for k, v in params if k == "named-graph-uri"],
            seconds,
        )
    except HTTPException as exc:
        response = http_error(exc)
    if (
        cache is not None
        and response.status_code == 200
        and not isinstance(response, StreamingResponse)
        and answers.keeps(query)
    ):
        headers = tuple(h for h in response.raw_headers if h[0] != _HIT[0])  # added when sent
        kept = answers.Response(200, headers, response.body)
        cache.put(key, kept, len(response.body), since)
    await response(scope, receive, send)
    return True
