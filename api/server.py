"""How kg's service is run by uvicorn: one configuration for `kg serve` and the tests.

uvicorn answers a request its HTTP parser refuses (a request line or headers over about 64
KiB, or bytes that are not HTTP) itself, in plain text; kg's protocol class answers those in
the JSON every other error has. Operators see a line per request (uvicorn's access log) and kg's
own events (timeouts, worker deaths and replacements, writes) on stderr. Requests under way
when the service is told to stop get a few seconds (each has its own time limit anyway).
"""

from __future__ import annotations

import json
import socket
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

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


class JSONErrorsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with its own 400 answer in kg's JSON."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": 400, "message": (
            "invalid HTTP request: not HTTP, or a request line or headers too long "
            "(send a long query by POST)")}).encode()  # fmt: skip
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
    options: dict[str, Any] = {
        "host": settings.host, "port": settings.port, "http": JSONErrorsProtocol,
        "log_config": LOGGING, "access_log": settings.access_log,
        "timeout_graceful_shutdown": GRACE,
    }  # fmt: skip
    return uvicorn.Config(app, **(options | overrides))
