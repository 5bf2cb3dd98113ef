"""OpenStreetMap XML (.osm, as written by JOSM, Overpass or osmium) → walking nodes and edges.

Ways with a walkable `highway` tag (the same rules as `seed.networks.import_osm_geojson`:
no motorways, nothing tagged foot=no or access=no without foot) are split into edges at
every node shared with another walkable way and at their ends, so junctions are nodes.
Node ids are the OSM ids; lengths are measured on the ellipsoid; `highway=steps` marks
steps. Ways that name a node missing from the file are an error, not silently cut.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from geo.walk import Edge, Node, polyline_length_m
from seed.networks import walkable


class OsmXmlError(ValueError):
    """The file is not OSM XML we can read; the message says where."""


def _parse(
    path: Path,
) -> tuple[dict[int, tuple[float, float]], list[tuple[list[int], dict[str, str]]]]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise OsmXmlError(f"{path}: not valid XML ({exc})") from None
    if root.tag != "osm":
        raise OsmXmlError(f"{path}: the root element is <{root.tag}>, not <osm>")
    points: dict[int, tuple[float, float]] = {}
    ways: list[tuple[list[int], dict[str, str]]] = []
    for element in root:
        try:
            if element.tag == "node":
                points[int(element.attrib["id"])] = (
                    float(element.attrib["lon"]),
                    float(element.attrib["lat"]),
                )
            elif element.tag == "way":
                tags = {t.attrib["k"]: t.attrib["v"] for t in element.iter("tag")}
                refs = [int(nd.attrib["ref"]) for nd in element.iter("nd")]
                ways.append((refs, tags))
        except (KeyError, ValueError) as exc:
            raise OsmXmlError(
                f"{path}: <{element.tag} id={element.attrib.get('id')!r}> is malformed ({exc})"
            ) from None
    return points, ways


def import_osm_xml(path: Path) -> tuple[list[Node], list[Edge]]:
    """Walkable ways of an OSM XML file as nodes and edges (all components)."""
    points, ways = _parse(Path(path))
    kept = [
        (refs, tags)
        for refs, tags in ways
        if "highway" in tags and len(refs) >= 2 and walkable(dict(tags))
    ]
    uses = Counter(ref for refs, _ in kept for ref in set(refs))
    edges: list[Edge] = []
    used: set[int] = set()
    for refs, tags in kept:
        missing = [r for r in refs if r not in points]
        if missing:
            raise OsmXmlError(f"{path}: a way refers to node {missing[0]}, which the file lacks")
        start = 0
        for i in range(1, len(refs)):
            if i == len(refs) - 1 or uses[refs[i]] > 1:
                coords = tuple(points[r] for r in refs[start : i + 1])
                edges.append(
                    Edge(
                        refs[start],
                        refs[i],
                        polyline_length_m(coords),
                        tags["highway"] == "steps",
                        tags["highway"],
                        coords,
                        tags.get("name") or None,
                    )
                )
                used.update((refs[start], refs[i]))
                start = i
    nodes = [Node(ref, *points[ref]) for ref in sorted(used)]
    return nodes, edges
