"""Rule-set versions: which published version of a city's rules answers a question on a date.

Versions are kept, never replaced: a city publishes a new version with a later
`effective_from`, and a question asked as of an earlier date is answered by the
version in force then. When versions overlap, the one that started last wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from app.domain.policy.answers import RuleSetRef
from app.domain.policy.rules import RuleSet
from app.errors import BadRequest


def ruleset_for(city: str, on: date, versions: Sequence[RuleSet]) -> RuleSet:
    """The version of `city`'s rules in force on `on`.

    Raises BadRequest naming `city` when no version of that city is known, and `as_of`
    when none is in force on that date (the message gives the dates covered).
    """
    mine = [v for v in versions if v.city_code == city]
    if not mine:
        known = sorted({v.city_code for v in versions})
        raise BadRequest("city", f"no rules for city code {city!r}; known: {', '.join(known)}")
    in_force = [v for v in mine if v.in_force(on)]
    if not in_force:
        spans = "; ".join(
            f"{v.version}: {v.effective_from}–{v.effective_to or ''}"
            for v in sorted(mine, key=lambda v: v.effective_from)
        )
        raise BadRequest(
            "as_of", f"no version of the rules of {city} is in force on {on} ({spans})"
        )
    return max(in_force, key=lambda v: v.effective_from)


def city_of(versions: Sequence[RuleSet]) -> str:
    """The one city all `versions` belong to (BadRequest `city` if none or mixed)."""
    cities = {v.city_code for v in versions}
    if len(cities) != 1:
        raise BadRequest("city", "expected the rule-set versions of exactly one city")
    return cities.pop()


def in_force(versions: Sequence[RuleSet], on: date) -> RuleSet:
    """The version of the one city in `versions` that is in force on `on`."""
    return ruleset_for(city_of(versions), on, versions)


def ref(ruleset: RuleSet) -> RuleSetRef:
    """The short reference to a version that every answer carries."""
    return RuleSetRef(
        city_code=ruleset.city_code,
        city_name_zh=ruleset.city_name_zh,
        version=ruleset.version,
        effective_from=ruleset.effective_from,
        effective_to=ruleset.effective_to,
        source=ruleset.source,
    )


def content_sha256(text: str) -> str:
    """Hex SHA-256 of a rule file's text as UTF-8: what a mirror checks a copy against."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
