"""The key that finds one facility: its id within its city (how the registry is sharded)."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_


class FacilityKey(NamedTuple):
    id: int
    city_code: str

    @classmethod
    def of(cls, row: Any) -> FacilityKey:
        """The key of a facility row (anything with `id` and `city_code`)."""
        return cls(int(row.id), str(row.city_code))

    def matches(self, columns: Any, id_column: str = "facility_id") -> ColumnElement[bool]:
        """`columns[id_column]` and `columns.city_code` equal this key."""
        return and_(columns[id_column] == self.id, columns.city_code == self.city_code)
