"""Application factory: `create_app(settings, store)` wires the routers to one open store."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from api.routers import export, health, queries, sparql
from kg import __version__
from kg.settings import Settings, get_settings
from kg.store import KGStore


def create_app(settings: Settings | None = None, store: KGStore | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = store is None
        app.state.store = store or KGStore(settings.store)
        yield
        if own:
            app.state.store.close()

    app = FastAPI(
        title="kg",
        version=__version__,
        description=(
            "Who said which figure in war and conflict news: a SPARQL endpoint over the "
            "knowledge graph, canned queries as JSON, and exports for Gephi and triple stores."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    if store is not None:
        app.state.store = store
    app.include_router(sparql.router)
    app.include_router(queries.router)
    app.include_router(export.router)
    app.include_router(health.router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
