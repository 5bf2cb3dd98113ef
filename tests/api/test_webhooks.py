"""Webhooks: an admin registers a receiver for a key, facility changes reach it signed,
in order, at least once, and never at an address that is not public.

The receiver is faked at the httpx transport and DNS by a resolver passed to the app;
deliveries are driven through the app's own deliverer (the background worker is off,
except in the test that shows a slow receiver does not hold up the API).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import cli
from app.domain.roles import Role
from app.main import create_app
from app.services.walking import Walking
from app.services.webhook_delivery import WebhookDeliverer
from app.settings import Settings
from tests.api.keys import admin_headers, issue_key
from tests.api.staff_session import signed_in

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"
HOOK_URL = "https://hooks.example.com/ylyx?source=zy&token=rcv-tok-0421"


def verify(secret: str, header: str, body: bytes, now: float, tolerance_s: int = 300) -> bool:
    """The receiver's check, as the README shows it (independent of the service's code)."""
    items = [item.split("=", 1) for item in header.split(",")]
    timestamp = int(dict(items)["t"])
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return abs(now - timestamp) <= tolerance_s and any(
        name == "v1" and hmac.compare_digest(expected, value) for name, value in items
    )


Action = int | tuple[int, dict[str, str]] | Exception | Callable[[httpx.Request], Any]


@dataclass
class Receiver:
    """A webhook receiver at the transport: answers from `script`, then `default`."""

    script: list[Action] = field(default_factory=list)
    default: Action = 200
    requests: list[httpx.Request] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.requests.append(request)
        self.bodies.append(body)
        action = self.script.pop(0) if self.script else self.default
        if isinstance(action, Exception):
            raise action
        if callable(action):
            result: httpx.Response = await action(request)
            return result
        if isinstance(action, tuple):
            return httpx.Response(action[0], headers=action[1], text="no")
        return httpx.Response(action, text="thanks")

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(b) for b in self.bodies]


@dataclass
class Hooks:
    """One app with a fake DNS and a fake receiver, and an admin signed in."""

    client: TestClient
    app: FastAPI
    dns: dict[str, list[str]]
    receiver: Receiver
    admin: dict[str, str]

    def deliver(self) -> int:
        deliverer: WebhookDeliverer = self.app.state.webhook_deliverer
        return int(self.client.portal.call(deliverer.run_all))  # type: ignore[union-attr]

    def register(self, **body: Any) -> dict[str, Any]:
        resp = self.client.post(
            "/v1/admin/webhooks", json={"url": HOOK_URL, **body}, headers=self.admin
        )
        assert resp.status_code == 201, resp.text
        registered: dict[str, Any] = resp.json()
        return registered

    def due_now(self, db_dsn: str) -> None:
        """As if the wait before the next try were over."""
        with psycopg.connect(db_dsn, autocommit=True) as conn:
            conn.execute("UPDATE webhook SET next_attempt_at = now()")

    def listed(self, webhook_id: int) -> dict[str, Any]:
        rows = self.client.get("/v1/admin/webhooks", headers=self.admin).json()
        [row] = [r for r in rows if r["id"] == webhook_id]
        return dict(row)


@pytest.fixture
def hooks_factory(settings: Settings, walking_state: Walking) -> Iterator[Callable[..., Hooks]]:
    with ExitStack() as stack:
        admins = itertools.count(1)

        def make(**overrides: Any) -> Hooks:
            configured = Settings.model_validate(
                {**settings.model_dump(), "webhook_backoff_base_s": 0.0, **overrides}
            )
            dns = {"hooks.example.com": [PUBLIC_V4], "v6.example.com": [PUBLIC_V6]}
            receiver = Receiver()

            async def resolve(host: str) -> list[str]:
                if host not in dns:
                    raise OSError(f"NXDOMAIN {host}")
                return list(dns[host])

            app = create_app(
                configured,
                walking_state,
                http_transport=httpx.MockTransport(receiver),
                webhook_resolver=resolve,
            )
            client = stack.enter_context(TestClient(app, raise_server_exceptions=False))
            admin = admin_headers(client, configured, f"hooks.admin{next(admins)}")
            return Hooks(client, app, dns, receiver, admin)

        yield make


@pytest.fixture
def hooks(hooks_factory: Callable[..., Hooks]) -> Hooks:
    return hooks_factory()


def live_ids(db_dsn: str, n: int, city_code: str = "512000") -> list[str]:
    """Live facilities of a city (资阳, the webhooks' admins' city, unless told)."""
    with psycopg.connect(db_dsn) as conn:
        rows = conn.execute(
            "SELECT public_id FROM facility WHERE deleted_at IS NULL AND city_code = %s "
            "ORDER BY public_id LIMIT %s",
            [city_code, n],
        ).fetchall()
    return [r[0] for r in rows]


def touch(db_dsn: str, *public_ids: str) -> None:
    """One committed change per facility, in the order given."""
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        for i, pid in enumerate(public_ids):
            conn.execute(
                "UPDATE facility SET phone = %s WHERE public_id = %s", [f"028-{7000000 + i}", pid]
            )


def delivery_rows(db_dsn: str, webhook_id: int) -> list[tuple[Any, ...]]:
    with psycopg.connect(db_dsn) as conn:
        return conn.execute(
            "SELECT id, status, attempts, last_status_code, last_error, first_seq, last_seq"
            " FROM webhook_delivery WHERE webhook_id = %s ORDER BY created_at, id",
            [webhook_id],
        ).fetchall()


def test_a_change_reaches_the_receiver_signed_and_the_secret_is_shown_once(
    hooks: Hooks, db_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = issue_key(hooks.client, hooks.admin)
    registered = hooks.register(api_key_id=key["id"], description="镜像")
    secret = registered["secret"]
    assert secret.startswith("whsec_") and registered["secret_prefix"] == secret[:12]
    assert registered["status"] == "active" and registered["events"] == [
        "facility.deleted",
        "facility.upserted",
    ]
    assert hooks.deliver() == 0  # only changes made after registration are sent

    [pid] = live_ids(db_dsn, 1)
    touch(db_dsn, pid)
    assert hooks.deliver() == 1
    [request] = hooks.receiver.requests
    body = hooks.receiver.bodies[0]
    # Sent to the vetted address itself, under the host's name.
    assert request.url.host == PUBLIC_V4 and request.url.scheme == "https"
    assert request.url.raw_path == b"/ylyx?source=zy&token=rcv-tok-0421"
    assert request.headers["host"] == "hooks.example.com"
    assert request.extensions["sni_hostname"] == "hooks.example.com"
    assert verify(secret, request.headers["x-ylyx-signature"], body, time.time())
    assert not verify(secret, request.headers["x-ylyx-signature"], body + b" ", time.time())
    assert not verify("whsec_other", request.headers["x-ylyx-signature"], body, time.time())
    payload = json.loads(body)
    assert payload["id"] == request.headers["x-ylyx-delivery"]
    assert request.headers["x-ylyx-webhook-id"] == str(registered["id"])
    [event] = payload["events"]
    assert event["type"] == "facility.upserted" and event["id"] == pid
    assert event["facility"]["phone"] == "028-7000000"
    assert payload["first_seq"] == payload["last_seq"] == event["seq"]

    listed = hooks.listed(registered["id"])
    assert listed["cursor"] == event["seq"] and listed["last_delivered_at"]
    assert "secret" not in listed and listed["pending_attempts"] == 0
    assert secret not in hooks.client.get("/v1/admin/webhooks", headers=hooks.admin).text
    with psycopg.connect(db_dsn) as conn:
        audit = conn.execute(
            "SELECT action, actor_role, after::text FROM audit_event"
            " WHERE object_type = 'webhook' AND object_id = %s",
            [str(registered["id"])],
        ).fetchall()
        stored = conn.execute("SELECT w::text FROM webhook w").fetchall()
    assert [(a, r) for a, r, _ in audit] == [("register", "city_admin")]
    assert HOOK_URL in audit[0][2] and secret not in audit[0][2]
    assert secret not in str(stored) and secret[6:] not in str(stored)
    assert secret not in caplog.text
    assert "rcv-tok-0421" not in caplog.text and "POST https://93.184.216.34/~" in caplog.text
    assert hooks.deliver() == 0


def test_failed_tries_are_retried_with_the_same_batch_until_accepted(
    hooks: Hooks, db_dsn: str
) -> None:
    webhook = hooks.register()
    hooks.receiver.script = [
        httpx.ConnectError("refused"),
        503,
        (302, {"Location": "http://127.0.0.1/steal"}),
        (429, {"Retry-After": "120"}),
        200,
    ]
    touch(db_dsn, *live_ids(db_dsn, 2))
    # A connect error, 503 and a redirect are retried at once (base 0 s); the 429 asks
    # for 120 s, and its wait stops the pass.
    assert hooks.deliver() == 4
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        wait = conn.execute(
            "SELECT extract(epoch FROM w.next_attempt_at - d.last_attempt_at)"
            " FROM webhook w JOIN webhook_delivery d ON d.webhook_id = w.id"
        ).fetchone()
        assert wait is not None and wait[0] >= 120
        assert hooks.deliver() == 0  # waiting
        conn.execute("UPDATE webhook SET next_attempt_at = now()")  # the wait is over
    assert hooks.listed(webhook["id"])["pending_attempts"] == 4
    assert hooks.deliver() == 1

    requests = hooks.receiver.requests
    assert len(requests) == 5  # the redirect was not followed
    assert all(r.url.host == PUBLIC_V4 for r in requests)
    assert len({r.headers["x-ylyx-delivery"] for r in requests}) == 1
    assert len(set(hooks.receiver.bodies)) == 1
    for request, body in zip(requests, hooks.receiver.bodies, strict=True):
        assert verify(webhook["secret"], request.headers["x-ylyx-signature"], body, time.time())
    [(_, status, attempts, code, error, _, _)] = delivery_rows(db_dsn, webhook["id"])
    assert (status, attempts, code, error) == ("delivered", 5, 200, None)
    assert len(hooks.receiver.payloads()[0]["events"]) == 2


def test_after_the_last_try_the_webhook_is_failing_until_an_admin_resumes_it(
    hooks_factory: Callable[..., Hooks], db_dsn: str
) -> None:
    hooks = hooks_factory(webhook_max_attempts=3)
    webhook = hooks.register()
    hooks.receiver.default = 500
    first, second = live_ids(db_dsn, 2)
    touch(db_dsn, first)
    assert hooks.deliver() == 3
    listed = hooks.listed(webhook["id"])
    assert listed["status"] == "failing" and listed["failing_since"]
    assert "gave up after 3 tries" in listed["last_error"] and "500" in listed["last_error"]
    touch(db_dsn, second)
    assert hooks.deliver() == 0 and len(hooks.receiver.requests) == 3
    [(failed_id, status, attempts, *_)] = delivery_rows(db_dsn, webhook["id"])
    assert (status, attempts) == ("failed", 3)
    deliveries = hooks.client.get(
        f"/v1/admin/webhooks/{webhook['id']}/deliveries", headers=hooks.admin
    ).json()
    assert [(d["id"], d["status"], d["last_status_code"]) for d in deliveries] == [
        (failed_id, "failed", 500)
    ]

    hooks.receiver.default = 200
    resumed = hooks.client.patch(
        f"/v1/admin/webhooks/{webhook['id']}", json={"active": True}, headers=hooks.admin
    )
    assert resumed.status_code == 200 and resumed.json()["status"] == "active"
    assert hooks.deliver() == 2
    payloads = hooks.receiver.payloads()
    assert payloads[3]["id"] == failed_id  # the failed batch first, then the next one
    assert [e["id"] for e in payloads[3]["events"]] == [first]
    assert [e["id"] for e in payloads[4]["events"]] == [second]
    with psycopg.connect(db_dsn) as conn:
        actions = conn.execute(
            "SELECT action, before->>'status', after->>'status' FROM audit_event"
            " WHERE object_type = 'webhook' ORDER BY id"
        ).fetchall()
    assert actions == [("register", None, "active"), ("enable", "failing", "active")]


def test_a_410_stops_the_webhook_at_once(hooks: Hooks, db_dsn: str) -> None:
    webhook = hooks.register()
    hooks.receiver.default = 410
    touch(db_dsn, *live_ids(db_dsn, 1))
    assert hooks.deliver() == 1
    assert hooks.listed(webhook["id"])["status"] == "failing"


REFUSED = [
    ("http://hooks.example.com/ylyx", "https"),
    ("ftp://hooks.example.com/", "https"),
    ("https://127.0.0.1/hook", "loopback"),
    ("https://[::1]/hook", "loopback"),
    ("https://[::ffff:10.1.2.3]/hook", "private"),
    ("https://[64:ff9b::7f00:1]/hook", "loopback"),
    ("https://10.0.0.8/hook", "private"),
    ("https://192.168.1.1/hook", "private"),
    ("https://169.254.169.254/latest/meta-data", "link-local"),
    ("https://100.64.0.1/hook", "CGNAT"),
    ("https://224.0.0.1/hook", "multicast"),
    ("https://0.0.0.0/hook", "unspecified"),
    ("https://240.0.0.1/hook", "reserved"),
    ("https://intranet.example.com/hook", "private"),
    ("https://mixed.example.com/hook", "loopback"),
    ("https://nowhere.example.com/hook", "does not resolve"),
    ("https://localhost/hook", "local host"),
    ("https://printer.local/hook", "local host"),
    ("https://2130706433/hook", "domain name"),
    ("https://0x7f.1/hook", "domain name"),
    ("https://user:pw@hooks.example.com/hook", "user name"),
    ("https://hooks.example.com@127.0.0.1/hook", "user name"),
    ("https://hooks.example.com:8443/hook", "443"),
    ("https://hooks.example.com/hook#frag", "fragment"),
    ("https:///hook", "host"),
    ("https://hooks.example.com/a b", "spaces"),
]


def test_private_loopback_and_plain_http_urls_are_refused_at_registration(
    hooks: Hooks, db_dsn: str
) -> None:
    hooks.dns["intranet.example.com"] = ["10.20.30.40"]
    hooks.dns["mixed.example.com"] = [PUBLIC_V4, "127.0.0.1"]
    for url, reason in REFUSED:
        resp = hooks.client.post("/v1/admin/webhooks", json={"url": url}, headers=hooks.admin)
        assert resp.status_code == 400, (url, resp.text)
        assert resp.headers["content-type"] == "application/problem+json"
        [param] = resp.json()["invalid_params"]
        assert param["name"] == "url" and reason in param["reason"], (url, param)
    assert (
        hooks.client.post(
            "/v1/admin/webhooks", json={"url": "https://v6.example.com/"}, headers=hooks.admin
        ).status_code
        == 201
    )
    with psycopg.connect(db_dsn) as conn:
        assert conn.execute("SELECT url FROM webhook").fetchall() == [("https://v6.example.com/",)]


def test_the_private_address_setting_admits_a_local_receiver_only_when_on(
    hooks_factory: Callable[..., Hooks], db_dsn: str
) -> None:
    closed = hooks_factory(webhook_backoff_base_s=30.0)
    open_ = hooks_factory(webhook_allow_private=True)
    for each in (closed, open_):
        each.dns["receiver.test.example"] = ["127.0.0.1"]
    body = {"url": "https://receiver.test.example/hook"}
    assert (
        closed.client.post("/v1/admin/webhooks", json=body, headers=closed.admin).status_code == 400
    )
    webhook = open_.register(**body)
    multicast = {"url": "https://224.0.0.1/hook"}
    assert (
        open_.client.post("/v1/admin/webhooks", json=multicast, headers=open_.admin).status_code
        == 400
    )
    touch(db_dsn, *live_ids(db_dsn, 1))
    assert closed.deliver() == 1  # the same webhook, by a worker with the setting off
    assert closed.receiver.requests == []
    assert "loopback" in closed.listed(webhook["id"])["last_error"]
    open_.due_now(db_dsn)
    assert open_.deliver() == 1
    [request] = open_.receiver.requests
    assert request.url.host == "127.0.0.1" and request.headers["host"] == "receiver.test.example"


def test_a_host_that_resolves_to_a_private_address_at_delivery_is_not_sent_to(
    hooks_factory: Callable[..., Hooks], db_dsn: str
) -> None:
    """DNS rebinding: public at registration, loopback when the change is delivered."""
    hooks = hooks_factory(webhook_backoff_base_s=30.0)
    webhook = hooks.register()
    hooks.dns["hooks.example.com"] = ["127.0.0.1"]
    touch(db_dsn, *live_ids(db_dsn, 1))
    assert hooks.deliver() == 1
    assert hooks.receiver.requests == []
    listed = hooks.listed(webhook["id"])
    assert listed["status"] == "active" and listed["pending_attempts"] == 1
    assert "not sent" in listed["last_error"] and "127.0.0.1" in listed["last_error"]
    assert hooks.deliver() == 0  # waiting before the next try
    hooks.dns["hooks.example.com"] = []
    hooks.due_now(db_dsn)
    assert hooks.deliver() == 1 and hooks.receiver.requests == []
    hooks.dns["hooks.example.com"] = [PUBLIC_V4]
    hooks.due_now(db_dsn)
    assert hooks.deliver() == 1
    assert len(hooks.receiver.requests) == 1
    assert [d[1] for d in delivery_rows(db_dsn, webhook["id"])] == ["delivered"]


def test_deletions_are_delivered_in_feed_order_and_events_are_filtered(
    hooks_factory: Callable[..., Hooks], db_dsn: str
) -> None:
    hooks = hooks_factory(webhook_batch_size=2)
    both = hooks.register()
    deletions = hooks.register(events=["facility.deleted"])
    ids = live_ids(db_dsn, 6)
    touch(db_dsn, *ids[:3])
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("UPDATE facility SET deleted_at = now() WHERE public_id = %s", [ids[3]])
        conn.execute("DELETE FROM facility WHERE public_id = %s", [ids[4]])
    touch(db_dsn, *live_ids(db_dsn, 1, "510100"))  # 成都's: not in 资阳's webhooks
    touch(db_dsn, ids[5])
    hooks.deliver()

    by_webhook: dict[int, list[dict[str, Any]]] = {}
    for payload in hooks.receiver.payloads():
        by_webhook.setdefault(payload["webhook_id"], []).append(payload)
    batches = by_webhook[both["id"]]
    seqs = [e["seq"] for b in batches for e in b["events"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 6
    assert all(len(b["events"]) <= 2 for b in batches)
    assert all(a["last_seq"] < b["first_seq"] for a, b in itertools.pairwise(batches))
    events = [(e["type"], e["id"]) for b in batches for e in b["events"]]
    assert events == [
        ("facility.upserted", ids[0]),
        ("facility.upserted", ids[1]),
        ("facility.upserted", ids[2]),
        ("facility.deleted", ids[3]),
        ("facility.deleted", ids[4]),
        ("facility.upserted", ids[5]),
    ]
    assert all("facility" not in e for b in batches for e in b["events"] if "deleted" in e["type"])
    only = [(e["type"], e["id"]) for b in by_webhook[deletions["id"]] for e in b["events"]]
    assert only == [("facility.deleted", ids[3]), ("facility.deleted", ids[4])]
    # Both webhooks end at the feed's last change.
    assert hooks.listed(both["id"])["cursor"] == hooks.listed(deletions["id"])["cursor"] == seqs[-1]


def test_each_key_sees_only_its_own_webhooks_and_admins_only_their_city(
    hooks: Hooks, settings: Settings
) -> None:
    first = issue_key(hooks.client, hooks.admin, name="甲")
    second = issue_key(hooks.client, hooks.admin, name="乙")
    mine = hooks.register(api_key_id=first["id"])
    theirs = hooks.register(api_key_id=second["id"], url="https://v6.example.com/x")
    hooks.register()  # the city's own

    def own(key: dict[str, Any]) -> list[dict[str, Any]]:
        resp = hooks.client.get("/v1/keys/me/webhooks", headers={"X-API-Key": key["key"]})
        assert resp.status_code == 200, resp.text
        return list(resp.json())

    assert [w["id"] for w in own(first)] == [mine["id"]]
    assert [w["id"] for w in own(second)] == [theirs["id"]]
    assert "secret" not in own(first)[0] and mine["secret"] not in str(own(first))
    assert hooks.client.get("/v1/keys/me/webhooks").status_code == 401

    chengdu = signed_in(hooks.client, settings, "cd.admin", Role.city_admin, city="510100")
    assert hooks.client.get("/v1/admin/webhooks", headers=chengdu).json() == []
    for method in ("DELETE", "PATCH"):
        resp = hooks.client.request(
            method, f"/v1/admin/webhooks/{mine['id']}", json={"active": False}, headers=chengdu
        )
        assert (
            resp.status_code == 404 and resp.headers["content-type"] == "application/problem+json"
        )
    refused = hooks.client.post(
        "/v1/admin/webhooks",
        json={"url": HOOK_URL, "api_key_id": first["id"]},
        headers=chengdu,
    )
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["name"] == "api_key_id"


def test_pausing_deleting_revoking_and_the_per_key_limit(
    hooks_factory: Callable[..., Hooks], db_dsn: str
) -> None:
    hooks = hooks_factory(webhook_max_per_key=2)
    key = issue_key(hooks.client, hooks.admin)
    paused = hooks.register(api_key_id=key["id"])
    deleted = hooks.register(api_key_id=key["id"])
    over = hooks.client.post(
        "/v1/admin/webhooks", json={"url": HOOK_URL, "api_key_id": key["id"]}, headers=hooks.admin
    )
    assert over.status_code == 409
    resp = hooks.client.patch(
        f"/v1/admin/webhooks/{paused['id']}", json={"active": False}, headers=hooks.admin
    )
    assert resp.json()["status"] == "disabled"
    gone = hooks.client.delete(f"/v1/admin/webhooks/{deleted['id']}", headers=hooks.admin)
    assert gone.status_code == 200
    again = hooks.client.delete(f"/v1/admin/webhooks/{deleted['id']}", headers=hooks.admin)
    assert again.status_code == 404
    touch(db_dsn, *live_ids(db_dsn, 1))
    assert hooks.deliver() == 0 and hooks.receiver.requests == []

    hooks.client.patch(
        f"/v1/admin/webhooks/{paused['id']}", json={"active": True}, headers=hooks.admin
    )
    hooks.client.delete(f"/v1/admin/api-keys/{key['id']}", headers=hooks.admin)
    assert hooks.deliver() == 0 and hooks.receiver.requests == []  # the key is revoked
    assert hooks.listed(paused["id"])["status"] == "key_revoked"
    with psycopg.connect(db_dsn) as conn:
        actions = conn.execute(
            "SELECT action, object_id FROM audit_event WHERE object_type = 'webhook' ORDER BY id"
        ).fetchall()
    assert actions == [
        ("register", str(paused["id"])),
        ("register", str(deleted["id"])),
        ("disable", str(paused["id"])),
        ("delete", str(deleted["id"])),
        ("enable", str(paused["id"])),
    ]


def test_a_rotated_secret_signs_beside_the_new_one_until_the_overlap_ends(
    hooks: Hooks, db_dsn: str
) -> None:
    webhook = hooks.register()
    old = webhook["secret"]
    rotated = hooks.client.post(f"/v1/admin/webhooks/{webhook['id']}/secret", headers=hooks.admin)
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new != old and rotated.json()["secret_prefix"] == new[:12]
    assert rotated.json()["previous_secret_until"]
    assert new not in hooks.client.get("/v1/admin/webhooks", headers=hooks.admin).text
    first, second = live_ids(db_dsn, 2)
    touch(db_dsn, first)
    assert hooks.deliver() == 1
    header = hooks.receiver.requests[0].headers["x-ylyx-signature"]
    assert header.count("v1=") == 2
    for secret in (new, old):
        assert verify(secret, header, hooks.receiver.bodies[0], time.time())
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("UPDATE webhook SET previous_secret_until = now() - interval '1 second'")
        audit = conn.execute(
            "SELECT action, before::text, after::text FROM audit_event"
            " WHERE object_type = 'webhook' AND action = 'rotate_secret'"
        ).fetchall()
    assert len(audit) == 1 and new not in str(audit) and old not in str(audit)
    touch(db_dsn, second)
    assert hooks.deliver() == 1
    header = hooks.receiver.requests[1].headers["x-ylyx-signature"]
    assert header.count("v1=") == 1
    assert verify(new, header, hooks.receiver.bodies[1], time.time())
    assert not verify(old, header, hooks.receiver.bodies[1], time.time())


def test_two_workers_never_send_the_same_batch(hooks: Hooks, db_dsn: str) -> None:
    webhook = hooks.register()
    touch(db_dsn, *live_ids(db_dsn, 1))
    app = hooks.app
    other = WebhookDeliverer(
        app.state.write_engine,
        app.state.webhook_http,
        app.state.webhook_resolver,
        app.state.settings,
    )

    async def race() -> tuple[bool, bool]:
        started, release = asyncio.Event(), asyncio.Event()

        async def slow(request: httpx.Request) -> httpx.Response:
            started.set()
            await release.wait()
            return httpx.Response(200)

        hooks.receiver.script = [slow]
        first = asyncio.create_task(app.state.webhook_deliverer.run_once())
        await started.wait()
        second = await other.run_once()  # the first holds the webhook: nothing for it
        release.set()
        return await first, second

    assert hooks.client.portal.call(race) == (True, False)  # type: ignore[union-attr]
    assert hooks.client.portal.call(other.run_all) == 0  # type: ignore[union-attr]
    assert len(hooks.receiver.requests) == 1
    assert [d[1] for d in delivery_rows(db_dsn, webhook["id"])] == ["delivered"]


def test_an_endless_answer_is_read_only_up_to_the_cap(hooks: Hooks, db_dsn: str) -> None:
    webhook = hooks.register()

    async def endless() -> AsyncIterator[bytes]:
        while True:
            yield b"x" * 1024

    async def chatty(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())

    hooks.receiver.script = [chatty]
    touch(db_dsn, *live_ids(db_dsn, 1))
    assert hooks.deliver() == 1
    assert hooks.listed(webhook["id"])["last_delivered_at"]


def test_a_slow_receiver_does_not_hold_up_the_api(
    hooks_factory: Callable[..., Hooks], db_dsn: str
) -> None:
    hooks = hooks_factory(webhook_worker_enabled=True, webhook_interval_s=0.05)
    webhook = hooks.register()
    started, release = threading.Event(), threading.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        started.set()
        while not release.is_set():
            await asyncio.sleep(0.01)
        return httpx.Response(200)

    hooks.receiver.default = slow
    touch(db_dsn, *live_ids(db_dsn, 1))
    assert started.wait(30), "the worker did not start a delivery"
    for _ in range(3):
        resp = hooks.client.get("/v1/facilities/nearby", params={"lon": 104.64, "lat": 30.12})
        assert resp.status_code == 200
    assert hooks.client.get("/v1/admin/webhooks", headers=hooks.admin).status_code == 200
    assert not release.is_set() and len(hooks.receiver.requests) == 1  # still waiting
    release.set()
    for _ in range(600):
        if hooks.listed(webhook["id"])["last_delivered_at"]:
            break
        time.sleep(0.05)
    assert hooks.listed(webhook["id"])["last_delivered_at"]
    assert len(hooks.receiver.requests) == 1


def test_the_delivery_command_runs_against_the_database(
    hooks: Hooks,
    settings: Settings,
    db_dsn: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`python -m app.cli deliver-webhooks --once` with the system resolver: a paused
    webhook with changes waiting is left alone, so nothing leaves the machine."""
    webhook = hooks.register()
    hooks.client.patch(
        f"/v1/admin/webhooks/{webhook['id']}", json={"active": False}, headers=hooks.admin
    )
    touch(db_dsn, *live_ids(db_dsn, 1))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert cli.main(["deliver-webhooks", "--once"]) == 0
    assert capsys.readouterr().out.strip() == "handled 0 webhook batches"
    assert delivery_rows(db_dsn, webhook["id"]) == []
