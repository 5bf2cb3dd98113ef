"""Mini-program residents: WeChat sign-in, favourites, 纠错 reports, deleting the account.

The WeChat call goes through the httpx client the app owns (tests give it a
MockTransport). session_key and the appsecret are never stored, returned or logged;
the openid is kept only as an HMAC under the appsecret-independent `openid_salt`.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.keys import FacilityKey
from app.db.queries import residents as rq
from app.db.queries import staff as sq
from app.domain.passwords import new_token, token_digest
from app.domain.reports import ReportKind, ReportStatus
from app.domain.roles import Role
from app.domain.wechat import openid_of
from app.errors import Conflict, NotFound, Unauthorized, Unavailable
from app.services.staff import StaffIdentity
from app.settings import Settings


@dataclass(frozen=True, slots=True)
class ResidentIdentity:
    id: int


async def code2session(http: httpx.AsyncClient, settings: Settings, code: str) -> str:
    """Exchange a wx.login code with WeChat; the openid, or our error for WeChat's."""
    params = {
        "appid": settings.wechat_appid,
        "secret": settings.wechat_secret.get_secret_value(),
        "js_code": code,
        "grant_type": "authorization_code",
    }
    try:
        resp = await http.get(f"{settings.wechat_api_base}/sns/jscode2session", params=params)
        answer = resp.json() if resp.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        raise Unavailable("WeChat sign-in is unavailable right now; try again shortly") from exc
    return openid_of(answer)


async def sign_in(
    engine: AsyncEngine, http: httpx.AsyncClient, settings: Settings, code: str
) -> tuple[str, datetime]:
    """A session token for a wx.login code; a code is accepted once only."""
    async with engine.begin() as conn:
        if not await rq.claim_login_code(conn, token_digest(code)):
            raise Conflict("this login code has already been used; call wx.login again")
    openid = await code2session(http, settings, code)
    digest = hmac.new(settings.openid_salt.encode(), openid.encode(), hashlib.sha256).hexdigest()
    token, token_hash = new_token()
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=settings.resident_session_ttl_s)
    async with engine.begin() as conn:
        resident_id = await rq.resident_for_openid(conn, digest)
        await rq.delete_expired_sessions(conn, now)
        await rq.insert_session(conn, token_hash, resident_id, expires)
    return token, expires


async def resident_for_token(engine: AsyncEngine, token: str) -> ResidentIdentity:
    async with engine.connect() as conn:
        found = await rq.resident_by_session(conn, token_digest(token), datetime.now(UTC))
    if found is None:
        raise Unauthorized("the session is unknown or has expired; sign in again")
    return ResidentIdentity(found)


async def delete_account(engine: AsyncEngine, who: ResidentIdentity) -> None:
    """Delete the resident: sessions and favourites go, reports stay without the link."""
    async with engine.begin() as conn:
        await rq.delete_resident(conn, who.id)


async def _facility(conn: Any, public_id: str) -> FacilityKey:
    found = await rq.facility_key(conn, public_id)
    if found is None:
        raise NotFound(f"no facility with id {public_id!r}")
    return found


async def add_favourite(engine: AsyncEngine, who: ResidentIdentity, public_id: str) -> None:
    async with engine.begin() as conn:
        await rq.add_favourite(conn, who.id, await _facility(conn, public_id))


async def remove_favourite(engine: AsyncEngine, who: ResidentIdentity, public_id: str) -> None:
    async with engine.begin() as conn:
        await rq.remove_favourite(conn, who.id, await _facility(conn, public_id))


async def favourites(engine: AsyncEngine, who: ResidentIdentity) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await rq.favourites(conn, who.id)
    return [
        {
            "id": r.public_id,
            "name": r.name,
            "phone": r.phone,
            "address": r.address,
            "status": r.status,
            "added_at": r.created_at.isoformat(),
        }
        for r in rows
    ]


def _report(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "facility_id": row.public_id,
        "facility_name": row.facility_name,
        "kind": row.kind,
        "note": row.note,
        "status": row.status,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


async def report(
    engine: AsyncEngine,
    public_id: str,
    kind: ReportKind,
    note: str | None,
    *,
    resident: ResidentIdentity | None = None,
    api_key_id: int | None = None,
) -> dict[str, Any]:
    """File a 纠错 report; it joins the queue of the facility's operators as `open`."""
    async with engine.begin() as conn:
        facility = await _facility(conn, public_id)
        report_id = await rq.insert_report(
            conn,
            {
                "facility_id": facility.id,
                "city_code": facility.city_code,
                "resident_id": resident.id if resident else None,
                "api_key_id": api_key_id,
                "kind": str(kind),
                "note": note,
            },
        )
        rows = await rq.reports_of_resident(conn, resident.id) if resident else []
    found = [r for r in rows if r.id == report_id]
    return _report(found[0]) if found else {"id": report_id, "status": "open"}


async def own_reports(engine: AsyncEngine, who: ResidentIdentity) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        return [_report(r) for r in await rq.reports_of_resident(conn, who.id)]


def _own(staff: StaffIdentity) -> frozenset[str] | None:
    """An operator sees reports on their own facilities only; other roles by region."""
    return staff.facility_ids if staff.role is Role.facility_operator else None


async def report_queue(
    engine: AsyncEngine, staff: StaffIdentity, status: ReportStatus | None
) -> list[dict[str, Any]]:
    """The reports on facilities within the staff member's city or region."""
    async with engine.connect() as conn:
        rows = await rq.report_queue(
            conn,
            staff.city_code,
            staff.region_code,
            str(status) if status else None,
            _own(staff),
        )
    return [_report(r) for r in rows]


async def set_report_status(
    engine: AsyncEngine, staff: StaffIdentity, report_id: int, status: ReportStatus
) -> dict[str, Any]:
    """Move a report in the queue (audited)."""
    async with engine.begin() as conn:
        row = await rq.report_in_scope(
            conn, report_id, staff.city_code, staff.region_code, _own(staff)
        )
        if row is None:
            raise NotFound(f"no report {report_id} among your facilities")
        await rq.set_report_status(conn, report_id, staff.city_code, str(status), datetime.now(UTC))
        await sq.insert_audit(
            conn,
            city_code=staff.city_code,
            actor_id=staff.id,
            actor_role=str(staff.role),
            action="set_status",
            object_type="facility_report",
            object_id=str(report_id),
            before={"status": row.status},
            after={"status": str(status)},
        )
        row = await rq.report_in_scope(
            conn, report_id, staff.city_code, staff.region_code, _own(staff)
        )
    return _report(row)
