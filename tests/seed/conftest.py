"""One build of the sample cities, shared by the seed tests (no database needed)."""

from __future__ import annotations

import pytest

from seed.build import sample_cities
from seed.rows import RegionRow, SampleCities


@pytest.fixture(scope="session")
def cities() -> SampleCities:
    return sample_cities()


@pytest.fixture(scope="session")
def regions_by_code(cities: SampleCities) -> dict[str, RegionRow]:
    return {r.code: r for r in cities.regions}
