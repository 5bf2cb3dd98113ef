"""The HSDS 3 export: every record of the sample city validates against the HSDS schemas
(tests/data/hsds), ids are stable, and the records say what the database holds."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker

DATA = Path(__file__).resolve().parents[1] / "data" / "hsds" / "hsds-3.schema.json"


def _strict(schema: Any) -> Any:
    """The schema with no properties beyond those HSDS defines (catches misspelt fields)."""
    out = copy.deepcopy(schema)
    for definition in out["$defs"].values():
        definition["additionalProperties"] = False
    return out


def _validator(name: str) -> Draft202012Validator:
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None

    schema = _strict(json.loads(DATA.read_text("utf-8")))
    schema["$ref"] = f"#/$defs/{name}"
    return Draft202012Validator(schema, format_checker=checker)


def _all_services(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    number = 1
    while True:
        page = client.get("/v1/hsds/services", params={**params, "page": number}).json()
        out += page["contents"]
        assert page["page_number"] == number and page["size"] == len(page["contents"])
        if page["last_page"]:
            assert len(out) == page["total_items"]
            return out
        number += 1


def test_every_record_of_the_sample_city_is_valid_hsds(client: TestClient, db_dsn: str) -> None:
    services = _all_services(client, city="512000", per_page=200)
    validator = _validator("service")
    errors = [
        f"{s['name']}: {e.json_path}: {e.message}"
        for s in services
        for e in validator.iter_errors(s)
    ]
    assert not errors, "\n".join(errors[:20])
    broken = copy.deepcopy(services[0])
    broken["status"] = "open"
    broken["service_at_locations"][0]["location"]["latitude"] = "30.1"
    broken["capacity"] = []
    found = {e.json_path for e in validator.iter_errors(broken)}
    assert {"$.status", "$.service_at_locations[0].location.latitude", "$"} <= found
    with psycopg.connect(db_dsn) as conn:
        [(expected,)] = conn.execute(
            "SELECT sum(cardinality(kinds)) FROM facility WHERE city_code = '512000' "
            "AND deleted_at IS NULL AND status <> 'closed'"
        ).fetchall()
    assert len(services) == expected
    ids = [s["id"] for s in services]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 5 for i in ids)
    # Every sample facility says so, in its name and as an attribute.
    assert all("（示例）" in s["name"] for s in services)
    assert all(
        any(a["value"] == "sample_data" for a in s["attributes"])
        and s["description"].startswith("示例数据")
        for s in services
    )


def test_a_service_carries_prices_vacancies_and_the_site(client: TestClient, db_dsn: str) -> None:
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            "SELECT id, public_id, name, vacant_beds, beds, vacancy_reported_at, "
            "ST_X(location::geometry), ST_Y(location::geometry) FROM facility "
            "WHERE public_id = 'f_1ca682286016'"
        ).fetchone()
        assert row is not None
        prices = conn.execute(
            "SELECT item, amount_fen, unit FROM facility_price WHERE facility_id = %s ORDER BY id",
            (row[0],),
        ).fetchall()
    [service] = [
        s
        for s in _all_services(client, city="512000", kind="eldercare_institution", per_page=100)
        if s["service_at_locations"][0]["location"]["external_identifier"] == row[1]
    ]
    assert service["name"] == row[2] and service["status"] == "active"
    assert [
        (c["option"], round(c["amount"] * 100), c["currency"]) for c in service["cost_options"]
    ] == [(item, fen, "CNY") for item, fen, _ in prices]
    [capacity] = service["capacities"]
    assert (capacity["available"], capacity["maximum"], capacity["unit"]["name"]) == (
        row[3],
        row[4],
        "床位",
    )
    assert datetime.fromisoformat(capacity["updated"]) == row[5]
    location = service["service_at_locations"][0]["location"]
    assert (location["longitude"], location["latitude"]) == pytest.approx(
        (row[6], row[7]), abs=1e-6
    )
    assert location["addresses"][0]["state_province"] == "四川省"
    assert location["schedules"] and location["phones"]
    # The same facility gets the same ids in the next export.
    again = client.get(
        "/v1/hsds/services",
        params={"city": "512000", "kind": "eldercare_institution", "per_page": 100},
    ).json()
    assert service["id"] in {s["id"] for s in again["contents"]}


def test_deleted_facilities_leave_the_export(client: TestClient, db_dsn: str) -> None:
    before = client.get("/v1/hsds/services", params={"city": "512000", "per_page": 1}).json()
    with psycopg.connect(db_dsn) as conn:
        conn.execute("UPDATE facility SET deleted_at = now() WHERE public_id = 'f_1ca682286016'")
    after = client.get("/v1/hsds/services", params={"city": "512000", "per_page": 1}).json()
    assert after["total_items"] == before["total_items"] - 1


def test_paging_and_bad_parameters(client: TestClient) -> None:
    last = client.get("/v1/hsds/services", params={"city": "512000", "page": 10**6}).json()
    assert last["empty"] and last["contents"] == [] and last["last_page"]
    for params, name in (
        ({"kind": "nope"}, "kind"),
        ({"per_page": 0}, "per_page"),
        ({"city": "51200x"}, "city"),
    ):
        answer = client.get("/v1/hsds/services", params=params)
        assert answer.status_code == 400
        assert answer.headers["content-type"] == "application/problem+json"
        assert [p["name"] for p in answer.json()["invalid_params"]] == [name]
    details = client.get("/v1/hsds").json()
    assert details["version"].startswith("3.")
