"""Brute force over every facility in the database, in Python, for comparison."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from geographiclib.geodesic import Geodesic

LIVE = ("open", "suspended", "planned", "under_construction")


@dataclass(frozen=True)
class Site:
    public_id: str
    lon: float
    lat: float
    kinds: tuple[str, ...]
    status: str


def all_sites(dsn: str) -> list[Site]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT public_id, ST_X(location::geometry), ST_Y(location::geometry), kinds, status "
            "FROM facility WHERE deleted_at IS NULL"
        ).fetchall()
    return [Site(r[0], r[1], r[2], tuple(r[3]), r[4]) for r in rows]


def geodesic_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return float(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"])


def nearest(
    sites: list[Site], lon: float, lat: float, radius_m: float, kinds: tuple[str, ...] = ()
) -> list[tuple[str, float]]:
    """(public_id, metres) of live sites within the radius, nearest first, ties by id."""
    found = []
    for site in sites:
        if site.status not in LIVE or (kinds and not set(kinds) & set(site.kinds)):
            continue
        d = geodesic_m(lon, lat, site.lon, site.lat)
        if d <= radius_m:
            found.append((site.public_id, d))
    return sorted(found, key=lambda pair: (pair[1], pair[0]))
