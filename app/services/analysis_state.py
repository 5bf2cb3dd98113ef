"""What the planning analyses hold in memory: each city's population surface and regions.

Built once at start-up from the regions in PostGIS and the walking networks (the
surface method is `geo.analysis.surface`); facilities are read per request, so registry
edits show at once. Analyses run in worker threads (`run`), at most
`analysis_max_concurrent` at a time: the networks and surfaces live in this process's
memory, which a process pool would have to copy, and the heavy parts (scipy's
Dijkstra, HiGHS, numpy) are compiled code; the event loop keeps answering meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio
import numpy as np
import shapely
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import analysis as aq
from app.domain.targets import Target, load_targets
from app.errors import NotFound
from app.services.walking import CityWalk, Walking
from geo.analysis.surface import Surface, Township, build_surface
from geo.walk import Snap, snap_many

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RegionInfo:
    code: str
    name: str
    level: str
    unit_type: str | None
    parent_code: str | None
    urban_rural: str | None
    pop_total: int | None
    pop_60p: int | None
    pop_0_3: int | None


@dataclass(slots=True, eq=False)
class CityAnalysis:
    """One city's surface, regions and walking network, with snaps cached per step rule."""

    city_code: str
    walk: CityWalk
    surface: Surface
    regions: dict[str, RegionInfo]
    minutes: NDArray[np.float64]
    """Circle minutes of each surface piece (15 in a 街道, 30 in a 镇/乡, by the city rule)."""
    max_snap_m: float
    _snaps: dict[bool, list[Snap | None]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def snaps(self, avoid_steps: bool) -> list[Snap | None]:
        """The surface pieces' cell centres snapped to the network (None: too far)."""
        cached = self._snaps.get(avoid_steps)
        if cached is None:
            cached = snap_many(
                self.walk.network,
                self.surface.lonlat,
                max_distance_m=self.max_snap_m,
                avoid_steps=avoid_steps,
            )
            with self._lock:
                cached = self._snaps.setdefault(avoid_steps, cached)
        return cached

    def township_codes(self, region_code: str) -> set[str]:
        """The townships inside a region (the region itself if it is one)."""
        region = self.regions[region_code]
        if region.level == "township":
            return {region_code}
        inside: set[str] = set()
        for code, r in self.regions.items():
            if r.level != "township":
                continue
            parent = r.parent_code
            while parent is not None and parent != region_code:
                parent = self.regions[parent].parent_code if parent in self.regions else None
            if parent == region_code:
                inside.add(code)
        return inside

    def pieces_in(self, region_code: str) -> NDArray[np.int64]:
        towns = self.township_codes(region_code)
        mask = np.array([t.code in towns for t in self.surface.townships], dtype=bool)
        return np.flatnonzero(mask[self.surface.township]) if len(mask) else np.zeros(0, int)

    def children(self, region_code: str) -> list[RegionInfo]:
        return [
            r
            for r in self.regions.values()
            if r.parent_code == region_code and r.level in ("county", "township")
        ]


@dataclass(slots=True, eq=False)
class AnalysisState:
    """Surfaces per city; `limiter` is made per application, inside its event loop."""

    cities: dict[str, CityAnalysis]
    targets: dict[str, tuple[Target, ...]]
    limiter: anyio.CapacityLimiter | None = None
    observe: Callable[[str, float], None] | None = None
    """Told each job's name and seconds of work (the metrics' job histogram)."""

    def with_limit(
        self, max_concurrent: int, observe: Callable[[str, float], None] | None = None
    ) -> AnalysisState:
        return AnalysisState(
            self.cities, self.targets, anyio.CapacityLimiter(max_concurrent), observe
        )

    def city_of(self, region_code: str) -> tuple[CityAnalysis, RegionInfo]:
        for city in self.cities.values():
            region = city.regions.get(region_code)
            if region is not None and region.level in ("city", "county", "township"):
                return city, region
        raise NotFound(
            f"no city, county or township with code {region_code[:20]!r} has a population "
            "surface (see /v1/regions)"
        )

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run CPU work in a worker thread, at most `limiter` analyses at a time."""
        if self.limiter is None:
            raise RuntimeError("AnalysisState.with_limit() was not called at start-up")
        observe = self.observe

        def timed() -> T:
            start = time.perf_counter()
            try:
                return fn(*args)
            finally:
                if observe is not None:
                    observe(fn.__name__.strip("_"), time.perf_counter() - start)

        return await anyio.to_thread.run_sync(timed, limiter=self.limiter)


def _city(city_code: str, walk: CityWalk, rows: list[Any], max_snap_m: float) -> CityAnalysis:
    regions = {
        r.code: RegionInfo(
            r.code,
            r.name,
            r.level,
            r.unit_type,
            r.parent_code,
            r.urban_rural,
            r.pop_total,
            r.pop_60p,
            r.pop_0_3,
        )
        for r in rows
    }
    towns = [
        Township(
            r.code,
            r.parent_code,
            r.urban_rural or "rural",
            shapely.from_wkb(bytes(r.wkb)),
            r.pop_total or 0,
            r.pop_60p,
            r.pop_0_3,
        )
        for r in rows
        if r.level == "township" and r.wkb is not None
    ]
    surface = build_surface(towns, walk.network)
    by_town = np.array(
        [walk.rule.minutes_for(t.urban_rural)[0] for t in surface.townships], dtype=np.float64
    )
    minutes = by_town[surface.township] if len(by_town) else np.zeros(0)
    return CityAnalysis(city_code, walk, surface, regions, minutes, max_snap_m)


async def load_analysis(engine: AsyncEngine, walking: Walking, config_dir: Path) -> AnalysisState:
    """Surfaces for every city that has townships and a walking network, and the cities'
    planning targets (config_dir/targets/<city>.toml)."""
    loaded: dict[str, list[Any]] = {}
    async with engine.connect() as conn:
        for code in await aq.analysis_cities(conn):
            if code in walking.cities:
                loaded[code] = list(await aq.city_regions(conn, code))
    cities = {
        code: await anyio.to_thread.run_sync(
            _city, code, walking.cities[code], rows, walking.max_snap_m
        )
        for code, rows in loaded.items()
    }
    return AnalysisState(cities, load_targets(config_dir / "targets"))
