"""Where China's people live, coarsely: city centres weighted by population, plus farmland.

Used only to spread synthetic benchmark facilities and query points. Centres are
approximate city-seat coordinates (WGS-84); weights are rounded 2020 census
resident populations of the prefecture-level city, in millions. Precision is
irrelevant here: the benchmark needs a realistic mix of dense cores, sprawling
suburbs and thin rural areas, not real locations.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from itertools import accumulate

KM_PER_DEG_LAT = 111.32


@dataclass(frozen=True, slots=True)
class City:
    name: str
    lon: float
    lat: float
    pop_m: float

    @property
    def core_sigma_km(self) -> float:
        """Spread of the dense core: σ² ∝ population, so every core peaks at the same density."""
        return 3.0 * math.sqrt(self.pop_m)


# fmt: off
CITIES: tuple[City, ...] = tuple(City(*row) for row in (
    ("上海", 121.47, 31.23, 24.9), ("北京", 116.40, 39.90, 21.9), ("重庆", 106.55, 29.56, 16.0),
    ("广州", 113.26, 23.13, 18.7), ("深圳", 114.06, 22.54, 17.6), ("成都", 104.07, 30.67, 20.9),
    ("天津", 117.20, 39.13, 13.9), ("武汉", 114.30, 30.59, 12.3), ("西安", 108.94, 34.34, 12.9),
    ("杭州", 120.16, 30.27, 12.2), ("东莞", 113.75, 23.02, 10.5), ("佛山", 113.12, 23.02, 9.5),
    ("南京", 118.80, 32.06, 9.3), ("沈阳", 123.43, 41.80, 9.1), ("青岛", 120.38, 36.07, 10.1),
    ("郑州", 113.62, 34.75, 12.6), ("长沙", 112.94, 28.23, 10.0), ("哈尔滨", 126.53, 45.80, 10.0),
    ("苏州", 120.62, 31.30, 12.7), ("济南", 117.00, 36.65, 9.2), ("大连", 121.61, 38.91, 7.5),
    ("昆明", 102.83, 24.88, 8.5), ("合肥", 117.23, 31.82, 9.4), ("厦门", 118.09, 24.48, 5.2),
    ("福州", 119.30, 26.08, 8.3), ("石家庄", 114.51, 38.04, 11.2), ("长春", 125.32, 43.82, 9.1),
    ("太原", 112.55, 37.87, 5.3), ("南宁", 108.37, 22.82, 8.7), ("南昌", 115.86, 28.68, 6.3),
    ("贵阳", 106.63, 26.65, 6.0), ("乌鲁木齐", 87.62, 43.83, 4.1), ("兰州", 103.83, 36.06, 4.4),
    ("呼和浩特", 111.75, 40.84, 3.4), ("银川", 106.23, 38.49, 2.9), ("西宁", 101.78, 36.62, 2.5),
    ("海口", 110.32, 20.04, 2.9), ("宁波", 121.55, 29.87, 9.4), ("无锡", 120.30, 31.57, 7.5),
    ("温州", 120.70, 28.00, 9.6), ("泉州", 118.68, 24.87, 8.8), ("常州", 119.97, 31.81, 5.3),
    ("南通", 120.89, 31.98, 7.7), ("徐州", 117.28, 34.20, 9.1), ("唐山", 118.18, 39.63, 7.7),
    ("保定", 115.46, 38.87, 11.5), ("临沂", 118.36, 35.10, 11.0), ("潍坊", 119.16, 36.71, 9.4),
    ("烟台", 121.45, 37.46, 7.1), ("淄博", 118.05, 36.81, 4.7), ("济宁", 116.59, 35.41, 8.4),
    ("邯郸", 114.54, 36.63, 9.4), ("洛阳", 112.45, 34.62, 7.1), ("南阳", 112.53, 33.00, 9.7),
    ("周口", 114.70, 33.63, 9.0), ("商丘", 115.65, 34.41, 7.8), ("阜阳", 115.81, 32.89, 8.2),
    ("赣州", 114.93, 25.83, 9.0), ("汕头", 116.68, 23.35, 5.5), ("湛江", 110.36, 21.27, 7.0),
    ("惠州", 114.42, 23.11, 6.0), ("江门", 113.08, 22.58, 4.8), ("中山", 113.39, 22.52, 4.4),
    ("珠海", 113.58, 22.27, 2.4), ("桂林", 110.29, 25.27, 4.9), ("柳州", 109.41, 24.33, 4.2),
    ("绵阳", 104.68, 31.47, 4.9), ("南充", 106.11, 30.84, 5.6), ("宜宾", 104.64, 28.75, 4.6),
    ("达州", 107.47, 31.21, 5.4), ("资阳", 104.63, 30.13, 2.3), ("遵义", 106.93, 27.73, 6.6),
    ("曲靖", 103.80, 25.49, 5.8), ("襄阳", 112.14, 32.04, 5.3), ("宜昌", 111.29, 30.69, 4.0),
    ("荆州", 112.24, 30.33, 5.2), ("岳阳", 113.13, 29.36, 5.1), ("衡阳", 112.57, 26.89, 6.6),
    ("常德", 111.70, 29.03, 5.3), ("邵阳", 111.47, 27.24, 6.6), ("金华", 119.65, 29.08, 7.1),
    ("台州", 121.42, 28.66, 6.6), ("绍兴", 120.58, 30.00, 5.3), ("嘉兴", 120.76, 30.75, 5.4),
    ("扬州", 119.41, 32.39, 4.6), ("盐城", 120.16, 33.35, 6.7), ("淮安", 119.02, 33.61, 4.6),
    ("连云港", 119.22, 34.60, 4.6), ("芜湖", 118.38, 31.33, 3.6), ("蚌埠", 117.39, 32.92, 3.3),
    ("安庆", 117.05, 30.52, 4.2), ("大同", 113.30, 40.08, 3.1), ("包头", 109.84, 40.66, 2.7),
    ("吉林", 126.55, 43.84, 3.6), ("齐齐哈尔", 123.92, 47.35, 4.1), ("大庆", 125.10, 46.59, 2.8),
    ("鞍山", 122.99, 41.11, 3.3), ("拉萨", 91.13, 29.65, 0.9), ("新乡", 113.93, 35.30, 6.3),
    ("沧州", 116.84, 38.30, 7.3), ("廊坊", 116.68, 39.54, 5.5), ("邢台", 114.50, 37.07, 7.1),
    ("菏泽", 115.48, 35.23, 8.8), ("聊城", 115.99, 36.46, 6.0), ("德州", 116.36, 37.43, 5.6),
    ("泰安", 117.09, 36.20, 5.5), ("驻马店", 114.02, 32.98, 7.0), ("信阳", 114.09, 32.15, 6.2),
    ("漳州", 117.65, 24.51, 5.1), ("莆田", 119.01, 25.45, 3.2), ("揭阳", 116.37, 23.55, 5.6),
    ("茂名", 110.93, 21.66, 6.2), ("清远", 113.06, 23.68, 4.0), ("玉林", 110.18, 22.65, 5.8),
    ("宝鸡", 107.24, 34.36, 3.3), ("咸阳", 108.71, 34.33, 4.2), ("天水", 105.72, 34.58, 3.0),
    ("宿迁", 118.28, 33.96, 5.0), ("三亚", 109.51, 18.25, 1.0),
))

# Farmland boxes (min_lon, min_lat, max_lon, max_lat) inside the populated east, all on land:
# North China Plain, Sichuan Basin, middle Yangtze, Jiangnan hills, Lingnan, Northeast Plain,
# Guanzhong. Weights are rough rural populations (millions).
RURAL_BOXES: tuple[tuple[float, float, float, float, float], ...] = (
    (113.5, 33.0, 118.5, 39.5, 120.0), (103.8, 28.8, 107.8, 31.8, 60.0),
    (111.0, 27.0, 116.5, 31.5, 70.0), (117.0, 26.5, 120.0, 30.5, 30.0),
    (108.5, 21.8, 116.0, 25.0, 55.0), (122.5, 41.5, 127.0, 47.0, 30.0),
    (106.8, 34.0, 110.0, 35.0, 10.0),
)
# fmt: on

_CITY_CUM = list(accumulate(c.pop_m for c in CITIES))
_BOX_CUM = list(accumulate(b[4] for b in RURAL_BOXES))


def offset(lon: float, lat: float, dx_km: float, dy_km: float) -> tuple[float, float]:
    dlat = dy_km / KM_PER_DEG_LAT
    dlon = dx_km / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return lon + dlon, lat + dlat


def pick_city(rng: random.Random) -> City:
    return rng.choices(CITIES, cum_weights=_CITY_CUM)[0]


def city_point(rng: random.Random, city: City, suburb_share: float = 0.3) -> tuple[float, float]:
    """A point in `city`: its gaussian core, or (with `suburb_share`) a suburb 3× wider."""
    sigma = city.core_sigma_km * (3.0 if rng.random() < suburb_share else 1.0)
    return offset(city.lon, city.lat, rng.gauss(0.0, sigma), rng.gauss(0.0, sigma))


def rural_point(rng: random.Random) -> tuple[float, float]:
    """A point spread uniformly over the farmland boxes, weighted by rural population."""
    box = rng.choices(RURAL_BOXES, cum_weights=_BOX_CUM)[0]
    return rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])
