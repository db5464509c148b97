"""Dependencies shared by the routers: the store and the settings, held on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.settings import Settings
from kg.store import KGStore


def get_store(request: Request) -> KGStore:
    return request.app.state.store


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[KGStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
