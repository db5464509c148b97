"""Application factory: `create_app(settings)` serves one store through a pool of worker processes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.cache import AnswerCache
from api.common import error, http_error
from api.fastpath import KGApp
from api.pool import WorkerPool
from api.routers import documents, entities, export, health, incidents, page, queries, sparql
from kg import __version__
from kg.settings import Settings, get_settings
from kg.store import KGStore, hold_serve_lock

log = logging.getLogger("kg.service")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.sparql_endpoint:
            async with _remote(app, settings):
                yield
            return
        if not (settings.store / "CURRENT").exists():
            KGStore(settings.store).close()  # an empty store, so workers can open it
        lock = hold_serve_lock(settings.store)  # writers elsewhere are refused while we serve
        pool = WorkerPool(
            settings.store, settings.workers, app.state.cache, settings.worker_allocator
        )
        await pool.start()
        if pool.wall is not None:
            if settings.require_network_wall:
                await pool.close()
                lock.close()
                raise RuntimeError(
                    f"query workers cannot be walled off the network here ({pool.wall}); "
                    "set KG_REQUIRE_NETWORK_WALL=false to serve with the guard alone"
                )
            log.warning("workers run without the network wall: %s", pool.wall)
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()
            lock.close()

    app = KGApp(  # FastAPI behind kg's ASGI front (api.fastpath)
        title="kg",
        version=__version__,
        description=(
            "Who said which figure in war and conflict news: a SPARQL 1.1 endpoint over the "
            "knowledge graph, canned queries and JSON endpoints, and exports for Gephi and "
            "triple stores. Read-only unless the service has a token (KG_TOKEN)."
        ),
        lifespan=lifespan,
        docs_url=None,  # served by api.routers.page from files vendored at install time
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.cache = (
        AnswerCache(settings.answer_cache_mb << 20)
        if settings.answer_cache_mb and not settings.sparql_endpoint  # see api.remote
        else None
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    for router in (page, sparql, queries, entities, incidents, documents, export, health):
        app.include_router(router.router)

    @app.exception_handler(StarletteHTTPException)
    async def json_errors(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_error(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 as every other error, naming each bad field; the input is not echoed back (it
        may be huge, or hold NaN, which JSON cannot carry)."""
        problems = [
            {"location": list(e.get("loc", ())), "message": e.get("msg", "invalid")}
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"location": [], "message": "invalid request"}
        where = ".".join(str(p) for p in first["location"])
        return error(422, f"{where}: {first['message']}" if where else first["message"],
                     problems=problems)  # fmt: skip

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error(500, f"internal error ({type(exc).__name__}); the service's log has more")

    app.mount("/static", StaticFiles(directory=page.STATIC), name="static")
    return app


@asynccontextmanager
async def _remote(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """Serve a SPARQL server (api.remote) for the app's lifetime."""
    from api.remote import RemotePool
    from kg.remote import SparqlServer

    assert settings.sparql_endpoint is not None
    server = SparqlServer(settings.sparql_endpoint, settings.update_endpoint)
    pool = RemotePool(server, settings.workers)
    await pool.start()
    app.state.pool = pool
    try:
        yield
    finally:
        await pool.close()
