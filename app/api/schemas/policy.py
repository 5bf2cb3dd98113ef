"""Policy rules: questions (eligibility, price checks) and the published rule sets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.domain.policy import EligibilityAnswer, Facts, PersonPriceAnswer, PriceCheckAnswer
from app.domain.policy.audit import CitationIndex
from app.domain.policy.vocabulary import CareLevel

MAX_RULE_FILE_CHARS = 200_000

__all__ = [
    "CitationsOut",
    "CityRuleSets",
    "EligibilityAnswer",
    "EligibilityRequest",
    "OverCapResponse",
    "PersonPriceAnswer",
    "PersonPriceRequest",
    "PriceCheckAnswer",
    "PublishRequest",
    "RuleSetDetail",
    "RuleSetList",
    "VersionFile",
    "VersionList",
    "VersionOut",
]

AS_OF = "The date the question is asked for (default: today, local time)."
FACTS = "Only the facts the person chooses to give; nothing is stored."


class EligibilityRequest(BaseModel):
    """A person's facts in a city on a date (in the body: facts stay out of URLs and logs)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"city": "512000", "facts": {"age_years": 82}}]},
    )

    city: str = Field(pattern=r"^\d{6}$", description="City code (行政区划代码), e.g. 512000.")
    as_of: date | None = Field(None, description=AS_OF)
    facts: Facts = Field(default_factory=Facts, description=FACTS)


class PersonPriceRequest(BaseModel):
    """A person's facts, for the price they would pay at one facility."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description=AS_OF)
    care_level: CareLevel | None = Field(
        None, description="Care level for the cap; default the person's care_need."
    )
    facts: Facts = Field(default_factory=Facts, description=FACTS)


class PublishRequest(BaseModel):
    """A new version of a city's rules: one whole rule file (TOML)."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(
        pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,59}\.toml$",
        description="Name the file is stored and cited under, e.g. 2026-01-01.toml.",
    )
    text: str = Field(min_length=1, max_length=MAX_RULE_FILE_CHARS, description="The TOML.")


class VersionOut(BaseModel):
    """One published version of a city's rules."""

    city_code: str
    city_name_zh: str
    version_number: int = Field(description="1, 2, … in order of publication.")
    version_label: str = Field(description="The `version` the file gives.")
    effective_from: date
    effective_to: date | None
    filename: str
    content_sha256: str = Field(description="SHA-256 of the rule file as UTF-8.")
    published_by: str | None = Field(description="Staff username; null for shipped files.")
    published_via: str = Field(description="seed (shipped with the service) or api.")
    published_at: datetime


class CityRuleSets(BaseModel):
    city_code: str
    city_name_zh: str
    version_count: int
    in_force: VersionOut | None = Field(description="The version in force on the date asked.")
    versions: list[VersionOut]


class RuleSetList(BaseModel):
    on: date
    cities: list[CityRuleSets]


class VersionList(BaseModel):
    city_code: str
    versions: list[VersionOut]


class RuleSetDetail(VersionOut):
    """The version in force on a date, with its rules as structured data."""

    rules: dict[str, Any] = Field(description="Documents, parameters, rules and examples.")


class CitationsOut(VersionOut, CitationIndex):
    """The sources of every rule and parameter value of one version."""


class VersionFile(BaseModel):
    city_code: str
    version_number: int
    rule_text: str = Field(description="The rule file, verbatim (its SHA-256 is listed).")


class CapOut(BaseModel):
    care_level: str
    cap_fen: int
    sample_inputs: list[str]


class OverCapRow(BaseModel):
    facility_id: str
    facility_name: str
    status: str = Field(description="exceeds_cap, or depends_on_care_level.")
    covered_total_fen: int | None
    caps: list[CapOut]
    excess_fen: int | None
    summary_zh: str


class OverCapResponse(BaseModel):
    """普惠 facilities in a region whose covered listed prices exceed their cap."""

    region_code: str
    on: date
    care_level: str | None
    puhui_facilities_checked: int
    ruleset: dict[str, Any] | None
    over_cap: list[OverCapRow]
