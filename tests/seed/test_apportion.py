from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seed.apportion import Population, allocate_population, apportion

weights_st = st.lists(
    st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e6)), min_size=1, max_size=60
)


@given(total=st.integers(min_value=0, max_value=3_000_000), weights=weights_st)
def test_parts_sum_exactly_and_stay_within_one_of_the_quota(
    total: int, weights: list[float]
) -> None:
    parts = apportion(total, weights)
    assert sum(parts) == total
    if not sum(weights):
        weights = [1.0] * len(weights)
    for part, weight in zip(parts, weights, strict=True):
        quota = total * weight / sum(weights)
        assert math.floor(quota - 1e-6) <= part <= math.ceil(quota + 1e-6)


def test_ties_go_to_the_earlier_part() -> None:
    assert apportion(5, [1, 1, 1]) == [2, 2, 1]
    assert apportion(0, []) == []


def test_negative_input_is_refused() -> None:
    with pytest.raises(ValueError):
        apportion(-1, [1.0])
    with pytest.raises(ValueError):
        apportion(3, [1.0, -1.0])
    with pytest.raises(ValueError):
        apportion(3, [])


@given(
    total=st.integers(min_value=10_000, max_value=2_000_000),
    share_urban=st.floats(min_value=0.0, max_value=1.0),
    kinds=st.lists(st.booleans(), min_size=1, max_size=50),
    data=st.data(),
)
def test_township_figures_sum_to_the_county(
    total: int, share_urban: float, kinds: list[bool], data: st.DataObject
) -> None:
    county = Population(total, total * 28 // 100, total * 22 // 100, total * 2 // 100)
    weights = data.draw(st.lists(st.floats(0.1, 100.0), min_size=len(kinds), max_size=len(kinds)))
    towns = allocate_population(county, share_urban, kinds, weights)
    assert sum(t.total for t in towns) == county.total
    assert sum(t.age60p for t in towns) == county.age60p
    assert sum(t.age65p for t in towns) == county.age65p
    assert sum(t.age0_3 for t in towns) == county.age0_3


def test_rural_townships_get_the_higher_elderly_share() -> None:
    county = Population(total=100_000, age60p=25_000, age65p=20_000, age0_3=2_000)
    street, town = allocate_population(county, 0.5, [True, False], [1.0, 1.0])
    assert street.total == town.total == 50_000
    assert town.age60p / town.total > street.age60p / street.total
