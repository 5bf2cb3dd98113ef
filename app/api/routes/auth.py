"""Staff sign-in: opaque bearer tokens, stored hashed, expiring."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import SettingsDep, StaffDep, WriteEngineDep
from app.api.routes.facilities import json_response
from app.api.schemas.auth import SignIn, StaffOut, TokenOut
from app.errors import problem_responses
from app.services import staff

router = APIRouter(prefix="/v1/auth", tags=["staff"], responses=problem_responses(401, 403))


@router.post("/token", operation_id="staff_sign_in", response_model=TokenOut)
async def sign_in(body: SignIn, engine: WriteEngineDep, settings: SettingsDep) -> Response:
    """Exchange a username and password for a bearer token."""
    token, expires = await staff.sign_in(
        engine, body.username, body.password, settings.staff_token_ttl_s
    )
    return json_response(
        {"access_token": token, "token_type": "bearer", "expires_at": expires.isoformat()}
    )


@router.get("/me", operation_id="staff_me", response_model=StaffOut)
async def me(who: StaffDep) -> Response:
    """The signed-in member of staff."""
    return json_response(
        {
            "id": who.id,
            "username": who.username,
            "role": who.role,
            "city_code": who.city_code,
            "region_code": who.region_code,
        }
    )
