"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import text

from app.api.deps import EngineDep, ReplicaEngineDep
from app.api.routes.facilities import json_response
from app.errors import Unavailable

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="liveness")
async def liveness() -> Response:
    """The process is up (says nothing about the database)."""
    return json_response({"status": "ok"})


@router.get("/readyz", operation_id="readiness")
async def readiness(engine: EngineDep, replica: ReplicaEngineDep) -> Response:
    """The database (and the read replica, when one is configured) answers; 503 otherwise."""
    for name, each in (("database", engine), ("read replica", replica)):
        if name == "read replica" and each is engine:
            continue
        try:
            async with each.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            raise Unavailable(f"{name} unreachable") from exc
    return json_response({"status": "ready"})
