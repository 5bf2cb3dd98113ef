"""Public answers show how old a vacancy is and withhold one older than the configured age."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings

HOME = "f_1ca682286016"  # 莲花街道暖阳养老院（示例）, 80 vacant beds in the sample


@pytest.fixture
def monthly(settings: Settings, walking_state: Walking) -> Iterator[TestClient]:
    strict = settings.model_copy(update={"vacancy_max_age_days": 30})
    with TestClient(create_app(strict, walking_state=walking_state)) as client:
        yield client


def _reported_days_ago(db_dsn: str, days: int) -> None:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE facility SET vacancy_reported_at = now() - make_interval(days => %s)"
            " WHERE public_id = %s",
            (days, HOME),
        )


def _vacant_nearby(client: TestClient) -> set[str]:
    params = {"lon": 104.6399, "lat": 30.1245, "radius_m": 3000, "limit": 100, "has_vacancy": True}
    return {i["id"] for i in client.get("/v1/facilities/nearby", params=params).json()["items"]}


def test_a_recent_vacancy_is_shown_with_its_age(monthly: TestClient, db_dsn: str) -> None:
    _reported_days_ago(db_dsn, 3)
    vacancy = monthly.get(f"/v1/facilities/{HOME}").json()["vacancy"]
    assert (vacancy["beds"], vacancy["stale"]) == (80, False)
    assert vacancy["age_days"] == pytest.approx(3.0, abs=0.1)
    assert HOME in _vacant_nearby(monthly)


def test_an_old_vacancy_is_unknown(monthly: TestClient, db_dsn: str) -> None:
    _reported_days_ago(db_dsn, 31)
    vacancy = monthly.get(f"/v1/facilities/{HOME}").json()["vacancy"]
    assert (vacancy["beds"], vacancy["childcare_places"], vacancy["stale"]) == (None, None, True)
    assert vacancy["reported_at"] is not None and vacancy["age_days"] == pytest.approx(31, abs=0.1)
    assert HOME not in _vacant_nearby(monthly)
