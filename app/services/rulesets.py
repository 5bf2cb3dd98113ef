"""Published rule-set versions: read (parsed once per content hash), listed, published.

A version is validated whole before anything is written: the domain loader checks
its structure and references and runs its worked examples; then the version and its
audit event commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import policy as pq
from app.db.queries.staff import insert_audit
from app.domain.policy import RuleFileError, RuleSet, parse_rule_file, validate_rule_file_text
from app.domain.policy.audit import citation_index
from app.domain.policy.toml_lines import line_of
from app.domain.policy.versions import content_sha256, ruleset_for
from app.domain.roles import Permission
from app.errors import BadRequest, Conflict, Forbidden, NotFound
from app.services.staff import StaffIdentity


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One stored version: who published it and when, and its parsed rules."""

    number: int
    label: str
    city_code: str
    city_name_zh: str
    effective_from: date
    effective_to: date | None
    filename: str
    content_sha256: str
    published_by: str | None
    published_via: str
    published_at: datetime
    ruleset: RuleSet

    def meta(self) -> dict[str, Any]:
        """The version's record, as the API lists it."""
        return {
            "city_code": self.city_code,
            "city_name_zh": self.city_name_zh,
            "version_number": self.number,
            "version_label": self.label,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "filename": self.filename,
            "content_sha256": self.content_sha256,
            "published_by": self.published_by,
            "published_via": self.published_via,
            "published_at": self.published_at.isoformat(),
        }


class RuleSetCache:
    """Parsed rule sets by content hash: a version's text never changes once stored."""

    def __init__(self) -> None:
        self._parsed: dict[str, RuleSet] = {}

    async def versions(self, engine: AsyncEngine, city_code: str | None) -> list[StoredVersion]:
        """Stored versions of one city (or all), by city and version number."""
        async with engine.connect() as conn:
            rows = await pq.versions(conn, city_code)
            missing = [r.content_sha256 for r in rows if r.content_sha256 not in self._parsed]
            texts = await pq.texts_by_digest(conn, missing) if missing else {}
        for row in rows:
            if row.content_sha256 in texts:
                name = f"{row.city_code}/{row.filename}"
                self._parsed[row.content_sha256] = parse_rule_file(texts[row.content_sha256], name)
        return [
            StoredVersion(
                number=r.version_number,
                label=r.version_label,
                city_code=r.city_code,
                city_name_zh=r.city_name_zh,
                effective_from=r.effective_from,
                effective_to=r.effective_to,
                filename=r.filename,
                content_sha256=r.content_sha256,
                published_by=r.published_by,
                published_via=r.published_via,
                published_at=r.published_at,
                ruleset=self._parsed[r.content_sha256],
            )
            for r in rows
        ]

    async def city(self, engine: AsyncEngine, city_code: str, parameter: str) -> list[RuleSet]:
        """The rule sets of a city, oldest first; BadRequest naming `parameter` if none."""
        stored = await self.versions(engine, city_code)
        if not stored:
            known = sorted({v.city_code for v in await self.versions(engine, None)})
            raise BadRequest(
                parameter, f"no rules for city code {city_code}; known: {', '.join(known)}"
            )
        return [v.ruleset for v in stored]


async def city_versions(engine: AsyncEngine, cache: RuleSetCache, city: str) -> list[StoredVersion]:
    """A city's versions, or NotFound."""
    stored = await cache.versions(engine, city)
    if not stored:
        raise NotFound(f"no rule sets for city code {city}")
    return stored


def version_in_force(stored: list[StoredVersion], on: date) -> StoredVersion:
    """The stored version in force on `on` (BadRequest naming `as_of` if none)."""
    chosen = ruleset_for(stored[0].city_code, on, [v.ruleset for v in stored])
    return next(v for v in stored if v.ruleset is chosen)


async def cities(engine: AsyncEngine, cache: RuleSetCache, on: date) -> list[dict[str, Any]]:
    """Every city with rules: its versions and the one in force on `on` (None if none)."""
    stored = await cache.versions(engine, None)
    out: list[dict[str, Any]] = []
    for city in sorted({v.city_code for v in stored}):
        mine = [v for v in stored if v.city_code == city]
        current = [v for v in mine if v.ruleset.in_force(on)]
        in_force = max(current, key=lambda v: v.effective_from) if current else None
        out.append(
            {
                "city_code": city,
                "city_name_zh": mine[-1].city_name_zh,
                "version_count": len(mine),
                "in_force": in_force.meta() if in_force else None,
                "versions": [v.meta() for v in mine],
            }
        )
    return out


async def version_file(engine: AsyncEngine, city: str, number: int) -> dict[str, Any]:
    """One version's rule file, verbatim, with the hash a mirror can check."""
    async with engine.connect() as conn:
        text = await pq.version_text(conn, city, number)
    if text is None:
        raise NotFound(f"city {city} has no rule-set version {number}")
    return {"city_code": city, "version_number": number, "rule_text": text}


async def publish(
    engine: AsyncEngine,
    cache: RuleSetCache,
    who: StaffIdentity,
    city: str,
    filename: str,
    text: str,
) -> StoredVersion:
    """Validate a rule file whole, then store it as the city's next version, audited."""
    who.require(Permission.publish_rules)
    if who.city_code != city:
        raise Forbidden(f"a city admin of {who.city_code} may not publish rules for {city}")
    name = f"{city}/{filename}"
    ruleset = validate_rule_file_text(text, name)
    if ruleset.city_code != city:
        raise RuleFileError(name, line_of(text, ("city_code",)), f"city_code must be {city}")
    digest = content_sha256(text)
    try:
        async with engine.begin() as conn:
            await pq.lock_city(conn, city)
            number = await pq.next_version_number(conn, city)
            values = {
                "city_code": city,
                "city_name_zh": ruleset.city_name_zh,
                "version_number": number,
                "version_label": ruleset.version,
                "effective_from": ruleset.effective_from,
                "effective_to": ruleset.effective_to,
                "filename": filename,
                "rule_text": text,
                "content_sha256": digest,
                "published_by": who.id,
                "published_via": "api",
            }
            version_id = await pq.insert_version(conn, values)
            await insert_audit(
                conn,
                city_code=city,
                actor_id=who.id,
                actor_role=str(who.role),
                action="publish",
                object_type="policy_ruleset",
                object_id=str(version_id),
                before=None,
                after={
                    k: (v.isoformat() if isinstance(v, date) else v)
                    for k, v in values.items()
                    if k != "rule_text"
                },
            )
    except IntegrityError as exc:
        raise Conflict(
            f"city {city} already has a version labelled {ruleset.version!r} or one starting "
            f"on {ruleset.effective_from}; give the new version its own label and start date"
        ) from exc
    return next(v for v in await cache.versions(engine, city) if v.number == number)


def detail(version: StoredVersion) -> dict[str, Any]:
    """A version's record and its rules as structured data."""
    rules = version.ruleset.model_dump(mode="json", exclude={"source"})
    return {**version.meta(), "rules": rules}


def citations(version: StoredVersion) -> dict[str, Any]:
    """A version's record and the sources of each of its rules and values."""
    return {**version.meta(), **citation_index(version.ruleset).model_dump(mode="json")}
