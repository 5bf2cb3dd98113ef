"""Addresses to coordinates through a Chinese map provider's HTTP API (AMap or Tencent
style), over an httpx client the app owns. Answers are GCJ-02 and cached in WGS-84;
calls are counted against a daily quota, and a spent quota is a row error, not a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import geocoding as gq
from app.domain.facility_record import FieldError, LocationError, located


class Provider(Protocol):
    """One provider's request and answer shapes; coordinates come back in GCJ-02."""

    name: str

    def request(self, address: str, key: str) -> tuple[str, dict[str, str]]: ...

    def point(self, body: Any) -> tuple[float, float] | None: ...


class AMap:
    name = "amap"
    url = "https://restapi.amap.com/v3/geocode/geo"

    def request(self, address: str, key: str) -> tuple[str, dict[str, str]]:
        return self.url, {"address": address, "key": key, "output": "JSON"}

    def point(self, body: Any) -> tuple[float, float] | None:
        if str(body.get("status")) != "1" or not body.get("geocodes"):
            return None
        lon, lat = str(body["geocodes"][0]["location"]).split(",")
        return float(lon), float(lat)


class Tencent:
    name = "tencent"
    url = "https://apis.map.qq.com/ws/geocoder/v1/"

    def request(self, address: str, key: str) -> tuple[str, dict[str, str]]:
        return self.url, {"address": address, "key": key}

    def point(self, body: Any) -> tuple[float, float] | None:
        if body.get("status") != 0:
            return None
        location = body["result"]["location"]
        return float(location["lng"]), float(location["lat"])


PROVIDERS: dict[str, Provider] = {"amap": AMap(), "tencent": Tencent()}


@dataclass(frozen=True, slots=True)
class Geocoding:
    """Everything one lookup needs: the database (cache, quota), client, provider, key."""

    engine: AsyncEngine
    client: httpx.AsyncClient
    provider: Provider
    key: str
    daily_quota: int

    async def locate(self, address: str) -> tuple[float, float] | FieldError:
        """A WGS-84 point inside China for an address, or why there is none (Chinese)."""
        name = self.provider.name
        async with self.engine.begin() as conn:
            hit = await gq.cached(conn, name, address)
            if hit is None and not await gq.take_call(
                conn, name, datetime.now(UTC).date(), self.daily_quota
            ):
                return FieldError("address", "地理编码今日配额已用完，请填写经纬度或明天再试")
        if hit is not None:
            lon, lat = hit
            return (lon, lat) if lon is not None and lat is not None else _not_found()
        point = await self._ask(address)
        async with self.engine.begin() as conn:
            await gq.remember(conn, name, address, *(point or (None, None)))
        return point or _not_found()

    async def _ask(self, address: str) -> tuple[float, float] | None:
        url, params = self.provider.request(address, self.key)
        try:
            response = await self.client.get(url, params=params)
            response.raise_for_status()
            gcj = self.provider.point(response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError, IndexError):
            return None
        if gcj is None:
            return None
        try:
            return located(*gcj, "gcj02")
        except LocationError:
            return None


def _not_found() -> FieldError:
    return FieldError("address", "缺少经纬度，且地址无法解析为坐标")
