"""Rows without coordinates are geocoded from the address through the provider's HTTP API
(faked at the transport), each address asked once, within the daily quota."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from tests.api.staff_session import signed_in

KNOWN = {
    "资阳市雁江区莲花街道示例路1号": "104.64231,30.12170",
    "资阳市雁江区莲花街道示例路9号": "104.64531,30.12370",
}


class FakeAMap:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == "restapi.amap.com" and request.url.params["key"] == "k-test"
        address = request.url.params["address"]
        self.asked.append(address)
        if address in KNOWN:
            return httpx.Response(
                200, json={"status": "1", "geocodes": [{"location": KNOWN[address]}]}
            )
        return httpx.Response(200, json={"status": "1", "count": "0", "geocodes": []})


@pytest.fixture
def amap() -> FakeAMap:
    return FakeAMap()


@pytest.fixture
def geocoding_client(
    settings: Settings, walking_state: Walking, amap: FakeAMap
) -> Iterator[TestClient]:
    configured = settings.model_copy(
        update={"geocoder_provider": "amap", "geocoder_key": "k-test", "geocoder_daily_quota": 3}
    )
    app = create_app(
        configured, walking_state=walking_state, http_transport=httpx.MockTransport(amap)
    )
    with TestClient(app) as client:
        yield client


def test_addresses_are_geocoded_once_within_the_quota(
    geocoding_client: TestClient, settings: Settings, amap: FakeAMap
) -> None:
    rows = [
        ["甲食堂（示例）", "老年助餐点", "资阳市雁江区莲花街道示例路1号"],
        ["乙食堂（示例）", "老年助餐点", "资阳市雁江区莲花街道示例路1号"],
        ["丙食堂（示例）", "老年助餐点", "查无此地"],
        ["丁食堂（示例）", "老年助餐点", "资阳市雁江区莲花街道示例路9号"],
        ["戊食堂（示例）", "老年助餐点", "资阳市雁江区莲花街道示例路99号"],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([["名称", "类型", "地址"], *rows])
    headers = signed_in(geocoding_client, settings, "geo.admin", Role.city_admin)
    report = geocoding_client.post(
        "/v1/registry/imports",
        params={"format": "csv", "dry_run": "true"},
        content=out.getvalue().encode(),
        headers=headers,
    ).json()
    assert amap.asked == [
        "资阳市雁江区莲花街道示例路1号",
        "查无此地",
        "资阳市雁江区莲花街道示例路9号",
    ]
    assert report["errors"] == [
        {"row": 4, "column": "address", "message": "缺少经纬度，且地址无法解析为坐标"},
        {
            "row": 6,
            "column": "address",
            "message": "地理编码今日配额已用完，请填写经纬度或明天再试",
        },
    ]
    assert (report["rows_to_add"], report["rows_duplicate"]) == (3, 0)
