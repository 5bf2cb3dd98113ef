"""What is in a 街道/社区: counts by kind, 普惠, vacancies, and one plain sentence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.vocabulary import kinds

UNIT_WORDS = {"urban": "城市街道", "rural": "乡镇"}


def tally(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts of rendered facility summaries: per kind (a facility of two kinds counts in
    both), 普惠, and vacancies that are fresh (stale or unreported ones are `unknown`)."""
    vocab = kinds()
    per_kind: dict[str, dict[str, Any]] = {}
    total = puhui = with_vacancy = unknown = beds = places = 0
    for item in items:
        total += 1
        puhui += bool(item["puhui"])
        for code in item["kinds"]:
            entry = per_kind.setdefault(
                code,
                {
                    "kind": code,
                    "name_zh": vocab[code].name_zh if code in vocab else code,
                    "count": 0,
                    "puhui": 0,
                },
            )
            entry["count"] += 1
            entry["puhui"] += bool(item["puhui"])
        vacant_beds = item["vacancy"].get("beds")
        vacant_places = item["vacancy"].get("childcare_places")
        has_capacity = bool(item.get("beds")) or bool(item.get("childcare_places"))
        if vacant_beds is None and vacant_places is None:
            unknown += has_capacity
            continue
        beds += vacant_beds or 0
        places += vacant_places or 0
        with_vacancy += (vacant_beds or 0) + (vacant_places or 0) > 0
    return {
        "facilities": total,
        "puhui": puhui,
        "by_kind": sorted(per_kind.values(), key=lambda k: (-k["count"], k["kind"])),
        "vacancy": {
            "beds": beds,
            "childcare_places": places,
            "facilities_with_vacancy": with_vacancy,
            "facilities_unknown": unknown,
        },
    }


def region_sentence(name: str, urban_rural: str, minutes: float, counts: Mapping[str, Any]) -> str:
    """E.g. 莲花街道是城市街道，适用 15 分钟服务圈；有 52 处服务设施，其中普惠 12 处；
    现有空床 30 张、空托位 8 个。"""
    vacancy = counts["vacancy"]
    free = []
    if vacancy["beds"]:
        free.append(f"空床 {vacancy['beds']} 张")
    if vacancy["childcare_places"]:
        free.append(f"空托位 {vacancy['childcare_places']} 个")
    tail = f"现有{'、'.join(free)}" if free else "目前没有登记的空床或空托位"
    return (
        f"{name}是{UNIT_WORDS.get(urban_rural, '乡镇')}，适用 {minutes:g} 分钟服务圈；"
        f"有 {counts['facilities']} 处服务设施，其中普惠 {counts['puhui']} 处；{tail}。"
    )
