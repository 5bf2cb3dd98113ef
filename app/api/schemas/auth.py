"""Staff sign-in."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import SafeStr


class SignIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"username": "zy.admin", "password": "s3cret-passphrase"}]},
    )

    username: SafeStr = Field(min_length=1, max_length=100)
    password: SafeStr = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class StaffOut(BaseModel):
    id: int
    username: str
    role: str
    city_code: str
    region_code: str | None
