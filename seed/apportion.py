"""Exact integer allocation of county census figures to townships (largest-remainder method)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Rural townships are given a higher share of the county's elderly than urban streets:
# an elderly person is counted 1.15 times as likely to live in a 镇/乡 as in a 街道.
# The factor is ours (sample data); the census gives no township-level age figures.
RURAL_ELDERLY_FACTOR = 1.15


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` that sum exactly to `total`.

    Hare/largest-remainder: each part gets the floor of its quota, then the parts with
    the largest remainders get one more; ties go to the earlier part.
    """
    if total < 0:
        raise ValueError("total must be non-negative")
    if not weights:
        if total:
            raise ValueError("cannot apportion a positive total over no parts")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    weight_sum = float(sum(weights))
    if weight_sum == 0:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    quotas = [total * w / weight_sum for w in weights]
    parts = [int(q) for q in quotas]
    short = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:short]:
        parts[i] += 1
    return parts


@dataclass(frozen=True, slots=True)
class Population:
    """Census figures of one area: total, 60+, 65+ and 0–3 (the census 0–2 estimate)."""

    total: int
    age60p: int
    age65p: int
    age0_3: int


def allocate_population(
    county: Population,
    share_urban: float,
    urban: Sequence[bool],
    weights: Sequence[float],
) -> list[Population]:
    """Townships' figures: `share_urban` of each count to the 街道, the rest to the 镇/乡.

    Within each group a count is split by `weights`; each age group follows the same
    split, with the elderly leaning rural by RURAL_ELDERLY_FACTOR. Every figure sums
    exactly to the county's.
    """
    if len(urban) != len(weights):
        raise ValueError("one weight per township")
    has_urban, has_rural = any(urban), not all(urban)
    share = share_urban if has_urban and has_rural else (1.0 if has_urban else 0.0)
    urban_total, rural_total = apportion(county.total, [share, 1.0 - share])
    elder_weights = [float(urban_total), rural_total * RURAL_ELDERLY_FACTOR]

    def split(count: int, group_weights: Sequence[float]) -> list[int]:
        to_urban, to_rural = apportion(count, group_weights)
        urban_parts = iter(
            apportion(to_urban, [w for w, u in zip(weights, urban, strict=True) if u])
        )
        rural_parts = iter(
            apportion(to_rural, [w for w, u in zip(weights, urban, strict=True) if not u])
        )
        return [next(urban_parts) if u else next(rural_parts) for u in urban]

    totals = split(county.total, [share, 1.0 - share])
    age60 = split(county.age60p, elder_weights)
    age65 = split(county.age65p, elder_weights)
    age0_3 = split(county.age0_3, [share, 1.0 - share])
    return [
        Population(total=t, age60p=a, age65p=b, age0_3=c)
        for t, a, b, c in zip(totals, age60, age65, age0_3, strict=True)
    ]
