"""Maximal covering location (MCLP, Church & ReVelle 1974): k new sites covering the most
weight (uncovered residents), existing facilities fixed (their residents are left out).

    max Σ_i w_i y_i   s.t.  y_i ≤ Σ_j a_ij x_j,  Σ_j x_j ≤ k,  x_j ∈ {0, 1},  0 ≤ y_i ≤ 1

`a_ij` = 1 when candidate j covers demand i. With binary x the continuous y take
min(1, Σ_j a_ij x_j) at an optimum, so only the x are integer.

- exact: scipy.optimize.milp (HiGHS branch and cut); its dual bound gives the gap
  (0 when solved to optimality within the time limit).
- greedy: pick the candidate adding the most uncovered weight, k times (ties: lowest
  index). Greedy is a (1 − 1/e)-approximation for this submodular objective
  (Nemhauser, Wolsey & Fisher 1978); the gap reported is against the LP relaxation
  (scipy.optimize.linprog, HiGHS), an upper bound on the optimum, so it is pessimistic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csc_matrix, csr_matrix, hstack, identity, vstack


@dataclass(frozen=True, slots=True)
class Solution:
    """Chosen candidates in order of marginal gain, each one's added weight, the total,
    an upper bound on the optimum and the relative gap (bound − total) / bound."""

    chosen: tuple[int, ...]
    gains: tuple[float, ...]
    covered: float
    bound: float
    gap: float
    method: str


def _order(
    cover: csc_matrix, weight: NDArray[np.float64], chosen: list[int]
) -> tuple[list[int], list[float]]:
    """The chosen sites re-ordered greedily, with the weight each adds to those before it."""
    left = list(chosen)
    done = np.zeros(cover.shape[0], dtype=bool)
    order: list[int] = []
    gains: list[float] = []
    while left:
        best, best_gain = left[0], -1.0
        for j in left:
            rows = cover.indices[cover.indptr[j] : cover.indptr[j + 1]]
            g = float(weight[rows[~done[rows]]].sum())
            if g > best_gain or (g == best_gain and j < best):
                best, best_gain = j, g
        left.remove(best)
        rows = cover.indices[cover.indptr[best] : cover.indptr[best + 1]]
        done[rows] = True
        order.append(best)
        gains.append(best_gain)
    return order, gains


def greedy(cover: csr_matrix, weight: NDArray[np.float64], k: int) -> list[int]:
    """Greedy picks (lowest index on ties); stops early when nothing more can be added."""
    csc = csc_matrix(cover, dtype=np.float64)
    csr = csr_matrix(cover, dtype=np.float64)
    gain = np.asarray(csc.T @ weight, dtype=np.float64).ravel()
    done = np.zeros(cover.shape[0], dtype=bool)
    chosen: list[int] = []
    for _ in range(min(k, cover.shape[1])):
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        chosen.append(j)
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        rows = rows[~done[rows]]
        done[rows] = True
        if len(rows):
            gain -= np.asarray(csr[rows].T @ weight[rows], dtype=np.float64).ravel()
        gain[j] = -np.inf
    return chosen


def _model(
    cover: csr_matrix, weight: NDArray[np.float64], k: int
) -> tuple[NDArray[np.float64], LinearConstraint]:
    n_dem, n_cand = cover.shape
    c = np.concatenate((np.zeros(n_cand), -weight))
    link = hstack((-csr_matrix(cover, dtype=np.float64), identity(n_dem, format="csr")))
    budget = hstack((csr_matrix(np.ones((1, n_cand))), csr_matrix((1, n_dem))))
    a = vstack((link, budget)).tocsr()
    upper = np.concatenate((np.zeros(n_dem), [float(k)]))
    return c, LinearConstraint(a, -np.inf, upper)


def lp_bound(cover: csr_matrix, weight: NDArray[np.float64], k: int) -> float:
    """The LP relaxation's optimum: an upper bound on what any k sites can cover."""
    c, cons = _model(cover, weight, k)
    result = linprog(c, A_ub=cons.A, b_ub=cons.ub, bounds=(0, 1), method="highs")
    if result.status != 0:
        raise RuntimeError(f"LP relaxation failed: {result.message}")
    return float(-result.fun)


def solve(
    cover: csr_matrix,
    weight: NDArray[np.float64],
    k: int,
    *,
    exact: bool,
    time_limit_s: float = 20.0,
) -> Solution:
    """Solve the MCLP for demand × candidate `cover` (booleans) and demand `weight`."""
    weight = np.asarray(weight, dtype=np.float64)
    if cover.shape[0] != len(weight):
        raise ValueError("cover needs one row per demand weight")
    if k < 1:
        raise ValueError("k must be at least 1")
    csc = csc_matrix(cover, dtype=np.float64)
    csc.data[:] = 1.0
    if cover.shape[1] == 0 or not weight.sum() > 0:
        return Solution((), (), 0.0, 0.0, 0.0, "exact" if exact else "greedy")
    chosen: list[int] | None = None
    if exact:
        c, cons = _model(cover, weight, k)
        n_cand = cover.shape[1]
        integrality = np.concatenate((np.ones(n_cand), np.zeros(cover.shape[0])))
        result = milp(
            c,
            constraints=[cons],
            integrality=integrality,
            bounds=Bounds(0, 1),
            options={"time_limit": time_limit_s, "mip_rel_gap": 0.0},
        )
        if result.x is not None:
            chosen = [int(j) for j in np.flatnonzero(result.x[:n_cand] > 0.5)]
            bound = float(-getattr(result, "mip_dual_bound", result.fun))
            method = "exact: scipy.optimize.milp (HiGHS)"
            if result.status != 0:
                method += f", stopped at the {time_limit_s:g} s time limit"
    if chosen is None:
        chosen = greedy(cover, weight, k)
        bound = lp_bound(cover, weight, k)
        method = "greedy (largest marginal gain), gap against the LP relaxation bound"
        if exact:
            method += f" (the MILP found no solution within {time_limit_s:g} s)"
    order, gains = _order(csc, weight, chosen)
    total = float(sum(gains))
    bound = max(bound, total)
    gap = 0.0 if bound <= 0 else max(0.0, (bound - total) / bound)
    gap = 0.0 if gap < 1e-9 else gap
    return Solution(tuple(order), tuple(gains), total, bound, gap, method)
