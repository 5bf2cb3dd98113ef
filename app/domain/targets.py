"""Planning targets (规划指标) a city sets, evaluated against what the registry holds.

The numbers live in seed/targets/<city>.toml with their citations (indicators.md); this
module holds the closed list of metrics and pure evaluation. No expression language.
This is independent of the rule engine in app/domain/policy (prices, eligibility).

Metrics (over open facilities of the target's `kinds` inside the region):
- places_per_1000: Σ 托位 / 常住人口 × 1,000
- puhui_place_share: Σ 托位 of 普惠 sites / Σ 托位, %
- nursing_bed_share: Σ 护理型床位 / Σ beds, %
- unit_share: share of units (`unit_level`: township or community) holding ≥ 1 site, %
- one_per_unit: the same share, where the rule is "at least one in every unit"
  (`unit_types` narrows the units, e.g. 街道 only); units lacking one are listed
- count: number of sites; total_beds, total_places: Σ beds, Σ 托位
"""

from __future__ import annotations

import operator
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.domain.vocabulary import kinds

Metric = Literal[
    "places_per_1000",
    "puhui_place_share",
    "nursing_bed_share",
    "unit_share",
    "one_per_unit",
    "count",
    "total_beds",
    "total_places",
]
METRICS: tuple[str, ...] = Metric.__args__  # type: ignore[attr-defined]
OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
}
LEVELS = ("city", "county", "township")


class TargetConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Target:
    code: str
    name_zh: str
    metric: str
    kinds: tuple[str, ...]
    op: str
    value: float
    unit: str
    year: int
    scope: tuple[str, ...]
    cite: str
    unit_level: str | None = None
    unit_types: tuple[str, ...] = ()
    baseline: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    """An open facility as the indicators see it."""

    kinds: tuple[str, ...]
    county_code: str | None
    township_code: str | None
    community_code: str | None
    beds: int | None
    nursing_beds: int | None
    childcare_places: int | None
    puhui: bool


@dataclass(frozen=True, slots=True)
class Unit:
    """A township or community the unit metrics count: code, name, unit type (街道 …)."""

    code: str
    name: str
    unit_type: str | None


ALLOWED_KEYS = {
    "code", "name_zh", "metric", "kinds", "op", "value", "unit", "year", "scope", "cite",
    "unit_level", "unit_types", "baseline", "note",
}  # fmt: skip


def _target(raw: dict[str, Any], where: str) -> Target:
    extra = set(raw) - ALLOWED_KEYS
    if extra:
        raise TargetConfigError(f"{where}: unknown keys {sorted(extra)}")
    if raw.get("metric") not in METRICS:
        raise TargetConfigError(f"{where}: metric must be one of {', '.join(METRICS)}")
    if raw.get("op") not in OPS:
        raise TargetConfigError(f"{where}: op must be one of {', '.join(OPS)}")
    unknown = [k for k in raw.get("kinds", []) if k not in kinds()]
    if unknown or not raw.get("kinds"):
        raise TargetConfigError(f"{where}: kinds must be known kind codes ({unknown})")
    if not raw.get("cite"):
        raise TargetConfigError(f"{where}: every target needs a citation")
    if raw["metric"] in ("unit_share", "one_per_unit") and raw.get("unit_level") not in (
        "county",
        "township",
        "community",
    ):
        raise TargetConfigError(f"{where}: unit metrics need unit_level county|township|community")
    scope = tuple(raw.get("scope", LEVELS))
    if not set(scope) <= set(LEVELS):
        raise TargetConfigError(f"{where}: scope holds only {', '.join(LEVELS)}")
    return Target(
        code=raw["code"],
        name_zh=raw["name_zh"],
        metric=raw["metric"],
        kinds=tuple(raw["kinds"]),
        op=raw["op"],
        value=float(raw["value"]),
        unit=raw["unit"],
        year=int(raw["year"]),
        scope=scope,
        cite=raw["cite"],
        unit_level=raw.get("unit_level"),
        unit_types=tuple(raw.get("unit_types", ())),
        baseline=raw.get("baseline"),
        note=raw.get("note"),
    )


def load_targets(folder: Path) -> dict[str, tuple[Target, ...]]:
    """Targets per city code from every <city>.toml in `folder`."""
    out: dict[str, tuple[Target, ...]] = {}
    for path in sorted(folder.glob("*.toml")):
        raw = tomllib.loads(path.read_text("utf-8"))
        city = str(raw.get("city", ""))
        if city != path.stem:
            raise TargetConfigError(f"{path.name}: city must equal the file name ({path.stem})")
        targets = tuple(
            _target(t, f"{path.name} target {i}") for i, t in enumerate(raw.get("target", []))
        )
        codes = [t.code for t in targets]
        if len(set(codes)) != len(codes):
            raise TargetConfigError(f"{path.name}: duplicate target codes")
        out[city] = targets
    return out


def _ratio(top: float, bottom: float, scale: float) -> float | None:
    return None if bottom <= 0 else round(top / bottom * scale, 2)


def evaluate(
    target: Target, sites: Sequence[Site], population: int | None, units: Sequence[Unit]
) -> dict[str, Any]:
    """The target's value for the sites and units of one region, met or not, and why."""
    mine = [s for s in sites if set(s.kinds) & set(target.kinds)]
    places = sum(s.childcare_places or 0 for s in mine)
    detail: dict[str, Any] = {}
    value: float | None
    if target.metric == "places_per_1000":
        value = _ratio(places, population or 0, 1000.0)
        detail = {"places": places, "population": population}
    elif target.metric == "puhui_place_share":
        puhui = sum(s.childcare_places or 0 for s in mine if s.puhui)
        value = _ratio(puhui, places, 100.0)
        detail = {"puhui_places": puhui, "places": places}
    elif target.metric == "nursing_bed_share":
        beds = sum(s.beds or 0 for s in mine if s.beds is not None and s.nursing_beds is not None)
        nursing = sum(s.nursing_beds or 0 for s in mine if s.beds is not None)
        value = _ratio(nursing, beds, 100.0)
        detail = {"nursing_beds": nursing, "beds": beds}
    elif target.metric in ("unit_share", "one_per_unit"):
        field = f"{target.unit_level}_code"
        held = {getattr(s, field) for s in mine}
        counted = [u for u in units if not target.unit_types or u.unit_type in target.unit_types]
        lacking = [u for u in counted if u.code not in held]
        value = _ratio(len(counted) - len(lacking), len(counted), 100.0)
        detail = {
            "units": len(counted),
            "units_with": len(counted) - len(lacking),
            "lacking": [{"code": u.code, "name": u.name} for u in lacking],
        }
    elif target.metric == "count":
        value = float(len(mine))
    elif target.metric == "total_beds":
        value = float(sum(s.beds or 0 for s in mine))
    else:
        value = float(places)
    met = None if value is None else OPS[target.op](value, target.value)
    return {
        "code": target.code,
        "name_zh": target.name_zh,
        "metric": target.metric,
        "value": value,
        "op": target.op,
        "target": target.value,
        "unit": target.unit,
        "year": target.year,
        "met": met,
        "baseline": target.baseline,
        "cite": target.cite,
        "note": target.note,
        "detail": detail,
    }
