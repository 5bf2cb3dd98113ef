"""Walking seconds from a snapped origin: one Dijkstra per origin edge end, combined.

An origin lies on edge e = (u, v) at fraction f = offset_m / length_m, with an
off-network leg of `snap_distance_m`. With w the edge's seconds for the profile (the
step penalty, if any, spread along the edge in proportion to distance), the seconds to
any node x are

    leg + min(f·w + d(u, x), (1 − f)·w + d(v, x)),    leg = snap_distance_m / speed,

where d is the shortest-path seconds on the network (a Dijkstra bounded by the cutoff). This is exact: any walk from the origin leaves its edge through u or v. A target
on edge e' = (u', v') at fraction f' with its own leg adds min(T(u') + f'·w', T(v') +
(1 − f')·w') + leg', or, when it lies on the origin's edge, the direct walk along it.
Everything beyond the cutoff is ∞; off-network legs are straight lines walked at the
profile's speed and count towards the cutoff.

The network is undirected and every weight symmetric, so the seconds from A to B equal
the seconds from B to A: the reverse reach ("from where can people walk here in 15
minutes") is the same Reach.

In practice each origin starts at u and v with leg + f·w and leg + (1 − f)·w seconds,
and `reach_many` runs all origins in one compiled call (`dijkstra`), each on its own;
each Reach keeps only its reached nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from geo.walk.dijkstra import reach_nodes
from geo.walk.network import WalkNetwork
from geo.walk.profiles import WalkProfile
from geo.walk.snap import Snap


@dataclass(slots=True, eq=False)
class Reach:
    """Seconds from one origin to every node reached within `cutoff_s`.

    `nodes` are node indices (nearest first) and `seconds` their walking seconds, origin
    leg included; every other node is beyond the cutoff. `dense()` gives the full array.
    Not frozen, so that building hundreds per call stays cheap; treat it as read-only.
    """

    network: WalkNetwork
    profile: WalkProfile
    origin: Snap
    cutoff_s: float
    nodes: NDArray[np.int64]
    seconds: NDArray[np.float64]

    @property
    def origin_leg_s(self) -> float:
        return self.origin.snap_distance_m / self.profile.speed_m_s

    def dense(self) -> NDArray[np.float64]:
        """Seconds for every node index, ∞ beyond the cutoff."""
        out = np.full(self.network.node_count, np.inf)
        out[self.nodes] = self.seconds
        return out


def _check(cutoff_s: float) -> None:
    if not (cutoff_s >= 0 and np.isfinite(cutoff_s)):
        raise ValueError("cutoff_s must be a finite number >= 0")


def _origin_terms(
    network: WalkNetwork, profile: WalkProfile, origins: Sequence[Snap]
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Edge index, seconds to its u end, to its v end, and the off-network leg per origin."""
    weights = network.edge_seconds(profile)
    edge = np.array([s.edge_index for s in origins], dtype=np.int64)
    bad = np.flatnonzero((edge < 0) | (edge >= network.edge_count))
    if len(bad):
        raise ValueError(f"snap edge_index {edge[bad[0]]} is not an edge of this network")
    offset = np.array([s.offset_m for s in origins], dtype=np.float64)
    leg = np.array([s.snap_distance_m for s in origins], dtype=np.float64) / profile.speed_m_s
    length = network.edge_length_m[edge]
    fraction = np.clip(
        np.divide(offset, length, out=np.zeros_like(offset), where=length > 0), 0.0, 1.0
    )
    w = weights[edge]
    finite = np.isfinite(w)
    to_u = np.where(finite, fraction * np.where(finite, w, 0.0), np.inf)
    to_v = np.where(finite, (1.0 - fraction) * np.where(finite, w, 0.0), np.inf)
    return edge, to_u, to_v, leg


def reach_many(
    network: WalkNetwork, profile: WalkProfile, origins: Sequence[Snap], cutoff_s: float
) -> list[Reach]:
    """One Reach per origin (same order), all from one compiled Dijkstra call (`dijkstra`).

    An origin on an edge the profile may not use (steps, for a profile that avoids
    them) reaches nothing: snap with `avoid_steps=profile.avoid_steps` to avoid that.
    """
    _check(cutoff_s)
    if not origins:
        return []
    edge, to_u, to_v, leg = _origin_terms(network, profile, origins)
    bounds, nodes, seconds = reach_nodes(
        network.csr(profile),
        np.stack((network.edge_u[edge], network.edge_v[edge]), axis=1),
        np.stack((leg + to_u, leg + to_v), axis=1),
        float(cutoff_s),
    )
    cuts = bounds.tolist()
    return [
        Reach(network, profile, origin, float(cutoff_s), nodes[a:b], seconds[a:b])
        for origin, a, b in zip(origins, cuts[:-1], cuts[1:], strict=True)
    ]


def seconds_from(
    network: WalkNetwork, profile: WalkProfile, origin: Snap, cutoff_s: float
) -> Reach:
    """Seconds from one snapped origin to every node within `cutoff_s` (see module doc)."""
    return reach_many(network, profile, [origin], cutoff_s)[0]


def seconds_to_targets(reach: Reach, targets: Sequence[Snap | None]) -> NDArray[np.float64]:
    """Walking seconds from the reach's origin to each snapped target, legs included.

    ∞ for a target that is None, beyond the cutoff, or on an edge the profile may not use.
    """
    out = np.full(len(targets), np.inf)
    present = [i for i, t in enumerate(targets) if t is not None]
    if not present:
        return out
    snaps = [t for t in targets if t is not None]
    network, profile = reach.network, reach.profile
    edge, to_u, to_v, leg = _origin_terms(network, profile, snaps)
    dense = reach.dense()
    via_u = dense[network.edge_u[edge]] + to_u
    via_v = dense[network.edge_v[edge]] + to_v
    best = np.minimum(via_u, via_v)
    o_edge, o_to_u, _, o_leg = _origin_terms(network, profile, [reach.origin])
    same = edge == o_edge[0]
    if same.any() and np.isfinite(o_to_u[0]):
        # Both positions as seconds from u along the same edge; the gap is walked directly.
        direct = o_leg[0] + np.abs(to_u[same] - o_to_u[0])
        best[same] = np.minimum(best[same], direct)
    total = best + leg
    total[~(total <= reach.cutoff_s)] = np.inf
    out[present] = total
    return out
