"""Build the sample cities (资阳市 and 成都市 武侯区) from ../shared/data, deterministically."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from seed import sources
from seed.facilities import build_facilities
from seed.regions import build_regions
from seed.rows import SampleCities
from seed.wuhou_plan import wuhou_specs
from seed.ziyang_plan import ziyang_specs


def build_sample_cities(root: Path | None = None) -> SampleCities:
    """Regions and facilities; the same data directory always gives identical rows."""
    data = root or sources.data_dir()
    regions = build_regions(data)
    specs = [*ziyang_specs(regions), *wuhou_specs(regions, sources.read_roads(data))]
    return SampleCities(regions=tuple(regions), facilities=tuple(build_facilities(specs, regions)))


@cache
def sample_cities() -> SampleCities:
    """The sample cities from the default data directory, built once per process."""
    return build_sample_cities()
