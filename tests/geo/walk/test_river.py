"""A river with one bridge 2 km upstream: 400 m across is a 15-minute circle's miss.

Two banks 400 m apart, each a 4 km street along the water; the only bridge joins them
2 km from where the home and the facility stand opposite each other.
"""

from __future__ import annotations

import pytest

from geo.walk import WalkProfile, seconds_from, seconds_to_targets, snap
from tests.geo.walk.built import lonlat, network

# South bank y = 0, north bank y = 400; nodes every 1 km from x = -2000 to 2000.
XS = [-2000, -1000, 0, 1000, 2000]
BANKS = network(
    [(x, 0) for x in XS] + [(x, 400) for x in XS],
    [(i, i + 1, 1000.0, False) for i in range(4)]
    + [(5 + i, 6 + i, 1000.0, False) for i in range(4)]
    + [(4, 9, 400.0, False)],  # the bridge, at x = 2000
)


@pytest.mark.parametrize("profile_code", ["adult", "older", "pram", "wheelchair"])
def test_across_the_river_without_a_near_bridge_is_not_within_15_minutes(
    profiles: dict[str, WalkProfile], profile_code: str
) -> None:
    profile = profiles[profile_code]
    home = snap(BANKS, *lonlat(0, -10), avoid_steps=profile.avoid_steps)
    facility = snap(BANKS, *lonlat(0, 410), avoid_steps=profile.avoid_steps)
    assert home is not None and facility is not None
    seconds = seconds_to_targets(seconds_from(BANKS, profile, home, 7200), [facility])[0]
    walk_m = 10 + 2000 + 400 + 2000 + 10
    assert seconds == pytest.approx(walk_m / profile.speed_m_s)
    assert seconds / 60 > 15  # 55 min for an adult, 80 for an older walker
