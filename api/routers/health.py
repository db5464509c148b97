"""Liveness and a count of what the store holds."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep

router = APIRouter(tags=["service"])


@router.get("/health")
def health(store: StoreDep) -> dict[str, object]:
    stats = store.stats()
    return {
        "status": "ok",
        "documents": stats["documents"],
        "figure_claims": stats["figure_claims"],
    }
