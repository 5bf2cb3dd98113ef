"""Questions residents, apps and community workers ask of the rules, tied to the registry.

Each answer comes from the rule-set version in force on the date asked (`as_of`,
default today) and carries its citations and a Chinese summary; facts a person
gives are used for the answer and never stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import policy as pq
from app.db.queries.regions import region_exists
from app.domain.policy import (
    EligibilityAnswer,
    FacilityPricing,
    Facts,
    ListedPrice,
    PersonPriceAnswer,
    PriceCheckAnswer,
    eligibility,
    price_check,
    price_for_person,
)
from app.domain.policy.pricing import check_prices
from app.domain.policy.versions import in_force, ref
from app.domain.policy.vocabulary import CareLevel
from app.errors import NotFound
from app.services.rulesets import RuleSetCache

OVER_CAP = ("exceeds_cap", "depends_on_care_level")


async def eligibility_for(
    engine: AsyncEngine, cache: RuleSetCache, city: str, on: date, facts: Facts
) -> EligibilityAnswer:
    """Benefits, subsidies and priority services for these facts in `city` on `on`."""
    return eligibility(await cache.city(engine, city, "city"), facts, on)


async def facility_price_check(
    engine: AsyncEngine,
    cache: RuleSetCache,
    public_id: str,
    on: date,
    care_level: CareLevel | None,
) -> PriceCheckAnswer:
    """A facility's listed prices against the 普惠 cap in force on `on`."""
    facility, city = await _facility(engine, public_id, care_level)
    return price_check(await cache.city(engine, city, "public_id"), facility, on)


async def facility_price_for_person(
    engine: AsyncEngine,
    cache: RuleSetCache,
    public_id: str,
    on: date,
    care_level: CareLevel | None,
    facts: Facts,
) -> PersonPriceAnswer:
    """What a person with these facts would pay at a facility on `on`, and why."""
    facility, city = await _facility(engine, public_id, care_level)
    return price_for_person(await cache.city(engine, city, "public_id"), facility, facts, on)


async def over_cap_in_region(
    engine: AsyncEngine,
    cache: RuleSetCache,
    region_code: str,
    on: date,
    care_level: CareLevel | None,
) -> dict[str, Any]:
    """普惠 facilities of a region whose covered listed prices exceed the cap on `on`.

    Without `care_level` a facility is listed when it exceeds the cap of every level
    (`exceeds_cap`) or of some (`depends_on_care_level`).
    """
    async with engine.connect() as conn:
        level = await region_exists(conn, region_code)
        if level is None:
            raise NotFound(f"no region with code {region_code}")
        rows = await pq.puhui_facilities_in_region(conn, region_code, level)
        prices = await pq.prices_of(conn, [r.id for r in rows]) if rows else []
    city = rows[0].city_code if rows else None
    answers: list[PriceCheckAnswer] = []
    ruleset = None
    if city is not None:
        ruleset = in_force(await cache.city(engine, city, "code"), on)
        for row in rows:
            facility = _pricing(row, [p for p in prices if p.facility_id == row.id], care_level)
            answer = check_prices(ruleset, facility, on, care_level)
            if answer.status in OVER_CAP:
                answers.append(answer)
    return {
        "region_code": region_code,
        "on": on.isoformat(),
        "care_level": care_level,
        "puhui_facilities_checked": len(rows),
        "ruleset": ref(ruleset).model_dump(mode="json") if ruleset else None,
        "over_cap": [_over_cap_row(a) for a in answers],
    }


def _over_cap_row(answer: PriceCheckAnswer) -> dict[str, Any]:
    return {
        "facility_id": answer.facility_id,
        "facility_name": answer.facility_name,
        "status": answer.status,
        "covered_total_fen": answer.covered_total_fen,
        "caps": [
            {"care_level": c.care_level, "cap_fen": c.cap_fen, "sample_inputs": c.sample_inputs}
            for c in answer.caps
        ],
        "excess_fen": answer.excess_fen,
        "summary_zh": answer.summary_zh,
    }


async def _facility(
    engine: AsyncEngine, public_id: str, care_level: CareLevel | None
) -> tuple[FacilityPricing, str]:
    async with engine.connect() as conn:
        row = await pq.facility_for_pricing(conn, public_id)
        if row is None:
            raise NotFound(f"no facility with id {public_id}")
        prices = await pq.prices_of(conn, [row.id])
    return _pricing(row, prices, care_level), row.city_code


def _pricing(row: Any, prices: Sequence[Any], care_level: CareLevel | None) -> FacilityPricing:
    """What the rules know of a registry facility; facts the registry lacks stay unknown."""
    certified = row.puhui_certified_on
    return FacilityPricing(
        public_id=row.public_id,
        name=row.name,
        puhui=row.puhui,
        ownership=row.ownership,
        kinds=list(row.kinds),
        prices=[ListedPrice(p.item, p.amount_fen, p.unit, p.puhui) for p in prices],
        care_level=care_level,
        puhui_recognised_year=certified.year if row.puhui and certified else None,
    )
