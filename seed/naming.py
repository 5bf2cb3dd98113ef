"""Synthetic names, addresses, operators and phone numbers of sample facilities.

Every facility name ends with （示例）; addresses use 示例路/示例街 numbers under the real
county and township names (so a text search for 雁江 finds them); phone numbers follow the
local pattern (028 area code) but are random and must not be dialled.
"""

from __future__ import annotations

import itertools
import random
import zlib
from dataclasses import dataclass

from seed.kind_profiles import CHILD_BRANDS, ELDER_BRANDS, child_kinds, profiles
from seed.rows import SAMPLE_SUFFIX

AREAS = ("", "东区", "西区", "南区", "北区", "中区", "新城", "河畔", "上游", "下游")
NUMERALS = "一二三四五六七八九十"
KINDERGARTENS = ("中心", "第一", "第二", "实验", "机关", "阳光", "育才", "启航")
STREET_WORDS = ("示例路", "示例街", "示例大道", "示例巷")
STREET_PREFIXES = ("", "东", "西", "南", "北", "中")
CITY_WORDS: dict[str, dict[str, str]] = {
    # 资阳 calls its meal points 长者食堂, 成都 长寿食堂 (facility-types.md §2.2).
    "512000": {"meal_point": "长者食堂"},
    "510100": {"meal_point": "长寿食堂"},
}
PHONE_PREFIXES = {"512002": "028-26", "512021": "028-24", "512022": "028-23", "510107": "028-85"}


@dataclass(frozen=True, slots=True)
class Place:
    """Names of the units a facility sits in."""

    city_code: str
    city: str
    county_code: str
    county: str
    township: str
    township_kind: str
    community: str | None = None
    road: str | None = None
    authority: str = ""
    """The government level that runs public sites: the county, or the city for city-level ones."""


def _area(ordinal: int) -> str:
    return AREAS[ordinal - 1] if ordinal <= len(AREAS) else f"{ordinal}号"


def _numeral(ordinal: int) -> str:
    return NUMERALS[ordinal - 1] if ordinal <= len(NUMERALS) else str(ordinal)


def kind_word(kind: str, city_code: str) -> str:
    return CITY_WORDS.get(city_code, {}).get(kind, profiles()[kind].word)


def kindergarten(place: Place, ordinal: int) -> str:
    prefix = place.road or place.township
    label = KINDERGARTENS[ordinal - 1] if ordinal <= len(KINDERGARTENS) else f"{ordinal}号"
    return f"{prefix}{label}幼儿园"


def _branded(prefix: str, brands: tuple[str, ...], ordinal: int) -> str:
    """The `ordinal`-th brand for a place, starting at a place-dependent brand."""
    start = zlib.crc32(prefix.encode())
    brand = brands[(start + ordinal - 1) % len(brands)]
    return brand if ordinal <= len(brands) else f"{brand}{ordinal}号"


def _candidate(kind: str, place: Place, ordinal: int) -> str:
    prefix = place.road or place.township
    word = kind_word(kind, place.city_code)
    if kind == "village_mutual_aid_point":
        return f"{place.township}示例{_numeral(ordinal)}村{word}"
    if kind == "township_care_home":
        branch = "" if ordinal == 1 else f"{_area(ordinal)}分院"
        return f"{place.township}{word}{branch}"
    if kind == "nursery_class":
        return f"{kindergarten(place, ordinal)}托班"
    if kind in ("childcare_center", "early_education_center"):
        return f"{prefix}{_branded(prefix, CHILD_BRANDS, ordinal)}{word}"
    if kind in ("eldercare_institution", "home_care_provider"):
        return f"{prefix}{_branded(prefix, ELDER_BRANDS, ordinal)}{word}"
    return f"{prefix}{_area(ordinal)}{word}"


def facility_name(kind: str, place: Place, ordinal: int, taken: set[str]) -> str:
    """A generated name with the suffix for the `ordinal`-th `kind` in a township.

    If the name is in `taken` (two townships share a road name, say), the next variant
    is used; the chosen name is added to `taken`.
    """
    for shift in itertools.count():
        name = with_suffix(_candidate(kind, place, ordinal + shift))
        if name not in taken:
            taken.add(name)
            return name
    raise AssertionError("unreachable")


def with_suffix(name: str) -> str:
    return name if name.endswith(SAMPLE_SUFFIX) else name + SAMPLE_SUFFIX


def address(place: Place, rng: random.Random, kind: str) -> str:
    """A plausible synthetic street address containing the county and township names."""
    head = f"四川省{place.city}{place.county}{place.township}{place.community or ''}"
    if kind == "village_mutual_aid_point":
        return f"{head}示例{_numeral(rng.randint(1, 10))}村村委会旁"
    if place.road:
        return f"{head}{place.road}示例{rng.randint(1, 199)}号"
    street = rng.choice(STREET_PREFIXES) + rng.choice(STREET_WORDS)
    return f"{head}{street}{rng.randint(1, 299)}号"


def operator_name(
    kind: str, ownership: str | None, place: Place, facility: str, rng: random.Random
) -> str | None:
    """Who runs the site; government bodies are real names marked （示例）."""
    style = profiles()[kind].operator
    short = place.city[:-1]
    if ownership == "county_direct":
        return with_suffix(f"{place.authority}民政局")
    if ownership == "soe_eldercare":
        return with_suffix(f"{short}康养产业集团有限公司")
    if ownership == "kindergarten_run" or style == "kindergarten":
        return with_suffix(facility.removesuffix(SAMPLE_SUFFIX).removesuffix("托班"))
    if style == "family":
        return None
    if ownership in ("private", "public_built_private_run", "private_with_public_aid") and (
        style in ("elder_company", "child_company", "government", "township", "community")
    ):
        child = kind in child_kinds()
        brands = CHILD_BRANDS if child else ELDER_BRANDS
        brand = next((b for b in brands if b in facility), None) or rng.choice(brands)
        business = "托育服务有限公司" if child else "养老服务有限公司"
        return with_suffix(f"{short}{brand}{business}")
    if style == "hospital" or ownership in ("hospital_run", "mch_run"):
        if ownership == "mch_run" or kind in child_kinds():
            return with_suffix(f"{place.authority}妇幼保健院")
        if place.township_kind in ("镇", "乡"):
            return with_suffix(f"{place.township}中心卫生院")
        return with_suffix(f"{place.authority}人民医院")
    if style == "employer":
        return with_suffix(f"{place.township}示例产业园管理委员会")
    if style == "community" or ownership == "community_run":
        return with_suffix(f"{place.township}社区服务中心")
    if style == "township":
        body = "办事处" if place.township_kind == "街道" else "人民政府"
        return with_suffix(f"{place.township}{body}")
    if kind in child_kinds():
        return with_suffix(f"{place.authority}卫生健康局")
    return with_suffix(f"{place.authority}民政局")


def phone(county_code: str, rng: random.Random) -> str:
    return f"{PHONE_PREFIXES[county_code]}{rng.randint(0, 999_999):06d}"
