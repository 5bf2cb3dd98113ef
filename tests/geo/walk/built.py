"""Small networks built in metres for the property tests: `line_network`, `grid_network`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from geo.walk import Edge, LocalProjection, Node, WalkNetwork

ORIGIN = LocalProjection(104.0, 30.0)


def lonlat(x_m: float, y_m: float) -> tuple[float, float]:
    """The WGS-84 position `x_m` east and `y_m` north of ORIGIN."""
    lon, lat = ORIGIN.lonlat(np.array([[x_m, y_m]]))[0]
    return float(lon), float(lat)


def network(
    points_m: Sequence[tuple[float, float]],
    links: Sequence[tuple[int, int, float, bool]],
) -> WalkNetwork:
    """Nodes 0… at `points_m`; links (u, v, length_m, steps) as straight edges."""
    nodes = [Node(i, *lonlat(x, y)) for i, (x, y) in enumerate(points_m)]
    edges = [
        Edge(u, v, length, steps, "path" if steps else "street") for u, v, length, steps in links
    ]
    return WalkNetwork(nodes, edges)


def grid_network(
    width: int, height: int, spacing_m: float, stretch: Sequence[float], steps: Sequence[bool]
) -> WalkNetwork:
    """A width × height grid; edge k's length is spacing × stretch[k] (≥ 1), steps[k] marks stairs.

    `stretch` and `steps` are cycled over the edges.
    """
    points = [(x * spacing_m, y * spacing_m) for y in range(height) for x in range(width)]
    pairs = [
        (y * width + x, y * width + x + 1) for y in range(height) for x in range(width - 1)
    ] + [(y * width + x, (y + 1) * width + x) for y in range(height - 1) for x in range(width)]
    links = [
        (u, v, spacing_m * stretch[k % len(stretch)], steps[k % len(steps)])
        for k, (u, v) in enumerate(pairs)
    ]
    return network(points, links)
