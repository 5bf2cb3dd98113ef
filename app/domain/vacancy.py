"""How fresh a vacancy is: one reported longer ago than the configured age is unknown.

Operators report vacant beds and 托位 (facility-types.md §8: "vacancy with
timestamp"); a figure nobody has confirmed for weeks misleads a family more than
no figure, so public answers show its age and withhold stale numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class Freshness:
    """The moment an answer is made and the oldest vacancy report it still trusts."""

    now: datetime
    max_age: timedelta

    @property
    def since(self) -> datetime:
        return self.now - self.max_age

    @classmethod
    def at_most_days(cls, days: int) -> Freshness:
        return cls(datetime.now(UTC), timedelta(days=days))


def vacancy_view(
    beds: int | None,
    places: int | None,
    reported_at: datetime | None,
    freshness: Freshness | None,
) -> dict[str, Any]:
    """The public vacancy: counts (null when unknown or stale), when reported, age in days."""
    stale = freshness is not None and reported_at is not None and reported_at < freshness.since
    age_days = None
    if reported_at is not None and freshness is not None:
        age_days = round(max((freshness.now - reported_at).total_seconds(), 0.0) / 86400, 1)
    return {
        "beds": None if stale else beds,
        "childcare_places": None if stale else places,
        "reported_at": None if reported_at is None else reported_at.isoformat(),
        "age_days": age_days,
        "stale": stale,
    }
