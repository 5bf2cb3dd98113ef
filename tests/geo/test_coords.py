"""Coordinate transforms: round trips, published pairs, and no offset outside China."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from geo.coords import (
    CoordinateError,
    bd09_to_gcj02,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china,
    to_wgs84,
    wgs84_to_gcj02,
)

SEATS = Path(__file__).resolve().parents[3] / "shared" / "data" / "boundaries"
SEATS_CSV = SEATS / "county_seats_ziyang_chengdu_dazhou.csv"


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"])


china_points = st.tuples(
    st.floats(min_value=73.0, max_value=135.0), st.floats(min_value=18.0, max_value=53.5)
)


@settings(max_examples=300, deadline=None)
@given(china_points)
def test_wgs84_gcj02_round_trip(p: tuple[float, float]) -> None:
    # Within the offset (< 1 km) of the outline a point and its image may fall on
    # either side, and a GCJ-02 point there may have no WGS-84 point in China whose
    # offset lands on it (then the inverse returns it unchanged, by definition, and
    # the forward offset of that same point does not lead back: 118.640625, 47.8671875
    # on the Mongolian border is such a point). The property holds wherever the
    # points involved are in China and the inverse found a preimage.
    assume(in_china(*p) and in_china(*wgs84_to_gcj02(*p)))
    assert metres(gcj02_to_wgs84(*wgs84_to_gcj02(*p)), p) < 0.5
    back = gcj02_to_wgs84(*p)
    assume(back != p and in_china(*back))
    assert metres(wgs84_to_gcj02(*back), p) < 0.5


def test_a_border_point_without_a_preimage_in_china_is_its_own_inverse() -> None:
    p = (118.640625, 47.8671875)
    assert gcj02_to_wgs84(*p) == p


@settings(max_examples=300, deadline=None)
@given(china_points)
def test_gcj02_bd09_round_trip(p: tuple[float, float]) -> None:
    assume(in_china(*p))
    assert metres(bd09_to_gcj02(*gcj02_to_bd09(*p)), p) < 0.5
    assert metres(gcj02_to_bd09(*bd09_to_gcj02(*p)), p) < 0.5


@settings(max_examples=300, deadline=None)
@given(china_points)
def test_bd09_wgs84_round_trip_through_the_dispatchers(p: tuple[float, float]) -> None:
    assume(in_china(*p) and in_china(*wgs84_to_gcj02(*p)) and in_china(*to_wgs84(*p, "bd09")))
    assert metres(from_wgs84(*to_wgs84(p[0], p[1], "bd09"), "bd09"), p) < 0.5
    assert metres(to_wgs84(*from_wgs84(p[0], p[1], "bd09"), "bd09"), p) < 0.5


def test_published_county_seats_convert_to_their_wgs84_pairs() -> None:
    """DataV publishes seats in GCJ-02; shared/data gives each converted to WGS-84 by the
    same formula inverted to < 1 cm, rounded to 6 decimals (≈ 0.1 m)."""
    with SEATS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 33
    for row in rows:
        gcj = (float(row["seat_lon_gcj02"]), float(row["seat_lat_gcj02"]))
        wgs = (float(row["seat_lon_wgs84"]), float(row["seat_lat_wgs84"]))
        assert metres(gcj02_to_wgs84(*gcj), wgs) < 0.5, row["name"]


def test_sichuan_offset_matches_the_stated_size() -> None:
    """SOURCES.md: in Sichuan GCJ-02 is ≈ +0.0024° lon / −0.0028° lat from WGS-84
    (≈ 230 m east, 310 m south); allow ±0.0006° for the spread across the province."""
    lon, lat = 104.0657, 30.6595  # central Chengdu
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert abs((glon - lon) - 0.0024) < 0.0006
    assert abs((glat - lat) + 0.0028) < 0.0006
    assert 250 < metres((lon, lat), (glon, glat)) < 450


def test_bd09_matches_the_closed_form_written_independently() -> None:
    lon, lat = 116.404, 39.915  # Tiananmen in GCJ-02
    z = math.sqrt(lon**2 + lat**2) + 0.00002 * math.sin(lat * math.pi * 3000 / 180)
    t = math.atan2(lat, lon) + 0.000003 * math.cos(lon * math.pi * 3000 / 180)
    assert gcj02_to_bd09(lon, lat) == pytest.approx(
        (z * math.cos(t) + 0.0065, z * math.sin(t) + 0.006), abs=1e-12
    )
    # Baidu's own example pair for Tiananmen: BD-09 ≈ (116.4104, 39.9216).
    assert metres(gcj02_to_bd09(lon, lat), (116.41036, 39.92150)) < 20


OUTSIDE = {
    "Seoul": (126.98, 37.57), "Pyongyang": (125.75, 39.03), "Sinuiju": (124.3981, 40.1006),
    "Tokyo": (139.7, 35.7), "Hanoi": (105.85, 21.03), "Ulaanbaatar": (106.9, 47.9),
    "Kathmandu": (85.3, 27.7), "Thimphu": (89.64, 27.47), "Taipei": (121.56, 25.03),
    "Kaohsiung": (120.3, 22.6), "Kinmen": (118.38, 24.44), "Hong Kong": (114.17, 22.32),
    "Hong Kong airport": (113.92, 22.31), "Macau": (113.54, 22.19), "Taipa": (113.56, 22.15),
    "Almaty": (76.9, 43.24), "Bishkek": (74.6, 42.87), "Vladivostok": (131.9, 43.1),
    "Blagoveshchensk": (127.53, 50.27), "Moscow": (37.6, 55.75), "New York": (-74.0, 40.7),
    "Lao Cai": (103.97, 22.48), "Mandalay": (96.08, 21.97), "Delhi": (77.2, 28.6),
}  # fmt: skip
INSIDE = {
    "Beijing": (116.4, 39.9), "Urumqi": (87.6, 43.8), "Lhasa": (91.1, 29.65),
    "Harbin": (126.6, 45.75), "Haikou": (110.3, 20.0), "Sanya": (109.5, 18.25),
    "Kunming": (102.7, 25.0), "Kashgar": (75.99, 39.47), "Mohe": (122.5, 52.97),
    "Ziyang": (104.64, 30.12), "Shenzhen": (114.06, 22.545), "Zhuhai": (113.57, 22.27),
    "Xiamen": (118.09, 24.48), "Dandong": (124.3945, 40.1245), "Heihe": (127.50, 50.245),
    "Erenhot": (111.98, 43.65), "Hunchun": (130.37, 42.86), "Ruili": (97.85, 24.0),
    "Shanghai": (121.47, 31.23), "Dongxing": (108.0, 21.56), "Manzhouli": (117.45, 49.6),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_no_offset_outside_mainland_china(name: str) -> None:
    lon, lat = OUTSIDE[name]
    assert not in_china(lon, lat)
    assert from_wgs84(lon, lat, "gcj02") == (lon, lat)
    assert to_wgs84(lon, lat, "gcj02") == (lon, lat)


@pytest.mark.parametrize("name", sorted(INSIDE))
def test_offset_inside_mainland_china(name: str) -> None:
    lon, lat = INSIDE[name]
    assert in_china(lon, lat)
    assert metres(from_wgs84(lon, lat, "gcj02"), (lon, lat)) > 50


@pytest.mark.parametrize(
    ("lon", "lat", "parameter"),
    [
        (math.nan, 30.0, "lon"),
        (104.0, math.inf, "lat"),
        (181.0, 30.0, "lon"),
        (104.0, -91.0, "lat"),
        (-math.inf, 0.0, "lon"),
    ],
)
def test_invalid_coordinates_name_the_parameter(lon: float, lat: float, parameter: str) -> None:
    with pytest.raises(CoordinateError) as err:
        to_wgs84(lon, lat, "gcj02")
    assert err.value.parameter == parameter


def test_unknown_coordinate_system() -> None:
    with pytest.raises(CoordinateError) as err:
        to_wgs84(104.0, 30.0, "utm")
    assert err.value.parameter == "coordsys"
