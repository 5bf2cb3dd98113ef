"""From the text cells of one imported row to typed facility values, or Chinese messages.

Headers may be the English field codes (what export writes) or the Chinese names
staff type; kind, service and status cells may hold codes or Chinese names. Dates
come in three shapes: 2024-03-01, 2024/3/1 and 2024年3月1日.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from app.domain.facility_record import FieldError
from app.domain.vocabulary import ACCESSIBILITY_FEATURES, FacilityStatus, kinds, services

# Column code → accepted header spellings (besides the code itself).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "机构名称", "设施名称"),
    "kinds": ("类型", "设施类型", "机构类型"),
    "address": ("地址", "详细地址"),
    "lon": ("经度",),
    "lat": ("纬度",),
    "registration_no": ("备案号", "备案编号", "登记号"),
    "phone": ("电话", "联系电话"),
    "operator_name": ("运营方", "运营单位", "举办者"),
    "ownership": ("举办性质", "性质"),
    "services": ("服务", "服务项目"),
    "beds": ("床位", "床位数"),
    "nursing_beds": ("护理型床位", "护理型床位数"),
    "childcare_places": ("托位", "托位数"),
    "meals_per_day": ("日供餐", "日供餐份数"),
    "puhui": ("普惠",),
    "puhui_certified_on": ("普惠认定日期",),
    "status": ("状态", "运营状态"),
    "opening_hours_text": ("营业时间", "开放时间"),
    "elder_min_age_years": ("最低年龄",),
    "child_min_age_months": ("最小月龄",),
    "child_max_age_months": ("最大月龄",),
    "accessibility": ("无障碍设施",),
    "grade_scale": ("等级体系",),
    "grade_value": ("等级",),
    "data_source": ("数据来源",),
}
COLUMNS = tuple(HEADERS)
REQUIRED = ("name", "kinds")
STATUS_NAMES = {
    "运营": "open",
    "营业": "open",
    "正常": "open",
    "暂停": "suspended",
    "停业": "suspended",
    "规划": "planned",
    "在建": "under_construction",
    "筹建": "under_construction",
    "关闭": "closed",
    "关停": "closed",
}
TRUE_WORDS = {"是", "有", "true", "yes", "y", "1", "普惠"}
FALSE_WORDS = {"否", "无", "false", "no", "n", "0", "非普惠"}
_SPLIT = re.compile(r"[,，、;；|/]")
_DATES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
NEUTRALISED = ("=", "+", "-", "@")


class CellError(ValueError):
    """A cell that cannot be read as its column's type (message in Chinese)."""


def header_map(headers: list[str]) -> dict[str, str]:
    """Column code for each known header; unknown headers are left out."""
    known = {code: code for code in HEADERS}
    known.update({alias: code for code, aliases in HEADERS.items() for alias in aliases})
    return {h: known[h.strip()] for h in headers if h.strip() in known}


@cache
def _kind_names() -> dict[str, str]:
    names = {t.name_zh: t.code for t in kinds().values()}
    names.update({a: t.code for t in kinds().values() for a in t.aliases})
    names.update({t.code: t.code for t in kinds().values()})
    return names


@cache
def _service_names() -> dict[str, str]:
    names = {t.name_zh: t.code for t in services().values()}
    names.update({t.code: t.code for t in services().values()})
    return names


def unneutralise(text: str) -> str:
    """Undo export's guard: a `'` before = + - @ was added so spreadsheets show text."""
    if len(text) > 1 and text[0] == "'" and text[1] in NEUTRALISED:
        return text[1:]
    return text


def _int(text: str) -> int:
    try:
        number = float(text)
    except ValueError as exc:
        raise CellError(f"“{text[:20]}”不是整数") from exc
    if not math.isfinite(number) or number != int(number):
        raise CellError(f"“{text[:20]}”不是整数")
    return int(number)


def _float(text: str) -> float:
    try:
        number = float(text)
    except ValueError as exc:
        raise CellError(f"“{text[:20]}”不是数字") from exc
    if not math.isfinite(number):
        raise CellError("必须是有限的数字")
    return number


def _bool(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"“{text[:20]}”应为 是 或 否")


def _date(text: str) -> date:
    for pattern in _DATES:
        found = pattern.match(text)
        if found:
            try:
                return date(*(int(g) for g in found.groups()))
            except ValueError as exc:
                raise CellError(f"“{text}”不是有效日期") from exc
    raise CellError(f"“{text[:20]}”不是日期（可写 2024-03-01、2024/3/1 或 2024年3月1日）")


def _words(text: str) -> list[str]:
    return [w.strip() for w in _SPLIT.split(text) if w.strip()]


def _mapped(names: Callable[[], Mapping[str, str]], what: str) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        found: list[str] = []
        unknown: list[str] = []
        for word in _words(text):
            code = names().get(word)
            if code:
                found.append(code)
            else:
                unknown.append(word)
        if unknown:
            raise CellError(f"未知{what}：{'、'.join(unknown[:5])}")
        return list(dict.fromkeys(found))

    return parse


def _accessibility(text: str) -> list[str]:
    names = {v: k for k, v in ACCESSIBILITY_FEATURES.items()} | {
        k: k for k in ACCESSIBILITY_FEATURES
    }
    return _mapped(lambda: names, "无障碍设施")(text)


def _status(text: str) -> str:
    if text in {s.value for s in FacilityStatus}:
        return text
    if text in STATUS_NAMES:
        return STATUS_NAMES[text]
    raise CellError(f"未知状态：{text[:20]}（可写 运营、暂停、规划、在建、关闭）")


def _text(text: str) -> str:
    return text


PARSERS: dict[str, Callable[[str], Any]] = {
    **{code: _text for code in COLUMNS},
    "kinds": _mapped(_kind_names, "设施类型"),
    "services": _mapped(_service_names, "服务项目"),
    "accessibility": _accessibility,
    "lon": _float,
    "lat": _float,
    "puhui": _bool,
    "puhui_certified_on": _date,
    "status": _status,
    **{
        code: _int
        for code in (
            "beds",
            "nursing_beds",
            "childcare_places",
            "meals_per_day",
            "elder_min_age_years",
            "child_min_age_months",
            "child_max_age_months",
            "grade_value",
        )
    },
}


@dataclass(slots=True)
class ParsedRow:
    """One row's typed values (lon/lat apart), or the problems found in it."""

    values: dict[str, Any] = field(default_factory=dict)
    lon: float | None = None
    lat: float | None = None
    errors: list[FieldError] = field(default_factory=list)


def parse_cells(cells: Mapping[str, str]) -> ParsedRow:
    """Typed values from a row's cells keyed by column code; every problem, not the first."""
    row = ParsedRow()
    for code, raw in cells.items():
        text = raw.strip()
        if not text:
            continue
        if text.startswith("="):
            row.errors.append(FieldError(code, "单元格是电子表格公式（以 = 开头），请改为数值"))
            continue
        text = unneutralise(text)
        try:
            value = PARSERS[code](text)
        except CellError as exc:
            row.errors.append(FieldError(code, str(exc)))
            continue
        if code == "lon":
            row.lon = value
        elif code == "lat":
            row.lat = value
        else:
            row.values[code] = value
    for code in REQUIRED:
        if code not in row.values and not any(e.field == code for e in row.errors):
            row.errors.append(FieldError(code, "必填，不能为空"))
    return row


def cells_of(values: Mapping[str, Any]) -> dict[str, str]:
    """The text cells `parse_cells` reads back as the same values (export's inverse)."""
    cells: dict[str, str] = {}
    for code in COLUMNS:
        value = values.get(code)
        if value is None:
            cells[code] = ""
        elif isinstance(value, bool):
            cells[code] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            cells[code] = ",".join(value)
        elif isinstance(value, date):
            cells[code] = value.isoformat()
        else:
            cells[code] = str(value)
    return cells
