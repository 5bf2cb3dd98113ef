"""Facilities: synthetic, labelled, deterministic, inside their places, internally consistent."""

from __future__ import annotations

import re
from collections import Counter
from datetime import time

import pytest

from app.domain.vocabulary import ACCESSIBILITY_FEATURES, kinds, ownerships, services
from seed.build import build_sample_cities
from seed.facilities import search_document
from seed.rows import SAMPLE_DATA_SOURCE, FacilityRow, RegionRow, SampleCities
from seed.sources import data_dir, read_roads
from seed.tiling import LocalProjection
from seed.wuhou_plan import walkable

ZIYANG = "512000"


def test_the_same_build_gives_identical_rows(cities: SampleCities) -> None:
    again = build_sample_cities()
    assert again.facilities == cities.facilities
    assert [r.boundary.wkb if r.boundary else None for r in again.regions] == [
        r.boundary.wkb if r.boundary else None for r in cities.regions
    ]
    assert [r for r in again.regions] == list(cities.regions)


def test_every_kind_occurs_in_ziyang(cities: SampleCities) -> None:
    present = {k for f in cities.facilities if f.city_code == ZIYANG for k in f.kinds}
    assert present == set(kinds())


def test_plausible_ziyang_counts(cities: SampleCities) -> None:
    primary = Counter(f.kinds[0] for f in cities.facilities if f.city_code == ZIYANG)
    residential = (
        *("eldercare_institution", "social_welfare_institute", "county_care_home"),
        *("disability_care_center", "dementia_care_home", "township_care_home"),
        *("regional_eldercare_center", "community_care_home", "senior_housing"),
        "nursing_hospital",
    )
    assert 100 <= sum(primary[k] for k in residential) <= 115
    assert 150 <= primary["day_care_center"] <= 180
    assert primary["meal_point"] >= 30
    assert primary["central_kitchen"] == 4
    assert 10 <= primary["integrated_medical_eldercare"] <= 20
    assert primary["childcare_center"] == 11
    assert 70 <= primary["nursery_class"] + primary["early_education_center"] <= 90
    assert primary["county_model_childcare_center"] == 3
    assert 40 <= sum(1 for f in cities.facilities if f.county_code == "510107") <= 60


def test_labelled_as_sample(cities: SampleCities) -> None:
    for f in cities.facilities:
        assert f.name.endswith("（示例）")
        assert f.is_sample and f.data_source == SAMPLE_DATA_SOURCE
        if f.operator_name:
            assert f.operator_name.endswith("（示例）")
    assert len({f.name for f in cities.facilities}) == len(cities.facilities)


def test_public_ids_are_stable_hashes(cities: SampleCities) -> None:
    ids = [f.public_id for f in cities.facilities]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"f_[0-9a-f]{12}", i) for i in ids)


def test_codes_come_from_the_vocabularies(cities: SampleCities) -> None:
    for f in cities.facilities:
        assert set(f.kinds) <= set(kinds()) and len(f.kinds) == len(set(f.kinds))
        assert set(f.services) <= set(services())
        assert f.ownership in ownerships()
        assert set(f.accessibility) <= set(ACCESSIBILITY_FEATURES)
    assert any(len(f.kinds) == 2 for f in cities.facilities)


def test_facilities_lie_in_their_township_and_community(
    cities: SampleCities, regions_by_code: dict[str, RegionRow]
) -> None:
    for f in cities.facilities:
        township = regions_by_code[f.township_code]
        assert township.parent_code == f.county_code
        assert regions_by_code[f.county_code].parent_code == f.city_code
        assert township.boundary is not None and township.boundary.covers(f.location)
        for community in (r for r in cities.regions if r.parent_code == f.township_code):
            assert community.boundary is not None
            inside = community.boundary.covers(f.location)
            assert inside == (f.community_code == community.code), f.name


def test_addresses_name_county_and_township(
    cities: SampleCities, regions_by_code: dict[str, RegionRow]
) -> None:
    for f in cities.facilities:
        county, township = regions_by_code[f.county_code], regions_by_code[f.township_code]
        assert f.address.startswith("四川省")
        assert county.name in f.address and township.name in f.address
        assert "雁江" in search_document(f) or f.county_code != "512002"


def test_wuhou_sites_are_beside_walkable_streets(
    cities: SampleCities, regions_by_code: dict[str, RegionRow]
) -> None:
    wuhou = regions_by_code["510107"].boundary
    proj = LocalProjection(104.058, 30.636)
    streets = [proj.to_metres(r.line) for r in walkable(read_roads(data_dir()))]
    sites = [f for f in cities.facilities if f.county_code == "510107"]
    for f in sites:
        assert wuhou is not None and wuhou.covers(f.location)
        here = proj.to_metres(f.location)
        assert min(here.distance(line) for line in streets) <= 30.0


def test_capacities_and_vacancies(cities: SampleCities) -> None:
    for f in cities.facilities:
        if f.nursing_beds is not None:
            assert f.beds is not None and 0 <= f.nursing_beds <= f.beds
        if f.vacant_beds is not None:
            assert f.beds is not None and 0 <= f.vacant_beds <= f.beds
        if f.vacant_childcare_places is not None:
            assert f.childcare_places is not None
            assert 0 <= f.vacant_childcare_places <= f.childcare_places
        has_vacancy = f.vacant_beds is not None or f.vacant_childcare_places is not None
        assert (f.vacancy_reported_at is not None) == has_vacancy
        if f.status != "open":
            assert not has_vacancy and not f.hours and not f.open_24h
    vacancies = [f.vacant_beds for f in cities.facilities if f.beds and f.status == "open"]
    assert 0 in vacancies and None in vacancies


def test_nursery_classes_hold_at_most_twenty_a_class(cities: SampleCities) -> None:
    for f in cities.facilities:
        if f.kinds[0] == "nursery_class":
            classes = f.extra["classes"]
            assert isinstance(classes, int) and f.childcare_places is not None
            assert f.childcare_places <= 20 * classes
            assert (f.child_min_age_months, f.child_max_age_months) == (24, 36)


def _hours(f: FacilityRow) -> set[tuple[int, time, time | None]]:
    return {(h.weekday, h.opens, h.closes) for h in f.hours}


@pytest.mark.parametrize(
    ("kind", "days", "intervals"),
    [
        ("township_care_home", range(1, 8), [(time(0), None)]),
        ("day_care_center", range(1, 7), [(time(8), time(17, 30))]),
        ("meal_point", range(1, 8), [(time(10, 30), time(13)), (time(16, 30), time(18, 30))]),
        ("childcare_center", range(1, 6), [(time(7, 30), time(18))]),
    ],
)
def test_opening_hours(
    cities: SampleCities, kind: str, days: range, intervals: list[tuple[time, time | None]]
) -> None:
    expected = {(d, opens, closes) for d in days for opens, closes in intervals}
    sites = [f for f in cities.facilities if f.kinds[0] == kind and f.status == "open"]
    assert sites
    for f in sites:
        assert _hours(f) == expected and f.opening_hours_text
        assert f.open_24h == (kind == "township_care_home")


def test_prices_and_puhui(cities: SampleCities) -> None:
    for f in cities.facilities:
        for p in f.prices:
            assert isinstance(p.amount_fen, int) and p.amount_fen > 0 and p.amount_fen % 100 == 0
            assert p.puhui == f.puhui
        assert (f.puhui_source is not None) == f.puhui == (f.puhui_certified_on is not None)


def test_grades_are_ziyang_levels(cities: SampleCities) -> None:
    graded = [(f, f.grade_value) for f in cities.facilities if f.grade_value is not None]
    assert graded
    for f, value in graded:
        assert f.city_code == ZIYANG and f.grade_scale == "level" and 1 <= value <= 4


def test_statuses_and_ages(cities: SampleCities) -> None:
    assert set(Counter(f.status for f in cities.facilities)) == {
        "open", "planned", "under_construction", "suspended", "closed",
    }  # fmt: skip
    for f in cities.facilities:
        if f.kinds[0] in ("day_care_center", "township_care_home", "meal_point"):
            assert f.elder_min_age_years == 60
        if f.phone is not None:
            assert re.fullmatch(r"028-\d{8}", f.phone)
        assert (f.last_verified_at.year, f.last_verified_at.month) in ((2026, 9), (2026, 10))
        if f.vacancy_reported_at is not None:
            assert (f.vacancy_reported_at.year, f.vacancy_reported_at.month) == (2026, 10)
