"""Delivering webhooks: batches of the changes feed, signed, in order, at least once.

For each due webhook a worker takes a session-level advisory lock (another worker or
process skips the webhook meanwhile), reuses the webhook's undelivered batch or writes
a new one from the changes after its cursor, then posts it. Before every try the URL is
checked again and its host resolved and vetted, and the request goes to the vetted
address itself (Host header and TLS name stay the host's), so a DNS answer that changes
after the check cannot redirect it. Redirects are not followed, the answer's body is
read only up to a cap, and a whole try is bounded by a timeout. A 2xx moves the cursor
past the batch; any other outcome waits with exponential backoff and jitter (or the
receiver's Retry-After, capped) and tries the same batch, same id, again; after the
last try, or on 410 Gone, the webhook is marked failing until an admin resumes it.
Statements autocommit: no transaction stays open while a receiver is slow.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.db.queries import changes as cq
from app.db.queries import webhooks as wq
from app.domain.webhooks import (
    SIGNATURE_HEADER,
    Event,
    Outcome,
    backoff_s,
    outcome,
    retry_after_s,
    secret_for,
    signature_header,
)
from app.errors import BadRequest
from app.services.changes import change_item
from app.services.webhooks import Resolver, vetted_addresses
from app.settings import Settings

log = logging.getLogger("app.webhooks")

USER_AGENT = "ylyx-webhooks/1"
SENDING: ContextVar[bool] = ContextVar("webhook_sending", default=False)
"""True while a delivery is sent: log filters hide the receiver's path and query, which
often carry the receiver's own token (app/api/access_log.py)."""
EVENT_OF_OP = {"upsert": Event.upserted, "delete": Event.deleted}


def webhook_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The client deliveries use: no redirects, no pooled connections (each delivery
    opens its own TLS connection to the address it vetted, under the host's name)."""
    return httpx.AsyncClient(
        transport=transport,
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


class WebhookDeliverer:
    """Sends due webhooks; `run_once` for one batch (tests, the CLI), `run_forever` in
    the app's lifespan. `clock` (Unix seconds) and `jitter` are injectable for tests."""

    def __init__(
        self,
        engine: AsyncEngine,
        client: httpx.AsyncClient,
        resolver: Resolver,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.client = client
        self.resolver = resolver
        self.settings = settings
        self.clock = clock
        self.jitter = jitter

    async def run_forever(self) -> None:
        """Deliver whatever is due, then wait `webhook_interval_s`; errors are logged."""
        while True:
            try:
                while await self.run_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is down, say: try again later
                log.warning("webhook delivery pass failed: %s", type(exc).__name__)
            await asyncio.sleep(self.settings.webhook_interval_s)

    async def run_all(self) -> int:
        """Passes until nothing is due; the number of webhooks handled."""
        handled = 0
        while await self.run_once():
            handled += 1
        return handled

    async def run_once(self) -> bool:
        """Handle one due webhook that no other worker holds; False when there is none."""
        async with self.engine.connect() as conn:
            for webhook_id in await wq.due_ids(conn, 20):
                if not await wq.try_lock(conn, webhook_id):
                    continue
                try:
                    webhook = await wq.due_webhook(conn, webhook_id)
                    if webhook is None:
                        continue  # another worker finished it before we locked it
                    await self._handle(conn, webhook)
                    return True
                finally:
                    await self._unlock(conn, webhook_id)
        return False

    @staticmethod
    async def _unlock(conn: AsyncConnection, webhook_id: int) -> None:
        try:
            await wq.unlock(conn, webhook_id)
        except BaseException:  # the lock dies with the connection: do not pool it again
            await conn.invalidate()
            raise

    async def _handle(self, conn: AsyncConnection, webhook: Any) -> None:
        delivery = await wq.open_delivery(conn, webhook.id)
        if delivery is None:
            delivery = await self._new_batch(conn, webhook)
            if delivery is None:
                return
        key = self.settings.webhook_secret_key.get_secret_value()
        secrets = [secret_for(key, webhook.secret_salt)]
        if webhook.previous_salt is not None:
            secrets.append(secret_for(key, webhook.previous_salt))
        status, error, wait = await self._post(webhook, delivery, secrets)
        verdict = outcome(status) if error is None else Outcome.retry
        if verdict is Outcome.delivered and status is not None:
            await wq.mark_delivered(
                conn,
                webhook.id,
                delivery.id,
                status,
                self.settings.webhook_delivery_retention_days,
            )
            return
        attempts = delivery.attempts + 1
        message = error or f"the receiver answered {status}"
        retry_in: float | None = None
        if verdict is Outcome.retry and attempts < self.settings.webhook_max_attempts:
            retry_in = backoff_s(
                attempts,
                base_s=self.settings.webhook_backoff_base_s,
                max_s=self.settings.webhook_backoff_max_s,
                jitter=self.jitter(),
            )
            if wait is not None:
                retry_in = max(retry_in, min(wait, self.settings.webhook_backoff_max_s))
        elif verdict is Outcome.retry:
            message = f"gave up after {attempts} tries: {message}"
        log.info("webhook %s delivery %s failed: %s", webhook.id, delivery.id, message)
        await wq.mark_failed(
            conn, webhook.id, delivery.id, status=status, error=message[:500], retry_in_s=retry_in
        )

    async def _new_batch(self, conn: AsyncConnection, webhook: Any) -> Any | None:
        """The next batch after the cursor, stored before it is sent (None when the
        changes are all of events the webhook does not want: the cursor skips them)."""
        size = self.settings.webhook_batch_size
        rows = await cq.changes_after(conn, webhook.city_code, webhook.cursor, size)
        if not rows:
            return None
        wanted = set(webhook.events)
        events = []
        for row in rows:
            item = change_item(row, "wgs84")
            kind = EVENT_OF_OP[item.pop("op")]
            if kind in wanted:
                events.append({"type": str(kind), **item})
        if not events:
            await wq.skip_to(conn, webhook.id, rows[-1].seq)
            return None
        delivery_id = "dlv_" + uuid.uuid4().hex
        body = {
            "id": delivery_id,
            "webhook_id": webhook.id,
            "created_at": datetime.now(UTC).isoformat(),
            "first_seq": rows[0].seq,
            "last_seq": rows[-1].seq,
            "events": events,
        }
        return await wq.insert_delivery(
            conn,
            {
                "id": delivery_id,
                "webhook_id": webhook.id,
                "first_seq": rows[0].seq,
                "last_seq": rows[-1].seq,
                "event_count": len(events),
                "body": orjson.dumps(body).decode(),
            },
        )

    async def _post(
        self, webhook: Any, delivery: Any, secrets: list[str]
    ) -> tuple[int | None, str | None, float | None]:
        """(status, error, Retry-After seconds) of one try; nothing is sent to an address
        that is not allowed."""
        settings = self.settings
        try:
            async with asyncio.timeout(settings.webhook_timeout_s):
                try:
                    target, addresses = await vetted_addresses(webhook.url, self.resolver, settings)
                except BadRequest as exc:
                    return None, f"not sent: {exc.params[0].reason}", None
                body = delivery.body.encode()
                timestamp = int(self.clock())
                address = addresses[0]
                host = f"[{address}]" if address.version == 6 else str(address)
                request = self.client.build_request(
                    "POST",
                    f"https://{host}{target.target}",
                    content=body,
                    headers={
                        "Host": target.host,
                        "Content-Type": "application/json",
                        "Accept-Encoding": "identity",
                        "User-Agent": USER_AGENT,
                        "X-YLYX-Webhook-Id": str(webhook.id),
                        "X-YLYX-Delivery": delivery.id,
                        SIGNATURE_HEADER: signature_header(
                            secrets[0], timestamp, body, *secrets[1:]
                        ),
                    },
                    extensions={"sni_hostname": target.host},
                    timeout=httpx.Timeout(
                        settings.webhook_timeout_s, connect=settings.webhook_connect_timeout_s
                    ),
                )
                sending = SENDING.set(True)
                try:
                    response = await self.client.send(request, stream=True, follow_redirects=False)
                    try:
                        await self._drain(response)
                    finally:
                        await response.aclose()
                finally:
                    SENDING.reset(sending)
        except TimeoutError:
            return None, f"no answer within {settings.webhook_timeout_s:g} s", None
        except httpx.HTTPError as exc:
            return None, f"could not reach the receiver ({type(exc).__name__})", None
        except Exception as exc:  # counted as a failed try, never a stuck queue
            log.warning("webhook %s: unexpected %s", webhook.id, type(exc).__name__)
            return None, f"could not send ({type(exc).__name__})", None
        wait = retry_after_s(response.headers.get("Retry-After"), self.clock())
        return response.status_code, None, wait

    async def _drain(self, response: httpx.Response) -> None:
        """Read at most `webhook_max_response_bytes` of the answer; drop the rest."""
        if response.is_stream_consumed:
            return  # an answer built in memory (a fake receiver): nothing on the wire
        read = 0
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read >= self.settings.webhook_max_response_bytes:
                break
