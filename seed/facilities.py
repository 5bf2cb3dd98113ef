"""Turn facility specs (what and where) into complete sample facility rows.

Every random choice comes from a random.Random seeded with the facility's stable key, so
a facility's fields do not change when another facility is added or removed.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from shapely.geometry import MultiPolygon, Point

from app.domain.search_text import facility_document
from app.domain.vocabulary import ACCESSIBILITY_FEATURES, services
from seed import kind_profiles, naming
from seed.kind_profiles import KindProfile, child_kinds
from seed.regions import SEED, ZIYANG
from seed.rows import FacilityRow, PriceRow, RegionRow
from seed.schedules import SCHEDULES, STATUS_TEXT
from seed.tiling import LocalProjection

CHINA_TIME = timezone(timedelta(hours=8))
PUHUI_SOURCE = "示例: 普惠 status is sample data"
SCATTER_M = {"街道": 800.0, "镇": 1_200.0, "乡": 1_200.0}
VILLAGE_SCATTER_M = 3_000.0
COMMUNITY_SCATTER_M = 120.0
# Chance of each accessibility feature at an elderly-side site; child sites get half.
ACCESSIBILITY_CHANCE = {
    "step_free_entrance": 0.8,
    "handrails": 0.7,
    "accessible_toilet": 0.6,
    "lift": 0.3,
    "wheelchair_loan": 0.4,
    "parking_accessible": 0.25,
}
GRADE_LEVELS = (1, 2, 3, 4)
GRADE_WEIGHTS = (0.35, 0.35, 0.2, 0.1)


@dataclass(frozen=True, slots=True)
class Spec:
    """What to generate: kind(s), township, and any fact the documents fix."""

    kind: str
    township_code: str
    name: str | None = None
    extra_kinds: tuple[str, ...] = ()
    status: str = "open"
    ownership: str | None = None
    operator: str | None = None
    community_code: str | None = None
    beds: int | None = None
    nursing_beds: int | None = None
    places: int | None = None
    puhui: bool | None = None
    grade: int | None = None
    address: str | None = None
    cite: str | None = None
    city_level: bool = False
    at: tuple[float, float] | None = None
    road: str | None = None


def public_id(city_code: str, kind: str, township_code: str, ordinal: int) -> str:
    """Stable public identifier: 'f_' + 12 hex digits of sha1(city|kind|township|ordinal)."""
    key = f"{city_code}|{kind}|{township_code}|{ordinal}".encode()
    return "f_" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:12]


def search_document(row: FacilityRow) -> str:
    """Tokens for to_tsvector('simple', …): name, address, kind names and aliases."""
    return facility_document(row.name, row.address, row.kinds)


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _inside(
    area: MultiPolygon, centre: tuple[float, float], sigma_m: float, rng: random.Random
) -> Point:
    """A gaussian draw around `centre` that falls inside `area` (its centroid-ish if none do)."""
    proj = LocalProjection(centre[0], centre[1])
    for _ in range(300):
        lon, lat = proj.point_lonlat(rng.gauss(0, sigma_m), rng.gauss(0, sigma_m))
        point = Point(round(lon, 6), round(lat, 6))
        if area.contains(point):
            return point
    fallback = area.representative_point()
    return Point(round(fallback.x, 6), round(fallback.y, 6))


def _vacancy(
    capacity: int | None, occupancy: tuple[float, float], rng: random.Random
) -> int | None:
    if capacity is None:
        return None
    draw = rng.random()
    if draw < 0.15:
        return None
    if draw < 0.25:
        return 0
    return min(capacity, round(capacity * (1 - rng.uniform(*occupancy))))


def _fen(yuan: float) -> int:
    step = 5 if yuan >= 50 else 1
    return int(round(yuan / step) * step * 100)


@dataclass(frozen=True, slots=True)
class _Capacity:
    beds: int | None
    nursing_beds: int | None
    places: int | None
    meals: int | None
    classes: int | None


def _capacity(spec: Spec, profiles: list[KindProfile], rng: random.Random) -> _Capacity:
    main = profiles[0]
    beds = spec.beds
    if beds is None and main.beds:
        beds = (
            None
            if spec.kind == "community_eldercare_complex" and rng.random() < 0.3
            else rng.randint(*main.beds)
        )
    nursing = spec.nursing_beds
    if nursing is None and beds is not None and main.nursing_share:
        nursing = min(beds, round(beds * rng.uniform(*main.nursing_share)))
    places, classes = spec.places, None
    if spec.kind == "nursery_class":
        classes = math.ceil(places / 20) if places else rng.randint(1, 3)
        places = places or sum(rng.randint(*main.places or (15, 20)) for _ in range(classes))
    elif places is None:
        sized = next((p for p in profiles if p.places), None)
        places = rng.randint(*sized.places) if sized and sized.places else None
    sized = next((p for p in profiles if p.meals), None)
    meals = rng.randint(*sized.meals) if sized and sized.meals else None
    return _Capacity(beds, nursing, places, meals, classes)


def _services(kind_codes: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    chosen: set[str] = set()
    for code in kind_codes:
        profile = kind_profiles.profiles()[code]
        chosen.update(profile.services)
        chosen.update(s for s in profile.optional_services if rng.random() < 0.5)
    return tuple(code for code in services() if code in chosen)


def _prices(profiles: list[KindProfile], puhui: bool, rng: random.Random) -> tuple[PriceRow, ...]:
    rows = [
        PriceRow(p.item, _fen(rng.uniform(*p.yuan)), p.unit, puhui)
        for profile in profiles
        for p in profile.prices
    ]
    return tuple(dict.fromkeys(rows))


def _accessibility(child_site: bool, rng: random.Random) -> tuple[str, ...]:
    factor = 0.5 if child_site else 1.0
    return tuple(
        code
        for code in ACCESSIBILITY_FEATURES
        if rng.random() < ACCESSIBILITY_CHANCE[code] * factor
    )


def _moment(rng: random.Random, first: date, days: int) -> datetime:
    day = first + timedelta(days=rng.randrange(days))
    return datetime(
        day.year,
        day.month,
        day.day,
        rng.randint(8, 17),
        rng.choice((0, 15, 30, 45)),
        tzinfo=CHINA_TIME,
    )


def _locate(
    spec: Spec, township: RegionRow, community: RegionRow | None, rng: random.Random
) -> Point:
    """The spec's fixed point, else a scatter around the community or township seat."""
    if spec.at is not None:
        return Point(round(spec.at[0], 6), round(spec.at[1], 6))
    area = community if community is not None else township
    assert area.boundary is not None and area.seat is not None
    if community is not None:
        sigma = COMMUNITY_SCATTER_M
    elif spec.kind == "village_mutual_aid_point":
        sigma = VILLAGE_SCATTER_M
    else:
        sigma = SCATTER_M.get(township.unit_type or "镇", 1_000.0)
    return _inside(area.boundary, (area.seat.x, area.seat.y), sigma, rng)


def build_facility(
    spec: Spec,
    ordinal: int,
    regions: dict[str, RegionRow],
    communities: dict[str, list[RegionRow]],
    taken: set[str],
) -> FacilityRow:
    """One complete row for the `ordinal`-th spec of its (kind, township).

    `taken` holds the names used so far; a generated name avoids them.
    """
    township = regions[spec.township_code]
    county = regions[township.parent_code or ""]
    city = regions[county.parent_code or ""]
    pid = public_id(city.code, spec.kind, township.code, ordinal)
    rng = random.Random(f"{SEED}|{pid}")
    kind_codes = (spec.kind, *spec.extra_kinds)
    profiles = [kind_profiles.profiles()[k] for k in kind_codes]
    main = profiles[0]

    community = regions[spec.community_code] if spec.community_code else None
    location = _locate(spec, township, community, rng)
    if community is None:
        community = next(
            (
                c
                for c in communities.get(township.code, [])
                if c.boundary is not None and c.boundary.contains(location)
            ),
            None,
        )

    place = naming.Place(
        city_code=city.code,
        city=city.name,
        county_code=county.code,
        county=county.name,
        township=township.name,
        township_kind=township.unit_type or "镇",
        community=community.name if community else None,
        road=spec.road,
        authority=city.name if spec.city_level else county.name,
    )
    if spec.name:
        name = naming.with_suffix(spec.name)
        taken.add(name)
    else:
        name = naming.facility_name(spec.kind, place, ordinal, taken)
    ownership = spec.ownership or _weighted(rng, main.ownerships)
    status = spec.status
    if spec.name is None and status == "open" and main.schedule in ("day_care", "meals"):
        draw = rng.random()
        status = "suspended" if draw < 0.03 else "planned" if draw < 0.05 else "open"
    is_open = status == "open"
    schedule = SCHEDULES[main.schedule]
    capacity = _capacity(spec, profiles, rng)
    child_site = all(k in child_kinds() for k in kind_codes)
    puhui = spec.puhui if spec.puhui is not None else rng.random() < main.puhui_chance
    ages = rng.choice([a for p in profiles for a in p.child_ages] or [(None, None)])
    vacant_beds = _vacancy(capacity.beds, (0.35, 0.75), rng) if is_open else None
    vacant_places = _vacancy(capacity.places, (0.55, 0.85), rng) if is_open else None
    reported = (
        _moment(rng, date(2026, 10, 1), 28)
        if vacant_beds is not None or vacant_places is not None
        else None
    )
    grade = spec.grade
    if grade is None and main.graded and city.code == ZIYANG and is_open and rng.random() < 0.6:
        grade = rng.choices(GRADE_LEVELS, weights=GRADE_WEIGHTS)[0]
    extra: dict[str, object] = {"sample": True}
    if spec.cite:
        extra["cite"] = spec.cite
    if capacity.classes:
        extra["classes"] = capacity.classes
    return FacilityRow(
        public_id=pid,
        name=name,
        kinds=kind_codes,
        services=_services(kind_codes, rng),
        operator_name=spec.operator or naming.operator_name(spec.kind, ownership, place, name, rng),
        ownership=ownership,
        address=spec.address or naming.address(place, rng, spec.kind),
        location=location,
        city_code=city.code,
        county_code=county.code,
        township_code=township.code,
        community_code=community.code if community else None,
        phone=None if spec.kind == "mother_baby_room" else naming.phone(county.code, rng),
        opening_hours_text=schedule.text if is_open else STATUS_TEXT[status],
        open_24h=schedule.open_24h and is_open,
        beds=capacity.beds,
        nursing_beds=capacity.nursing_beds,
        childcare_places=capacity.places,
        meals_per_day=capacity.meals,
        vacant_beds=vacant_beds,
        vacant_childcare_places=vacant_places,
        vacancy_reported_at=reported,
        puhui=puhui,
        puhui_source=PUHUI_SOURCE if puhui else None,
        puhui_certified_on=_moment(rng, date(2024, 1, 1), 700).date() if puhui else None,
        elder_min_age_years=next((p.elder_min_age for p in profiles if p.elder_min_age), None),
        child_min_age_months=ages[0],
        child_max_age_months=ages[1],
        accessibility=_accessibility(child_site, rng),
        grade_scale="level" if grade else None,
        grade_value=grade,
        status=status,
        last_verified_at=_moment(rng, date(2026, 9, 1), 60),
        extra=extra,
        hours=schedule.rows() if is_open else (),
        prices=_prices(profiles, puhui, rng) if status != "closed" else (),
    )


def build_facilities(specs: Sequence[Spec], regions: Sequence[RegionRow]) -> list[FacilityRow]:
    """Rows for `specs` in order; ordinals count per (kind, township) in spec order."""
    by_code = {r.code: r for r in regions}
    communities: dict[str, list[RegionRow]] = defaultdict(list)
    for region in regions:
        if region.level == "community" and region.parent_code:
            communities[region.parent_code].append(region)
    counters: dict[tuple[str, str], int] = defaultdict(int)
    taken: set[str] = set()
    rows = []
    for spec in specs:
        counters[(spec.kind, spec.township_code)] += 1
        ordinal = counters[(spec.kind, spec.township_code)]
        rows.append(build_facility(spec, ordinal, by_code, communities, taken))
    return rows
