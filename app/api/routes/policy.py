"""Policy rules: eligibility, price checks, over-cap lists and the published rule sets."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import ReplicaEngineDep, RuleSetsDep, StaffDep, TodayDep, WriteEngineDep
from app.api.routes.facilities import PublicId, json_response
from app.api.schemas.policy import (
    CitationsOut,
    EligibilityAnswer,
    EligibilityRequest,
    OverCapResponse,
    PersonPriceAnswer,
    PersonPriceRequest,
    PriceCheckAnswer,
    PublishRequest,
    RuleSetDetail,
    RuleSetList,
    VersionFile,
    VersionList,
    VersionOut,
)
from app.domain.policy.vocabulary import CareLevel
from app.errors import PROBLEM_RESPONSES, problem_responses
from app.services import policy, rulesets

router = APIRouter(tags=["policy"], responses=PROBLEM_RESPONSES)

City = Annotated[str, Path(pattern=r"^\d{6}$", description="City code (行政区划代码).")]
Number = Annotated[int, Path(ge=1, le=1_000_000, description="Version number (1, 2, …).")]
AsOf = Annotated[date | None, Query(description="Date asked for, YYYY-MM-DD (default today).")]
Level = Annotated[CareLevel | None, Query(description="Care level for the cap (default all).")]
RegionCode = Annotated[str, Path(pattern=r"^\d{6,12}$", description="Region code.")]


@router.post("/v1/eligibility", operation_id="eligibility", response_model=EligibilityAnswer)
async def eligibility(
    body: EligibilityRequest, engine: ReplicaEngineDep, cache: RuleSetsDep, today: TodayDep
) -> Response:
    """Benefits, subsidies and priority services that apply to the facts given, and why;
    those missed, with the one fact that would change each."""
    answer = await policy.eligibility_for(engine, cache, body.city, body.as_of or today, body.facts)
    return json_response(answer.model_dump(mode="json"))


@router.get(
    "/v1/facilities/{public_id}/price-check",
    operation_id="facility_price_check",
    response_model=PriceCheckAnswer,
)
async def price_check(
    public_id: PublicId,
    engine: ReplicaEngineDep,
    cache: RuleSetsDep,
    today: TodayDep,
    as_of: AsOf = None,
    care_level: Level = None,
) -> Response:
    """A facility's listed prices against the 普惠 cap that applies, computed step by step;
    a non-普惠 facility is told so."""
    answer = await policy.facility_price_check(engine, cache, public_id, as_of or today, care_level)
    return json_response(answer.model_dump(mode="json"))


@router.post(
    "/v1/facilities/{public_id}/price-for-person",
    operation_id="facility_price_for_person",
    response_model=PersonPriceAnswer,
)
async def price_for_person(
    public_id: PublicId,
    body: PersonPriceRequest,
    engine: ReplicaEngineDep,
    cache: RuleSetsDep,
    today: TodayDep,
) -> Response:
    """Listed price, cap, subsidies that apply to this person here, and what is left to pay."""
    answer = await policy.facility_price_for_person(
        engine, cache, public_id, body.as_of or today, body.care_level, body.facts
    )
    return json_response(answer.model_dump(mode="json"))


@router.get(
    "/v1/regions/{code}/puhui-over-cap",
    operation_id="region_puhui_over_cap",
    response_model=OverCapResponse,
)
async def over_cap(
    code: RegionCode,
    engine: ReplicaEngineDep,
    cache: RuleSetsDep,
    today: TodayDep,
    as_of: AsOf = None,
    care_level: Level = None,
) -> Response:
    """For community workers: 普惠 facilities in a region whose listed prices exceed the cap."""
    return json_response(
        await policy.over_cap_in_region(engine, cache, code, as_of or today, care_level)
    )


@router.get("/v1/rulesets", operation_id="list_rulesets", response_model=RuleSetList)
async def list_rulesets(
    engine: ReplicaEngineDep, cache: RuleSetsDep, today: TodayDep, as_of: AsOf = None
) -> Response:
    """Every city with published rules, its versions and the one in force on the date."""
    on = as_of or today
    found = await rulesets.cities(engine, cache, on)
    return json_response({"on": on.isoformat(), "cities": found})


@router.get("/v1/rulesets/{city}", operation_id="get_ruleset", response_model=RuleSetDetail)
async def ruleset_detail(
    city: City, engine: ReplicaEngineDep, cache: RuleSetsDep, today: TodayDep, as_of: AsOf = None
) -> Response:
    """The version of a city's rules in force on the date, as structured data."""
    stored = await rulesets.city_versions(engine, cache, city)
    return json_response(rulesets.detail(rulesets.version_in_force(stored, as_of or today)))


@router.get(
    "/v1/rulesets/{city}/citations", operation_id="ruleset_citations", response_model=CitationsOut
)
async def ruleset_citations(
    city: City, engine: ReplicaEngineDep, cache: RuleSetsDep, today: TodayDep, as_of: AsOf = None
) -> Response:
    """Documents, and the sources of every rule and parameter value, of the version in force."""
    stored = await rulesets.city_versions(engine, cache, city)
    return json_response(rulesets.citations(rulesets.version_in_force(stored, as_of or today)))


@router.get(
    "/v1/rulesets/{city}/versions", operation_id="list_ruleset_versions", response_model=VersionList
)
async def versions(city: City, engine: ReplicaEngineDep, cache: RuleSetsDep) -> Response:
    """Every published version of a city's rules, oldest first; none is ever removed."""
    stored = await rulesets.city_versions(engine, cache, city)
    return json_response({"city_code": city, "versions": [v.meta() for v in stored]})


@router.get(
    "/v1/rulesets/{city}/versions/{number}",
    operation_id="get_ruleset_version_file",
    response_model=VersionFile,
)
async def version_file(city: City, number: Number, engine: ReplicaEngineDep) -> Response:
    """One version's rule file, verbatim, so a third party can mirror it and check its hash."""
    return json_response(await rulesets.version_file(engine, city, number))


@router.post(
    "/v1/rulesets/{city}/versions",
    operation_id="publish_ruleset_version",
    response_model=VersionOut,
    status_code=201,
    responses=problem_responses(401, 403, 409),
)
async def publish(
    city: City, body: PublishRequest, who: StaffDep, engine: WriteEngineDep, cache: RuleSetsDep
) -> Response:
    """Publish a new version (city admins of that city): validated whole with its worked
    examples, refused whole if bad, stored with its audit event."""
    stored = await rulesets.publish(engine, cache, who, city, body.filename, body.text)
    response = json_response(stored.meta())
    response.status_code = 201
    return response
