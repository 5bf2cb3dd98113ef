"""Open Referral HSDS 3 export: facilities as organizations, services (one per kind),
locations, service_at_location, cost options, capacities and schedules.

Identifiers are UUIDv5 names of the facility's public id (and the kind, the price item …),
so the same record keeps the same id across exports. Rendering is pure; `services_page`
reads the database. Sample facilities (`is_sample`) carry a `sample_data` attribute and
say so in their descriptions: they are never presented as real.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries.hsds import prices_and_hours, service_rows
from app.domain.filters import FacilityFilter
from app.domain.vacancy import Freshness
from app.domain.vocabulary import ACCESSIBILITY_FEATURES, Term, kinds, ownerships

HSDS_VERSION = "3.1"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/yilao-yixiao/hsds")
TAXONOMY = "yilao-yixiao vocabularies (GET /v1/kinds)"
SAMPLE_NOTE = "示例数据：合成的示例设施，并非真实机构 (synthetic sample data, not a real facility)."
STATUS = {
    "open": "active",
    "suspended": "temporarily closed",
    "planned": "inactive",
    "under_construction": "inactive",
    "closed": "defunct",
}
PRICE_UNITS = {"month": "每月", "day": "每天", "meal": "每餐", "hour": "每小时", "once": "每次"}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省",
    "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
}  # fmt: skip
CAPACITY_UNITS = {
    "beds": ("bed", "床位", "Vacant beds (空余床位) as last reported by the operator."),
    "places": ("childcare_place", "托位", "Vacant childcare places (空余托位) as last reported."),
}


def uid(*parts: str) -> str:
    """A stable UUID for a record named by `parts` (e.g. public id, "service", kind)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _term(kind: str, code: str, name: str, description: str) -> dict[str, Any]:
    return {
        "id": uid("taxonomy_term", kind, code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY,
        "language": "zh",
    }


def _attribute(link_id: str, entity: str, link_type: str, term: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": uid(link_id, "attribute", term["id"]),
        "link_id": link_id,
        "link_entity": entity,
        "link_type": link_type,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
        "value": term["code"],
        "label": term["name"],
    }


def kind_term(term: Term) -> dict[str, Any]:
    return _term("kind", term.code, term.name_zh, term.definition or term.name_zh)


PUHUI_TERM = _term(
    "flag", "puhui", "普惠", "普惠: inclusive, price-capped service under the 一老一小 policy."
)
SAMPLE_TERM = _term("flag", "sample_data", "示例数据", SAMPLE_NOTE)


def _flags(link_id: str, entity: str, *, sample: bool, puhui: bool = False) -> list[dict[str, Any]]:
    out = []
    if puhui:
        out.append(_attribute(link_id, entity, "certification", PUHUI_TERM))
    if sample:
        out.append(_attribute(link_id, entity, "data_quality", SAMPLE_TERM))
    return out


def _described(text: str, sample: bool) -> str:
    return f"{SAMPLE_NOTE} {text}" if sample else text


def _yuan(fen: int) -> float | int:
    return fen // 100 if fen % 100 == 0 else round(fen / 100, 2)


def _hhmm(seconds: float, offset: str) -> str:
    minutes = int(seconds) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}{offset}"


def organization(row: Any) -> dict[str, Any]:
    """The operator (运营方); a facility without one is its own organization."""
    if row.operator_name:
        org_id = uid("organization", row.city_code, row.operator_name)
        name = row.operator_name
    else:
        org_id = uid(row.public_id, "organization")
        name = row.name
    owner = ownerships().get(row.ownership or "")
    kind_of = owner.name_zh if owner else "运营方"
    out: dict[str, Any] = {
        "id": org_id,
        "name": name,
        "description": _described(f"运营方（{kind_of}）", row.is_sample),
        "attributes": _flags(org_id, "organization", sample=row.is_sample),
    }
    if owner:
        out["legal_status"] = owner.name_zh
    return out


def schedules(row: Any, hours: Sequence[Any], utc_offset: str) -> list[dict[str, Any]]:
    """Weekly opening hours as RRULE-style schedules of the location, one per time span."""
    location_id = uid(row.public_id, "location")
    spans: dict[tuple[float, float], list[int]] = {}
    for h in hours:
        spans.setdefault((float(h.opens_s), float(h.closes_s)), []).append(int(h.weekday))
    offset_hours = (
        int(utc_offset[:3]) + (1 if utc_offset[0] == "+" else -1) * int(utc_offset[4:]) / 60
    )
    out = []
    for (opens, closes), days in spans.items():
        byday = ",".join(WEEKDAYS[d - 1] for d in sorted(days))
        item: dict[str, Any] = {
            "id": uid(location_id, "schedule", byday, str(opens), str(closes)),
            "location_id": location_id,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": byday,
            "opens_at": _hhmm(opens, utc_offset),
            "closes_at": _hhmm(closes, utc_offset),
            "timezone": offset_hours,
        }
        if row.opening_hours_text:
            item["description"] = row.opening_hours_text
        out.append(item)
    if not out and row.opening_hours_text:
        out.append(
            {
                "id": uid(location_id, "schedule", "text"),
                "location_id": location_id,
                "description": row.opening_hours_text,
            }
        )
    return out


def location(row: Any, hours: Sequence[Any], utc_offset: str) -> dict[str, Any]:
    """The site: WGS-84 position, address, accessibility, phone and opening hours."""
    location_id = uid(row.public_id, "location")
    province = PROVINCES.get(row.city_code[:2], "")
    address: dict[str, Any] = {
        "id": uid(location_id, "address"),
        "location_id": location_id,
        "address_1": row.address or row.name,
        "city": row.city_name or "",
        "state_province": province,
        "postal_code": "",  # the registry holds no postal codes
        "country": "CN",
        "address_type": "physical",
    }
    if row.county_name:
        address["region"] = row.county_name
    if row.township_name:
        address["address_2"] = row.township_name
    out: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        "name": row.name,
        "description": _described(row.data_source, row.is_sample),
        "latitude": round(row.lat, 7),
        "longitude": round(row.lon, 7),
        "external_identifier": row.public_id,
        "external_identifier_type": "yilao-yixiao facility id",
        "addresses": [address],
        "accessibility": [
            {
                "id": uid(location_id, "accessibility", code),
                "location_id": location_id,
                "description": ACCESSIBILITY_FEATURES.get(code, code),
                "details": code,
            }
            for code in row.accessibility
        ],
        "phones": _phones(row.phone, location_id=location_id),
        "schedules": schedules(row, hours, utc_offset),
        "attributes": _flags(location_id, "location", sample=row.is_sample),
    }
    return out


def _phones(number: str | None, **link: str) -> list[dict[str, Any]]:
    if not number:
        return []
    [(key, value)] = link.items()
    return [{"id": uid(value, "phone"), key: value, "number": number, "type": "voice"}]


def cost_options(service_id: str, prices: Sequence[Any]) -> list[dict[str, Any]]:
    """Listed prices in yuan (CNY); a 普惠 price carries the puhui attribute."""
    out = []
    seen: dict[str, int] = {}
    for p in prices:
        name = f"{p.item}/{p.unit}"
        seen[name] = seen.get(name, 0) + 1
        cost_id = uid(service_id, "cost_option", name, str(seen[name]))
        out.append(
            {
                "id": cost_id,
                "service_id": service_id,
                "option": p.item,
                "currency": "CNY",
                "amount": _yuan(p.amount_fen),
                "amount_description": PRICE_UNITS.get(p.unit, p.unit),
                "attributes": _flags(cost_id, "cost_option", sample=False, puhui=p.puhui),
            }
        )
    return out


def capacities(
    service_id: str, row: Any, side: str | None, freshness: Freshness | None
) -> list[dict[str, Any]]:
    """Vacant beds or 托位 with the time they were reported; stale reports are left out."""
    reported: datetime | None = row.vacancy_reported_at
    if reported is None or (freshness is not None and reported < freshness.since):
        return []
    counts = []
    if side in ("elderly", "combined", None) and row.vacant_beds is not None:
        counts.append(("beds", row.vacant_beds, row.beds))
    if side in ("child", "combined", None) and row.vacant_childcare_places is not None:
        counts.append(("places", row.vacant_childcare_places, row.childcare_places))
    out = []
    for what, available, maximum in counts:
        code, name, description = CAPACITY_UNITS[what]
        unit = {"id": uid("unit", code), "name": name, "scheme": "yilao-yixiao", "identifier": code}
        item: dict[str, Any] = {
            "id": uid(service_id, "capacity", code),
            "service_id": service_id,
            "unit": unit,
            "unit_id": unit["id"],
            "available": available,
            "description": description,
            "updated": reported.isoformat(),
        }
        if maximum is not None:
            item["maximum"] = maximum
        out.append(item)
    return out


def _eligibility(row: Any, side: str | None) -> tuple[str | None, float | None, float | None]:
    if side == "child" and row.child_min_age_months is not None:
        low, high = row.child_min_age_months, row.child_max_age_months
        text = f"{low}–{high}月龄婴幼儿" if high is not None else f"{low}月龄以上婴幼儿"
        return text, round(low / 12, 2), None if high is None else round(high / 12, 2)
    if side == "elderly" and row.elder_min_age_years is not None:
        return f"{row.elder_min_age_years}周岁及以上老年人", row.elder_min_age_years, None
    return None, None, None


def service(
    row: Any,
    prices: Sequence[Any],
    hours: Sequence[Any],
    freshness: Freshness | None,
    utc_offset: str = "+08:00",
) -> dict[str, Any]:
    """One HSDS service: the facility's `row.kind` offer, with its organization and site."""
    term = kinds().get(row.kind)
    kind_name = term.name_zh if term else row.kind
    side = term.side if term else None
    service_id = uid(row.public_id, "service", row.kind)
    name = row.name if len(row.kinds) == 1 else f"{row.name}·{kind_name}"
    org = organization(row)
    loc = location(row, hours, utc_offset)
    loc["organization_id"] = org["id"]
    attributes = (
        [_attribute(service_id, "service", "service_type", kind_term(term))] if term else []
    )
    attributes += _flags(service_id, "service", sample=row.is_sample, puhui=row.puhui)
    out: dict[str, Any] = {
        "id": service_id,
        "organization_id": org["id"],
        "name": name,
        "alternate_name": kind_name,
        "description": _described(f"{kind_name}（{row.kind}）", row.is_sample),
        "status": STATUS.get(row.status, "inactive"),
        "last_modified": row.updated_at.isoformat(),
        "phones": _phones(row.phone, service_id=service_id),
        "organization": org,
        "service_at_locations": [
            {
                "id": uid(service_id, "at", loc["id"]),
                "service_id": service_id,
                "location_id": loc["id"],
                "location": loc,
            }
        ],
        "cost_options": cost_options(service_id, prices),
        "capacities": capacities(service_id, row, side, freshness),
        "attributes": attributes,
    }
    if prices:
        out["fees_description"] = "；".join(
            f"{p.item} {_yuan(p.amount_fen)}元{PRICE_UNITS.get(p.unit, '')}" for p in prices
        )
    if row.last_verified_at is not None:
        out["assured_date"] = row.last_verified_at.date().isoformat()
    eligibility, low, high = _eligibility(row, side)
    if eligibility:
        out["eligibility_description"] = eligibility
        out["minimum_age"] = low
        if high is not None:
            out["maximum_age"] = high
    return out


def page(contents: list[dict[str, Any]], total: int, number: int, size: int) -> dict[str, Any]:
    """The HSDS API's paginated answer (`total_items`, `page_number` …)."""
    pages = max(1, math.ceil(total / size))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not contents,
        "contents": contents,
    }


async def services_page(
    engine: AsyncEngine,
    flt: FacilityFilter,
    number: int,
    per_page: int,
    utc_offset: str,
) -> dict[str, Any]:
    """A page of services (facility × kind, by public id then kind), records nested."""
    async with engine.connect() as conn:
        rows, total = await service_rows(conn, flt, per_page, (number - 1) * per_page)
        prices, hours = await prices_and_hours(conn, sorted({r.id for r in rows}))
    contents = [service(r, prices[r.id], hours[r.id], flt.freshness, utc_offset) for r in rows]
    return page(contents, total, number, per_page)
