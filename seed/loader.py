"""Write the sample cities into PostGIS in one transaction (psycopg 3, COPY + staging tables).

The shipped policy rule files are stored as published versions in the same transaction
(seed/policy_loader.py).

Loading replaces: the sample facilities of these cities are deleted and their regions
upserted (stale ones removed) in the same transaction, so a second load gives the same
database as the first. Geometries travel as WKB in bound parameters or COPY rows and are
turned into PostGIS values by ST_GeomFromWKB / ST_GeogFromWKB.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy.engine import make_url

from seed.build import sample_cities
from seed.facilities import search_document
from seed.network_loader import replace_networks
from seed.networks import sample_networks
from seed.policy_loader import load_policies
from seed.regions import COUNTIES
from seed.rows import FacilityRow, RegionRow, SampleCities

LEVELS_CHILD_FIRST = ("community", "township", "county", "city")

UPSERT_REGION = """
INSERT INTO region (code, name, level, unit_type, parent_code, city_code, boundary,
                    boundary_source, seat, urban_rural, pop_total, pop_60p, pop_65p, pop_0_3,
                    pop_source)
VALUES (%s, %s, %s, %s, %s, %s, ST_Multi(ST_GeomFromWKB(%s, 4326)), %s, ST_GeogFromWKB(%s),
        %s, %s, %s, %s, %s, %s)
ON CONFLICT (code) DO UPDATE SET
    name = EXCLUDED.name, level = EXCLUDED.level, unit_type = EXCLUDED.unit_type,
    parent_code = EXCLUDED.parent_code, city_code = EXCLUDED.city_code,
    boundary = EXCLUDED.boundary, boundary_source = EXCLUDED.boundary_source,
    seat = EXCLUDED.seat, urban_rural = EXCLUDED.urban_rural, pop_total = EXCLUDED.pop_total,
    pop_60p = EXCLUDED.pop_60p, pop_65p = EXCLUDED.pop_65p, pop_0_3 = EXCLUDED.pop_0_3,
    pop_source = EXCLUDED.pop_source
"""

# Staging columns are the facility columns in order, with location as WKB and the search
# document as text; the INSERT … SELECT below turns them into geography and tsvector.
CREATE_SEED_FACILITY = (
    "CREATE TEMP TABLE seed_facility ("
    "public_id text, name text, kinds text[], services text[], operator_name text, "
    "ownership text, address text, location_wkb bytea, city_code text, county_code text, "
    "township_code text, community_code text, phone text, opening_hours_text text, "
    "open_24h boolean, beds integer, nursing_beds integer, childcare_places integer, "
    "meals_per_day integer, vacant_beds integer, vacant_childcare_places integer, "
    "vacancy_reported_at timestamptz, puhui boolean, puhui_source text, puhui_certified_on date, "
    "elder_min_age_years smallint, child_min_age_months smallint, child_max_age_months smallint, "
    "accessibility text[], grade_scale text, grade_value smallint, status text, "
    "data_source text, is_sample boolean, last_verified_at timestamptz, extra jsonb, "
    "search_text text"
    ") ON COMMIT DROP"
)
PLAIN_COLUMNS = (
    "public_id, name, kinds, services, operator_name, ownership, address, city_code, "
    "county_code, township_code, community_code, phone, opening_hours_text, open_24h, beds, "
    "nursing_beds, childcare_places, meals_per_day, vacant_beds, vacant_childcare_places, "
    "vacancy_reported_at, puhui, puhui_source, puhui_certified_on, elder_min_age_years, "
    "child_min_age_months, child_max_age_months, accessibility, grade_scale, grade_value, "
    "status, data_source, is_sample, last_verified_at, extra"
)
INSERT_FACILITIES = f"""
INSERT INTO facility ({PLAIN_COLUMNS}, location, search_tokens)
SELECT {PLAIN_COLUMNS}, ST_GeogFromWKB(location_wkb), to_tsvector('simple', search_text)
FROM seed_facility
"""  # noqa: S608 - constant column lists, no values
INSERT_HOURS = """
INSERT INTO facility_hours (facility_id, city_code, weekday, opens, closes)
SELECT f.id, f.city_code, h.weekday, h.opens, h.closes
FROM seed_hours h JOIN facility f USING (public_id)
ORDER BY h.n
"""
INSERT_PRICES = """
INSERT INTO facility_price (facility_id, city_code, item, amount_fen, unit, puhui)
SELECT f.id, f.city_code, p.item, p.amount_fen, p.unit, p.puhui
FROM seed_price p JOIN facility f USING (public_id)
ORDER BY p.n
"""


def conninfo(sync_url: str) -> str:
    """A libpq URL from a SQLAlchemy one (postgresql+psycopg://… or postgresql://…)."""
    return make_url(sync_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _region_params(r: RegionRow) -> tuple[object, ...]:
    return (
        r.code,
        r.name,
        r.level,
        r.unit_type,
        r.parent_code,
        r.city_code,
        r.boundary.wkb if r.boundary is not None else None,
        r.boundary_source,
        r.seat.wkb if r.seat is not None else None,
        r.urban_rural,
        r.pop_total,
        r.pop_60p,
        r.pop_65p,
        r.pop_0_3,
        r.pop_source,
    )


def _facility_copy_row(f: FacilityRow) -> tuple[object, ...]:
    return (
        f.public_id,
        f.name,
        list(f.kinds),
        list(f.services),
        f.operator_name,
        f.ownership,
        f.address,
        f.location.wkb,
        f.city_code,
        f.county_code,
        f.township_code,
        f.community_code,
        f.phone,
        f.opening_hours_text,
        f.open_24h,
        f.beds,
        f.nursing_beds,
        f.childcare_places,
        f.meals_per_day,
        f.vacant_beds,
        f.vacant_childcare_places,
        f.vacancy_reported_at,
        f.puhui,
        f.puhui_source,
        f.puhui_certified_on,
        f.elder_min_age_years,
        f.child_min_age_months,
        f.child_max_age_months,
        list(f.accessibility),
        f.grade_scale,
        f.grade_value,
        f.status,
        f.data_source,
        f.is_sample,
        f.last_verified_at,
        Jsonb(f.extra),
        search_document(f),
    )


def _replace_regions(
    cur: psycopg.Cursor[tuple[object, ...]], regions: Sequence[RegionRow], city_codes: list[str]
) -> None:
    cur.executemany(UPSERT_REGION, [_region_params(r) for r in regions])
    keep = [r.code for r in regions]
    for level in LEVELS_CHILD_FIRST:
        cur.execute(
            "DELETE FROM region WHERE city_code = ANY(%s) AND level = %s AND NOT code = ANY(%s)",
            (city_codes, level, keep),
        )


def _copy_facilities(
    cur: psycopg.Cursor[tuple[object, ...]], facilities: Sequence[FacilityRow]
) -> None:
    cur.execute(CREATE_SEED_FACILITY)
    cur.execute(
        "CREATE TEMP TABLE seed_hours (n bigint GENERATED ALWAYS AS IDENTITY, public_id text, "
        "weekday smallint, opens time, closes time) ON COMMIT DROP"
    )
    cur.execute(
        "CREATE TEMP TABLE seed_price (n bigint GENERATED ALWAYS AS IDENTITY, public_id text, "
        "item text, amount_fen integer, unit text, puhui boolean) ON COMMIT DROP"
    )
    with cur.copy("COPY seed_facility FROM STDIN") as copy:
        for f in facilities:
            copy.write_row(_facility_copy_row(f))
    # Rows keep the file's order (their ids, and so the listed order, follow it).
    with cur.copy("COPY seed_hours (public_id, weekday, opens, closes) FROM STDIN") as copy:
        for f in facilities:
            for h in f.hours:
                copy.write_row((f.public_id, h.weekday, h.opens.isoformat(), h.closes_text))
    with cur.copy("COPY seed_price (public_id, item, amount_fen, unit, puhui) FROM STDIN") as copy:
        for f in facilities:
            for p in f.prices:
                copy.write_row((f.public_id, p.item, p.amount_fen, p.unit, p.puhui))
    cur.execute(INSERT_FACILITIES)
    cur.execute(INSERT_HOURS)
    cur.execute(INSERT_PRICES)


def load(sync_url: str, cities: SampleCities) -> dict[str, int]:
    """Replace the sample rows of `cities` in the database; counts of rows written per table."""
    city_codes = list(cities.city_codes)
    with psycopg.connect(conninfo(sync_url)) as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute("DELETE FROM facility WHERE is_sample AND city_code = ANY(%s)", (city_codes,))
        _replace_regions(cur, cities.regions, city_codes)
        _copy_facilities(cur, cities.facilities)
        network_counts = replace_networks(cur, sample_networks(cities))
        policy_versions = load_policies(cur)
        cur.execute(
            "ANALYZE region, facility, facility_hours, facility_price, walk_node, walk_edge"
        )
    return {
        **network_counts,
        "policy_ruleset": policy_versions,
        "region": len(cities.regions),
        "facility": len(cities.facilities),
        "facility_hours": sum(len(f.hours) for f in cities.facilities),
        "facility_price": sum(len(f.prices) for f in cities.facilities),
    }


def load_sample_cities(sync_url: str) -> dict[str, int]:
    """Build (once per process) and load the sample cities; counts of rows per table."""
    return load(sync_url, sample_cities())


def is_loaded(sync_url: str) -> bool:
    """Whether the database already holds the sample regions, facilities and rule sets."""
    codes = list(COUNTIES)
    with psycopg.connect(conninfo(sync_url)) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM region WHERE code = ANY(%s)) = cardinality(%s::text[])"
            " AND EXISTS (SELECT 1 FROM facility WHERE is_sample AND city_code = ANY(%s))"
            " AND EXISTS (SELECT 1 FROM policy_ruleset)",
            (codes, codes, codes),
        ).fetchone()
    return bool(row and row[0])
