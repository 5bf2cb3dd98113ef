"""API keys for third-party apps."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import SafeStr
from app.domain.rate_limits import Scope


class NewApiKey(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "12345 热线工作台",
                    "owner": "资阳市12345政务服务便民热线",
                    "scopes": ["read", "analysis"],
                    "rate_per_minute": 600,
                }
            ]
        },
    )

    name: SafeStr = Field(min_length=1, max_length=100, description="What the key is for.")
    owner: SafeStr = Field(min_length=1, max_length=200, description="Who it is issued to.")
    scopes: list[Scope] = Field(min_length=1, description="read, analysis and/or write.")
    rate_per_minute: int | None = Field(
        None, ge=1, le=1_000_000, description="Requests a minute; the default when omitted."
    )
    burst: int | None = Field(
        None, ge=1, le=1_000_000, description="Requests at once; rate_per_minute when omitted."
    )


class ApiKeyOut(BaseModel):
    id: int
    key_prefix: str = Field(description="The first characters of the key, to recognise it.")
    name: str
    owner: str
    city_code: str
    scopes: list[Scope]
    rate_per_minute: int
    burst: int
    created_at: str
    revoked_at: str | None


class IssuedApiKey(ApiKeyOut):
    key: str = Field(description="The secret: shown once, stored only as its SHA-256.")


class OwnKey(BaseModel):
    name: str
    owner: str
    scopes: list[Scope]
    rate_per_minute: int
    burst: int
