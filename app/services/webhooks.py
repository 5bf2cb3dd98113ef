"""Webhooks: admins register, pause and delete them (audited); a key holder lists its
own. A URL is checked, its host resolved and every address vetted, here at
registration and again before each delivery (app/services/webhook_delivery.py)."""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import api_keys as kq
from app.db.queries import staff as sq
from app.db.queries import webhooks as wq
from app.domain.roles import Permission
from app.domain.webhooks import (
    Event,
    IPAddress,
    Target,
    check_addresses,
    parse_url,
    secret_for,
)
from app.errors import BadRequest, Conflict, NotFound
from app.services.staff import StaffIdentity
from app.settings import Settings

Resolver = Callable[[str], Awaitable[list[str]]]
"""A host name to its addresses (as text); tests pass a fake one."""


async def system_resolver(host: str) -> list[str]:
    """The addresses the operating system's resolver gives for `host`."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def vetted_addresses(
    url: str, resolver: Resolver, settings: Settings
) -> tuple[Target, list[IPAddress]]:
    """The URL's parts and the addresses it may be sent to (BadRequest naming `url` if none)."""
    target = parse_url(url)
    allow = settings.webhook_allow_private
    if target.literal is not None:
        return target, check_addresses(target.host, [target.literal], allow_private=allow)
    try:
        async with asyncio.timeout(settings.webhook_dns_timeout_s):
            found = await resolver(target.host)
    except (OSError, TimeoutError, UnicodeError) as exc:
        raise BadRequest("url", f"the host {target.host} does not resolve") from exc
    addresses: list[IPAddress] = []
    for text in found:
        try:
            addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
        except ValueError as exc:
            raise BadRequest("url", f"the host {target.host} resolves to {text!r}") from exc
    return target, check_addresses(target.host, addresses, allow_private=allow)


def listed(row: Any) -> dict[str, Any]:
    """A webhook as admins and its key holder see it (never its secret)."""
    if not row.active:
        status = "disabled"
    elif row.key_revoked:
        status = "key_revoked"
    elif row.failing_since is not None:
        status = "failing"
    else:
        status = "active"

    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": row.id,
        "api_key_id": row.api_key_id,
        "city_code": row.city_code,
        "url": row.url,
        "events": list(row.events),
        "description": row.description,
        "secret_prefix": row.secret_prefix,
        "previous_secret_until": iso(row.previous_secret_until),
        "status": status,
        "cursor": row.cursor,
        "pending_attempts": row.pending_attempts or 0,
        "last_error": row.last_error,
        "failing_since": iso(row.failing_since),
        "last_delivered_at": iso(row.last_delivered_at),
        "next_attempt_at": iso(row.next_attempt_at),
        "created_at": row.created_at.isoformat(),
    }


def _audited(row: Any) -> dict[str, Any]:
    keep = ("api_key_id", "url", "events", "description", "secret_prefix", "status")
    return {k: v for k, v in listed(row).items() if k in keep}


async def register(
    engine: AsyncEngine,
    actor: StaffIdentity,
    resolver: Resolver,
    settings: Settings,
    *,
    url: str,
    events: list[Event],
    api_key_id: int | None,
    description: str,
) -> dict[str, Any]:
    """A new webhook for a key of the admin's city (or the city itself), starting at the
    feed's current position; its signing secret is in this answer only."""
    actor.require(Permission.manage_api_keys)
    await vetted_addresses(url, resolver, settings)
    salt = secrets.token_bytes(32)
    secret = secret_for(settings.webhook_secret_key.get_secret_value(), salt)
    async with engine.begin() as conn:
        if api_key_id is not None:
            key = await kq.key_by_id(conn, api_key_id)
            if key is None or key.city_code != actor.city_code or key.revoked_at is not None:
                raise BadRequest("api_key_id", f"no active API key {api_key_id} in your city")
        if (
            await wq.count_for_owner(conn, actor.city_code, api_key_id)
            >= settings.webhook_max_per_key
        ):
            raise Conflict(f"at most {settings.webhook_max_per_key} webhooks per key (or city)")
        row = await wq.insert_webhook(
            conn,
            {
                "city_code": actor.city_code,
                "api_key_id": api_key_id,
                "url": url,
                "events": sorted({str(e) for e in events}),
                "description": description,
                "secret_salt": salt,
                "secret_prefix": secret[:12],
                "cursor": await wq.feed_position(conn, actor.city_code),
                "created_by": actor.id,
            },
        )
        await sq.insert_audit(
            conn,
            city_code=actor.city_code,
            actor_id=actor.id,
            actor_role=str(actor.role),
            action="register",
            object_type="webhook",
            object_id=str(row.id),
            before=None,
            after=_audited(row),
        )
    return {**listed(row), "secret": secret}


async def list_for_city(engine: AsyncEngine, actor: StaffIdentity) -> list[dict[str, Any]]:
    actor.require(Permission.manage_api_keys)
    async with engine.connect() as conn:
        return [listed(r) for r in await wq.webhooks_of_city(conn, actor.city_code)]


async def list_for_key(engine: AsyncEngine, api_key_id: int) -> list[dict[str, Any]]:
    """The webhooks registered for this key: never another key's, nor the city's."""
    async with engine.connect() as conn:
        return [listed(r) for r in await wq.webhooks_of_key(conn, api_key_id)]


async def _own(conn: Any, actor: StaffIdentity, webhook_id: int) -> Any:
    row = await wq.webhook_by_id(conn, webhook_id)
    if row is None or row.city_code != actor.city_code:
        raise NotFound(f"no webhook {webhook_id} in your city")
    return row


async def deliveries(
    engine: AsyncEngine, actor: StaffIdentity, webhook_id: int, limit: int
) -> list[dict[str, Any]]:
    """The webhook's latest batches and how their delivery went."""
    actor.require(Permission.manage_api_keys)
    async with engine.connect() as conn:
        await _own(conn, actor, webhook_id)
        rows = await wq.deliveries_of(conn, webhook_id, limit)
    return [
        {
            "id": r.id,
            "first_seq": r.first_seq,
            "last_seq": r.last_seq,
            "event_count": r.event_count,
            "status": r.status,
            "attempts": r.attempts,
            "last_status_code": r.last_status_code,
            "last_error": r.last_error,
            "last_attempt_at": r.last_attempt_at.isoformat() if r.last_attempt_at else None,
            "created_at": r.created_at.isoformat(),
            "delivered_at": r.delivered_at.isoformat() if r.delivered_at else None,
        }
        for r in rows
    ]


async def set_active(
    engine: AsyncEngine, actor: StaffIdentity, webhook_id: int, active: bool
) -> dict[str, Any]:
    """Pause, or resume (a failing webhook starts its failed batch again), audited."""
    actor.require(Permission.manage_api_keys)
    async with engine.begin() as conn:
        before = await _own(conn, actor, webhook_id)
        await wq.set_active(conn, webhook_id, active)
        after = await wq.webhook_by_id(conn, webhook_id)
        await sq.insert_audit(
            conn,
            city_code=actor.city_code,
            actor_id=actor.id,
            actor_role=str(actor.role),
            action="enable" if active else "disable",
            object_type="webhook",
            object_id=str(webhook_id),
            before={"status": listed(before)["status"]},
            after={"status": listed(after)["status"]},
        )
    return listed(after)


async def rotate_secret(
    engine: AsyncEngine, actor: StaffIdentity, webhook_id: int, settings: Settings
) -> dict[str, Any]:
    """A new signing secret, in this answer only; the old one keeps signing beside it for
    `webhook_secret_overlap_s`, so the receiver can switch without losing a batch."""
    actor.require(Permission.manage_api_keys)
    salt = secrets.token_bytes(32)
    secret = secret_for(settings.webhook_secret_key.get_secret_value(), salt)
    async with engine.begin() as conn:
        before = await _own(conn, actor, webhook_id)
        await wq.rotate_secret(
            conn, webhook_id, salt, secret[:12], settings.webhook_secret_overlap_s
        )
        after = listed(await wq.webhook_by_id(conn, webhook_id))
        await sq.insert_audit(
            conn,
            city_code=actor.city_code,
            actor_id=actor.id,
            actor_role=str(actor.role),
            action="rotate_secret",
            object_type="webhook",
            object_id=str(webhook_id),
            before={"secret_prefix": before.secret_prefix},
            after={k: after[k] for k in ("secret_prefix", "previous_secret_until")},
        )
    return {**after, "secret": secret}


async def remove(engine: AsyncEngine, actor: StaffIdentity, webhook_id: int) -> dict[str, Any]:
    """Delete a webhook and its undelivered batches (audited)."""
    actor.require(Permission.manage_api_keys)
    async with engine.begin() as conn:
        row = await _own(conn, actor, webhook_id)
        await wq.delete_webhook(conn, webhook_id)
        await sq.insert_audit(
            conn,
            city_code=actor.city_code,
            actor_id=actor.id,
            actor_role=str(actor.role),
            action="delete",
            object_type="webhook",
            object_id=str(webhook_id),
            before=_audited(row),
            after=None,
        )
    return listed(row)
