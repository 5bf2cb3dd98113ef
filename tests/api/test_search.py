"""Chinese text search: two-character queries, addresses, kind names and aliases."""

from __future__ import annotations

import psycopg
from fastapi.testclient import TestClient

SEARCH = "/v1/facilities/search"


def ids(dsn: str, sql: str, *params: object) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {r[0] for r in conn.execute(sql, params)}


def test_zhucan_finds_every_meal_point(client: TestClient, db_dsn: str) -> None:
    """助餐 finds 老年助餐点: through the kind's Chinese name, even where the name lacks it."""
    meal_points = ids(
        db_dsn,
        "SELECT public_id FROM facility WHERE 'meal_point' = ANY(kinds) AND status <> 'closed'",
    )
    body = client.get(SEARCH, params={"q": "助餐", "limit": 100}).json()
    found = {item["id"] for item in body["items"]}
    assert meal_points and meal_points <= found
    named = [i for i in body["items"] if "助餐" in i["name"]]
    # Facilities with the words in their own name rank above kind-name matches.
    assert body["items"][: len(named)] == named


def test_yanjiang_finds_addresses_in_yanjiang_district(client: TestClient, db_dsn: str) -> None:
    in_yanjiang = ids(
        db_dsn,
        "SELECT public_id FROM facility WHERE address LIKE %s AND status <> 'closed'",
        "%雁江区%",
    )
    found: set[str] = set()
    for kind in ("day_care_center", "meal_point", "nursery_class", "township_care_home"):
        body = client.get(SEARCH, params={"q": "雁江", "kind": kind, "limit": 100}).json()
        assert all("雁江" in i["address"] or "雁江" in i["name"] for i in body["items"])
        found |= {i["id"] for i in body["items"]}
    expected = ids(
        db_dsn,
        "SELECT public_id FROM facility WHERE address LIKE %s AND status <> 'closed' "
        "AND kinds && ARRAY['day_care_center','meal_point','nursery_class','township_care_home']",
        "%雁江区%",
    )
    assert expected and expected == found and expected <= in_yanjiang


def test_alias_changzhe_shitang_finds_meal_points(client: TestClient) -> None:
    body = client.get(SEARCH, params={"q": "长者食堂", "limit": 5}).json()
    assert body["items"]
    assert all("meal_point" in i["kinds"] for i in body["items"])


def test_no_match_is_an_empty_list(client: TestClient) -> None:
    body = client.get(SEARCH, params={"q": "火星基地"}).json()
    assert body == {"query": "火星基地", "items": []}


def test_search_can_be_combined_with_filters(client: TestClient) -> None:
    body = client.get(SEARCH, params={"q": "托", "puhui": "true", "limit": 50}).json()
    assert body["items"] and all(i["puhui"] for i in body["items"])
