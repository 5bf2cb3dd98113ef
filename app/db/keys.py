"""How one facility is found, and how a child row joins its facility: by id within its
city (the key the registry is sharded on, app/db/distribution.py)."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_

from app.db.models import Facility

F = Facility.__table__.c


class FacilityKey(Protocol):
    """Anything naming one facility by its key; a facility row will do."""

    @property
    def id(self) -> int: ...

    @property
    def city_code(self) -> str: ...


def is_facility(columns: Any, facility: FacilityKey, id_column: str = "facility_id") -> Any:
    """`columns[id_column]` and `columns.city_code` are this facility's key."""
    return and_(columns[id_column] == facility.id, columns.city_code == facility.city_code)


def of_facility(child: Any) -> ColumnElement[bool]:
    """A child table's rows joined to their facility (`child` is its `.c`)."""
    return and_(child.facility_id == F.id, child.city_code == F.city_code)
