"""Planning analyses over HTTP on the sample city: population surface, coverage, holes,
site suggestions, exports and bad input."""

from __future__ import annotations

import csv
import io

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.analysis_state import AnalysisState
from app.services.walking import Walking
from app.settings import Settings

YANJIANG, ANYUE, LEZHI, WUHOU = "512002", "512021", "512022", "510107"
ZIXI = "512002003"  # 资溪街道, an urban street of 雁江区
CENSUS_TOTAL = {YANJIANG: 867119, ANYUE: 950939, LEZHI: 490573, WUHOU: 1855186}
"""常住人口, 第七次全国人口普查 (census2020_county_ziyang_chengdu_dazhou.csv)."""


def get(client: TestClient, path: str, **params: object) -> dict:  # type: ignore[type-arg]
    resp = client.get(f"/v1/analysis/{path}", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("county", sorted(CENSUS_TOTAL))
def test_population_surface_sums_to_the_census_exactly(client: TestClient, county: str) -> None:
    body = get(client, "population", region=county)
    region = client.get(f"/v1/regions/{county}").json()
    assert body["totals"]["pop_total"] == CENSUS_TOTAL[county] == region["pop_total"]
    assert body["totals"]["pop_60p"] == region["pop_60p"]
    assert body["totals"]["pop_0_3"] == region["pop_0_3"]
    assert sum(f["properties"]["pop_total"] for f in body["features"]) == CENSUS_TOTAL[county]
    assert body["resolution"] == 9


def test_every_township_of_the_surface_sums_to_its_own_figures(
    analysis_state: AnalysisState,
) -> None:
    for city in analysis_state.cities.values():
        surface = city.surface
        for i, town in enumerate(surface.townships):
            mine = surface.township == i
            assert surface.pop["all"][mine].sum() == town.pop_total
            assert surface.pop["60p"][mine].sum() == (town.pop_60p or 0)
            assert surface.pop["0_3"][mine].sum() == (town.pop_0_3 or 0)


def test_coverage_counts_the_kind_population_inside_and_outside(client: TestClient) -> None:
    body = get(client, "coverage", region=YANJIANG, kind="meal_point")
    region = client.get(f"/v1/regions/{YANJIANG}").json()
    assert body["population_group"]["code"] == "60p"
    assert body["profile"]["code"] == "older"
    assert body["population"] == region["pop_60p"]
    assert body["covered"] + body["outside"] == body["population"]
    assert body["share"] == round(body["covered"] / body["population"], 4)
    rows = body["breakdown"]
    assert len(rows) == 22
    assert sum(r["population"] for r in rows) == body["population"]
    assert sum(r["covered"] for r in rows) == body["covered"]
    zixi = next(r for r in rows if r["code"] == ZIXI)
    alone = get(client, "coverage", region=ZIXI, kind="meal_point")
    assert (alone["population"], alone["covered"]) == (zixi["population"], zixi["covered"])
    assert alone["breakdown"] == []


def test_childcare_is_measured_against_children_under_three(client: TestClient) -> None:
    body = get(client, "coverage", region=ZIXI, kind="nursery_class")
    assert body["population_group"]["code"] == "0_3"
    assert body["profile"]["code"] == "pram"
    assert body["circle"]["urban_minutes"] == 15


def test_a_faster_walker_is_never_covered_less(client: TestClient) -> None:
    older = get(client, "coverage", region=YANJIANG, kind="day_care_center", profile="older")
    adult = get(client, "coverage", region=YANJIANG, kind="day_care_center", profile="adult")
    assert adult["covered"] >= older["covered"]


def test_holes_hold_everyone_outside_largest_first(client: TestClient) -> None:
    body = get(client, "holes", region=ZIXI, kind="meal_point", limit=500)
    outside = get(client, "coverage", region=ZIXI, kind="meal_point")["outside"]
    sizes = [f["properties"]["population"] for f in body["features"]]
    assert sum(sizes) == outside
    assert sizes == sorted(sizes, reverse=True)
    assert body["holes_total"] == len(sizes)
    first = body["features"][0]
    assert first["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert first["properties"]["township_code"] == ZIXI
    assert first["properties"]["nearest"]["walk_minutes"] > 15


def test_suggested_sites_cover_what_they_promise(client: TestClient, db_dsn: str) -> None:
    """Opening meal points at the suggested sites raises coverage by exactly `newly_covered`."""
    body = get(client, "suggestions", region=ZIXI, kind="meal_point", k=3)
    assert body["method"].startswith("exact")
    assert body["gap"] == 0
    assert len(body["features"]) == 3
    gains = [f["properties"]["adds_population"] for f in body["features"]]
    assert gains == sorted(gains, reverse=True) and sum(gains) == body["newly_covered"]
    before = get(client, "coverage", region=ZIXI, kind="meal_point")
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        for f in body["features"]:
            lon, lat = f["geometry"]["coordinates"]
            conn.execute(
                "INSERT INTO facility (public_id, name, kinds, location, city_code, status,"
                " data_source, search_tokens) VALUES (%s, '新建助餐点（示例）', '{meal_point}',"
                " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, '512000', 'open', 'test',"
                " ''::tsvector)",
                (f"f_new{f['properties']['rank']}", lon, lat),
            )
    after = get(client, "coverage", region=ZIXI, kind="meal_point")
    assert after["covered"] - before["covered"] == body["newly_covered"]


def test_large_suggestions_are_greedy_with_a_reported_gap(client: TestClient) -> None:
    body = get(client, "suggestions", region=ANYUE, kind="day_care_center", k=5)
    assert body["method"].startswith("greedy")
    assert body["candidates"] == 1000  # YLYX_SUGGEST_MAX_CANDIDATES > the exact limit, 400
    assert 0 <= body["gap"] < 1
    assert body["newly_covered"] <= body["upper_bound"]


def test_exports_are_excel_friendly_csv(client: TestClient) -> None:
    resp = client.get(
        "/v1/analysis/coverage", params={"region": YANJIANG, "kind": "meal_point", "format": "csv"}
    )
    assert resp.headers["content-type"].startswith("text/csv")
    assert resp.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0]["name"] == "雁江区" and len(rows) == 23
    holes = client.get(
        "/v1/analysis/holes", params={"region": ZIXI, "kind": "meal_point", "format": "csv"}
    )
    table = list(csv.DictReader(io.StringIO(holes.content.decode("utf-8-sig"))))
    assert table[0]["township_name"] == "资溪街道"
    assert table[0]["geometry_geojson_wgs84"].startswith('{"type":')
    geo = client.get("/v1/analysis/holes", params={"region": ZIXI, "kind": "meal_point"})
    assert geo.headers["content-type"] == "application/geo+json"


def test_gcj02_output_moves_the_sites(client: TestClient) -> None:
    wgs = get(client, "suggestions", region=ZIXI, kind="meal_point", k=1)
    gcj = get(client, "suggestions", region=ZIXI, kind="meal_point", k=1, coordsys="gcj02")
    (x0, y0), (x1, y1) = (
        wgs["features"][0]["geometry"]["coordinates"],
        gcj["features"][0]["geometry"]["coordinates"],
    )
    assert 0.001 < x1 - x0 < 0.004 and -0.004 < y1 - y0 < -0.001


@pytest.mark.parametrize(
    ("path", "params", "status", "parameter", "words"),
    [
        ("coverage", {"region": "999999", "kind": "meal_point"}, 404, None, "999999"),
        ("coverage", {"region": YANJIANG, "kind": "spa"}, 400, "kind", "unknown kind"),
        (
            "coverage",
            {"region": YANJIANG, "kind": "meal_point", "profile": "x"},
            400,
            "profile",
            "allowed",
        ),
        (
            "suggestions",
            {"region": ZIXI, "kind": "meal_point", "k": 0},
            400,
            "k",
            "between 1 and 20",
        ),
        (
            "suggestions",
            {"region": ZIXI, "kind": "meal_point", "k": 21},
            400,
            "k",
            "YLYX_SUGGEST_MAX_K",
        ),
        ("holes", {"region": ZIXI, "kind": "meal_point", "limit": 501}, 400, "limit", "500"),
        ("population", {"region": "abc"}, 400, "region", ""),
    ],
)
def test_bad_analysis_input_is_a_named_problem(
    client: TestClient,
    path: str,
    params: dict,
    status: int,
    parameter: str | None,
    words: str,  # type: ignore[type-arg]
) -> None:
    resp = client.get(f"/v1/analysis/{path}", params=params)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    body = resp.json()
    assert words in body["detail"]
    if parameter:
        assert parameter in {p["name"] for p in body["invalid_params"]}


def test_an_analysis_over_the_cap_names_the_limit(
    settings: Settings, walking_state: Walking, analysis_state: AnalysisState
) -> None:
    small = settings.model_copy(update={"analysis_max_pieces": 100})
    app = create_app(small, walking_state=walking_state, analysis_state=analysis_state)
    with TestClient(app, raise_server_exceptions=False) as client:
        resp = client.get(
            "/v1/analysis/coverage", params={"region": YANJIANG, "kind": "meal_point"}
        )
    assert resp.status_code == 400
    assert "YLYX_ANALYSIS_MAX_PIECES" in resp.json()["detail"]
    assert "the limit is 100" in resp.json()["detail"]


def test_targets_are_checked_with_their_citations(client: TestClient) -> None:
    body = get(client, "targets", region="512000")
    by_code = {i["code"]: i for i in body["indicators"]}
    assert body["source"] == "seed/targets/512000.toml"
    per_1000 = by_code["childcare_places_per_1000"]
    assert per_1000["target"] == 4.5 and per_1000["year"] == 2025
    assert per_1000["cite"] == "资府办发〔2023〕7号 表2 #6"
    detail = per_1000["detail"]
    assert per_1000["value"] == round(detail["places"] / detail["population"] * 1000, 2)
    assert per_1000["met"] == (per_1000["value"] >= 4.5)
    streets = by_code["complex_in_every_street"]["detail"]
    assert streets["units"] == 9  # 街道: 雁江 5, 安岳 2, 乐至 2
    assert by_code["meal_points"]["value"] >= 30
    assert all(i["cite"] for i in body["indicators"])


def test_a_township_sees_only_the_rates_and_its_own_sites(client: TestClient) -> None:
    body = get(client, "targets", region=ZIXI)
    codes = {i["code"] for i in body["indicators"]}
    assert "meal_points" not in codes and "nursing_bed_share" in codes
    streets = next(i for i in body["indicators"] if i["code"] == "complex_in_every_street")
    assert streets["detail"]["units"] == 1


def test_chengdu_targets_are_configuration_not_code(client: TestClient) -> None:
    body = get(client, "targets", region=WUHOU)
    per_1000 = next(i for i in body["indicators"] if i["code"] == "childcare_places_per_1000")
    assert per_1000["target"] == 4.74


def test_targets_export_as_csv(client: TestClient) -> None:
    resp = client.get("/v1/analysis/targets", params={"region": "512000", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0]["region_name"] == "资阳市"
    assert {r["code"] for r in rows} >= {"childcare_places_per_1000", "eldercare_beds"}


def test_answers_match_their_documented_models(client: TestClient) -> None:
    from app.api.schemas import analysis as schemas

    region = {"region": ZIXI}
    both = {**region, "kind": "meal_point"}
    schemas.PopulationCollection.model_validate(get(client, "population", **region))
    schemas.CoverageAnswer.model_validate(get(client, "coverage", **both))
    schemas.HoleCollection.model_validate(get(client, "holes", **both))
    schemas.SiteCollection.model_validate(get(client, "suggestions", **both, k=2))
    schemas.TargetsAnswer.model_validate(get(client, "targets", **region))
    paths = client.get("/openapi.json").json()["paths"]
    content = paths["/v1/analysis/holes"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/geo+json", "text/csv"}


def test_the_coverage_table_is_also_a_map_layer(client: TestClient) -> None:
    from app.api.schemas.analysis import CoverageCollection

    resp = client.get(
        "/v1/analysis/coverage",
        params={"region": YANJIANG, "kind": "meal_point", "format": "geojson"},
    )
    assert resp.headers["content-type"] == "application/geo+json"
    layer = CoverageCollection.model_validate(resp.json())
    assert len(layer.features) == 22
    assert sum(f.properties.population for f in layer.features if f.properties) == layer.population
    alone = client.get(
        "/v1/analysis/coverage", params={"region": ZIXI, "kind": "meal_point", "format": "geojson"}
    ).json()
    assert [f["properties"]["code"] for f in alone["features"]] == [ZIXI]
