"""Liveness, and what the store holds."""

from __future__ import annotations

from fastapi import APIRouter

from api.common import rows
from api.deps import PoolDep, SettingsDep

router = APIRouter(tags=["service"])

_COUNTS = """SELECT (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?c) AS ?figure_claims)
WHERE { { GRAPH ?d { ?d a kg:Document } } UNION { GRAPH ?g { ?c a kg:FigureClaim } } }"""


@router.get("/health")
async def health(pool: PoolDep, settings: SettingsDep) -> dict[str, object]:
    """Status, what the store holds, and the answer cache's use (null when it is off)."""
    found, _ = await rows(pool, settings, _COUNTS)
    counts = found[0] if found else {"documents": 0, "figure_claims": 0}
    cache = pool.cache.stats() if pool.cache is not None else None
    return {"status": "ok", "read_only": settings.token is None, **counts, "answer_cache": cache}
