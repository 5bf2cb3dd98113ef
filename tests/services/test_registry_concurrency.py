"""Two staff writing the same facility at the same moment with the same ETag: the row
lock makes one win and the other get 412, never both."""

from __future__ import annotations

import asyncio

import psycopg

from app.db.session import create_engine
from app.domain.roles import Role
from app.errors import PreconditionFailed
from app.services import registry
from app.services.staff import StaffIdentity
from app.settings import Settings
from tests.services.staffing import new_staff

HOME = "f_1ca682286016"


def test_simultaneous_writes_with_one_etag(settings: Settings, db_dsn: str) -> None:
    staff_id = new_staff(settings, "race.admin", Role.city_admin)
    who = StaffIdentity(staff_id, "race.admin", Role.city_admin, "512000", None)

    async def race() -> list[object]:
        engine = create_engine(settings)
        try:
            etag = (await registry.staff_facility(engine, who, HOME)).etag
            writes = [
                registry.edit_facility(engine, who, HOME, etag, {"phone": phone})
                for phone in ("111", "222", "333", "444")
            ]
            return list(await asyncio.gather(*writes, return_exceptions=True))
        finally:
            await engine.dispose()

    outcomes = asyncio.run(race())
    winners = [o for o in outcomes if isinstance(o, registry.Versioned)]
    assert len(winners) == 1
    assert all(isinstance(o, PreconditionFailed) for o in outcomes if o not in winners)
    with psycopg.connect(db_dsn) as conn:
        phone, version = conn.execute(
            "SELECT phone, version FROM facility WHERE public_id = %s", (HOME,)
        ).fetchone() or (None, None)
        events = conn.execute(
            "SELECT count(*) FROM audit_event WHERE object_id = %s", (HOME,)
        ).fetchone()
    assert (phone, version, events) == (winners[0].body["phone"], 2, (1,))
