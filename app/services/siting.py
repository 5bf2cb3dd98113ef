"""Where the next k sites of a kind should go: a maximal covering location model.

Demand: the region's residents of the kind's group outside the circle today (existing
open facilities fixed). Candidates: for each uncovered populated hexagon, the point of
the walking network nearest its centre, the most populous `max_candidates` hexagons
first. A candidate covers a demand piece when the walk from it is within the piece's
circle minutes. Small models (≤ `exact_max_candidates` candidates) are solved exactly
with HiGHS; larger ones greedily, with the gap to the LP bound (`geo.analysis.mclp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

from app.errors import BadRequest
from app.services.region_coverage import Access, head
from geo.analysis import mclp
from geo.analysis.access import Nearest, seconds_at, terms
from geo.walk import Snap, reach_many


@dataclass(frozen=True, slots=True)
class SitingLimits:
    max_k: int
    max_candidates: int
    exact_max_candidates: int
    time_limit_s: float


def check_k(k: int, limits: SitingLimits) -> int:
    if not 1 <= k <= limits.max_k:
        raise BadRequest("k", f"must be between 1 and {limits.max_k} (YLYX_SUGGEST_MAX_K); got {k}")
    return k


def suggest(a: Access, k: int, limits: SitingLimits) -> dict[str, Any]:
    """CPU part: candidates, coverage matrix, MCLP; the answer with the gap."""
    city, network, profile = a.city, a.city.walk.network, a.profile
    surface = city.surface
    demand = np.flatnonzero(~a.covered & (a.people > 0) & a.snapped)
    snaps = city.snaps(profile.avoid_steps)
    by_cell: dict[int, int] = {}
    for j in demand.tolist():
        cell = int(surface.cells[a.pieces[j]])
        by_cell[cell] = by_cell.get(cell, 0) + int(a.people[j])
    first_piece: dict[int, int] = {}
    for j in demand.tolist():
        first_piece.setdefault(int(surface.cells[a.pieces[j]]), j)
    ranked = sorted(by_cell, key=lambda c: (-by_cell[c], c))[: limits.max_candidates]
    candidates: list[Snap] = []
    for cell in ranked:
        s = snaps[int(a.pieces[first_piece[cell]])]
        assert s is not None  # demand pieces are snapped
        candidates.append(Snap(s.edge_index, s.offset_m, 0.0, s.lon, s.lat, s.lon, s.lat))
    weight = a.people[demand].astype(np.float64)
    limit_s = float(city.minutes[a.pieces[demand]].max()) * 60.0 if len(demand) else 0.0
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    if len(demand) and candidates:
        at = [snaps[int(a.pieces[j])] for j in demand.tolist()]
        t = terms(network, profile, [s for s in at if s is not None])
        allowed = city.minutes[a.pieces[demand]] * 60.0
        for c, reach in enumerate(reach_many(network, profile, candidates, limit_s)):
            cand_terms = terms(network, profile, [reach.origin])
            near = Nearest(
                reach.dense(), np.zeros(network.node_count, dtype=np.int64), cand_terms, limit_s
            )
            sec, _ = seconds_at(network, near, t)
            hit = np.flatnonzero(sec <= allowed)
            rows.append(hit)
            cols.append(np.full(len(hit), c))
    cover = csr_matrix(
        (
            np.ones(sum(len(r) for r in rows)),
            (np.concatenate(rows) if rows else [], np.concatenate(cols) if cols else []),
        ),
        shape=(len(demand), len(candidates)),
    )
    exact = len(candidates) <= limits.exact_max_candidates
    solution = mclp.solve(cover, weight, k, exact=exact, time_limit_s=limits.time_limit_s)
    before = int(a.people.sum()) - int(a.people[a.covered].sum())
    sites = []
    for rank, (j, gain) in enumerate(zip(solution.chosen, solution.gains, strict=True), 1):
        cand = candidates[j]
        piece = a.pieces[first_piece[ranked[j]]]
        town = surface.townships[int(surface.township[piece])]
        sites.append(
            {
                "rank": rank,
                "lon": cand.lon,
                "lat": cand.lat,
                "adds_population": round(gain),
                "township": {"code": town.code, "name": city.regions[town.code].name},
                "circle_minutes": float(city.minutes[piece]),
            }
        )
    return {
        **head(a),
        "k": k,
        "uncovered_before": before,
        "newly_covered": round(solution.covered),
        "uncovered_after": before - round(solution.covered),
        "method": solution.method,
        "upper_bound": int(np.floor(solution.bound + 1e-6)),
        "gap": round(solution.gap, 6),
        "candidates": len(candidates),
        "candidate_rule": (
            "the walking-network point nearest the centre of each uncovered populated "
            f"hexagon, the {limits.max_candidates} most populous first "
            "(YLYX_SUGGEST_MAX_CANDIDATES)"
        ),
        "demand_pieces": len(demand),
        "sites": sites,
    }
