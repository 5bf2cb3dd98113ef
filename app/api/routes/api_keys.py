"""API keys: admins issue, list and revoke them; a key can read its own policy only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from app.api.deps import (
    ApiKeyDep,
    EngineDep,
    KeyAdminDep,
    KeyRegistryDep,
    SettingsDep,
    WriteEngineDep,
)
from app.api.routes.facilities import json_response
from app.api.schemas.api_keys import ApiKeyOut, IssuedApiKey, NewApiKey, OwnKey
from app.errors import problem_responses
from app.services import api_keys

router = APIRouter(tags=["api-keys"], responses=problem_responses(409, 413))

KeyId = Annotated[int, Path(ge=1, le=2**62, description="The key's id (not its secret).")]


@router.post(
    "/v1/admin/api-keys",
    operation_id="issue_api_key",
    response_model=IssuedApiKey,
    status_code=201,
)
async def issue(
    body: NewApiKey, who: KeyAdminDep, engine: WriteEngineDep, settings: SettingsDep
) -> Response:
    """Issue a key (city admins). The secret is in this answer only."""
    issued = await api_keys.issue_key(
        engine,
        who,
        name=body.name,
        owner=body.owner,
        scopes=body.scopes,
        rate_per_minute=body.rate_per_minute or settings.default_key_rate_per_minute,
        burst=body.burst,
    )
    response = json_response(issued)
    response.status_code = 201
    return response


@router.get("/v1/admin/api-keys", operation_id="list_api_keys", response_model=list[ApiKeyOut])
async def listing(who: KeyAdminDep, engine: EngineDep) -> Response:
    """The keys of the admin's city, without their secrets."""
    return json_response(await api_keys.list_keys(engine, who))


@router.delete(
    "/v1/admin/api-keys/{key_id}", operation_id="revoke_api_key", response_model=ApiKeyOut
)
async def revoke(
    key_id: KeyId, who: KeyAdminDep, engine: WriteEngineDep, registry: KeyRegistryDep
) -> Response:
    """Revoke a key: refused at once by this process, by every process within the cache TTL."""
    return json_response(await api_keys.revoke_key(engine, who, key_id, registry))


@router.get("/v1/keys/me", operation_id="own_api_key", response_model=OwnKey)
async def own(key: ApiKeyDep) -> Response:
    """The calling key's own name, scopes and rate (never another key's)."""
    return json_response(
        {
            "name": key.name,
            "owner": key.owner,
            "scopes": sorted(key.scopes),
            "rate_per_minute": key.rate_per_minute,
            "burst": key.burst,
        }
    )
