from fastapi.testclient import TestClient


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
