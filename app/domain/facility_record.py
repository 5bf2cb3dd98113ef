"""What a facility record may hold: the checks shared by staff edits and bulk imports.

Messages are Chinese, because staff read them next to the row they typed. Values
arrive typed (the API's JSON, or an import cell after `app.domain.import_cells`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.vocabulary import (
    ACCESSIBILITY_FEATURES,
    FacilityStatus,
    kinds,
    ownerships,
    services,
)
from geo.coords import CoordinateError, in_china, to_wgs84

# Fields an operator may change on their own facility; every other one needs edit_registry.
OPERATION_FIELDS = frozenset({"phone", "opening_hours_text", "open_24h", "photo_urls"})
CORE_FIELDS = frozenset(
    {
        "name",
        "kinds",
        "services",
        "operator_name",
        "ownership",
        "address",
        "registration_no",
        "beds",
        "nursing_beds",
        "childcare_places",
        "meals_per_day",
        "puhui",
        "puhui_source",
        "puhui_certified_on",
        "elder_min_age_years",
        "child_min_age_months",
        "child_max_age_months",
        "accessibility",
        "grade_scale",
        "grade_value",
        "status",
        "data_source",
    }
)
EDITABLE_FIELDS = OPERATION_FIELDS | CORE_FIELDS
GRADE_SCALES = ("star", "level")
MAX_TEXT_CHARS = 500


@dataclass(frozen=True, slots=True)
class FieldError:
    """One refused value: the field (or import column) and why, in Chinese."""

    field: str
    message: str


def _count(values: Mapping[str, Any], name: str, errors: list[FieldError]) -> None:
    value = values.get(name)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        errors.append(FieldError(name, "必须是整数"))
    elif value is not None and not 0 <= value <= 100_000:
        errors.append(FieldError(name, "必须在 0 到 100000 之间"))


def _codes(
    values: Mapping[str, Any], name: str, allowed: Mapping[str, object], errors: list[FieldError]
) -> None:
    codes = values.get(name)
    if codes is None:
        return
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        errors.append(FieldError(name, f"未知代码：{'、'.join(map(str, unknown[:5]))}"))


def check_values(values: Mapping[str, Any], *, creating: bool) -> list[FieldError]:
    """Every problem with these field values (all of them, not just the first)."""
    errors: list[FieldError] = []
    unknown = sorted(set(values) - EDITABLE_FIELDS)
    errors.extend(FieldError(u, "不是可编辑的字段") for u in unknown)
    if creating or "name" in values:
        name = values.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.append(FieldError("name", "名称不能为空"))
    if creating or "kinds" in values:
        if not values.get("kinds"):
            errors.append(FieldError("kinds", "至少需要一个设施类型"))
        _codes(values, "kinds", kinds(), errors)
    _codes(values, "services", services(), errors)
    _codes(values, "accessibility", ACCESSIBILITY_FEATURES, errors)
    ownership = values.get("ownership")
    if ownership is not None and ownership not in ownerships():
        errors.append(FieldError("ownership", f"未知举办性质：{ownership}"))
    status = values.get("status")
    if status is not None and status not in {s.value for s in FacilityStatus}:
        errors.append(FieldError("status", f"未知状态：{status}"))
    if values.get("grade_scale") is not None and values["grade_scale"] not in GRADE_SCALES:
        errors.append(FieldError("grade_scale", "等级体系只能是 star（星级）或 level（等级）"))
    for name in (
        "beds",
        "nursing_beds",
        "childcare_places",
        "meals_per_day",
        "elder_min_age_years",
        "child_min_age_months",
        "child_max_age_months",
        "grade_value",
    ):
        _count(values, name, errors)
    errors.extend(check_relations(values))
    certified = values.get("puhui_certified_on")
    if certified is not None and not isinstance(certified, date):
        errors.append(FieldError("puhui_certified_on", "必须是日期"))
    for name, value in values.items():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            errors.append(FieldError(name, f"不能超过 {MAX_TEXT_CHARS} 个字符"))
    for url in values.get("photo_urls") or ():
        if not isinstance(url, str) or not url.startswith("https://"):
            errors.append(FieldError("photo_urls", "照片地址必须以 https:// 开头"))
            break
    return errors


RELATED_FIELDS = ("beds", "nursing_beds", "child_min_age_months", "child_max_age_months")


def check_relations(values: Mapping[str, Any]) -> list[FieldError]:
    """Rules between fields; for an edit, pass the stored values overlaid with the changes."""
    errors: list[FieldError] = []
    beds, nursing = values.get("beds"), values.get("nursing_beds")
    if isinstance(beds, int) and isinstance(nursing, int) and nursing > beds:
        errors.append(FieldError("nursing_beds", "护理型床位不能多于总床位"))
    low, high = values.get("child_min_age_months"), values.get("child_max_age_months")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        errors.append(FieldError("child_min_age_months", "最小月龄不能大于最大月龄"))
    return errors


def located(lon: float, lat: float, coordsys: str) -> tuple[float, float]:
    """A point in WGS-84 inside mainland China, or a FieldError naming lon or lat.

    Swapped coordinates are named as such: (30.1, 104.6) is a latitude first.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise LocationError("lon", "经纬度必须是有限的数字")
    try:
        wlon, wlat = to_wgs84(lon, lat, coordsys)
    except CoordinateError as exc:
        if in_china(lat, lon):
            raise LocationError("lat", "经纬度顺序颠倒：请先填经度再填纬度") from exc
        raise LocationError(exc.parameter, f"坐标超出范围：{exc}") from exc
    if in_china(wlon, wlat):
        return wlon, wlat
    if in_china(lat, lon):
        raise LocationError("lat", "经纬度顺序颠倒：请先填经度再填纬度")
    raise LocationError("lon", "坐标不在中国境内")


class LocationError(ValueError):
    """A point that cannot be a facility's location; `error` says which field and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.error = FieldError(field, message)
