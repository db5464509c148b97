"""How kg's service is run by uvicorn: one configuration for `kg serve` and the tests.

uvicorn answers a request its HTTP parser refuses (a request line or headers over about 64
KiB, or bytes that are not HTTP) itself, in plain text; kg's protocol class answers those in
the JSON every other error has. Operators see a line per request (uvicorn's access log) and kg's
own events (timeouts, worker deaths and replacements, writes) on stderr. Requests under way
when the service is told to stop get a few seconds (each has its own time limit anyway).
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.common import error_body
from kg.settings import Settings

GRACE = 3.0  # seconds requests under way may take to finish once the service is stopping

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line",
                            "stream": "ext://sys.stderr"}},
    "loggers": {name: {"handlers": ["stderr"], "level": "INFO", "propagate": False}
                for name in ("kg", "uvicorn", "uvicorn.access")} | {
                "uvicorn.error": {"level": "INFO"}},
}  # fmt: skip


class _OneWrite:
    """The connection as a response is written to it: the response's head is held until its
    body's first part, and both go out in one write.

    uvicorn writes a response's head and its body separately, two system calls where one does;
    on a loopback connection each send costs about as much as a lookup query's Python work, and
    the second one was a quarter of the service's time on distinct lookups. What is held goes
    out at the latest on the event loop's next turn, so nothing waits on it.
    """

    __slots__ = ("held", "transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport, self.held = transport, b""

    def write(self, data: bytes) -> None:
        if self.held:
            data, self.held = self.held + data, b""
        elif data.startswith(b"HTTP/1.1 ") and not data.startswith(b"HTTP/1.1 100 "):
            self.held = data
            asyncio.get_running_loop().call_soon(self.flush)
            return
        self.transport.write(data)

    def flush(self) -> None:
        if self.held:
            data, self.held = self.held, b""
            self.transport.write(data)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()


class JSONErrorsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with its own 400 answer in kg's JSON, and each response
    written in one go (_OneWrite)."""

    def on_headers_complete(self) -> None:
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not before and self.cycle is not None:
            self.cycle.transport = _OneWrite(self.transport)  # type: ignore[assignment]

    def send_400_response(self, msg: str) -> None:
        why = "invalid HTTP request: not HTTP, or a request line or headers too long"
        body = json.dumps(error_body(400, f"{why} (send a long query by POST)")).encode()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        head += [
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        ]
        head += [b"content-type: application/json\r\n", b"x-content-type-options: nosniff\r\n",
                 b"content-length: %d\r\n" % len(body), b"connection: close\r\n\r\n"]  # fmt: skip
        self.transport.write(b"".join(head) + body)
        self.transport.close()


class Server(uvicorn.Server):
    """uvicorn's server, which tells the worker pool first when it is stopping: requests
    waiting for or running a query get 503 at once, rather than when the grace ends."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        pool = getattr(self.app.state, "pool", None)
        if pool is not None:
            pool.stopping()
        await super().shutdown(sockets)


def config(app: FastAPI, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """uvicorn's configuration for serving `app` as `settings` say."""
    # A log line per request cost as much as the request itself (22,000 → 11,700 cached answers
    # a second): most of it was the logging module finding the caller's file and line, and the
    # thread and process names, which the lines do not show. These are the logging module's
    # documented switches for that.
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    options: dict[str, Any] = {
        "host": settings.host, "port": settings.port, "http": JSONErrorsProtocol,
        "log_config": LOGGING, "access_log": settings.access_log,
        "timeout_graceful_shutdown": GRACE,
    }  # fmt: skip
    return uvicorn.Config(app, **(options | overrides))
