"""The changes feed for mirrors (an API key with the read scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import ApiKeyDep, CoordSysDep, EngineDep, LimitDep
from app.api.routes.facilities import json_response
from app.api.schemas.changes import ChangesPage
from app.errors import PROBLEM_RESPONSES
from app.services import changes as feed

router = APIRouter(prefix="/v1", tags=["changes"], responses=PROBLEM_RESPONSES)


@router.get("/changes", operation_id="facility_changes", response_model=ChangesPage)
async def facility_changes(
    key: ApiKeyDep,
    engine: EngineDep,
    limit: LimitDep,
    since: Annotated[
        int, Query(ge=0, le=2**62, description="`next_since` of the previous page; 0 at first.")
    ] = 0,
    coordsys: CoordSysDep = "wgs84",
) -> Response:
    """Changes to the facilities of the key's city after `since`, oldest first: upserts
    carry the facility as it is now, deletions only its id. Repeat with `next_since` while
    `more` is true; a mirror that applies them in order is exactly in step."""
    return json_response(await feed.changes(engine, key.city_code, since, limit, coordsys))
