"""What a caller can filter facilities by: a plain value object, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from app.domain.vacancy import Freshness
from app.domain.vocabulary import FacilityStatus

DEFAULT_STATUSES: tuple[FacilityStatus, ...] = (
    FacilityStatus.open,
    FacilityStatus.suspended,
    FacilityStatus.planned,
    FacilityStatus.under_construction,
)


@dataclass(frozen=True, slots=True)
class OpenAt:
    """A local moment: ISO weekday (1 = Monday) and time of day."""

    weekday: int
    at: time


@dataclass(frozen=True, slots=True)
class FacilityFilter:
    """Conjunction of filters; empty tuples and None mean 'any'."""

    kinds: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    puhui: bool | None = None
    has_vacancy: bool | None = None
    open_at: OpenAt | None = None
    age_years: int | None = None
    age_months: int | None = None
    statuses: tuple[FacilityStatus, ...] = field(default=DEFAULT_STATUSES)
    city_code: str | None = None
    freshness: Freshness | None = None  # stale vacancies count as unknown; not in fingerprint

    def fingerprint(self) -> str:
        """A stable text form, so a cursor can be tied to the query that made it."""
        open_at = f"{self.open_at.weekday}@{self.open_at.at.isoformat()}" if self.open_at else ""
        return "|".join(
            [
                ",".join(self.kinds),
                ",".join(self.services),
                str(self.puhui),
                str(self.has_vacancy),
                open_at,
                str(self.age_years),
                str(self.age_months),
                ",".join(self.statuses),
                self.city_code or "",
            ]
        )
