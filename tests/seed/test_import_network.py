"""`python -m seed.import_network`: an OSM extract replaces one city's network, all or nothing."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from seed import sources
from seed.import_network import NetworkImportError, import_network, main

WUHOU_ROADS = sources.data_dir() / sources.ROADS_FILE

# Three ways: a street crossing a footway at node 2, and stairs; plus a motorway (dropped).
OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="30.1200" lon="104.6400"/>
  <node id="2" lat="30.1200" lon="104.6410"/>
  <node id="3" lat="30.1200" lon="104.6420"/>
  <node id="4" lat="30.1210" lon="104.6410"/>
  <node id="5" lat="30.1220" lon="104.6410"/>
  <node id="6" lat="30.1230" lon="104.6410"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/>
    <tag k="name" v="示例路"/></way>
  <way id="11"><nd ref="2"/><nd ref="4"/><nd ref="5"/><tag k="highway" v="footway"/></way>
  <way id="12"><nd ref="5"/><nd ref="6"/><tag k="highway" v="steps"/></way>
  <way id="13"><nd ref="1"/><nd ref="6"/><tag k="highway" v="motorway"/></way>
</osm>
"""


def counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT 'node ' || city_code, count(*) FROM walk_node GROUP BY city_code"
            " UNION ALL SELECT 'edge ' || city_code, count(*) FROM walk_edge GROUP BY city_code"
            " UNION ALL SELECT 'feature ' || city_code, count(*) FROM map_feature GROUP BY city_code"
        ).fetchall()
    return {str(k): int(v) for k, v in rows}


def test_the_real_osm_extract_imports_as_the_seed_loads_it(db_dsn: str) -> None:
    before = counts(db_dsn)
    written = import_network(db_dsn, "510100", WUHOU_ROADS)
    assert written == {"walk_node": 435, "walk_edge": 610, "map_feature": 0}
    assert counts(db_dsn) == before


def test_an_osm_xml_file_replaces_one_city_and_keeps_its_river(db_dsn: str, tmp_path: Path) -> None:
    before = counts(db_dsn)
    path = tmp_path / "yanjiang.osm"
    path.write_text(OSM_XML, "utf-8")
    assert import_network(db_dsn, "512000", path)["walk_edge"] == 4
    after = counts(db_dsn)
    assert after["node 512000"] == 5 and after["edge 512000"] == 4
    assert after["feature 512000"] == before["feature 512000"] == 2
    assert {k: v for k, v in after.items() if "510100" in k} == {
        k: v for k, v in before.items() if "510100" in k
    }
    with psycopg.connect(db_dsn) as conn:
        edges = conn.execute(
            "SELECT u, v, kind, steps, name, round(length_m) FROM walk_edge"
            " WHERE city_code = '512000' ORDER BY u, v"
        ).fetchall()
    assert edges == [
        (1, 2, "residential", False, "示例路", 96),
        (2, 3, "residential", False, "示例路", 96),
        (2, 5, "footway", False, None, 222),
        (5, 6, "steps", True, None, 111),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.geojson", '{"type": "FeatureCollection", "features": [', "not valid JSON (line 1"),
        ("empty.geojson", '{"type": "FeatureCollection", "features": []}', "no walkable"),
        ("list.geojson", "[1, 2]", "not an OSM street extract"),
        (
            "bad.geojson",
            '{"features": [{"geometry": {"type": "LineString", "coordinates": [[1], [2]]}}]}',
            "not an OSM street extract",
        ),
        ("broken.osm", "<osm><node id='1'", "not valid XML"),
        ("gap.osm", OSM_XML.replace('<node id="3" lat="30.1200" lon="104.6420"/>', ""), "node 3"),
        ("roads.shp", "", "unknown format '.shp'"),
    ],
)
def test_a_malformed_file_is_a_clear_error_and_changes_nothing(
    db_dsn: str, tmp_path: Path, name: str, content: str, message: str
) -> None:
    before = counts(db_dsn)
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(NetworkImportError, match=message.replace("(", r"\(").replace(".", r"\.")):
        import_network(db_dsn, "510100", path)
    assert counts(db_dsn) == before


def test_an_unknown_city_changes_nothing_and_the_command_says_so(
    db_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(db_dsn)
    monkeypatch.setenv("DATABASE_URL", db_dsn.replace("postgresql://", "postgresql+asyncpg://"))
    assert main(["--city", "990000", str(WUHOU_ROADS)]) == 1
    assert "no city with code '990000'" in capsys.readouterr().err
    assert counts(db_dsn) == before
    assert main(["--city", "510100", str(WUHOU_ROADS)]) == 0
    assert "435 nodes, 610 edges" in capsys.readouterr().out
