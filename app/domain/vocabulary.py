"""Closed vocabularies of the registry: facility kinds, services, ownership models.

The terms and their citations live in the TOML files beside this module
(drawn from shared/domain/facility-types.md); this module loads and checks them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Literal

Side = Literal["elderly", "child", "combined"]


@dataclass(frozen=True, slots=True)
class Term:
    """One coded term: stable snake_case code, Chinese display name, citations."""

    code: str
    name_zh: str
    cite: tuple[str, ...]
    side: Side | None = None
    aliases: tuple[str, ...] = ()
    definition: str = ""


class FacilityStatus(StrEnum):
    """Lifecycle (facility-types.md §7 `status`)."""

    open = "open"
    suspended = "suspended"
    planned = "planned"
    under_construction = "under_construction"
    closed = "closed"


class PriceUnit(StrEnum):
    """What a listed price is for; amounts are integer fen."""

    month = "month"
    day = "day"
    meal = "meal"
    hour = "hour"
    once = "once"


ACCESSIBILITY_FEATURES: dict[str, str] = {
    "step_free_entrance": "无障碍入口",
    "lift": "电梯",
    "accessible_toilet": "无障碍卫生间",
    "handrails": "扶手",
    "wheelchair_loan": "轮椅借用",
    "parking_accessible": "无障碍停车位",
}


def _load(filename: str, table: str) -> tuple[Term, ...]:
    raw = tomllib.loads(
        resources.files(__package__).joinpath("vocabulary", filename).read_text("utf-8")
    )
    terms = tuple(
        Term(
            code=row["code"],
            name_zh=row["name_zh"],
            cite=tuple(row["cite"]),
            side=row.get("side"),
            aliases=tuple(row.get("aliases", ())),
            definition=row.get("definition", ""),
        )
        for row in raw[table]
    )
    codes = [t.code for t in terms]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{filename}: duplicate codes")
    if any(not t.cite for t in terms):
        raise ValueError(f"{filename}: every term needs a citation")
    return terms


@cache
def kinds() -> dict[str, Term]:
    return {t.code: t for t in _load("kinds.toml", "kind")}


@cache
def services() -> dict[str, Term]:
    return {t.code: t for t in _load("services.toml", "service")}


@cache
def ownerships() -> dict[str, Term]:
    return {t.code: t for t in _load("ownership.toml", "ownership")}
