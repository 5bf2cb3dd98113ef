import psycopg
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings


def test_public_reads_carry_an_etag_and_answer_304(client: TestClient) -> None:
    first = client.get("/v1/regions/512002", params={"boundary": "false"})
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get(
        "/v1/regions/512002", params={"boundary": "false"}, headers={"if-none-match": etag}
    )
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get("/v1/regions/512021", params={"boundary": "false"})
    assert other.headers["etag"] != etag


def test_posted_locations_and_errors_are_not_cached(client: TestClient) -> None:
    posted = client.post("/v1/facilities/nearby", json={"lon": 104.64, "lat": 30.12})
    assert posted.status_code == 200 and "etag" not in posted.headers
    missing = client.get("/v1/regions/512099")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_a_commit_changes_the_etag_and_a_read_does_not(
    settings: Settings, walking_state: Walking, db_dsn: str
) -> None:
    fresh = settings.model_copy(update={"cache_version_ttl_s": 0.0})
    with TestClient(create_app(fresh, walking_state=walking_state)) as client:
        first = client.get("/v1/facilities/search", params={"q": "助餐"})
        etag = first.headers["etag"]
        assert etag.startswith('W/"')
        client.get("/v1/regions/512002")
        same = client.get(
            "/v1/facilities/search", params={"q": "助餐"}, headers={"if-none-match": etag}
        )
        assert same.status_code == 304
        with psycopg.connect(db_dsn) as conn:
            conn.execute(
                "UPDATE facility SET phone = '028-1' WHERE public_id = %s",
                [first.json()["items"][0]["id"]],
            )
        changed = client.get(
            "/v1/facilities/search", params={"q": "助餐"}, headers={"if-none-match": etag}
        )
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        assert changed.json()["items"][0]["phone"] == "028-1"


def test_staff_answers_are_not_tagged(client: TestClient) -> None:
    resp = client.get("/v1/kinds", headers={"Authorization": "Bearer x"})
    assert resp.status_code == 200 and "etag" not in resp.headers
