"""Staff roles and what each may do. Scope (which city, district or facilities) is
checked per object by the services; this module only names the permissions."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    city_admin = "city_admin"  # everything in the city
    district_admin = "district_admin"  # one 县/区 or 街道
    facility_operator = "facility_operator"  # their own facilities
    auditor = "auditor"  # read-only, including the audit trail


class Permission(StrEnum):
    publish_rules = "publish_rules"
    edit_registry = "edit_registry"
    read_audit = "read_audit"
    manage_api_keys = "manage_api_keys"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.city_admin: frozenset(Permission),
    Role.district_admin: frozenset({Permission.edit_registry, Permission.read_audit}),
    Role.facility_operator: frozenset({Permission.edit_registry}),
    Role.auditor: frozenset({Permission.read_audit}),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]
