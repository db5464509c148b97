"""Application factory: `create_app(settings)` serves one store through a pool of query workers."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.cache import AnswerCache
from api.common import http_error
from api.fastpath import KGApp
from api.pool import WorkerPool
from api.routers import documents, entities, export, health, page, queries, sparql
from kg import __version__
from kg.settings import Settings, get_settings
from kg.store import KGStore, hold_serve_lock


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if not (settings.store / "CURRENT").exists():
            KGStore(settings.store).close()  # an empty store, so workers can open it
        lock = hold_serve_lock(settings.store)  # writers elsewhere are refused while we serve
        pool = WorkerPool(settings.store, settings.workers, app.state.cache)
        await pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()
            lock.close()

    app = KGApp(  # FastAPI, with GET /sparql queries taken on a fast path
        title="kg",
        version=__version__,
        description=(
            "Who said which figure in war and conflict news: a SPARQL 1.1 endpoint over the "
            "knowledge graph, canned queries and JSON endpoints, and exports for Gephi and "
            "triple stores. Read-only unless the service has a token (KG_TOKEN)."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.cache = (
        AnswerCache(settings.answer_cache_mb << 20) if settings.answer_cache_mb else None
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    for router in (page, sparql, queries, entities, documents, export, health):
        app.include_router(router.router)

    @app.exception_handler(StarletteHTTPException)
    async def json_errors(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_error(exc)

    app.mount("/static", StaticFiles(directory=page.STATIC), name="static")
    return app
