"""Who a kind serves, for planning: the population group it is measured against and the
walking profile its users are assumed to walk at.

- 养老 (elderly) kinds: residents aged 60+ (老年人 under 《老年人权益保障法》 art. 2),
  walking at the `older` profile.
- 托育 (child) kinds: children aged 0–3 (the census-based 0–2 estimate, see
  seed/README.md), reached by a parent with a pram (`pram`).
- combined kinds (老幼复合): all residents, `adult`.

The profile is a default the caller may override (`profile=`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.vocabulary import kinds


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    name_zh: str
    profile: str


GROUPS = {
    "elderly": Group("60p", "60岁及以上常住人口", "older"),
    "child": Group("0_3", "0–3岁婴幼儿（普查0–2岁估计）", "pram"),
    "combined": Group("all", "常住人口", "adult"),
}


def group_for(kind: str) -> Group:
    """The population group a kind is measured against (KeyError for an unknown kind)."""
    return GROUPS[kinds()[kind].side or "combined"]
