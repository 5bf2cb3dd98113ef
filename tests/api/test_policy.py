"""Eligibility, price checks and over-cap lists against the seeded 资阳 and 成都 rules."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

FP_ELDER = {"age_years": 66, "residence": "hukou", "income_status": "none"}
CARE_CENTRE = "f_0e2ac2956edd"  # 乐至县失能照护中心（示例）: 床位费 1405 + 失能护理费 1950 元


def ask(client: TestClient, facts: dict[str, Any], as_of: str = "2025-06-01") -> Any:
    body = {"city": "512000", "as_of": as_of, "facts": facts}
    resp = client.post("/v1/eligibility", json=body)
    assert resp.status_code == 200, resp.text
    return resp.json()


def ids(decisions: list[dict[str, Any]]) -> set[str]:
    return {d["rule_id"] for d in decisions}


def test_a_family_planning_elder_gets_what_the_2025_rules_give(client: TestClient) -> None:
    answer = ask(client, FP_ELDER | {"fp_special_family": True})
    assert answer["ruleset"]["version"] == "512000-2025.1"
    assert ids(answer["applies"]) == {
        "zy_accident_insurance",
        "zy_health_management",
        "zy_rural_home_priority",
        "zy_fp_special_inpatient_insurance",
    }
    assert all(d["citations"] for d in answer["applies"] + answer["missed"])
    allowance = next(d for d in answer["missed"] if d["rule_id"] == "zy_advanced_age_allowance")
    assert allowance["hint"]["kind"] == "change" and allowance["hint"]["facts"] == ["age_years"]
    assert answer["summary_zh"]


def test_the_same_question_as_of_2024_uses_the_2023_version(client: TestClient) -> None:
    answer = ask(client, FP_ELDER | {"fp_special_family": True}, as_of="2024-06-01")
    assert answer["ruleset"]["version"] == "512000-2023.1"
    assert "zy_fp_special_inpatient_insurance" not in ids(answer["applies"])


def test_an_82_year_old_gets_the_allowance_in_fen(client: TestClient) -> None:
    answer = ask(client, {"age_years": 82, "residence": "hukou"})
    allowance = next(d for d in answer["applies"] if d["rule_id"] == "zy_advanced_age_allowance")
    assert allowance["amount"]["amount_fen"] == 38000
    assert allowance["amount"]["sample_value"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"city": "512000", "facts": {"age_years": 300}}, "facts.age_years"),
        ({"city": "512000", "facts": {"child_age_months": -1}}, "facts.child_age_months"),
        ({"city": "512000", "facts": {"age_years": 70.5}}, "facts.age_years"),
        ({"city": "512000", "facts": {"shoe_size": 42}}, "facts.shoe_size"),
        (
            {"city": "512000", "facts": {"income_status": "dibao", "tekun_support": "centralized"}},
            "facts.tekun_support",
        ),
        ({"city": "999999", "facts": {}}, "city"),
        ({"city": "51200", "facts": {}}, "city"),
        ({"city": "512000", "as_of": "1999-01-01", "facts": {}}, "as_of"),
        ({"city": "512000", "as_of": "2025-02-30", "facts": {}}, "as_of"),
        ({"city": "512000", "facts": {}, "name": "x"}, "name"),
    ],
)
def test_bad_questions_are_400_problems_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    resp = client.post("/v1/eligibility", json=body)
    assert resp.status_code == 400, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["invalid_params"][0]["name"] == field


def test_price_check_shows_the_cap_step_by_step(client: TestClient) -> None:
    resp = client.get(
        f"/v1/facilities/{CARE_CENTRE}/price-check",
        params={"as_of": "2025-06-01", "care_level": "semi_disabled"},
    )
    assert resp.status_code == 200, resp.text
    answer = resp.json()
    assert answer["status"] == "exceeds_cap"
    (cap,) = answer["caps"]
    assert (cap["income_bound_fen"], cap["market_bound_fen"], cap["cap_fen"]) == (
        525000,
        280000,
        280000,
    )
    assert answer["covered_total_fen"] == 335500 and answer["excess_fen"] == 55500
    assert cap["steps"][0]["label_zh"] == "B：当地城镇职工可支配收入标准"


def test_the_cap_steps_down_to_70_percent_in_2026(client: TestClient) -> None:
    answer = client.get(
        f"/v1/facilities/{CARE_CENTRE}/price-check",
        params={"as_of": "2026-06-01", "care_level": "semi_disabled"},
    ).json()
    assert answer["caps"][0]["cap_fen"] == 245000 and answer["excess_fen"] == 90500


def test_a_non_puhui_facility_says_so(client: TestClient, db_dsn: str) -> None:
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            "SELECT public_id FROM facility WHERE NOT puhui AND city_code = '512000'"
            " ORDER BY public_id LIMIT 1"
        ).fetchone()
    assert row is not None
    answer = client.get(f"/v1/facilities/{row[0]}/price-check").json()
    assert answer["status"] == "not_puhui" and answer["caps"] == []


def test_price_for_a_person_never_exceeds_the_listed_price(client: TestClient) -> None:
    body = {
        "as_of": "2025-06-01",
        "facts": {"age_years": 82, "care_need": "semi_disabled", "income_status": "tekun"},
    }
    resp = client.post(f"/v1/facilities/{CARE_CENTRE}/price-for-person", json=body)
    assert resp.status_code == 200, resp.text
    answer = resp.json()
    assert answer["care_level"] == "semi_disabled"
    assert answer["totals"] == [
        {"unit": "month", "listed_fen": 403000, "reduced_fen": 0, "payable_fen": 403000}
    ]
    assert "zy_free_care_hours" in ids(answer["other_benefits"])
    assert answer["cap"]["status"] == "exceeds_cap"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/facilities/f_nothere/price-check", 404),
        ("/v1/facilities/f_0e2ac2956edd/price-check?care_level=bedridden", 400),
        ("/v1/facilities/f_0e2ac2956edd/price-check?as_of=2001-01-01", 400),
        ("/v1/regions/512099/puhui-over-cap", 404),
    ],
)
def test_unknown_facilities_regions_and_bad_parameters(
    client: TestClient, path: str, status: int
) -> None:
    resp = client.get(path)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"


def test_community_workers_see_facilities_over_their_cap(client: TestClient) -> None:
    resp = client.get(
        "/v1/regions/512000/puhui-over-cap",
        params={"as_of": "2025-06-01", "care_level": "semi_disabled"},
    )
    assert resp.status_code == 200, resp.text
    answer = resp.json()
    assert answer["ruleset"]["version"] == "512000-2025.1"
    rows = answer["over_cap"]
    assert CARE_CENTRE in {r["facility_id"] for r in rows}
    assert all(r["status"] == "exceeds_cap" for r in rows)
    assert all(r["covered_total_fen"] - r["caps"][0]["cap_fen"] == r["excess_fen"] for r in rows)
    assert all(r["excess_fen"] > 0 for r in rows)
