"""Staff accounts and sign-in: each change commits with its audit event or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import staff as sq
from app.domain.passwords import (
    MIN_PASSWORD_CHARS,
    hash_password,
    new_token,
    token_digest,
    verify_password,
)
from app.domain.roles import Permission, Placement, Role, allows, in_scope
from app.errors import BadRequest, Conflict, Forbidden, Unauthorized


@dataclass(frozen=True, slots=True)
class StaffIdentity:
    id: int
    username: str
    role: Role
    city_code: str
    region_code: str | None
    facility_ids: frozenset[str] = frozenset()

    def require(self, permission: Permission) -> None:
        if not allows(self.role, permission):
            raise Forbidden(f"role {self.role} may not {permission}")

    def may_reach(self, place: Placement) -> bool:
        return in_scope(self.role, self.city_code, self.region_code, self.facility_ids, place)

    def require_scope(self, place: Placement) -> None:
        """403 unless the facility at `place` is within this member of staff's scope."""
        if not self.may_reach(place):
            raise Forbidden(f"facility {place.public_id} is outside your scope")

    @property
    def audit_role(self) -> str:
        return str(self.role)


async def create_staff(
    engine: AsyncEngine,
    *,
    username: str,
    password: str,
    role: Role,
    city_code: str,
    region_code: str | None = None,
    facilities: tuple[str, ...] = (),
    actor: StaffIdentity | None = None,
) -> int:
    """Create an account (audited); `actor` is None only for bootstrap from the command line."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise BadRequest("password", f"must have at least {MIN_PASSWORD_CHARS} characters")
    values = {
        "username": username,
        "password_hash": hash_password(password),
        "role": str(role),
        "city_code": city_code,
        "region_code": region_code,
    }
    try:
        async with engine.begin() as conn:
            staff_id = await sq.insert_staff(conn, values)
            linked = await sq.link_facilities(conn, staff_id, city_code, facilities)
            if len(linked) != len(set(facilities)):
                raise BadRequest("facilities", "unknown facility id")
            await sq.insert_audit(
                conn,
                city_code=city_code,
                actor_id=actor.id if actor else None,
                actor_role=str(actor.role) if actor else "bootstrap",
                action="create",
                object_type="staff_account",
                object_id=str(staff_id),
                before=None,
                after={
                    **{k: v for k, v in values.items() if k != "password_hash"},
                    "facilities": sorted(linked),
                },
            )
    except IntegrityError as exc:
        raise Conflict(f"username {username!r} is taken or the region is unknown") from exc
    return staff_id


async def sign_in(
    engine: AsyncEngine, username: str, password: str, ttl_s: int
) -> tuple[str, datetime]:
    """A new bearer token for valid credentials; the same 401 for every failure."""
    async with engine.begin() as conn:
        row = await sq.staff_by_username(conn, username)
        if row is None or not row.active or not verify_password(password, row.password_hash):
            raise Unauthorized("unknown username or wrong password")
        token, digest = new_token()
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=ttl_s)
        await sq.delete_expired_tokens(conn, now)
        await sq.insert_token(conn, digest, row.id, expires)
        await sq.insert_audit(
            conn,
            city_code=row.city_code,
            actor_id=row.id,
            actor_role=row.role,
            action="sign_in",
            object_type="staff_account",
            object_id=str(row.id),
            before=None,
            after=None,
        )
    return token, expires


async def staff_for_token(engine: AsyncEngine, token: str) -> StaffIdentity:
    async with engine.connect() as conn:
        row = await sq.staff_by_token(conn, token_digest(token), datetime.now(UTC))
        if row is None:
            raise Unauthorized("the token is unknown or has expired")
        role = Role(row.role)
        own = await sq.staff_facilities(conn, row.id) if role is Role.facility_operator else []
    return StaffIdentity(row.id, row.username, role, row.city_code, row.region_code, frozenset(own))
