"""The 资阳 sample: named facilities plus generic ones spread by simple, documented rules.

Generic counts aim at the 2022 stock the documents report (places-and-facilities.md,
facility-types.md): about 110 eldercare institutions, ~165 日间照料中心, ≥30 助餐点,
~80 幼儿园托班/早教 and 11 托育机构. Rules per township:

- every 街道: 4–5 day care centres, 3 meal points, 1–2 eldercare stations, 1 community
  childcare point, 3–4 幼儿园托班, 2 早教 centres, and in the seat streets more;
- every 镇/乡: a 敬老院 unless it has a regional centre or a named home (乡 only if named),
  1 day care centre (2 in central towns and one town in four), 1 村级互助养老服务点 (plus one
  for each home closed there: closed homes become mutual-aid points);
- central towns (the towns the documents name for projects): a 幼儿园托班, and some a
  长者食堂, 早教 centre, 农村托育服务中心 or 老年学校.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from seed.facilities import Spec
from seed.regions import SEED, ZIYANG
from seed.rows import RegionRow
from seed.ziyang_named import named_specs

CENTRAL_TOWNS = {
    "512002": ("保和镇", "丰裕镇", "中和镇", "伍隍镇", "丹山镇", "临江镇", "松涛镇", "南津镇"),
    "512021": (
        "岳阳镇",
        "李家镇",
        "周礼镇",
        "龙台镇",
        "通贤镇",
        "石羊镇",
        "兴隆镇",
        "镇子镇",
        "姚市镇",
        "永清镇",
        "驯龙镇",
        "卧佛镇",
    ),
    "512022": ("童家镇", "良安镇", "劳动镇", "回澜镇", "宝林镇"),
}
SEAT_STREETS = ("莲花街道", "岳城街道", "天池街道")
MEAL_TOWNS = ("保和镇", "伍隍镇", "周礼镇", "李家镇", "童家镇", "良安镇")
EARLY_EDUCATION_TOWNS = ("保和镇", "伍隍镇", "李家镇", "童家镇")
RURAL_CHILDCARE_TOWNS = ("周礼镇", "李家镇", "龙台镇", "通贤镇", "伍隍镇", "童家镇")
ELDER_SCHOOL_TOWNS = ("保和镇", "伍隍镇", "周礼镇", "李家镇", "童家镇")

# Per-street generic sites: kind -> count in 雁江's streets, count in the others'.
STREET_RULES: tuple[tuple[str, int, int], ...] = (
    ("day_care_center", 4, 5),
    ("meal_point", 3, 3),
    ("eldercare_station", 2, 1),
    ("community_childcare_point", 1, 1),
    ("nursery_class", 4, 3),
    ("early_education_center", 2, 2),
)
STREET_EXTRAS: tuple[tuple[str, str, str], ...] = (
    # (county code, street, kind): one-off sites in particular streets
    ("512002", "莲花街道", "community_care_home"),
    ("512002", "狮子山街道", "community_care_home"),
    ("512002", "三贤祠街道", "community_care_home"),
    ("512002", "资溪街道", "community_care_home"),
    ("512002", "莲花街道", "eldercare_institution"),
    ("512002", "资溪街道", "eldercare_institution"),
    ("512002", "宝莲街道", "eldercare_institution"),
    ("512021", "石桥街道", "eldercare_institution"),
    ("512022", "南塔街道", "eldercare_institution"),
    ("512002", "莲花街道", "senior_activity_center"),
    ("512002", "资溪街道", "senior_activity_center"),
    ("512021", "岳城街道", "senior_activity_center"),
    ("512021", "石桥街道", "senior_activity_center"),
    ("512022", "天池街道", "senior_activity_center"),
    ("512002", "莲花街道", "home_care_provider"),
    ("512002", "三贤祠街道", "home_care_provider"),
    ("512002", "狮子山街道", "home_care_provider"),
    ("512002", "宝莲街道", "home_care_provider"),
    ("512021", "岳城街道", "home_care_provider"),
    ("512021", "石桥街道", "home_care_provider"),
    ("512022", "天池街道", "home_care_provider"),
    ("512022", "南塔街道", "home_care_provider"),
    ("512002", "莲花街道", "childcare_center"),
    ("512002", "狮子山街道", "childcare_center"),
    ("512002", "资溪街道", "childcare_center"),
    ("512021", "岳城街道", "childcare_center"),
    ("512021", "石桥街道", "childcare_center"),
    ("512022", "天池街道", "childcare_center"),
    ("512002", "莲花街道", "community_childcare_point"),
    ("512021", "岳城街道", "community_childcare_point"),
    ("512002", "莲花街道", "family_childcare_point"),
    ("512002", "三贤祠街道", "family_childcare_point"),
    ("512021", "岳城街道", "family_childcare_point"),
    ("512022", "天池街道", "family_childcare_point"),
    ("512002", "宝莲街道", "intergenerational_space"),
    ("512022", "天池街道", "intergenerational_space"),
)
ALL_AGE = (("512002", "狮子山街道"), ("512021", "岳城街道"))


def _generic_town_specs(
    town: RegionRow, county_code: str, named: Sequence[Spec], rng: random.Random
) -> list[Spec]:
    here = [s for s in named if s.township_code == town.code]
    has_home = any(s.kind in ("township_care_home", "regional_eldercare_center") for s in here)
    central = town.name in CENTRAL_TOWNS[county_code]
    specs: list[Spec] = []
    if not has_home and town.unit_type == "镇":
        specs.append(Spec("township_care_home", town.code))
    day_cares = 2 if central or rng.random() < 0.25 else 1
    specs.extend(Spec("day_care_center", town.code) for _ in range(day_cares))
    closed = sum(1 for s in here if s.status == "closed")
    specs.extend(Spec("village_mutual_aid_point", town.code) for _ in range(1 + closed))
    if central:
        specs.append(Spec("nursery_class", town.code))
    if town.name in MEAL_TOWNS:
        specs.append(Spec("meal_point", town.code))
    if town.name in EARLY_EDUCATION_TOWNS:
        specs.append(Spec("early_education_center", town.code))
    if town.name in RURAL_CHILDCARE_TOWNS:
        specs.append(Spec("rural_childcare_center", town.code))
    if town.name in ELDER_SCHOOL_TOWNS:
        specs.append(Spec("senior_university", town.code, f"{town.name}老年学校"))
    return specs


def ziyang_specs(regions: Sequence[RegionRow]) -> list[Spec]:
    """All 资阳 facility specs: named ones first, then the generic ones per township."""
    townships = [r for r in regions if r.level == "township" and r.city_code == ZIYANG]
    by_name = {(r.parent_code, r.name): r.code for r in townships}

    def tw(county_code: str, name: str) -> str:
        return by_name[(county_code, name)]

    named = named_specs(regions)
    for county_code, street in ALL_AGE:
        named.append(
            Spec(
                "all_age_community_complex",
                tw(county_code, street),
                f"{street}老幼复合型社区综合体",
                extra_kinds=("community_childcare_point",),
            )
        )
    generic: list[Spec] = []
    for county_code, street, kind in STREET_EXTRAS:
        generic.append(Spec(kind, tw(county_code, street)))
    rng = random.Random(f"{SEED}|ziyang-plan")
    for town in townships:
        county_code = town.parent_code or ""
        if town.unit_type == "街道":
            for kind, in_yanjiang, elsewhere in STREET_RULES:
                count = in_yanjiang if county_code == "512002" else elsewhere
                if kind == "day_care_center" and town.name in SEAT_STREETS:
                    count += 1
                generic.extend(Spec(kind, town.code) for _ in range(count))
        else:
            generic.extend(_generic_town_specs(town, county_code, named, rng))
    return [*named, *generic]
