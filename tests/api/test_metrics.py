"""Prometheus metrics by route template, with no caller's location in them."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_requests_are_counted_by_route_template_without_coordinates(client: TestClient) -> None:
    for _ in range(3):
        assert client.get("/v1/facilities/nearby?lon=104.63917&lat=30.12451").status_code == 200
    assert client.get("/v1/facilities/f_nope").status_code == 404
    assert client.get("/v1/no/such/path").status_code == 404
    text = client.get("/metrics").text
    assert (
        'ylyx_http_requests_total{method="GET",route="/v1/facilities/nearby",status="2xx"} 3.0'
        in text
    )
    assert 'route="/v1/facilities/{public_id}",status="4xx"' in text
    assert 'route="unmatched"' in text
    assert (
        'ylyx_http_request_seconds_bucket{le="0.5",method="GET",route="/v1/facilities/nearby"}'
        in text
    )
    assert 'ylyx_db_pool_checked_out{pool="primary"}' in text
    assert "104.63917" not in text and "f_nope" not in text


def test_metrics_are_not_in_the_api_document(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_analysis_jobs_are_timed_by_kind(client: TestClient) -> None:
    holes = client.get("/v1/analysis/holes", params={"region": "512002003", "kind": "meal_point"})
    assert holes.status_code == 200
    text = client.get("/metrics").text
    counts = {
        line.split('job="', 1)[1].split('"', 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("ylyx_job_seconds_count{")
    }
    assert counts.get("holes_collection") == 1.0, counts
