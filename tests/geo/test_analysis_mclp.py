"""Site suggestions: the MCLP solved exactly agrees with spopt's MCLP on the same instance."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from geo.analysis import mclp
from geo.walk import seconds_from, seconds_to_targets, snap_many
from tests.geo.test_analysis_access import OLDER, grid_network


def walking_instance() -> tuple[np.ndarray, np.ndarray]:
    """Seconds from 10 candidate sites to 45 homes on a lattice, and the homes' residents."""
    network = grid_network()
    rng = random.Random(2026)
    homes = [(104.60 + rng.random() * 0.011, 30.10 + rng.random() * 0.011) for _ in range(45)]
    sites = [(104.60 + rng.random() * 0.011, 30.10 + rng.random() * 0.011) for _ in range(10)]
    h_snaps = snap_many(network, homes, max_distance_m=300)
    cost = np.array(
        [
            seconds_to_targets(seconds_from(network, OLDER, s, 1e5), h_snaps)
            for s in snap_many(network, sites, max_distance_m=300)
            if s is not None
        ]
    ).T
    weights = np.array([rng.randint(20, 400) for _ in homes], dtype=np.float64)
    return cost, weights


# spopt 0.7 builds its model with PuLP calls that PuLP 3.3 marks deprecated.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_exact_mclp_matches_spopt_on_a_small_walking_instance() -> None:
    spopt_locate = pytest.importorskip("spopt.locate")
    pulp = pytest.importorskip("pulp")
    cost, weights = walking_instance()
    radius_s, k = 420.0, 3
    ours = mclp.solve(csr_matrix(cost <= radius_s), weights, k, exact=True)

    model = spopt_locate.MCLP.from_cost_matrix(cost, weights, radius_s, p_facilities=k)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    theirs = float(pulp.value(model.problem.objective))

    assert ours.covered == theirs
    assert ours.gap == 0.0
    assert len(ours.chosen) == k
    assert ours.covered == weights[(cost[:, list(ours.chosen)] <= radius_s).any(axis=1)].sum()


def test_greedy_stays_within_its_reported_bound() -> None:
    cost, weights = walking_instance()
    cover = csr_matrix(cost <= 420.0)
    exact = mclp.solve(cover, weights, 3, exact=True)
    heuristic = mclp.solve(cover, weights, 3, exact=False)
    assert heuristic.covered <= exact.covered <= heuristic.bound
    assert heuristic.gap == pytest.approx((heuristic.bound - heuristic.covered) / heuristic.bound)
    assert heuristic.covered >= (1 - 1 / np.e) * exact.covered
    assert list(heuristic.gains) == sorted(heuristic.gains, reverse=True)


def test_gains_add_up_to_the_people_covered() -> None:
    cost, weights = walking_instance()
    result = mclp.solve(csr_matrix(cost <= 420.0), weights, 4, exact=True)
    assert sum(result.gains) == result.covered
