"""The service's ASGI front: what every request goes through before FastAPI, and the GET fast path.

Every request has its arrival time noted (a time limit counts from it), its size bounded (a
query string or body past the limits is refused with 414 or 413 before it is read into memory)
and `X-Content-Type-Options: nosniff` on its response.

GET /sparql?query=… is then answered straight from ASGI, before FastAPI's middleware and routing:
lookups are the hot path of a SPARQL endpoint, and FastAPI's per-request machinery (middleware,
routing, parameter and dependency solving) cost more than the query did. A plain GET query goes
through the same `reply()` as the documented route, with the same guard, negotiation, limits
and errors, and its whole response is kept for the next time it is asked (api.cache). Anything
else (the service description, POST, updates, cross-origin requests that need CORS headers,
parameters out of range or unknown) goes on to FastAPI unchanged.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException
from starlette.datastructures import URL
from starlette.types import Message, Receive, Scope, Send

from api import cache as answers
from api.common import ARRIVAL, error_body
from api.routers.sparql import parse_timeout, reply

if TYPE_CHECKING:
    from kg.settings import Settings

_PATHS = {"/sparql", "/sparql/"}
_KNOWN = {"query", "default-graph-uri", "named-graph-uri", "timeout"}
_HIT = (b"x-kg-cache", b"hit")
NOSNIFF = (b"x-content-type-options", b"nosniff")
_UPLOADS = ("/documents",)  # paths whose bodies are documents, not queries


class TooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes")


class KGApp(FastAPI):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        ARRIVAL.set(time.monotonic())
        settings: Settings = self.state.settings
        body_limit = (
            settings.max_upload_mb << 20
            if scope["path"].startswith(_UPLOADS)
            else settings.max_query_kb << 10
        )
        if len(scope["query_string"]) > settings.max_query_kb << 10:
            await _refuse(send, 414, f"the query string is longer than {settings.max_query_kb} KiB")
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > body_limit:
                await _refuse(send, 413, TooLarge(body_limit).detail)
                return
        if not await _fast(self, scope, receive, send):
            await super().__call__(scope, _bounded(receive, body_limit), _nosniff(send))


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps(error_body(status, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), NOSNIFF]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _bounded(receive: Receive, limit: int) -> Receive:
    """The body's parts, refused with 413 once they pass `limit` (a body sent without a
    Content-Length, in chunks, is counted as it comes)."""
    seen = 0

    async def bounded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge(limit)
        return message

    return bounded


def _nosniff(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), NOSNIFF]
        await send(message)

    return sending


async def _fast(app: FastAPI, scope: Scope, receive: Receive, send: Send) -> bool:
    """Answer a plain GET query and say so; leave anything else to FastAPI."""
    if scope["method"] != "GET" or scope["path"] not in _PATHS or not hasattr(app.state, "pool"):
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
    key = b""
    if cache is not None:
        key = answers.key(
            b"get", scope["query_string"], accept, scope["scheme"], host, scope["path"]
        )
        if (hit := cache.get(key, count_miss=False)) is not None:
            await send({"type": "http.response.start", "status": hit.status,
                        "headers": [*hit.headers, _HIT, NOSNIFF]})  # fmt: skip
            await send({"type": "http.response.body", "body": hit.body})
            return True
    since = cache.generation if cache is not None else 0
    query, default_graphs, named_graphs, seconds = _parameters(scope["query_string"])
    if query is None:
        return False
    # Relative IRIs resolve against the endpoint's address, as Starlette's request.url gives it
    # on the routes (its Host header checked, its path escaped).
    base = str(URL(scope=scope)).partition("?")[0]
    got = await reply(pool, app.state.settings, query, accept.decode("latin-1") or None, base,
                      default_graphs, named_graphs, seconds)  # fmt: skip
    if got.stream is not None:  # Starlette's response: it stops the stream if the client leaves
        await got.response()(scope, receive, _nosniff(send))
        return True
    headers = [(b"content-type", _content_type(got.media)),
               (b"content-length", str(len(got.body)).encode()), *got.headers]  # fmt: skip
    if cache is not None and got.status == 200 and answers.keeps(query):
        size = len(got.body) + sum(len(k) + len(v) for k, v in headers)
        cache.put(key, answers.Response(200, tuple(headers), got.body), size, since)
    await send(
        {"type": "http.response.start", "status": got.status, "headers": [*headers, NOSNIFF]}
    )
    await send({"type": "http.response.body", "body": got.body})
    return True


def _parameters(raw: bytes) -> tuple[str | None, list[str], list[str], float | None]:
    """The query and the protocol's parameters; a None query when FastAPI's route should take
    the request (no single query, an unknown or repeated parameter, a timeout out of range)."""
    try:
        params = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return None, [], [], None
    names = [k for k, _ in params]
    timeouts = [v for k, v in params if k == "timeout"]
    seconds = parse_timeout(timeouts[0]) if len(timeouts) == 1 else None
    if (
        names.count("query") != 1
        or not set(names) <= _KNOWN
        or len(timeouts) > 1
        or isinstance(seconds, str)
    ):
        return None, [], [], None
    return (
        next(v for k, v in params if k == "query"),
        [v for k, v in params if k == "default-graph-uri"],
        [v for k, v in params if k == "named-graph-uri"],
        seconds,
    )


def _content_type(media: str) -> bytes:
    """As Starlette writes it: text types say their charset."""
    return (media + "; charset=utf-8" if media.startswith("text/") else media).encode()
