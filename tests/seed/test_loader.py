"""The loader's pure parts: connection strings and the shape of the staged rows."""

from __future__ import annotations

from seed.loader import CREATE_SEED_FACILITY, PLAIN_COLUMNS, _facility_copy_row, conninfo
from seed.rows import SampleCities


def test_conninfo_drops_the_sqlalchemy_driver() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:54329/yilao"
    assert conninfo(url) == "postgresql://postgres@127.0.0.1:54329/yilao"
    assert conninfo("postgresql://u:p@h/db") == "postgresql://u:p@h/db"


def test_staged_rows_match_the_staging_columns(cities: SampleCities) -> None:
    columns = CREATE_SEED_FACILITY.split("(", 1)[1].rsplit(")", 1)[0]
    staged = [c.split()[0] for c in columns.split(", ")]
    plain = PLAIN_COLUMNS.split(", ")
    assert set(plain) <= set(staged)
    assert set(staged) - set(plain) == {"location_wkb", "search_text"}
    row = _facility_copy_row(cities.facilities[0])
    assert len(row) == len(staged)
    assert row[staged.index("public_id")] == cities.facilities[0].public_id
    assert "福利" in str(row[staged.index("search_text")])
