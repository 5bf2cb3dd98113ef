"""Service-circle membership: which kinds count towards which circle in which city.

The data lives in seed/service_circles.toml (service-circles.md §3); the minutes
that apply (15 urban / 30 rural) come from the walking configuration.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any, Literal

from app.domain.vocabulary import kinds

Basis = Literal["stated", "proposal"]


@dataclass(frozen=True, slots=True)
class Member:
    kind: str
    urban: bool
    rural: bool
    basis: Basis


@dataclass(frozen=True, slots=True)
class Circle:
    code: str
    name_zh: str
    cite: str
    members: tuple[Member, ...]

    def kinds_for(self, urban_rural: str) -> tuple[Member, ...]:
        return tuple(m for m in self.members if (m.urban if urban_rural == "urban" else m.rural))


class CircleConfigError(ValueError):
    pass


def _member(raw: dict[str, Any], where: str) -> Member:
    if set(raw) != {"kind", "urban", "rural", "basis"}:
        raise CircleConfigError(f"{where}: a member has exactly kind, urban, rural, basis")
    if raw["kind"] not in kinds():
        raise CircleConfigError(f"{where}: unknown kind {raw['kind']!r}")
    if raw["basis"] not in ("stated", "proposal"):
        raise CircleConfigError(f"{where}: basis must be stated or proposal")
    return Member(raw["kind"], bool(raw["urban"]), bool(raw["rural"]), raw["basis"])


def load_circles(toml_text: str) -> dict[str, tuple[Circle, ...]]:
    """Circles per city code; unknown kinds or keys fail naming where."""
    raw = tomllib.loads(toml_text)
    if set(raw) != {"city"}:
        raise CircleConfigError("the file holds only [city.<code>.circle.<name>] tables")
    out: dict[str, tuple[Circle, ...]] = {}
    for city, table in raw["city"].items():
        circles = []
        for code, body in table.get("circle", {}).items():
            where = f"city.{city}.circle.{code}"
            if set(body) != {"name_zh", "cite", "members"}:
                raise CircleConfigError(f"{where}: needs exactly name_zh, cite, members")
            members = tuple(_member(m, where) for m in body["members"])
            circles.append(Circle(code, body["name_zh"], body["cite"], members))
        out[city] = tuple(circles)
    return out
