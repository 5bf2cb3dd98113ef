"""Walking profiles and per-city circle rules, read from TOML configuration.

No policy document gives a walking speed (service-circles.md §1: speed, travel mode and
the urban/rural split are configuration), so every number lives in a configuration
file with its source; this module only parses and validates. The layout:

    [profile.<code>]                 # one table per profile
    name_zh = "老年人"
    speed_m_s = 0.92                 # > 0
    avoid_steps = false              # true: edges with steps are unusable
    step_penalty_s = 30              # >= 0, added once per stepped edge walked
    source = "…"                     # citation or stated assumption (required)

    [city."512000"]                  # circle minutes per city
    name_zh = "资阳市"
    urban_minutes = 15
    rural_minutes = 30
    urban_source = "…"
    rural_source = "…"
    [city."512000".profile.<code>]   # optional per-city overrides of profile values
    speed_m_s = 0.9

Unknown keys, missing keys and non-positive values raise `WalkConfigError` naming the
dotted key (e.g. ``profile.older.speed_m_s``).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, replace
from typing import Any

PROFILE_KEYS = frozenset({"name_zh", "speed_m_s", "avoid_steps", "step_penalty_s", "source"})
PROFILE_OVERRIDE_KEYS = frozenset({"speed_m_s", "avoid_steps", "step_penalty_s", "source"})
CITY_KEYS = frozenset(
    {"name_zh", "urban_minutes", "rural_minutes", "urban_source", "rural_source", "profile"}
)
TOP_KEYS = frozenset({"profile", "city"})


class WalkConfigError(ValueError):
    """A configuration value that is missing, unknown or out of range; `key` names it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True, slots=True)
class WalkProfile:
    """How one kind of pedestrian moves: speed, and how stepped edges are treated.

    The time on an edge is ``length_m / speed_m_s``, plus ``step_penalty_s`` if the edge
    has steps; with ``avoid_steps`` stepped edges are not usable at all.
    """

    code: str
    name_zh: str
    speed_m_s: float
    avoid_steps: bool
    step_penalty_s: float
    source: str

    @property
    def weight_key(self) -> tuple[float, bool, float]:
        """Everything that decides edge weights (profiles sharing it share a graph)."""
        return (self.speed_m_s, self.avoid_steps, self.step_penalty_s)


@dataclass(frozen=True, slots=True)
class CircleRule:
    """A city's service-circle minutes for urban (街道) and rural (镇/乡) units, with sources."""

    city_code: str
    name_zh: str
    urban_minutes: float
    rural_minutes: float
    urban_source: str
    rural_source: str

    def minutes_for(self, urban_rural: str) -> tuple[float, str]:
        """(minutes, source) for 'urban' or 'rural'."""
        if urban_rural == "urban":
            return self.urban_minutes, self.urban_source
        if urban_rural == "rural":
            return self.rural_minutes, self.rural_source
        raise ValueError(f"urban_rural must be 'urban' or 'rural', not {urban_rural!r}")


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WalkConfigError(key, "must be a table")
    return value


def _check_keys(table: dict[str, Any], allowed: frozenset[str], prefix: str) -> None:
    for name in sorted(table):
        if name not in allowed:
            raise WalkConfigError(f"{prefix}.{name}" if prefix else name, "unknown key")


def _required(table: dict[str, Any], name: str, prefix: str) -> Any:
    if name not in table:
        raise WalkConfigError(f"{prefix}.{name}", "missing")
    return table[name]


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WalkConfigError(key, "must be a non-empty string")
    return value


def _number(value: Any, key: str, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WalkConfigError(key, "must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise WalkConfigError(key, "must be finite")
    if positive and number <= 0:
        raise WalkConfigError(key, "must be positive")
    if number < 0:
        raise WalkConfigError(key, "must not be negative")
    return number


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise WalkConfigError(key, "must be true or false")
    return value


def _parse(toml_text: str) -> dict[str, Any]:
    try:
        raw = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise WalkConfigError("toml", str(exc)) from exc
    _check_keys(raw, TOP_KEYS, "")
    return raw


def _profile(code: str, table: dict[str, Any]) -> WalkProfile:
    prefix = f"profile.{code}"
    _check_keys(table, PROFILE_KEYS, prefix)
    return WalkProfile(
        code=code,
        name_zh=_text(_required(table, "name_zh", prefix), f"{prefix}.name_zh"),
        speed_m_s=_number(
            _required(table, "speed_m_s", prefix), f"{prefix}.speed_m_s", positive=True
        ),
        avoid_steps=_flag(_required(table, "avoid_steps", prefix), f"{prefix}.avoid_steps"),
        step_penalty_s=_number(
            table.get("step_penalty_s", 0.0), f"{prefix}.step_penalty_s", positive=False
        ),
        source=_text(_required(table, "source", prefix), f"{prefix}.source"),
    )


def _override(profile: WalkProfile, table: dict[str, Any], prefix: str) -> WalkProfile:
    _check_keys(table, PROFILE_OVERRIDE_KEYS, prefix)
    changes: dict[str, Any] = {}
    if "speed_m_s" in table:
        changes["speed_m_s"] = _number(table["speed_m_s"], f"{prefix}.speed_m_s", positive=True)
    if "avoid_steps" in table:
        changes["avoid_steps"] = _flag(table["avoid_steps"], f"{prefix}.avoid_steps")
    if "step_penalty_s" in table:
        changes["step_penalty_s"] = _number(
            table["step_penalty_s"], f"{prefix}.step_penalty_s", positive=False
        )
    if "source" in table:
        changes["source"] = _text(table["source"], f"{prefix}.source")
    return replace(profile, **changes)


def load_profiles(toml_text: str, city_code: str | None = None) -> dict[str, WalkProfile]:
    """Profiles by code, in file order; with `city_code`, that city's overrides applied.

    The whole file is validated (every city's rules too), so a typo anywhere fails early.
    """
    raw = _parse(toml_text)
    profiles_raw = _table(raw.get("profile", {}), "profile")
    if not profiles_raw:
        raise WalkConfigError("profile", "at least one profile is required")
    profiles = {
        code: _profile(code, _table(table, f"profile.{code}"))
        for code, table in profiles_raw.items()
    }
    rules = _city_rules(raw)
    overrides: dict[str, dict[str, WalkProfile]] = {}
    for code, city in _table(raw.get("city", {}), "city").items():
        per_city = _table(city.get("profile", {}), f"city.{code}.profile")
        overrides[code] = {}
        for pcode, table in per_city.items():
            prefix = f"city.{code}.profile.{pcode}"
            if pcode not in profiles:
                raise WalkConfigError(prefix, "no such profile")
            overrides[code][pcode] = _override(profiles[pcode], _table(table, prefix), prefix)
    if city_code is None:
        return profiles
    if city_code not in rules:
        raise WalkConfigError(f"city.{city_code}", "no such city")
    return {**profiles, **overrides[city_code]}


def _city_rules(raw: dict[str, Any]) -> dict[str, CircleRule]:
    out: dict[str, CircleRule] = {}
    for code, value in _table(raw.get("city", {}), "city").items():
        prefix = f"city.{code}"
        table = _table(value, prefix)
        _check_keys(table, CITY_KEYS, prefix)
        out[code] = CircleRule(
            city_code=code,
            name_zh=_text(_required(table, "name_zh", prefix), f"{prefix}.name_zh"),
            urban_minutes=_number(
                _required(table, "urban_minutes", prefix), f"{prefix}.urban_minutes", positive=True
            ),
            rural_minutes=_number(
                _required(table, "rural_minutes", prefix), f"{prefix}.rural_minutes", positive=True
            ),
            urban_source=_text(_required(table, "urban_source", prefix), f"{prefix}.urban_source"),
            rural_source=_text(_required(table, "rural_source", prefix), f"{prefix}.rural_source"),
        )
    return out


def load_circle_rules(toml_text: str) -> dict[str, CircleRule]:
    """Circle rules by city code (the `[city."…"]` tables); profiles are validated too."""
    load_profiles(toml_text)
    return _city_rules(_parse(toml_text))
