"""Population surface: township census figures spread over H3 hexagons where people live.

No gridded population is published for these cities (shared/data/SOURCES.md, "Not
here"), so the surface is dasymetric and deterministic:

1. Where people live is read from the walking network: built-up streets (urban blocks
   of a 街道, the grid of a 镇/乡 seat: every edge kind but the two below) weigh
   1 per metre; inter-settlement roads (`kind='road'`, along which the villages of a
   镇/乡 string out) weigh `ROAD_WEIGHT` per metre; facility access lanes
   (`kind='lane'`) weigh nothing. Each edge is cut into pieces of at most
   `SAMPLE_M` metres; a piece's weight goes to the township whose boundary contains
   its midpoint and to the H3 cell (resolution `RESOLUTION`) containing it.
2. A township with no network inside it gets a uniform weight over the H3 cells whose
   centres lie in it (or the one cell of a point inside it).
3. Each township's 常住人口, 60+ and 0–3 figures are split over its (township, cell)
   pieces by the largest-remainder method, so every township, and hence every county
   and city, sums exactly to its census figure.

Resolution 9 (mean hexagon 0.105 km², edge ≈ 174 m) is fine enough that a hexagon's
centre stands for its residents in a 15-minute walk (≈ 800–1,200 m) and coarse enough
for a city of 5,750 km² to stay in memory (tens of thousands of pieces).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import h3
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.walk import WalkNetwork

RESOLUTION = 9
SAMPLE_M = 50.0
ROAD_WEIGHT = 0.3
"""Weight per metre of an inter-settlement road relative to a built-up street (ours)."""
GROUPS = ("all", "60p", "0_3")


@dataclass(frozen=True, slots=True)
class Township:
    """A 街道/乡镇 with its census figures (None = not known) and WGS-84 boundary."""

    code: str
    county_code: str
    urban_rural: str
    boundary: BaseGeometry
    pop_total: int
    pop_60p: int | None
    pop_0_3: int | None


@dataclass(frozen=True, slots=True, eq=False)
class Surface:
    """(township, cell) pieces with integer populations.

    `cells[i]` is the H3 cell (int) of piece i, `township[i]` an index into
    `townships`, `pop[group][i]` its residents of a group ('all', '60p', '0_3'),
    `lonlat[i]` the cell's centre. Pieces are sorted by (township, cell).
    """

    resolution: int
    townships: tuple[Township, ...]
    cells: NDArray[np.uint64]
    township: NDArray[np.int64]
    pop: dict[str, NDArray[np.int64]]
    lonlat: NDArray[np.float64]
    method: str

    def __len__(self) -> int:
        return len(self.cells)


def apportion_groups(total: int, weights: NDArray[np.float64]) -> NDArray[np.int64]:
    """Integers proportional to `weights` summing exactly to `total` (largest remainder;
    ties to the earlier part; equal parts when every weight is zero)."""
    if total < 0:
        raise ValueError("total must be non-negative")
    if len(weights) == 0:
        if total:
            raise ValueError("cannot apportion a positive total over no parts")
        return np.zeros(0, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    if (w < 0).any():
        raise ValueError("weights must be non-negative")
    if w.sum() <= 0:
        w = np.ones_like(w)
    quotas = total * w / w.sum()
    parts: NDArray[np.int64] = np.floor(quotas).astype(np.int64)
    short = total - int(parts.sum())
    order = np.lexsort((np.arange(len(w)), -(quotas - parts)))
    parts[order[:short]] += 1
    return parts


def _edge_samples(network: WalkNetwork) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Midpoints (lon, lat) of edge pieces of ≤ SAMPLE_M metres and their weights."""
    factor = np.array(
        [0.0 if k == "lane" else ROAD_WEIGHT if k == "road" else 1.0 for k in network.edge_kind]
    )
    keep = np.flatnonzero((factor > 0) & (network.edge_length_m > 0))
    if not len(keep):
        return np.empty((0, 2)), np.empty(0)
    pieces = np.maximum(1, np.ceil(network.edge_length_m[keep] / SAMPLE_M)).astype(np.int64)
    owner = np.repeat(keep, pieces)
    start = np.repeat(np.cumsum(pieces) - pieces, pieces)
    rank = np.arange(len(owner)) - start
    fraction = (rank + 0.5) / np.repeat(pieces, pieces)
    points = shapely.line_interpolate_point(network.edge_lines[owner], fraction, normalized=True)
    xy = shapely.get_coordinates(points)
    lonlat = network.projection.lonlat(xy)
    weight = np.repeat(network.edge_length_m[keep] * factor[keep] / pieces, pieces)
    return lonlat, weight


def _cells_of(lonlat: NDArray[np.float64], resolution: int) -> NDArray[np.uint64]:
    return np.fromiter(
        (h3.str_to_int(h3.latlng_to_cell(lat, lon, resolution)) for lon, lat in lonlat.tolist()),
        dtype=np.uint64,
        count=len(lonlat),
    )


def _uniform_cells(boundary: BaseGeometry, resolution: int) -> list[int]:
    cells = h3.geo_to_cells(boundary.__geo_interface__, resolution)
    if not cells:
        p = boundary.representative_point()
        cells = [h3.latlng_to_cell(p.y, p.x, resolution)]
    return sorted(h3.str_to_int(c) for c in cells)


def build_surface(
    townships: Sequence[Township], network: WalkNetwork | None, resolution: int = RESOLUTION
) -> Surface:
    """The population surface of one city (see the module docstring for the method)."""
    towns = tuple(townships)
    lonlat, weight = (
        _edge_samples(network) if network is not None else (np.empty((0, 2)), np.empty(0))
    )
    owner = np.full(len(lonlat), -1, dtype=np.int64)
    if len(lonlat) and towns:
        tree = shapely.STRtree([t.boundary for t in towns])
        pts, polys = tree.query(shapely.points(lonlat), predicate="intersects")
        owner[pts] = polys  # a point on a shared edge goes to the last township listed
    inside = owner >= 0
    cells = _cells_of(lonlat[inside], resolution)
    owner, weight = owner[inside], weight[inside]

    parts_town: list[NDArray[np.int64]] = []
    parts_cell: list[NDArray[np.uint64]] = []
    parts_weight: list[NDArray[np.float64]] = []
    if len(owner):
        keys = np.stack((owner.astype(np.uint64), cells), axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        parts_town.append(uniq[:, 0].astype(np.int64))
        parts_cell.append(uniq[:, 1])
        parts_weight.append(np.bincount(inverse.ravel(), weights=weight).astype(np.float64))
    covered = set(np.unique(owner).tolist())
    for i, t in enumerate(towns):
        if i in covered:
            continue
        fallback = np.array(_uniform_cells(t.boundary, resolution), dtype=np.uint64)
        parts_town.append(np.full(len(fallback), i, dtype=np.int64))
        parts_cell.append(fallback)
        parts_weight.append(np.ones(len(fallback)))
    town_ix = np.concatenate(parts_town) if parts_town else np.zeros(0, dtype=np.int64)
    cell_ix = np.concatenate(parts_cell) if parts_cell else np.zeros(0, dtype=np.uint64)
    w = np.concatenate(parts_weight) if parts_weight else np.zeros(0)
    order = np.lexsort((cell_ix, town_ix))
    town_ix, cell_ix, w = town_ix[order], cell_ix[order], w[order]

    bounds = np.searchsorted(town_ix, np.arange(len(towns) + 1))
    pop = {g: np.zeros(len(town_ix), dtype=np.int64) for g in GROUPS}
    for i, t in enumerate(towns):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        for group, total in zip(GROUPS, (t.pop_total, t.pop_60p, t.pop_0_3), strict=True):
            pop[group][lo:hi] = apportion_groups(total or 0, w[lo:hi])
    centres = np.array(
        [h3.cell_to_latlng(h3.int_to_str(int(c)))[::-1] for c in cell_ix.tolist()],
        dtype=np.float64,
    ).reshape(-1, 2)
    return Surface(
        resolution=resolution,
        townships=towns,
        cells=cell_ix,
        township=town_ix,
        pop=pop,
        lonlat=centres,
        method=(
            f"H3 resolution {resolution}; township census figures split by walking-network "
            f"length per hexagon (built-up streets 1, inter-settlement roads {ROAD_WEIGHT:g}, "
            "access lanes 0; uniform over the township where it has no network), "
            "largest-remainder rounding: exact totals per township, county and city"
        ),
    )


def cell_polygon(cell: int) -> shapely.Polygon:
    """The hexagon of an H3 cell as a WGS-84 (lon, lat) polygon."""
    ring = [(lon, lat) for lat, lon in h3.cell_to_boundary(h3.int_to_str(cell))]
    return shapely.Polygon(ring)


def cell_neighbours(cell: int) -> list[int]:
    """The cells touching `cell` (its H3 ring of distance 1)."""
    return [h3.str_to_int(c) for c in h3.grid_ring(h3.int_to_str(cell), 1)]
