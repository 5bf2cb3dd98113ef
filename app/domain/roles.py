"""Staff roles, what each may do, and over which objects (scope).

A permission says what kind of act a role may perform; the scope says on which
facilities: a city admin on the city's, a district admin on those of one 县/区 or
街道, an operator on their own, an auditor (read-only) on the city's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    city_admin = "city_admin"  # everything in the city
    district_admin = "district_admin"  # one 县/区 or 街道
    facility_operator = "facility_operator"  # their own facilities
    auditor = "auditor"  # read-only, including the audit trail


class Permission(StrEnum):
    publish_rules = "publish_rules"
    read_registry = "read_registry"  # staff view of a facility, with private fields
    edit_registry = "edit_registry"  # create facilities, change any field
    update_operations = "update_operations"  # vacancy, prices, hours, phone, photos
    delete_facility = "delete_facility"  # soft delete and restore
    import_registry = "import_registry"  # bulk import and export
    read_audit = "read_audit"
    manage_api_keys = "manage_api_keys"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.city_admin: frozenset(Permission),
    Role.district_admin: frozenset(Permission) - {Permission.publish_rules},
    Role.facility_operator: frozenset({Permission.read_registry, Permission.update_operations}),
    Role.auditor: frozenset({Permission.read_registry, Permission.read_audit}),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a facility sits administratively, and its public id."""

    public_id: str
    city_code: str
    county_code: str | None
    township_code: str | None


def in_scope(
    role: Role,
    city_code: str,
    region_code: str | None,
    own_facilities: Collection[str],
    place: Placement,
) -> bool:
    """Whether staff with this role and scope may act on the facility at `place`."""
    if place.city_code != city_code:
        return False
    if role is Role.district_admin:
        return region_code is not None and region_code in (place.county_code, place.township_code)
    if role is Role.facility_operator:
        return place.public_id in own_facilities
    return True
