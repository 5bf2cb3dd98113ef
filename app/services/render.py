"""Rows to response dicts, with coordinates in the caller's coordinate system."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.domain.vacancy import Freshness, vacancy_view
from app.domain.vocabulary import kinds, ownerships
from geo.coords import from_wgs84, to_wgs84


def lon_lat(lon: float, lat: float, coordsys: str) -> dict[str, Any]:
    x, y = from_wgs84(lon, lat, coordsys)
    return {"lon": round(x, 7), "lat": round(y, 7), "coordsys": coordsys}


def to_wgs84_point(lon: float, lat: float, coordsys: str) -> tuple[float, float]:
    """Undo `lon_lat` for a point this service rendered."""
    return to_wgs84(lon, lat, coordsys)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hhmm(seconds: float) -> str:
    """Seconds after local midnight as HH:MM; 86400 is 24:00 (closing at midnight)."""
    minutes = int(seconds) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def facility_summary(row: Any, coordsys: str, freshness: Freshness | None = None) -> dict[str, Any]:
    """A public summary; with `freshness`, a stale vacancy is shown as unknown."""
    vocab = kinds()
    return {
        "id": row.public_id,
        "name": row.name,
        "kinds": row.kinds,
        "kind_names": [vocab[k].name_zh if k in vocab else k for k in row.kinds],
        "services": row.services,
        "address": row.address,
        "phone": row.phone,
        "status": row.status,
        "puhui": row.puhui,
        "beds": row.beds,
        "childcare_places": row.childcare_places,
        "vacancy": vacancy_view(
            row.vacant_beds, row.vacant_childcare_places, row.vacancy_reported_at, freshness
        ),
        "township_code": row.township_code,
        "is_sample": row.is_sample,
        "location": lon_lat(row.lon, row.lat, coordsys),
    }


def facility_detail(
    row: Any, prices: list[Any], hours: list[Any], coordsys: str, freshness: Freshness | None
) -> dict[str, Any]:
    out = facility_summary(row, coordsys, freshness)
    owner = ownerships().get(row.ownership or "")
    out.update(
        operator_name=row.operator_name,
        ownership=row.ownership,
        ownership_name=owner.name_zh if owner else None,
        city_code=row.city_code,
        county_code=row.county_code,
        county_name=row.county_name,
        township_name=row.township_name,
        community_code=row.community_code,
        community_name=row.community_name,
        urban_rural=row.urban_rural,
        opening_hours_text=row.opening_hours_text,
        open_24h=row.open_24h,
        opening_hours=hours_out([h._mapping for h in hours]),
        nursing_beds=row.nursing_beds,
        meals_per_day=row.meals_per_day,
        puhui_source=row.puhui_source,
        puhui_certified_on=_iso(row.puhui_certified_on),
        prices=[
            {"item": p.item, "amount_fen": p.amount_fen, "unit": p.unit, "puhui": p.puhui}
            for p in prices
        ],
        elder_min_age_years=row.elder_min_age_years,
        child_min_age_months=row.child_min_age_months,
        child_max_age_months=row.child_max_age_months,
        accessibility=row.accessibility,
        grade_scale=row.grade_scale,
        grade_value=row.grade_value,
        data_source=row.data_source,
        last_verified_at=_iso(row.last_verified_at),
    )
    return out


def region_summary(row: Any) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "level": row.level,
        "unit_type": row.unit_type,
        "parent_code": row.parent_code,
        "city_code": row.city_code,
        "urban_rural": row.urban_rural,
        "pop_total": row.pop_total,
        "pop_60p": row.pop_60p,
        "pop_65p": row.pop_65p,
        "pop_0_3": row.pop_0_3,
        "pop_source": row.pop_source,
        "boundary_source": row.boundary_source,
        "seat": None if row.seat_lon is None else lon_lat(row.seat_lon, row.seat_lat, "wgs84"),
    }


def hours_out(hours: list[Any]) -> list[dict[str, Any]]:
    """Weekly hours rows (weekday, opens_s, closes_s) as HH:MM."""
    return [
        {"weekday": h["weekday"], "opens": _hhmm(h["opens_s"]), "closes": _hhmm(h["closes_s"])}
        for h in hours
    ]


STAFF_FIELDS = (
    "name",
    "kinds",
    "services",
    "operator_name",
    "ownership",
    "address",
    "registration_no",
    "phone",
    "opening_hours_text",
    "open_24h",
    "photo_urls",
    "beds",
    "nursing_beds",
    "childcare_places",
    "meals_per_day",
    "puhui",
    "puhui_source",
    "elder_min_age_years",
    "child_min_age_months",
    "child_max_age_months",
    "accessibility",
    "grade_scale",
    "grade_value",
    "status",
    "data_source",
    "is_sample",
    "city_code",
    "county_code",
    "township_code",
    "community_code",
    "version",
)


def facility_staff(row: Any, prices: list[dict[str, Any]], hours: list[Any]) -> dict[str, Any]:
    """The whole record as staff see it (and as the audit trail stores it): WGS-84."""
    out: dict[str, Any] = {"id": row.public_id}
    out.update({name: getattr(row, name) for name in STAFF_FIELDS})
    out.update(
        location=lon_lat(row.lon, row.lat, "wgs84"),
        puhui_certified_on=_iso(row.puhui_certified_on),
        vacancy={
            "beds": row.vacant_beds,
            "childcare_places": row.vacant_childcare_places,
            "reported_at": _iso(row.vacancy_reported_at),
        },
        prices=prices,
        opening_hours=hours_out(hours),
        deleted_at=_iso(row.deleted_at),
        updated_at=_iso(row.updated_at),
    )
    return out


def only_fields(body: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    """The answer with each of its `items` reduced to `fields` (a compact payload)."""
    if fields is not None:
        body["items"] = [{k: item[k] for k in fields if k in item} for item in body["items"]]
    return body
