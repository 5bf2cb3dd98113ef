"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import text

from app.api.deps import EngineDep
from app.api.routes.facilities import json_response
from app.errors import Unavailable

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="liveness")
async def liveness() -> Response:
    """The process is up (says nothing about the database)."""
    return json_response({"status": "ok"})


@router.get("/readyz", operation_id="readiness")
async def readiness(engine: EngineDep) -> Response:
    """The database answers; 503 otherwise."""
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise Unavailable("database unreachable") from exc
    return json_response({"status": "ready"})
