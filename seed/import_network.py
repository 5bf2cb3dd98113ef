"""Import an OpenStreetMap extract as one city's walking network, replacing the old one.

    python -m seed.import_network --city 510100 ../shared/data/roads/chengdu_wuhou_osm_roads_wgs84.geojson

Reads GeoJSON LineStrings (`.geojson`/`.json`, as in ../shared/data/roads) or OSM XML
(`.osm`), keeps the walkable ways and the largest connected component, checks the result
builds a `geo.walk.WalkNetwork`, then deletes the city's walk_node/walk_edge rows and
writes the new ones in one transaction: on any error nothing is changed. Context
features (map_feature, e.g. the 沱江) are kept. Running services read networks at
start-up, so restart them afterwards.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import psycopg

from app.settings import Settings
from geo.walk import WalkNetwork, largest_component
from seed.loader import conninfo
from seed.network_loader import replace_networks
from seed.networks import CityNetwork, import_osm_geojson
from seed.osm_xml import import_osm_xml

GEOJSON_SUFFIXES = frozenset({".geojson", ".json"})
XML_SUFFIXES = frozenset({".osm", ".xml"})


class NetworkImportError(ValueError):
    """A file or city the importer cannot use; the message says which and why."""


def read_network(path: Path, city_code: str, source: str | None = None) -> CityNetwork:
    """The walkable main component of an OSM extract, validated, as `city_code`'s network."""
    suffix = path.suffix.lower()
    try:
        if suffix in GEOJSON_SUFFIXES:
            nodes, edges = import_osm_geojson(path)
        elif suffix in XML_SUFFIXES:
            nodes, edges = import_osm_xml(path)
        else:
            raise NetworkImportError(
                f"{path}: unknown format {suffix!r}; give .geojson/.json (LineStrings) or .osm (XML)"
            )
    except OSError as exc:
        raise NetworkImportError(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise NetworkImportError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, NetworkImportError):
            raise
        raise NetworkImportError(f"{path}: not an OSM street extract ({exc})") from None
    if not edges:
        raise NetworkImportError(f"{path}: no walkable LineString/way found")
    nodes, edges = largest_component(nodes, edges)
    try:
        WalkNetwork(nodes, edges)
    except ValueError as exc:
        raise NetworkImportError(f"{path}: {exc}") from None
    text = source or f"{path.name}: © OpenStreetMap contributors, ODbL 1.0; largest component"
    return CityNetwork(city_code, tuple(nodes), tuple(edges), text)


def import_network(sync_url: str, city_code: str, path: Path) -> dict[str, int]:
    """Replace `city_code`'s walking network with the extract at `path`; rows written."""
    network = read_network(path, city_code)
    with psycopg.connect(conninfo(sync_url)) as conn, conn.transaction(), conn.cursor() as cur:
        found = cur.execute(
            "SELECT 1 FROM region WHERE code = %s AND level = 'city'", (city_code,)
        ).fetchone()
        if found is None:
            raise NetworkImportError(f"no city with code {city_code!r} in the database")
        counts = replace_networks(cur, [network], replace_features=False)
        cur.execute("ANALYZE walk_node, walk_edge")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seed.import_network", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--city", required=True, help="city code (region level 'city'), e.g. 510100"
    )
    parser.add_argument("path", type=Path, help="OSM extract: .geojson/.json or .osm")
    args = parser.parse_args(argv)
    try:
        counts = import_network(Settings().sync_database_url, args.city, args.path)
    except NetworkImportError as exc:
        print(f"error: {exc}; nothing was changed", file=sys.stderr)
        return 1
    print(f"city {args.city}: {counts['walk_node']} nodes, {counts['walk_edge']} edges imported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
