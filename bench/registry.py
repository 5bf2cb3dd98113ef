"""A national-scale synthetic registry in its own database: `python -m bench.registry`.

Deterministic (seeded `random.Random`): the same `rows` and `seed` give the same
facilities. Rows are written with COPY into a database migrated by alembic, the
facility indexes dropped during the load and re-created afterwards from the very
definitions the migration made, then VACUUM ANALYZE. A marker row records what was
loaded, so a second run with the same arguments reuses the database.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from app.domain.vocabulary import kinds, services
from bench import places
from seed.database import ensure_database

ROOT = Path(__file__).resolve().parents[1]
GENERATOR_VERSION = "1"
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:54329/ylyx_bench"
DEFAULT_ROWS = 1_000_000
DEFAULT_SEED = 20260101
RURAL_SHARE = 0.10
REGION_CODE = "990000"
REGION_NAME = "基准测试（示例）"
DATA_SOURCE = "synthetic benchmark data (示例)"
NULL = r"\N"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Relative frequency of each kind as a facility's first kind; kinds not listed get 0.3.
KIND_WEIGHTS: dict[str, float] = {
    "day_care_center": 16, "meal_point": 14, "eldercare_station": 12, "childcare_center": 10,
    "village_mutual_aid_point": 8, "eldercare_institution": 6, "home_care_provider": 5,
    "community_childcare_point": 5, "nursery_class": 5, "senior_activity_center": 4,
    "community_care_home": 3, "family_childcare_point": 3, "community_eldercare_complex": 2,
    "township_care_home": 2, "early_education_center": 2, "integrated_medical_eldercare": 1.5,
    "workplace_childcare": 1, "mother_baby_room": 1, "regional_eldercare_center": 1,
}  # fmt: skip
# A second kind some facilities also carry (a day-care centre that runs a meal point …).
COMPANION_KIND = {
    "day_care_center": "meal_point", "eldercare_station": "meal_point",
    "community_eldercare_complex": "meal_point", "childcare_center": "early_education_center",
    "all_age_community_complex": "childcare_center",
}  # fmt: skip
CHILD_SERVICES = ("full_day", "half_day", "hourly", "occasional", "parenting_guidance")
RESIDENTIAL = {"eldercare_institution", "social_welfare_institute", "county_care_home",
               "township_care_home", "community_care_home", "disability_care_center",
               "dementia_care_home", "regional_eldercare_center", "senior_housing"}  # fmt: skip
STATUSES = (("open", 94.0), ("suspended", 2.0), ("planned", 2.0), ("under_construction", 2.0))
COLUMNS = (
    "public_id", "name", "kinds", "services", "address", "location", "city_code", "status",
    "puhui", "beds", "childcare_places", "vacant_beds", "vacant_childcare_places",
    "vacancy_reported_at", "data_source", "is_sample", "search_tokens",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BenchDatabase:
    """The benchmark's database: loopback only, and its name must say `bench`."""

    url: URL

    @classmethod
    def parse(cls, url: str) -> BenchDatabase:
        parsed = make_url(url)
        if parsed.host not in LOOPBACK:
            raise SystemExit(f"bench: refusing non-loopback database host {parsed.host!r}")
        if "bench" not in (parsed.database or ""):
            raise SystemExit("bench: the database name must contain 'bench' (it may be dropped)")
        return cls(parsed)

    @property
    def async_url(self) -> str:
        return self.url.set(drivername="postgresql+asyncpg").render_as_string(False)

    @property
    def sync_url(self) -> str:
        return self.url.set(drivername="postgresql+psycopg").render_as_string(False)

    @property
    def dsn(self) -> str:
        return self.url.set(drivername="postgresql").render_as_string(False)

    def admin_dsn(self) -> str:
        return self.url.set(drivername="postgresql", database="postgres").render_as_string(False)


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass(frozen=True, slots=True)
class _Choices:
    """The vocabularies a row draws from, with cumulative weights for `rng.choices`."""

    codes: list[str]
    kind_cum: list[float]
    child_kinds: frozenset[str]
    status_codes: list[str]
    status_cum: list[float]
    elder_services: list[str]

    @classmethod
    def load(cls) -> _Choices:
        vocab = kinds()
        unknown = (set(KIND_WEIGHTS) | set(COMPANION_KIND.values())) - set(vocab)
        if unknown:
            raise ValueError(f"unknown kind codes: {sorted(unknown)}")
        codes = list(vocab)
        return cls(
            codes=codes,
            kind_cum=_cumulative([KIND_WEIGHTS.get(c, 0.3) for c in codes]),
            child_kinds=frozenset(c for c in codes if vocab[c].side == "child"),
            status_codes=[s for s, _ in STATUSES],
            status_cum=_cumulative([w for _, w in STATUSES]),
            elder_services=[s for s in services() if s not in CHILD_SERVICES],
        )


def _line(rng: random.Random, n: int, place: str, lon: float, lat: float, c: _Choices) -> str:
    first = rng.choices(c.codes, cum_weights=c.kind_cum)[0]
    row_kinds = [first]
    if first in COMPANION_KIND and rng.random() < 0.25:
        row_kinds.append(COMPANION_KIND[first])
    child = first in c.child_kinds
    row_services = rng.sample(CHILD_SERVICES if child else c.elder_services, rng.randint(1, 3))
    beds = rng.randint(20, 400) if first in RESIDENTIAL else None
    child_places = rng.randint(10, 150) if child else None
    reported = rng.random() < 0.3
    vacant_beds = rng.randint(0, beds // 4) if beds and reported else None
    vacant_places = rng.randint(0, child_places // 4) if child_places and reported else None
    when = f"2026-0{rng.randint(1, 6)}-1{rng.randint(0, 9)} 09:00+08" if reported else NULL
    fields = (
        f"bx{n:08d}",
        f"基准设施{n:07d}（示例）",
        "{" + ",".join(row_kinds) + "}",
        "{" + ",".join(row_services) + "}",
        f"{place}示例路{rng.randint(1, 999)}号（示例）",
        f"SRID=4326;POINT({lon:.6f} {lat:.6f})",
        REGION_CODE,
        rng.choices(c.status_codes, cum_weights=c.status_cum)[0],
        "t" if rng.random() < 0.4 else "f",
        _nullable(beds),
        _nullable(child_places),
        _nullable(vacant_beds),
        _nullable(vacant_places),
        when,
        DATA_SOURCE,
        "t",
        "",  # search_tokens: an empty tsvector (text search is not benchmarked)
    )
    return "\t".join(fields) + "\n"


def copy_lines(rows: int, seed: int) -> Iterator[str]:
    """COPY text lines, city by city (as registries are imported), then the countryside."""
    rng = random.Random(seed)
    choices = _Choices.load()
    rural = round(rows * RURAL_SHARE)
    per_city = _largest_remainder(rows - rural, [c.pop_m for c in places.CITIES])
    n = 0
    for city, count in zip(places.CITIES, per_city, strict=True):
        for _ in range(count):
            n += 1
            lon, lat = places.city_point(rng, city)
            yield _line(rng, n, city.name, lon, lat, choices)
    for _ in range(rural):
        n += 1
        lon, lat = places.rural_point(rng)
        yield _line(rng, n, "乡村", lon, lat, choices)


def _cumulative(weights: list[float]) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


def _nullable(value: int | None) -> str:
    return NULL if value is None else str(value)


def _marker(rows: int, seed: int) -> str:
    return f"rows={rows};seed={seed};generator={GENERATOR_VERSION}"


def is_loaded(db: BenchDatabase, rows: int, seed: int) -> bool:
    try:
        with psycopg.connect(db.dsn, autocommit=True) as conn:
            found = conn.execute(
                "SELECT (SELECT value FROM bench_marker WHERE key = 'registry'),"
                " (SELECT count(*) FROM facility)"
            ).fetchone()
    except psycopg.Error:
        return False
    return found is not None and found == (_marker(rows, seed), rows)


def migrate(db: BenchDatabase) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = db.sync_url
    command.upgrade(config, "head")


def _recreate(db: BenchDatabase) -> None:
    name = sql.Identifier(str(db.url.database))
    with psycopg.connect(db.admin_dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    ensure_database(db.sync_url)
    migrate(db)


def load(db: BenchDatabase, rows: int, seed: int, log: bool = True) -> float:
    """Drop, migrate and fill the database; returns the seconds it took."""
    started = time.perf_counter()
    _recreate(db)
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute(
            "INSERT INTO region (code, name, level, city_code) VALUES (%s, %s, 'city', %s)",
            (REGION_CODE, REGION_NAME, REGION_CODE),
        )
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'facility'"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
        for index_name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index_name)))
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in COLUMNS)
        copy_sql = sql.SQL("COPY facility ({}) FROM STDIN").format(columns)
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            batch: list[str] = []
            for line in copy_lines(rows, seed):
                batch.append(line)
                if len(batch) == 20_000:
                    copy.write("".join(batch))
                    batch.clear()
            copy.write("".join(batch))
        _say(log, f"copied {rows:,} rows in {time.perf_counter() - started:.1f} s")
        for index_name, definition in indexes:
            conn.execute(definition)  # the migration's own CREATE INDEX statement
            _say(log, f"index {index_name} at {time.perf_counter() - started:.1f} s")
        conn.execute("VACUUM ANALYZE facility")
        conn.execute("VACUUM ANALYZE region")
        conn.execute("CREATE TABLE bench_marker (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute("INSERT INTO bench_marker VALUES ('registry', %s)", (_marker(rows, seed),))
    return time.perf_counter() - started


def ensure(db: BenchDatabase, rows: int, seed: int, log: bool = True) -> float | None:
    """Load the registry unless the database already holds exactly it; seconds, or None."""
    ensure_database(db.sync_url)
    if is_loaded(db, rows, seed):
        _say(log, f"registry of {rows:,} rows (seed {seed}) already loaded in {db.url.database}")
        return None
    _say(log, f"generating {rows:,} synthetic facilities into {db.url.database} …")
    seconds = load(db, rows, seed, log)
    _say(log, f"registry ready in {seconds:.1f} s")
    return seconds


def _say(enabled: bool, message: str) -> None:
    if enabled:
        print(f"[bench] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    ensure(BenchDatabase.parse(args.db_url), args.rows, args.seed)


if __name__ == "__main__":
    main()
