"""Webhooks: registrations (admin and key-holder views) and the delivery outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.models import ApiKey, FacilityChange, Webhook, WebhookDelivery

W = Webhook.__table__.c
D = WebhookDelivery.__table__.c
K = ApiKey.__table__.c
C = FacilityChange.__table__.c

LOCK_NAMESPACE = 0x594C5958  # "YLYX": advisory locks on webhooks are (namespace, id)

_open = and_(D.webhook_id == W.id, D.status != "delivered")
_pending_attempts = select(D.attempts).where(_open).correlate(Webhook.__table__).scalar_subquery()
LISTED = (
    W.id,
    W.city_code,
    W.api_key_id,
    W.url,
    W.events,
    W.description,
    W.secret_prefix,
    W.previous_secret_until,
    W.cursor,
    W.active,
    W.failing_since,
    W.last_error,
    W.last_delivered_at,
    W.next_attempt_at,
    W.created_at,
    _pending_attempts.label("pending_attempts"),
    exists()
    .where(K.id == W.api_key_id, K.revoked_at.is_not(None))
    .correlate(Webhook.__table__)
    .label("key_revoked"),
)


async def insert_webhook(conn: AsyncConnection, values: dict[str, Any]) -> Any:
    webhook_id = (await conn.execute(insert(Webhook).values(**values).returning(W.id))).scalar_one()
    return await webhook_by_id(conn, webhook_id)


async def feed_position(conn: AsyncConnection, city_code: str) -> int:
    """The seq of the city's latest committed change (0 with none)."""
    stmt = select(func.coalesce(func.max(C.seq), 0)).where(C.city_code == city_code)
    return int((await conn.execute(stmt)).scalar_one())


async def count_for_owner(conn: AsyncConnection, city_code: str, api_key_id: int | None) -> int:
    owner = W.api_key_id.is_(None) if api_key_id is None else W.api_key_id == api_key_id
    stmt = select(func.count()).where(W.city_code == city_code, owner)
    return int((await conn.execute(stmt)).scalar_one())


async def webhooks_of_city(conn: AsyncConnection, city_code: str) -> list[Any]:
    stmt = select(*LISTED).where(W.city_code == city_code).order_by(W.id)
    return list((await conn.execute(stmt)).all())


async def webhooks_of_key(conn: AsyncConnection, api_key_id: int) -> list[Any]:
    stmt = select(*LISTED).where(W.api_key_id == api_key_id).order_by(W.id)
    return list((await conn.execute(stmt)).all())


async def webhook_by_id(conn: AsyncConnection, webhook_id: int) -> Any | None:
    return (await conn.execute(select(*LISTED).where(W.id == webhook_id))).first()


async def set_active(conn: AsyncConnection, webhook_id: int, active: bool) -> None:
    """Pause or resume; resuming a failing webhook retries its failed batch from the start."""
    values: dict[str, Any] = {"active": active}
    if active:
        values |= {"failing_since": None, "next_attempt_at": None}
        await conn.execute(
            update(WebhookDelivery)
            .where(D.webhook_id == webhook_id, D.status == "failed")
            .values(status="pending", attempts=0)
        )
    await conn.execute(update(Webhook).where(W.id == webhook_id).values(**values))


async def rotate_secret(
    conn: AsyncConnection, webhook_id: int, salt: bytes, prefix: str, overlap_s: int
) -> None:
    """A new salt; the current one keeps signing for `overlap_s` seconds."""
    await conn.execute(
        update(Webhook)
        .where(W.id == webhook_id)
        .values(
            previous_secret_salt=W.secret_salt,
            previous_secret_until=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, overlap_s),
            secret_salt=salt,
            secret_prefix=prefix,
        )
    )


async def delete_webhook(conn: AsyncConnection, webhook_id: int) -> None:
    await conn.execute(delete(Webhook).where(W.id == webhook_id))


# Delivery ---------------------------------------------------------------------------


def _due() -> ColumnElement[bool]:
    """Active, not failing, its key not revoked, no wait pending, and something to send."""
    return and_(
        W.active,
        W.failing_since.is_(None),
        or_(W.next_attempt_at.is_(None), W.next_attempt_at <= func.now()),
        ~exists().where(K.id == W.api_key_id, K.revoked_at.is_not(None)),
        or_(
            exists().where(D.webhook_id == W.id, D.status == "pending"),
            exists().where(C.city_code == W.city_code, C.seq > W.cursor),
        ),
    )


async def due_ids(conn: AsyncConnection, limit: int) -> list[int]:
    """Webhooks with work to do, longest waiting first."""
    stmt = (
        select(W.id)
        .where(_due())
        .order_by(func.coalesce(W.next_attempt_at, literal_column("'-infinity'")), W.id)
        .limit(limit)
    )
    return [int(i) for i in (await conn.execute(stmt)).scalars()]


async def try_lock(conn: AsyncConnection, webhook_id: int) -> bool:
    """A session-level advisory lock: one worker at a time sends for a webhook."""
    stmt = text("SELECT pg_try_advisory_lock(:ns, CAST(:id AS integer))")
    return bool((await conn.execute(stmt, {"ns": LOCK_NAMESPACE, "id": webhook_id})).scalar())


async def unlock(conn: AsyncConnection, webhook_id: int) -> None:
    stmt = text("SELECT pg_advisory_unlock(:ns, CAST(:id AS integer))")
    await conn.execute(stmt, {"ns": LOCK_NAMESPACE, "id": webhook_id})


async def due_webhook(conn: AsyncConnection, webhook_id: int) -> Any | None:
    """The webhook with what signing needs, if it is (still) due."""
    previous = case(
        (W.previous_secret_until > func.now(), W.previous_secret_salt), else_=None
    ).label("previous_salt")
    stmt = select(W.id, W.city_code, W.url, W.events, W.cursor, W.secret_salt, previous).where(
        W.id == webhook_id, _due()
    )
    return (await conn.execute(stmt)).first()


async def open_delivery(conn: AsyncConnection, webhook_id: int) -> Any | None:
    stmt = select(D.id, D.body, D.last_seq, D.attempts).where(
        D.webhook_id == webhook_id, D.status == "pending"
    )
    return (await conn.execute(stmt)).first()


async def insert_delivery(conn: AsyncConnection, values: dict[str, Any]) -> Any:
    stmt = insert(WebhookDelivery).values(**values).returning(D.id, D.body, D.last_seq, D.attempts)
    return (await conn.execute(stmt)).one()


async def skip_to(conn: AsyncConnection, webhook_id: int, seq: int) -> None:
    """Move the cursor over changes the webhook does not subscribe to."""
    await conn.execute(update(Webhook).where(W.id == webhook_id).values(cursor=seq))


async def mark_delivered(
    conn: AsyncConnection, webhook_id: int, delivery_id: str, status: int, retention_days: int
) -> None:
    await conn.execute(
        update(WebhookDelivery)
        .where(D.id == delivery_id)
        .values(
            status="delivered",
            attempts=D.attempts + 1,
            last_attempt_at=func.now(),
            last_status_code=status,
            last_error=None,
            delivered_at=func.now(),
        )
    )
    last_seq = select(D.last_seq).where(D.id == delivery_id).scalar_subquery()
    await conn.execute(
        update(Webhook)
        .where(W.id == webhook_id)
        .values(
            cursor=func.greatest(W.cursor, last_seq),
            last_delivered_at=func.now(),
            next_attempt_at=func.now(),
            last_error=None,
        )
    )
    await conn.execute(
        delete(WebhookDelivery).where(
            D.webhook_id == webhook_id,
            D.status == "delivered",
            D.delivered_at < func.now() - func.make_interval(0, 0, 0, retention_days),
        )
    )


async def mark_failed(
    conn: AsyncConnection,
    webhook_id: int,
    delivery_id: str,
    *,
    status: int | None,
    error: str,
    retry_in_s: float | None,
) -> None:
    """Record a failed try: retry after `retry_in_s`, or (None) give up and mark the
    webhook failing."""
    await conn.execute(
        update(WebhookDelivery)
        .where(D.id == delivery_id)
        .values(
            status="pending" if retry_in_s is not None else "failed",
            attempts=D.attempts + 1,
            last_attempt_at=func.now(),
            last_status_code=status,
            last_error=error,
        )
    )
    values: dict[str, Any] = {"last_error": error}
    if retry_in_s is None:
        values |= {"failing_since": func.now(), "next_attempt_at": None}
    else:
        values["next_attempt_at"] = func.now() + func.make_interval(0, 0, 0, 0, 0, 0, retry_in_s)
    await conn.execute(update(Webhook).where(W.id == webhook_id).values(**values))


async def deliveries_of(conn: AsyncConnection, webhook_id: int, limit: int) -> list[Any]:
    """The webhook's latest batches, newest first (without their bodies)."""
    stmt = (
        select(
            D.id,
            D.first_seq,
            D.last_seq,
            D.event_count,
            D.status,
            D.attempts,
            D.last_attempt_at,
            D.last_status_code,
            D.last_error,
            D.created_at,
            D.delivered_at,
        )
        .where(D.webhook_id == webhook_id)
        .order_by(D.created_at.desc(), D.id)
        .limit(limit)
    )
    return list((await conn.execute(stmt)).all())
