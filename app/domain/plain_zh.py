"""Plain-language Chinese for older users: a short name, a ≤ 12-character label, one
sentence and a phone-first next step, for large type.

The wording is data (vocabulary/plain_zh.toml); these functions only choose and fill
templates, from a facility as the API renders it. A sample facility's name keeps its
（示例） marker in every field that shows a name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from app.domain.vocabulary import kinds

LABEL_MAX = 12
SHORT_NAME_MAX = 12  # characters before the （示例） marker
SAMPLE_MARKER = "（示例）"
_PREFIXES = (
    re.compile(r"^[\u4e00-\u9fff]{2,4}市(?=[\u4e00-\u9fff]{2})"),
    re.compile(r"^[\u4e00-\u9fff]{2,3}[区县](?![域级])(?=[\u4e00-\u9fff]{2})"),
)


@cache
def wording() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("vocabulary", "plain_zh.toml").read_text("utf-8")
    return tomllib.loads(text)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in … when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_name(name: str, is_sample: bool) -> str:
    """The name without its leading 市/区县 and at most 12 characters, then （示例） for
    sample data (kept even when the stored name lost it)."""
    core = name.replace(SAMPLE_MARKER, "").strip()
    for prefix in _PREFIXES:
        core = prefix.sub("", core, count=1)
    core = clip(core, SHORT_NAME_MAX)
    return core + SAMPLE_MARKER if is_sample or SAMPLE_MARKER in name else core


def kind_name(codes: list[str]) -> str:
    vocab = kinds()
    return vocab[codes[0]].name_zh if codes and codes[0] in vocab else "服务设施"


def label(codes: list[str], puhui: bool) -> str:
    """普惠 and the first kind's name, at most 12 characters."""
    return clip(("普惠" if puhui else "") + kind_name(codes), LABEL_MAX)


def _distance(item: Mapping[str, Any]) -> str | None:
    t = wording()["sentence"]
    if item.get("walk_minutes") is not None:
        return str(t["walk"]).format(minutes=max(1, round(item["walk_minutes"])))
    spread = item.get("distance_range_m")
    if spread is not None:
        return str(t["distance_range"]).format(low=_km(spread["min"]), high=_km(spread["max"]))
    metres = item.get("distance_m")
    if metres is None:
        return None
    if metres < 1000:
        return str(t["distance_m"]).format(metres=max(10, int(round(metres, -1))))
    return str(t["distance_km"]).format(km=_km(metres))


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f}".removesuffix(".0")


def _vacancy(item: Mapping[str, Any]) -> str | None:
    t = wording()["sentence"]
    vacancy = item.get("vacancy") or {}
    for capacity, count, some, none in (
        ("beds", "beds", "vacancy_beds", "no_vacancy_beds"),
        ("childcare_places", "childcare_places", "vacancy_places", "no_vacancy_places"),
    ):
        if not item.get(capacity) and vacancy.get(count) is None:
            continue
        n = vacancy.get(count)
        if n is None:
            return str(t["vacancy_unknown"])
        return str(t[some]).format(n=n) if n > 0 else str(t[none])
    return None


def sentence(item: Mapping[str, Any]) -> str:
    """One sentence: what it is (普惠?), its status when not open, vacancy, how far."""
    t = wording()["sentence"]
    what = str(t["what"]).format(
        puhui=t["puhui"] if item.get("puhui") else "", kind=kind_name(list(item["kinds"]))
    )
    parts: list[str | None] = []
    status = item.get("status", "open")
    if status != "open" and f"status_{status}" in t:
        parts.append(str(t[f"status_{status}"]))
    else:
        parts.append(_vacancy(item))
    parts.append(_distance(item))
    shown = [p for p in parts if p]
    return f"{item['name']}是{what}" + "".join(f"，{p}" for p in shown) + "。"


def _purpose(codes: list[str]) -> str:
    t = wording()["next_step"]
    for code in codes:
        if code in t["purpose_kind"]:
            return str(t["purpose_kind"][code])
    side = kinds()[codes[0]].side if codes and codes[0] in kinds() else None
    return str(t.get(f"purpose_{side}", t["purpose_default"]))


def next_step(item: Mapping[str, Any], opening_hours_text: str | None) -> dict[str, Any]:
    """Phone first ("拨打 028-… 预约参观"); without a phone the address and hours."""
    t = wording()["next_step"]
    phone = (item.get("phone") or "").strip()
    if phone:
        text = str(t["call"]).format(phone=phone, purpose=_purpose(list(item["kinds"])))
        return {"action": "call", "text": text, "phone": phone}
    address = (item.get("address") or "").strip()
    if address:
        hours = (opening_hours_text or "").strip()
        template = t["visit_hours"] if hours else t["visit"]
        return {
            "action": "visit",
            "text": str(template).format(address=address, hours=hours),
            "phone": None,
        }
    return {"action": "ask_community", "text": str(t["no_contact"]), "phone": None}


def simple_view(item: Mapping[str, Any], opening_hours_text: str | None) -> dict[str, Any]:
    """The `simple` block of a facility item (see module doc)."""
    return {
        "short_name": short_name(item["name"], bool(item.get("is_sample"))),
        "label": label(list(item["kinds"]), bool(item.get("puhui"))),
        "sentence": sentence(item),
        "next_step": next_step(item, opening_hours_text),
    }


def area_sentence(answer: str, kind: str, minutes: str, share: float | None) -> str:
    """One sentence for a kind over an area (a fuzzy location's disc, a 街道); `minutes`
    as shown ("15", or "15 或 30" when the area spans urban and rural places)."""
    template = str(wording()["area"][answer])
    percent = 0 if share is None else round(share * 100)
    return template.format(kind=kind, minutes=minutes, percent=percent)
