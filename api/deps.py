"""Dependencies shared by the routers: settings, the worker pool, the write gate.

All are `async def`: FastAPI runs a plain `def` dependency in its thread pool, a thread
hand-off per dependency per request that cost more than the lookup queries themselves."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.pool import QueryPool
from kg.settings import Settings


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_pool(request: Request) -> QueryPool:
    return request.app.state.pool


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PoolDep = Annotated[QueryPool, Depends(get_pool)]

_bearer = HTTPBearer(
    auto_error=False, description="The token of KG_TOKEN; writes are off without it."
)


async def require_writer(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Writes need KG_TOKEN set on the service and the same token from the caller."""
    if settings.token is None:
        raise HTTPException(403, "this service is read-only (no KG_TOKEN is set)")
    expected = settings.token.get_secret_value().encode()
    given = (credentials.credentials if credentials else "").encode()
    if not credentials or not hmac.compare_digest(given, expected):
        raise HTTPException(
            401, "a valid bearer token is needed", headers={"WWW-Authenticate": "Bearer"}
        )


WriterDep = Annotated[None, Depends(require_writer)]
