"""Answers for an approximate location: distance ranges and area verdicts.

wx.getFuzzyLocation returns only latitude and longitude, "经过模糊处理的经纬度坐标"
(WeChat's announcement of 2022-07-14, developers.weixin.qq.com/community/develop/doc/
000a02f2c5026891650e7f40351c01; API page developers.weixin.qq.com/miniprogram/dev/api/
location/wx.getFuzzyLocation.html): no accuracy field and no documented radius. One
developer's side-by-side test in WeChat's community (doc/000486c3a00778f7c7a0e45526bc00)
shows the fuzzy point ≈ 2.5 km from the precise one, so the default uncertainty is a
setting (YLYX_FUZZY_DEFAULT_ACCURACY_M, 3000 m), not a documented fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

Verdict = Literal["covered", "not_covered", "depends", "unknown"]

ACCURACY_SOURCE = (
    "wx.getFuzzyLocation documents no accuracy (WeChat announcement 2022-07-14: "
    "'经过模糊处理的经纬度坐标'); one published side-by-side test put the fuzzy point "
    "about 2.5 km from the precise one. Without accuracy_m the service assumes "
    "YLYX_FUZZY_DEFAULT_ACCURACY_M."
)


def distance_range(distance_m: float, accuracy_m: float) -> tuple[float, float]:
    """Where the true distance lies when the origin is anywhere within `accuracy_m`."""
    return max(0.0, distance_m - accuracy_m), distance_m + accuracy_m


def verdict(places: Sequence[bool | None]) -> Verdict:
    """One answer for an area from its places: covered at every checked place, at none,
    at some ("depends where in the area"); `None` places (off-road, outside the city)
    are not checked, and an area with no checked place is unknown."""
    checked = [p for p in places if p is not None]
    if not checked:
        return "unknown"
    if all(checked):
        return "covered"
    if not any(checked):
        return "not_covered"
    return "depends"
