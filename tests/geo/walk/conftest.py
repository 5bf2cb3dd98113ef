"""Walking networks for the library tests, built without a database.

`wuhou` is the real OSM extract (../shared/data/roads); `ziyang` the synthetic 资阳
network with the 沱江, its bridges and its stairs. Both are built once per run.
"""

from __future__ import annotations

import pytest

from geo.walk import WalkNetwork, WalkProfile, load_profiles
from seed.build import sample_cities
from seed.networks import WALK_PROFILES_FILE, CityNetwork, wuhou_network, ziyang_network


@pytest.fixture(scope="session")
def profiles() -> dict[str, WalkProfile]:
    return load_profiles(WALK_PROFILES_FILE.read_text("utf-8"))


@pytest.fixture(scope="session")
def wuhou() -> WalkNetwork:
    net = wuhou_network()
    return WalkNetwork(net.nodes, net.edges)


@pytest.fixture(scope="session")
def ziyang_rows() -> CityNetwork:
    return ziyang_network(sample_cities())


@pytest.fixture(scope="session")
def ziyang(ziyang_rows: CityNetwork) -> WalkNetwork:
    return WalkNetwork(ziyang_rows.nodes, ziyang_rows.edges)
