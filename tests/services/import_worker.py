"""Run one import through the real service, in its own process (the crash test kills it).

python -m tests.services.import_worker <asyncpg url> <csv file> <staff id>
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from app.db.session import create_engine
from app.domain.roles import Role
from app.services.importing import ImportRequest, import_facilities
from app.services.staff import StaffIdentity
from app.settings import Settings


async def main(url: str, path: str, staff_id: int) -> None:
    engine = create_engine(Settings(database_url=url))
    who = StaffIdentity(staff_id, "crash.admin", Role.city_admin, "512000", None)
    request = ImportRequest(Path(path).read_bytes(), "csv", dry_run=False, valid_rows_only=True)
    print("start", flush=True)
    try:
        report = await import_facilities(engine, who, request, max_bytes=100_000_000)
    finally:
        await engine.dispose()
    print("done", report["rows_added"], flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
