"""Staff edits of the registry: each write checks role, scope and If-Match, and commits
with its audit event (who, role, when, what, before, after) or not at all."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.db.queries import registry as rq
from app.db.queries.staff import insert_audit
from app.domain.facility_record import (
    CORE_FIELDS,
    RELATED_FIELDS,
    FieldError,
    LocationError,
    check_relations,
    check_values,
    located,
)
from app.domain.roles import Permission, Placement
from app.domain.search_text import facility_document
from app.domain.versions import check_if_match, etag
from app.errors import BadRequest, Conflict, InvalidParam, NotFound
from app.services import render
from app.services.staff import StaffIdentity

Change = Callable[[AsyncConnection, Any], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Versioned:
    """A staff view of a facility and the ETag a later write must send as If-Match."""

    body: dict[str, Any]
    etag: str


@dataclass(frozen=True, slots=True)
class PointIn:
    lon: float
    lat: float
    coordsys: str = "gcj02"


class InvalidFields(BadRequest):
    """Every refused field of one write, each with its Chinese reason."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors[0].field, errors[0].message)
        self.params = [InvalidParam(name=e.field, reason=e.message) for e in errors]
        self.detail = "; ".join(f"{e.field}: {e.message}" for e in errors)


def placement(row: Any) -> Placement:
    return Placement(row.public_id, row.city_code, row.county_code, row.township_code)


def new_public_id() -> str:
    """'f_' + 12 hex digits, the shape of the sample ids, from a random seed."""
    return "f_" + hashlib.sha1(secrets.token_bytes(16), usedforsecurity=False).hexdigest()[:12]


async def _reread(conn: AsyncConnection, public_id: str) -> Any:
    row = await rq.facility_row(conn, public_id)
    assert row is not None, "read back inside the transaction that wrote it"
    return row


async def _view(conn: AsyncConnection, row: Any) -> dict[str, Any]:
    return render.facility_staff(
        row,
        await rq.prices_of(conn, row),
        await rq.hours_of(conn, row),
    )


async def _audit(
    conn: AsyncConnection,
    who: StaffIdentity,
    action: str,
    public_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    await insert_audit(
        conn,
        city_code=who.city_code,
        actor_id=who.id,
        actor_role=who.audit_role,
        action=action,
        object_type="facility",
        object_id=public_id,
        before=before,
        after=after,
    )


async def _placed(
    conn: AsyncConnection, who: StaffIdentity, public_id: str, point: PointIn
) -> tuple[tuple[float, float], dict[str, str | None]]:
    """WGS-84 point and region codes; 400 outside China or the city, 403 outside scope."""
    try:
        lon, lat = located(point.lon, point.lat, point.coordsys)
    except LocationError as exc:
        raise InvalidFields([FieldError(f"location.{exc.error.field}", exc.error.message)]) from exc
    codes = await rq.placement_at(conn, lon, lat)
    if "city" not in codes:
        raise InvalidFields([FieldError("location", "坐标不在任何已登记的城市内")])
    place = {
        "city_code": codes["city"],
        "county_code": codes.get("county"),
        "township_code": codes.get("township"),
        "community_code": codes.get("community"),
    }
    who.require_scope(
        Placement(public_id, codes["city"], codes.get("county"), codes.get("township"))
    )
    return (lon, lat), place


async def staff_facility(engine: AsyncEngine, who: StaffIdentity, public_id: str) -> Versioned:
    async with engine.connect() as conn:
        row = await rq.facility_row(conn, public_id)
        if row is None:
            raise NotFound(f"no facility with id {public_id!r}")
        who.require_scope(placement(row))
        return Versioned(await _view(conn, row), etag(row.public_id, row.version))


async def create_facility(
    engine: AsyncEngine, who: StaffIdentity, fields: dict[str, Any], point: PointIn
) -> Versioned:
    errors = check_values(fields, creating=True)
    if errors:
        raise InvalidFields(errors)
    async with engine.begin() as conn:
        # Keys hold public ids unique per city; a new id is also unused in every other city.
        public_id = new_public_id()
        while await rq.facility_row(conn, public_id) is not None:  # pragma: no cover - 2⁻⁴⁸
            public_id = new_public_id()
        (lon, lat), codes = await _placed(conn, who, public_id, point)
        values = {"data_source": f"staff:{who.username}", **fields, **codes, "public_id": public_id}
        document = facility_document(fields["name"], fields.get("address"), fields["kinds"])
        await rq.insert_facility(conn, values, lon, lat, document)
        row = await _reread(conn, public_id)
        after = await _view(conn, row)
        await _audit(conn, who, "create", public_id, None, after)
    return Versioned(after, etag(public_id, row.version))


async def _write(
    engine: AsyncEngine,
    who: StaffIdentity,
    public_id: str,
    if_match: str | None,
    action: str,
    change: Change,
    *,
    live: bool | None = True,
) -> Versioned:
    """Lock the row, check scope, liveness and If-Match, apply `change`, audit both states."""
    try:
        async with engine.begin() as conn:
            row = await rq.facility_row(conn, public_id, lock=True)
            if row is None:
                raise NotFound(f"no facility with id {public_id!r}")
            who.require_scope(placement(row))
            check_if_match(if_match, etag(row.public_id, row.version))
            if live is True and row.deleted_at is not None:
                raise Conflict(f"facility {public_id} is deleted; restore it first")
            if live is False and row.deleted_at is None:
                raise Conflict(f"facility {public_id} is not deleted")
            before = await _view(conn, row)
            await change(conn, row)
            row = await _reread(conn, public_id)
            after = await _view(conn, row)
            await _audit(conn, who, action, public_id, before, after)
    except IntegrityError as exc:
        raise Conflict("the change breaks a rule of the registry (a check failed)") from exc
    return Versioned(after, etag(public_id, row.version))


async def edit_facility(
    engine: AsyncEngine,
    who: StaffIdentity,
    public_id: str,
    if_match: str | None,
    changes: dict[str, Any],
    point: PointIn | None = None,
) -> Versioned:
    """Change fields; core fields (anything but contact, hours text and photos) and the
    location need edit_registry, so an operator can change only their own contact details."""
    if (CORE_FIELDS & changes.keys()) or point is not None:
        who.require(Permission.edit_registry)

    async def change(conn: AsyncConnection, row: Any) -> None:
        stored = {name: getattr(row, name) for name in RELATED_FIELDS}
        errors = check_values(changes, creating=False)
        errors += [e for e in check_relations({**stored, **changes}) if e not in errors]
        if errors:
            raise InvalidFields(errors)
        location = None
        if point is not None:
            location, codes = await _placed(conn, who, public_id, point)
            changes.update(codes)
        document = None
        if {"name", "address", "kinds"} & changes.keys():
            document = facility_document(
                changes.get("name", row.name),
                changes.get("address", row.address),
                changes.get("kinds", row.kinds),
            )
        await rq.update_facility(conn, row, changes, location=location, search_text=document)

    return await _write(engine, who, public_id, if_match, "update", change)


async def delete_facility(
    engine: AsyncEngine, who: StaffIdentity, public_id: str, if_match: str | None
) -> Versioned:
    """Soft delete: the row stays (restorable) and leaves every public answer."""

    async def change(conn: AsyncConnection, row: Any) -> None:
        await rq.update_facility(conn, row, {"deleted_at": datetime.now(UTC)})

    return await _write(engine, who, public_id, if_match, "delete", change)


async def restore_facility(
    engine: AsyncEngine, who: StaffIdentity, public_id: str, if_match: str | None
) -> Versioned:
    async def change(conn: AsyncConnection, row: Any) -> None:
        await rq.update_facility(conn, row, {"deleted_at": None})

    return await _write(engine, who, public_id, if_match, "restore", change, live=False)


async def report_vacancy(
    engine: AsyncEngine,
    who: StaffIdentity,
    public_id: str,
    if_match: str | None,
    vacant_beds: int | None,
    vacant_childcare_places: int | None,
) -> Versioned:
    """The latest vacancy goes on the facility; every report is kept in vacancy_report."""
    reported_at = datetime.now(UTC)

    async def change(conn: AsyncConnection, row: Any) -> None:
        errors = []
        if vacant_beds is not None and row.beds is not None and vacant_beds > row.beds:
            errors.append(FieldError("vacant_beds", f"空床位不能多于床位数 {row.beds}"))
        places = row.childcare_places
        if None not in (vacant_childcare_places, places) and vacant_childcare_places > places:
            errors.append(FieldError("vacant_childcare_places", f"空托位不能多于托位数 {places}"))
        if errors:
            raise InvalidFields(errors)
        await rq.update_facility(
            conn,
            row,
            {
                "vacant_beds": vacant_beds,
                "vacant_childcare_places": vacant_childcare_places,
                "vacancy_reported_at": reported_at,
            },
        )
        await rq.insert_vacancy_report(
            conn,
            row,
            vacant_beds=vacant_beds,
            vacant_childcare_places=vacant_childcare_places,
            reported_at=reported_at,
            actor_id=who.id,
        )

    return await _write(engine, who, public_id, if_match, "report_vacancy", change)


async def replace_prices(
    engine: AsyncEngine,
    who: StaffIdentity,
    public_id: str,
    if_match: str | None,
    prices: list[dict[str, Any]],
) -> Versioned:
    """A new price list (integer fen per unit); the old lists stay in price_history."""

    async def change(conn: AsyncConnection, row: Any) -> None:
        await rq.replace_prices(conn, row, prices, who.id)
        await rq.update_facility(conn, row, {})

    return await _write(engine, who, public_id, if_match, "replace_prices", change)


async def replace_hours(
    engine: AsyncEngine,
    who: StaffIdentity,
    public_id: str,
    if_match: str | None,
    hours: list[tuple[int, str, str]],
) -> Versioned:
    """New weekly opening hours, (ISO weekday, 'HH:MM' opens, 'HH:MM' closes)."""

    async def change(conn: AsyncConnection, row: Any) -> None:
        await rq.replace_hours(conn, row, hours)
        await rq.update_facility(conn, row, {})

    return await _write(engine, who, public_id, if_match, "replace_hours", change)


async def history(
    engine: AsyncEngine, who: StaffIdentity, public_id: str, limit: int
) -> dict[str, Any]:
    """Vacancy reports and price lists, newest first."""
    async with engine.connect() as conn:
        row = await rq.facility_row(conn, public_id)
        if row is None:
            raise NotFound(f"no facility with id {public_id!r}")
        who.require_scope(placement(row))
        vacancies = await rq.vacancy_history(conn, row, limit)
        prices = await rq.price_history(conn, row, limit)
    return {
        "id": public_id,
        "vacancy": [
            {
                "beds": v.vacant_beds,
                "childcare_places": v.vacant_childcare_places,
                "reported_at": v.reported_at.isoformat(),
                "actor_id": v.actor_id,
            }
            for v in vacancies
        ],
        "prices": [
            {"prices": p.prices, "valid_from": p.valid_from.isoformat(), "actor_id": p.actor_id}
            for p in prices
        ],
    }


async def audit_trail(
    engine: AsyncEngine, who: StaffIdentity, public_id: str, limit: int
) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = await rq.facility_row(conn, public_id)
        if row is None:
            raise NotFound(f"no facility with id {public_id!r}")
        who.require_scope(placement(row))
        events = await rq.audit_events(conn, "facility", public_id, limit)
    return {
        "id": public_id,
        "events": [
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "actor_id": e.actor_id,
                "actor_role": e.actor_role,
                "action": e.action,
                "before": e.before,
                "after": e.after,
            }
            for e in events
        ],
    }
