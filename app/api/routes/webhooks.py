"""Webhooks: admins register, list, pause and delete them; a key lists its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import (
    ApiKeyDep,
    EngineDep,
    KeyAdminDep,
    SettingsDep,
    WebhookResolverDep,
    WriteEngineDep,
)
from app.api.routes.facilities import json_response
from app.api.schemas.webhooks import (
    DeliveryOut,
    NewWebhook,
    RegisteredWebhook,
    WebhookOut,
    WebhookPatch,
)
from app.errors import problem_responses
from app.services import webhooks

router = APIRouter(tags=["webhooks"], responses=problem_responses(409, 413))

WebhookId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The webhook's id.")]


@router.post(
    "/v1/admin/webhooks",
    operation_id="register_webhook",
    response_model=RegisteredWebhook,
    status_code=201,
)
async def register(
    body: NewWebhook,
    who: KeyAdminDep,
    engine: WriteEngineDep,
    settings: SettingsDep,
    resolver: WebhookResolverDep,
) -> Response:
    """Register a webhook for a key of the admin's city (or for the city): it receives the
    changes made from now on. The signing secret is in this answer only."""
    registered = await webhooks.register(
        engine,
        who,
        resolver,
        settings,
        url=body.url,
        events=body.events,
        api_key_id=body.api_key_id,
        description=body.description,
    )
    response = json_response(registered)
    response.status_code = 201
    return response


@router.get("/v1/admin/webhooks", operation_id="list_webhooks", response_model=list[WebhookOut])
async def listing(who: KeyAdminDep, engine: EngineDep) -> Response:
    """The webhooks of the admin's city and how their deliveries stand."""
    return json_response(await webhooks.list_for_city(engine, who))


@router.get(
    "/v1/admin/webhooks/{webhook_id}/deliveries",
    operation_id="list_webhook_deliveries",
    response_model=list[DeliveryOut],
)
async def deliveries(
    webhook_id: WebhookId,
    who: KeyAdminDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=100, description="Batches, newest first.")] = 20,
) -> Response:
    """The webhook's latest batches: attempts, answers, errors."""
    return json_response(await webhooks.deliveries(engine, who, webhook_id, limit))


@router.patch(
    "/v1/admin/webhooks/{webhook_id}", operation_id="update_webhook", response_model=WebhookOut
)
async def update(
    webhook_id: WebhookId, body: WebhookPatch, who: KeyAdminDep, engine: WriteEngineDep
) -> Response:
    """Pause or resume a webhook (resuming retries a failing one's batch)."""
    return json_response(await webhooks.set_active(engine, who, webhook_id, body.active))


@router.post(
    "/v1/admin/webhooks/{webhook_id}/secret",
    operation_id="rotate_webhook_secret",
    response_model=RegisteredWebhook,
)
async def rotate(
    webhook_id: WebhookId, who: KeyAdminDep, engine: WriteEngineDep, settings: SettingsDep
) -> Response:
    """A new signing secret (in this answer only); deliveries carry a signature under the
    old one too for `YLYX_WEBHOOK_SECRET_OVERLAP_S`, so the receiver can switch at leisure."""
    return json_response(await webhooks.rotate_secret(engine, who, webhook_id, settings))


@router.delete(
    "/v1/admin/webhooks/{webhook_id}", operation_id="delete_webhook", response_model=WebhookOut
)
async def remove(webhook_id: WebhookId, who: KeyAdminDep, engine: WriteEngineDep) -> Response:
    """Delete a webhook; batches not yet delivered are dropped."""
    return json_response(await webhooks.remove(engine, who, webhook_id))


@router.get("/v1/keys/me/webhooks", operation_id="own_webhooks", response_model=list[WebhookOut])
async def own(key: ApiKeyDep, engine: EngineDep) -> Response:
    """The webhooks registered for the calling key (never another key's)."""
    return json_response(await webhooks.list_for_key(engine, key.key_id))
