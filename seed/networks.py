"""Walking networks of the sample cities, and an importer for OSM street extracts.

- `import_osm_geojson(path)`: a GeoJSON FeatureCollection of LineStrings (OSM ways or
  way segments) → (nodes, edges). With `from_node`/`to_node`/`length_m` properties (the
  form of ../shared/data/roads) those are used; without them, nodes are the line ends,
  merged where they coincide (to 1e-7°), and lengths are measured on the ellipsoid.
- `wuhou_network(data_dir)`: 武侯区 from the real OSM extract (ODbL).
- `ziyang_network(cities)`: the synthetic 资阳 network (seed/network_ziyang.py).
- `WALK_PROFILES_FILE`: the default profiles and circle minutes (seed/walk_profiles.toml).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from geo.walk import Edge, Node, largest_component, polyline_length_m
from seed import sources
from seed.network_ziyang import RIVER_HALF_WIDTH_M, build_ziyang
from seed.rows import SampleCities

WALK_PROFILES_FILE = Path(__file__).with_name("walk_profiles.toml")
WUHOU_SOURCE = (
    f"{sources.ROADS_FILE}: © OpenStreetMap contributors, ODbL 1.0 (SUMO network of "
    "Alexia0806/chengdu-sumo-benchmark-config); pedestrians_allowed edges only, largest "
    "connected component; a driving network, so footways and small alleys are missing"
)
ZIYANG_SOURCE = (
    "synthetic (示例): seed/network_ziyang.py, a deterministic street network drawn from "
    "the sample city's seats; not real streets"
)
RIVER_SOURCE = (
    "synthetic (示例): approximate course of the 沱江 drawn for the sample walking network "
    "(seed/network_ziyang.py TUO_RIVER); not surveyed"
)
NOT_WALKABLE = frozenset({"motorway", "motorway_link", "construction", "proposed", "raceway"})


@dataclass(frozen=True, slots=True)
class MapFeature:
    """A context layer row (map_feature): e.g. the river that explains walking times."""

    kind: str
    name: str
    source: str
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class CityNetwork:
    """One city's walking network: rows for walk_node/walk_edge plus context features."""

    city_code: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    source: str
    features: tuple[MapFeature, ...] = ()


def walkable(props: dict[str, Any]) -> bool:
    """Whether an OSM way (its tags or GeoJSON properties) may be walked."""
    if props.get("pedestrians_allowed") is False:
        return False
    if props.get("foot") == "no" or (props.get("access") == "no" and props.get("foot") is None):
        return False
    return props.get("highway") not in NOT_WALKABLE


class _Ids:
    """OSM ids kept as integers; other ids (SUMO 'J75', line ends) get -1, -2, … in order."""

    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        self.by_coord: dict[tuple[int, int], int] = {}
        self.points: dict[int, list[tuple[float, float]]] = {}

    def get(self, ref: object, xy: tuple[float, float]) -> int:
        coord = (round(xy[0] * 1e7), round(xy[1] * 1e7))
        if ref is None or ref == "":
            node = self.by_coord.get(coord)
            if node is None:
                node = -(len(self.by_key) + len(self.by_coord) + 1)
        else:
            key = str(ref)
            node = self.by_key.get(key)
            if node is None:
                node = (
                    int(key)
                    if key.isdigit() and int(key) < 2**63
                    else -(len(self.by_key) + len(self.by_coord) + 1)
                )
                self.by_key[key] = node
        self.by_coord.setdefault(coord, node)
        self.points.setdefault(node, []).append(xy)
        return node


def import_osm_geojson(path: Path) -> tuple[list[Node], list[Edge]]:
    """Walkable LineStrings of an OSM GeoJSON extract as nodes and edges (all components).

    Kept: features whose `pedestrians_allowed` is not false, `foot` is not 'no' and
    `highway` is not a motorway-class value. `highway='steps'` marks steps. A node's
    position is the mean of the line ends that name it (in the SUMO-derived 武侯 file a
    line may stop up to ~26 m short of its junction's centre); geometry is kept as given.
    """
    raw = json.loads(Path(path).read_text("utf-8"))
    ids = _Ids()
    parts: list[tuple[int, int, list[tuple[float, float]], dict[str, Any]]] = []
    for feature in raw.get("features", []):
        props = feature.get("properties") or {}
        geom = feature.get("geometry") or {}
        if geom.get("type") != "LineString" or not walkable(props):
            continue
        coords = [(float(x), float(y)) for x, y, *_ in geom["coordinates"]]
        if len(coords) < 2:
            continue
        u = ids.get(props.get("from_node"), coords[0])
        v = ids.get(props.get("to_node"), coords[-1])
        parts.append((u, v, coords, props))
    position = {
        node: (float(np.mean([p[0] for p in pts])), float(np.mean([p[1] for p in pts])))
        for node, pts in ids.points.items()
    }
    nodes = [Node(node, round(xy[0], 7), round(xy[1], 7)) for node, xy in position.items()]
    edges: list[Edge] = []
    for u, v, coords, props in parts:
        length = props.get("length_m")
        if not isinstance(length, int | float) or not math.isfinite(length) or length < 0:
            length = polyline_length_m(coords)
        highway = props.get("highway") or "road"
        edges.append(
            Edge(
                u=u,
                v=v,
                length_m=float(length),
                steps=highway == "steps",
                kind=str(highway),
                geometry=tuple(coords),
                name=props.get("name") or None,
            )
        )
    return nodes, edges


def wuhou_network(data_dir: Path | None = None) -> CityNetwork:
    """成都市 武侯区 (city code 510100): the real OSM streets, walkable part, main component.

    The extract is a driving network: no footways or stairs are recorded, so every edge has
    `steps=False` and `kind` is the OSM highway class.
    """
    root = data_dir or sources.data_dir()
    nodes, edges = largest_component(*import_osm_geojson(root / sources.ROADS_FILE))
    return CityNetwork("510100", tuple(nodes), tuple(edges), WUHOU_SOURCE)


def ziyang_network(cities: SampleCities) -> CityNetwork:
    """资阳市 (512000): the synthetic network, with the approximate 沱江 as map features."""
    built = build_ziyang(cities)
    river = MapFeature("river", "沱江（示意）", RIVER_SOURCE, built.river)
    water = MapFeature(
        "water",
        "沱江水面（示意）",
        f"{RIVER_SOURCE}; water = centreline ± {RIVER_HALF_WIDTH_M:g} m",
        built.water,
    )
    return CityNetwork(
        "512000", tuple(built.nodes), tuple(built.edges), ZIYANG_SOURCE, (river, water)
    )


def ziyang_stats(cities: SampleCities) -> dict[str, int]:
    """Counts of the synthetic 资阳 network (nodes, edges, bridges, steps, lanes …)."""
    return build_ziyang(cities).stats


def sample_networks(cities: SampleCities, data_dir: Path | None = None) -> tuple[CityNetwork, ...]:
    """Both sample cities' networks (资阳, then 成都 武侯区)."""
    return (ziyang_network(cities), wuhou_network(data_dir))


def river_line(network: CityNetwork) -> LineString | None:
    """The river centreline feature of a network, if it has one."""
    for f in network.features:
        if f.kind == "river" and isinstance(f.geometry, LineString):
            return f.geometry
    return None
