"""Story helpers: staff accounts created through the real service."""

from __future__ import annotations

import asyncio

from app.db.session import create_engine
from app.domain.roles import Role
from app.services.staff import create_staff
from app.settings import Settings

PASSWORD = "correct horse battery staple"


def new_staff(
    settings: Settings,
    username: str,
    role: Role,
    region: str | None = None,
    password: str = PASSWORD,
    *,
    city: str = "512000",
    facilities: tuple[str, ...] = (),
) -> int:
    async def run() -> int:
        engine = create_engine(settings)
        try:
            return await create_staff(
                engine,
                username=username,
                password=password,
                role=role,
                city_code=city,
                region_code=region,
                facilities=facilities,
            )
        finally:
            await engine.dispose()

    return asyncio.run(run())
