"""Webhooks: registration, the admin's and the key holder's views, deliveries."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import SafeStr
from app.domain.webhooks import MAX_URL_CHARS, Event


class NewWebhook(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://hooks.example.com/ylyx",
                    "events": ["facility.upserted", "facility.deleted"],
                    "api_key_id": 1,
                    "description": "热线工作台的镜像",
                }
            ]
        },
    )

    url: SafeStr = Field(
        min_length=1,
        max_length=MAX_URL_CHARS,
        description="https on port 443; its host must resolve only to public addresses.",
    )
    events: list[Event] = Field(
        default_factory=lambda: [Event.upserted, Event.deleted],
        min_length=1,
        max_length=2,
        description="facility.upserted and/or facility.deleted; both when omitted.",
    )
    api_key_id: int | None = Field(
        None,
        ge=1,
        le=2**62,
        description="The API key whose holder receives it; omitted: the city's own webhook.",
    )
    description: SafeStr = Field("", max_length=200, description="What the webhook is for.")


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    active: bool = Field(
        description="false pauses deliveries; true resumes them (a failing webhook retries "
        "its failed batch from the first try)."
    )


class WebhookOut(BaseModel):
    id: int
    api_key_id: int | None = Field(description="The key it belongs to; null: the city's own.")
    city_code: str
    url: str
    events: list[Event]
    description: str
    secret_prefix: str = Field(description="The first characters of the signing secret.")
    previous_secret_until: str | None = Field(
        description="After a rotation: until when the previous secret also signs."
    )
    status: Literal["active", "disabled", "key_revoked", "failing"] = Field(
        description="failing: a batch was refused too often; an admin resumes it (PATCH). "
        "key_revoked: nothing is sent for a revoked key."
    )
    cursor: int = Field(description="The last changes-feed seq delivered.")
    pending_attempts: int = Field(description="Failed tries of the batch being delivered.")
    last_error: str | None
    failing_since: str | None
    last_delivered_at: str | None
    next_attempt_at: str | None
    created_at: str


class RegisteredWebhook(WebhookOut):
    secret: str = Field(
        description="The signing secret: shown once; verify X-YLYX-Signature with it."
    )


class DeliveryOut(BaseModel):
    id: str = Field(description="The X-YLYX-Delivery header: the same on every retry.")
    first_seq: int
    last_seq: int
    event_count: int
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_attempt_at: str | None
    created_at: str
    delivered_at: str | None
