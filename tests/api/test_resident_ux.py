"""Answers for residents without a precise location, and plain Chinese for older users:
fuzzy nearby search, fuzzy coverage, a chosen 街道/社区, view=simple."""

from __future__ import annotations

from fastapi.testclient import TestClient

from geo.sampling import offset

NEAR = "/v1/facilities/nearby"
HOME = {"lon": 104.6399, "lat": 30.1245}  # by the 雁江区 seat, in 莲花街道 (urban)


def test_fuzzy_nearby_gives_ranges_and_misses_nothing_near_the_true_place(
    client: TestClient,
) -> None:
    accuracy, radius = 1500, 800
    kind = {"kind": "day_care_center,meal_point", "limit": 100}
    fuzzy = client.get(NEAR, params={**HOME, "radius_m": radius, "accuracy_m": accuracy, **kind})
    fuzzy = fuzzy.json()
    assert fuzzy["approximate"] is True and fuzzy["accuracy_m"] == accuracy
    assert "wx.getFuzzyLocation" in fuzzy["accuracy_source"]
    assert fuzzy["radius_m"] == radius and fuzzy["total"] == len(fuzzy["items"]) > 0
    distances = [i["distance_m"] for i in fuzzy["items"]]
    assert distances == sorted(distances) and max(distances) <= radius + accuracy
    for item in fuzzy["items"]:
        spread = item["distance_range_m"]
        assert spread["min"] == max(0, round(item["distance_m"] - accuracy))
        assert spread["max"] == round(item["distance_m"] + accuracy)
    # wherever the resident really is within the uncertainty, what lies within `radius`
    # of them is in the answer
    found = {i["id"] for i in fuzzy["items"]}
    for east, north in ((accuracy, 0), (0, -accuracy), (-1000, 1000)):
        lon, lat = offset(HOME["lon"], HOME["lat"], east, north)
        there = client.get(NEAR, params={"lon": lon, "lat": lat, "radius_m": radius, **kind})
        assert 0 < there.json()["total"] < 100
        assert {i["id"] for i in there.json()["items"]} <= found


def test_fuzzy_true_uses_the_configured_default_and_refuses_walking_times(
    client: TestClient,
) -> None:
    body = client.post(NEAR, json={**HOME, "fuzzy": True, "coordsys": "gcj02", "limit": 2}).json()
    assert body["accuracy_m"] == 3000 and body["items"][0]["distance_range_m"]["min"] == 0
    precise = client.get(NEAR, params={**HOME, "limit": 2}).json()
    assert precise.get("approximate", False) is False and precise.get("accuracy_m") is None
    assert "distance_range_m" not in precise["items"][0]
    for params in ({"sort": "walk_minutes"}, {"profile": "older"}):
        refused = client.get(NEAR, params={**HOME, "fuzzy": "true", **params})
        assert refused.status_code == 400
        assert refused.json()["invalid_params"][0]["name"] == "accuracy_m"
    too_wide = client.get(NEAR, params={**HOME, "accuracy_m": 10**6})
    assert too_wide.status_code == 400
    assert too_wide.json()["invalid_params"][0]["name"] == "accuracy_m"


def test_fuzzy_cursor_pages_are_consistent(client: TestClient) -> None:
    params = {**HOME, "accuracy_m": 1500, "radius_m": 500, "limit": 5}
    first = client.get(NEAR, params=params).json()
    second = client.get(NEAR, params={**params, "cursor": first["next_cursor"]}).json()
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 10
    other = client.get(NEAR, params={**params, "accuracy_m": 1000, "cursor": first["next_cursor"]})
    assert other.status_code == 400  # a cursor belongs to its question


def test_view_simple_on_nearby_and_detail(client: TestClient) -> None:
    body = client.get(
        NEAR, params={**HOME, "view": "simple", "kind": "eldercare_institution", "limit": 3}
    ).json()
    for item in body["items"]:
        simple = item["simple"]
        assert simple["sentence"].startswith(item["name"]) and "（示例）" in simple["short_name"]
        assert len(simple["label"]) <= 12 and len(simple["short_name"]) <= 16
        if item["phone"]:
            assert simple["next_step"] == {
                "action": "call",
                "text": f"拨打 {item['phone']} 预约参观",
                "phone": item["phone"],
            }
    walked = client.get(
        NEAR, params={**HOME, "view": "simple", "profile": "older", "limit": 1}
    ).json()["items"][0]
    assert f"步行约 {max(1, round(walked['walk_minutes']))} 分钟" in walked["simple"]["sentence"]
    compact = client.get(NEAR, params={**HOME, "view": "simple", "fields": "simple", "limit": 1})
    assert set(compact.json()["items"][0]) == {"id", "simple"}
    assert "simple" not in client.get(NEAR, params={**HOME, "limit": 1}).json()["items"][0]

    detail = client.get("/v1/facilities/f_1ca682286016", params={"view": "simple"}).json()
    assert detail["simple"]["sentence"].startswith("莲花街道暖阳养老院（示例）是养老机构")
    assert "现有空床 80 张" in detail["simple"]["sentence"]
    assert detail["simple"]["next_step"]["action"] == "call"
    bad = client.get("/v1/facilities/f_1ca682286016", params={"view": "huge"})
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "view"


def by_kind(body: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {k["kind"]: k for c in body["circles"] for k in c["kinds"]}


def test_fuzzy_coverage_never_claims_more_than_its_places_show(client: TestClient) -> None:
    precise = by_kind(client.get("/v1/coverage", params=HOME).json())
    body = client.get("/v1/coverage", params={**HOME, "accuracy_m": 1500}).json()
    assert body["approximate"] is True and body["accuracy_m"] == 1500
    places = body["places"]
    assert places["sampled"] == 19
    assert places["checked"] + places["off_road"] + places["outside"] == 19
    assert sum(t["places"] for t in body["townships"]) == places["checked"]
    fuzzy = by_kind(body)
    answers = {k["answer"] for k in fuzzy.values()}
    assert answers <= {"covered", "not_covered", "depends", "unknown"}
    for code, kind in fuzzy.items():
        n, hit = kind["places_checked"], kind["places_covered"]
        expected = "unknown" if n == 0 else "covered" if hit == n else "not_covered"
        assert kind["answer"] == (expected if hit in (0, n) else "depends"), code
        assert kind["share_covered"] == (round(hit / n, 2) if n else None)
        assert kind["summary_zh"]
        # the centre is one of the places: what covers it precisely cannot be "nowhere"
        if code in precise and precise[code]["covered"]:
            assert kind["answer"] in ("covered", "depends"), code
    assert "depends" in answers  # 1.5 km around the 雁江 seat reaches beyond some circles
    depends = next(k for k in fuzzy.values() if k["answer"] == "depends")
    assert "要看您住在哪里" in depends["summary_zh"]


def test_fuzzy_coverage_by_post_and_a_rural_disc(client: TestClient) -> None:
    body = client.post(
        "/v1/coverage", json={"lon": 104.9, "lat": 30.0, "fuzzy": True, "profile": "older"}
    ).json()
    assert body["accuracy_m"] == 3000 and body["profile"]["code"] == "older"
    assert all(t["circle_minutes"] == 30 for t in body["townships"] if t["urban_rural"] == "rural")
    refused = client.post("/v1/coverage", json={**HOME, "accuracy_m": 0})
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["name"] == "accuracy_m"


def test_find_a_street_by_name(client: TestClient) -> None:
    found = client.get("/v1/regions", params={"q": "莲花"}).json()["items"]
    assert [(r["code"], r["name"]) for r in found] == [("512002001", "莲花街道")]
    community = client.get("/v1/regions", params={"q": "雁中", "level": "community"}).json()
    assert [r["parent_code"] for r in community["items"]] == ["512002001"]
    assert client.get("/v1/regions", params={"q": "%"}).json()["items"] == []  # no wildcard
    bad = client.get("/v1/regions", params={"q": " "})
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "q"


def test_what_is_in_and_near_my_street(client: TestClient) -> None:
    body = client.get("/v1/regions/512002001/services", params={"view": "simple"}).json()
    assert body["region"]["name"] == "莲花街道" and body["circle"]["minutes"] == 15
    assert "资阳十四五养老规划" in body["circle"]["rule"]
    listed = client.get("/v1/regions/512002001/facilities", params={"limit": 100}).json()
    assert body["facilities"] == body["facilities_total"] == listed["total"]
    assert body["puhui"] == sum(1 for i in listed["items"] if i["puhui"])
    day_care = next(k for k in body["by_kind"] if k["kind"] == "day_care_center")
    assert day_care["count"] == sum(1 for i in listed["items"] if "day_care_center" in i["kinds"])
    fresh_beds = sum(i["vacancy"]["beds"] or 0 for i in listed["items"])
    assert body["vacancy"]["beds"] == fresh_beds
    assert body["summary_zh"].startswith("莲花街道是城市街道，适用 15 分钟服务圈；")
    assert f"有 {body['facilities']} 处服务设施，其中普惠 {body['puhui']} 处" in body["summary_zh"]
    places = body["coverage"]["places"]
    assert 1 < places["sampled"] <= 40 and places["checked"] > 0
    assert {t["code"] for t in body["coverage"]["townships"]} == {"512002001"}
    answers = {k["answer"] for c in body["coverage"]["circles"] for k in c["kinds"]}
    assert answers <= {"covered", "not_covered", "depends", "unknown"}
    assert len(body["items"]) == 20 and body["more_items"] is True
    assert all(i["simple"]["next_step"]["text"] for i in body["items"])
    flags = [(i["status"] != "open", not i["puhui"]) for i in body["items"]]
    assert flags == sorted(flags)


def test_a_rural_township_uses_the_30_minute_rule_and_a_county_is_refused(
    client: TestClient,
) -> None:
    towns = client.get("/v1/regions", params={"level": "township", "parent": "512002"}).json()
    town = next(r for r in towns["items"] if r["urban_rural"] == "rural")
    body = client.get(f"/v1/regions/{town['code']}/services", params={"profile": "older"}).json()
    assert body["circle"]["minutes"] == 30 and body["region"]["unit_type"] in ("镇", "乡")
    assert "乡镇" in body["summary_zh"] and body["coverage"]["profile"]["code"] == "older"
    community = client.get("/v1/regions/512002001091/services").json()
    assert community["region"]["level"] == "community"
    county = client.get("/v1/regions/512002/services")
    assert county.status_code == 400 and county.json()["invalid_params"][0]["name"] == "code"
    assert client.get("/v1/regions/512002999/services").status_code == 404
    bad = client.get("/v1/regions/512002001/services", params={"profile": "runner"})
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "profile"
