"""Liveness, what the store holds, and how the workers fare: what an operator looks at."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse

from api.common import rows
from api.deps import PoolDep, SettingsDep
from api.pool import QueryPool
from kg.settings import Settings

router = APIRouter(tags=["service"])
HEALTH_TIMEOUT = 3.0  # seconds: a probe wants an answer soon, even from a struggling service

_COUNTS = """SELECT (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?c) AS ?figure_claims)
WHERE { { GRAPH ?d { ?d a kg:Document } } UNION { GRAPH ?g { ?c a kg:FigureClaim } } }"""
_ANSWERS = "SELECT ?up WHERE { BIND(true AS ?up) }"  # a server that answers at all


@router.get("/health")
async def health(pool: PoolDep, settings: SettingsDep) -> JSONResponse:
    """`ok` when every query worker is up and the store answers; `degraded` when some workers
    are missing (being replaced); 503 `unavailable` when the store cannot be queried in time.
    Also: the store's counts (null during a write, which the count would wait for), the workers'
    history and the answer cache's use (null when off)."""
    unknown = {"documents": None, "figure_claims": None}
    if pool.writing and pool.counts_in_health:
        return _status("ok", settings, pool, unknown)
    try:
        found, _ = await rows(pool, settings, _COUNTS if pool.counts_in_health else _ANSWERS,
                              timeout=HEALTH_TIMEOUT)  # fmt: skip
    except HTTPException as exc:
        workers = pool.health()
        detail = exc.detail if isinstance(exc.detail, dict) else {"message": str(exc.detail)}
        body = {"status": "unavailable", "message": detail.get("message"), "workers": workers}
        return JSONResponse(body, status_code=503)
    counts = (
        (found[0] if found else {"documents": 0, "figure_claims": 0})
        if pool.counts_in_health
        else unknown
    )
    return _status("ok" if pool.alive >= pool.size else "degraded", settings, pool, counts)


def _status(status: str, settings: Settings, pool: QueryPool, counts: dict) -> JSONResponse:
    cache = pool.cache.stats() if pool.cache is not None else None
    return JSONResponse({"status": status, "read_only": settings.token is None, **counts,
                         "workers": pool.health(), "answer_cache": cache})  # fmt: skip
