"""What a sample facility of each kind looks like, read from kind_profiles.toml beside this file.

Every code used there (kinds, services, ownerships, schedules) is checked against
app/domain/vocabulary and seed/schedules.py when the file is loaded.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from app.domain.vocabulary import kinds, ownerships, services
from seed.schedules import SCHEDULES

Range = tuple[int, int]
PROFILE_FILE = Path(__file__).with_name("kind_profiles.toml")
OPERATOR_STYLES = frozenset(
    {
        *("government", "township", "elder_company", "child_company", "kindergarten"),
        *("hospital", "community", "family", "employer"),
    }
)
PRICE_UNITS = frozenset({"month", "day", "meal", "hour", "once"})


@dataclass(frozen=True, slots=True)
class PriceSpec:
    """A price item drawn between `yuan` bounds (rounded to 5 元, or 1 元 below 50 元)."""

    item: str
    yuan: Range
    unit: str


@dataclass(frozen=True, slots=True)
class KindProfile:
    """Defaults for one kind code; ranges are inclusive (lo, hi)."""

    word: str
    services: tuple[str, ...]
    optional_services: tuple[str, ...] = ()
    ownerships: tuple[tuple[str, float], ...] = (("public", 1.0),)
    schedule: str = "day_care"
    beds: Range | None = None
    nursing_share: tuple[float, float] | None = None
    places: Range | None = None
    meals: Range | None = None
    elder_min_age: int | None = 60
    child_ages: tuple[Range, ...] = ()
    prices: tuple[PriceSpec, ...] = ()
    puhui_chance: float = 0.0
    graded: bool = False
    operator: str = "government"


def _pair(value: list[Any] | None) -> Any:
    return None if value is None else (value[0], value[1])


def _profile(code: str, raw: dict[str, Any]) -> KindProfile:
    profile = KindProfile(
        word=raw["word"],
        services=tuple(raw["services"]),
        optional_services=tuple(raw.get("optional_services", ())),
        ownerships=tuple((k, float(w)) for k, w in raw.get("ownerships", {"public": 1}).items()),
        schedule=raw.get("schedule", "day_care"),
        beds=_pair(raw.get("beds")),
        nursing_share=_pair(raw.get("nursing_share")),
        places=_pair(raw.get("places")),
        meals=_pair(raw.get("meals")),
        elder_min_age=raw.get("elder_min_age", 60) or None,
        child_ages=tuple((a, b) for a, b in raw.get("child_ages", ())),
        prices=tuple(
            PriceSpec(p["item"], (p["yuan"][0], p["yuan"][1]), p["unit"])
            for p in raw.get("prices", ())
        ),
        puhui_chance=float(raw.get("puhui_chance", 0.0)),
        graded=bool(raw.get("graded", False)),
        operator=raw.get("operator", "government"),
    )
    used = (*profile.services, *profile.optional_services)
    problems = [f"service {s}" for s in used if s not in services()]
    problems += [f"ownership {o}" for o, _ in profile.ownerships if o not in ownerships()]
    problems += [f"unit {p.unit}" for p in profile.prices if p.unit not in PRICE_UNITS]
    if profile.schedule not in SCHEDULES:
        problems.append(f"schedule {profile.schedule}")
    if profile.operator not in OPERATOR_STYLES:
        problems.append(f"operator {profile.operator}")
    if problems:
        raise ValueError(f"{PROFILE_FILE.name} [{code}]: unknown {', '.join(problems)}")
    return profile


@cache
def profiles() -> dict[str, KindProfile]:
    """One profile per kind code of app/domain/vocabulary/kinds.toml, no more, no fewer."""
    raw = tomllib.loads(PROFILE_FILE.read_text("utf-8"))
    if set(raw) != set(kinds()):
        raise ValueError(f"{PROFILE_FILE.name}: kinds differ from the vocabulary's")
    return {code: _profile(code, raw[code]) for code in kinds()}


@cache
def child_kinds() -> frozenset[str]:
    """Kinds for under-3s only: an age range in months and no elderly age rule."""
    return frozenset(c for c, p in profiles().items() if p.elder_min_age is None and p.child_ages)


ELDER_BRANDS = ("康乐", "颐和", "福寿", "安康", "晨曦", "和美", "乐龄", "松鹤", "暖阳", "仁和")
CHILD_BRANDS = ("小星星", "童趣", "贝乐", "启明", "禾苗", "萌芽", "七彩", "阳光宝贝")
