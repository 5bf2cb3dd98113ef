"""Published rule sets: listed, mirrored verbatim, and extended only by an audited publish."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.settings import Settings
from seed.policy_loader import POLICIES_DIR, load_policies
from tests.api.test_auth import sign_in
from tests.domain.policy.sample_rules import minimal_text
from tests.services.staffing import new_staff


def new_version(label: str = "512000-2027.1", start: str = "2027-01-01") -> str:
    """The minimal test file, made a 资阳 version starting on `start`."""
    return (
        minimal_text()
        .replace('city_code = "999901"', 'city_code = "512000"')
        .replace('version = "test-1"', f'version = "{label}"')
        .replace(
            "effective_from = 2024-01-01\n\n[document", f"effective_from = {start}\n\n[document"
        )
        .replace("on = 2024-06-01", f"on = {start[:4]}-06-01")
        .replace('applies = ["test_allowance"]', 'applies = ["test_allowance", "test_later_rule"]')
    )


def admin(client: TestClient, settings: Settings, role: Role = Role.city_admin) -> dict[str, str]:
    new_staff(settings, f"{role}.one", role)
    return {"Authorization": f"Bearer {sign_in(client, f'{role}.one')}"}


def counts(db_dsn: str) -> tuple[int, int]:
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM policy_ruleset),"
            " (SELECT count(*) FROM audit_event WHERE action = 'publish')"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_the_shipped_files_are_the_stored_versions(client: TestClient) -> None:
    listing = client.get("/v1/rulesets", params={"as_of": "2024-06-01"}).json()
    cities = {c["city_code"]: c for c in listing["cities"]}
    assert sorted(cities) == ["510100", "511700", "512000"]
    zy = cities["512000"]
    assert [v["version_number"] for v in zy["versions"]] == [1, 2]
    assert zy["in_force"]["version_label"] == "512000-2023.1"
    assert {v["published_via"] for c in cities.values() for v in c["versions"]} == {"seed"}
    mirror = client.get("/v1/rulesets/512000/versions/2").json()["rule_text"]
    assert mirror == (POLICIES_DIR / "512000" / "2025-03-28.toml").read_text("utf-8")
    digest = hashlib.sha256(mirror.encode()).hexdigest()
    assert digest == zy["versions"][1]["content_sha256"]


def test_detail_and_citations_of_the_version_in_force(client: TestClient) -> None:
    detail = client.get("/v1/rulesets/512000", params={"as_of": "2025-06-01"}).json()
    assert detail["version_number"] == 2 and detail["rules"]["city_code"] == "512000"
    cited = client.get("/v1/rulesets/512000/citations").json()
    assert cited["version_label"] == "512000-2025.1"
    assert cited["rules"] and all(r["citations"] for r in cited["rules"])
    assert "zy_2023_7" in cited["documents"]
    assert all(v["citations"] or v["sample_value"] for v in cited["values"])


@pytest.mark.parametrize(
    "path",
    ["/v1/rulesets/110000", "/v1/rulesets/110000/versions", "/v1/rulesets/512000/versions/9"],
)
def test_unknown_cities_and_versions_are_404(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404 and resp.headers["content-type"] == "application/problem+json"


def test_a_city_admin_publishes_a_version_that_answers_from_its_date(
    client: TestClient, settings: Settings, db_dsn: str
) -> None:
    headers = admin(client, settings)
    body = {"filename": "2027-01-01.toml", "text": new_version()}
    resp = client.post("/v1/rulesets/512000/versions", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    made = resp.json()
    assert (made["version_number"], made["published_by"], made["published_via"]) == (
        3,
        "city_admin.one",
        "api",
    )
    assert counts(db_dsn) == (5, 1)
    with psycopg.connect(db_dsn) as conn:
        audit = conn.execute(
            "SELECT actor_role, object_type, after->>'version_label' FROM audit_event"
            " WHERE action = 'publish'"
        ).fetchone()
    assert audit == ("city_admin", "policy_ruleset", "512000-2027.1")

    def applies(as_of: str) -> Any:
        body = {"city": "512000", "as_of": as_of, "facts": {"age_years": 80}}
        return {d["rule_id"] for d in client.post("/v1/eligibility", json=body).json()["applies"]}

    assert "test_allowance" in applies("2027-06-01")
    assert "test_allowance" not in applies("2026-12-31")
    versions = client.get("/v1/rulesets/512000/versions").json()["versions"]
    assert [v["version_number"] for v in versions] == [1, 2, 3]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            new_version().replace('fact = "age_years", op = "gte"', 'fact = "shoe", op = "gte"'),
            90,
            "shoe",
        ),
        (new_version().replace(', "test_later_rule"]', "]"), 120, "fails"),
        (new_version().replace("yuan = 100", "yuan = 100.5"), 60, "float"),
        (new_version().replace('city_code = "512000"', 'city_code = "510100"'), 1, "city_code"),
    ],
    ids=["unknown-fact", "failing-example", "float-money", "other-city"],
)
def test_a_bad_version_is_refused_whole_naming_file_and_line(
    client: TestClient, settings: Settings, db_dsn: str, text: str, line: int, words: str
) -> None:
    headers = admin(client, settings)
    before = counts(db_dsn)
    resp = client.post(
        "/v1/rulesets/512000/versions", json={"filename": "bad.toml", "text": text}, headers=headers
    )
    assert resp.status_code == 400, resp.text
    problem = resp.json()
    assert problem["invalid_params"][0]["name"] == "512000/bad.toml"
    assert problem["invalid_params"][0]["reason"].startswith(f"line {line}:")
    assert words in problem["detail"]
    assert counts(db_dsn) == before


def test_a_repeated_label_or_start_date_is_a_conflict(
    client: TestClient, settings: Settings, db_dsn: str
) -> None:
    headers = admin(client, settings)
    text = new_version(label="512000-2025.1")
    resp = client.post(
        "/v1/rulesets/512000/versions", json={"filename": "x.toml", "text": text}, headers=headers
    )
    assert resp.status_code == 409, resp.text
    assert counts(db_dsn) == (4, 0)


@pytest.mark.parametrize(("role", "city"), [(Role.auditor, "512000"), (Role.city_admin, "510100")])
def test_only_a_city_admin_of_that_city_may_publish(
    client: TestClient, settings: Settings, db_dsn: str, role: Role, city: str
) -> None:
    headers = admin(client, settings, role)
    text = new_version().replace('city_code = "512000"', f'city_code = "{city}"')
    resp = client.post(
        f"/v1/rulesets/{city}/versions", json={"filename": "x.toml", "text": text}, headers=headers
    )
    assert resp.status_code == 403, resp.text
    assert counts(db_dsn) == (4, 0)


def test_versions_are_never_changed_and_reloading_the_seed_adds_none(db_dsn: str) -> None:
    with psycopg.connect(db_dsn) as conn:
        with conn.cursor() as cur:
            assert load_policies(cur) == 0
        for sql in ("UPDATE policy_ruleset SET rule_text = ''", "DELETE FROM policy_ruleset"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()


def test_an_edited_shipped_file_is_refused_by_the_seed(db_dsn: str, tmp_path: Path) -> None:
    folder = tmp_path / "510100"
    folder.mkdir()
    text = (POLICIES_DIR / "510100" / "2023-01-01.toml").read_text("utf-8")
    (folder / "2023-01-01.toml").write_text(text + "\n# edited\n", "utf-8")
    with (
        psycopg.connect(db_dsn) as conn,
        conn.cursor() as cur,
        pytest.raises(ValueError, match="publish a new version"),
    ):
        load_policies(cur, tmp_path)
