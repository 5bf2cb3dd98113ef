"""Walking networks: profiles, snapping, walking seconds and reach areas (pure library).

- `network`: `Node`, `Edge`, `WalkNetwork` (arrays + per-profile sparse graphs),
  `largest_component`
- `profiles`: `WalkProfile`, `CircleRule`, `load_profiles`, `load_circle_rules`
- `snap`: `Snap`, `snap`, `snap_many`, `SnapCache`
- `times`: `Reach`, `seconds_from`, `seconds_to_targets`, `reach_many`
- `dijkstra`: the compiled bounded Dijkstra behind them; `warm_up` compiles it
- `reach`: `reach_polygons`, `union_reach_polygons`, `union_reach_polygon`
- `projection`: `LocalProjection`, `polyline_length_m`

The walking network is undirected with symmetric weights, so the reverse reach ("from
where can people walk here in 15 minutes") equals the reach.
"""

from geo.walk.dijkstra import warm_up
from geo.walk.network import Edge, Node, WalkNetwork, largest_component
from geo.walk.profiles import (
    CircleRule,
    WalkConfigError,
    WalkProfile,
    load_circle_rules,
    load_profiles,
)
from geo.walk.projection import LocalProjection, polyline_length_m
from geo.walk.reach import reach_polygons, union_reach_polygon, union_reach_polygons
from geo.walk.snap import DEFAULT_MAX_SNAP_M, Snap, SnapCache, snap, snap_many
from geo.walk.times import Reach, reach_many, seconds_from, seconds_to_targets

__all__ = [
    "DEFAULT_MAX_SNAP_M",
    "CircleRule",
    "Edge",
    "LocalProjection",
    "Node",
    "Reach",
    "Snap",
    "SnapCache",
    "WalkConfigError",
    "WalkNetwork",
    "WalkProfile",
    "largest_component",
    "load_circle_rules",
    "load_profiles",
    "polyline_length_m",
    "reach_many",
    "reach_polygons",
    "seconds_from",
    "seconds_to_targets",
    "snap",
    "snap_many",
    "union_reach_polygon",
    "union_reach_polygons",
    "warm_up",
]
