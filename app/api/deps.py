"""Typed dependencies: the one module that reads request.app.state."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar, get_origin
from zoneinfo import ZoneInfo

import httpx
from fastapi import Depends, Header, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import (
    APIKeyHeader,
    HTTPAuthorizationCredentials,
    HTTPBearer,
    SecurityScopes,
)
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.api.schemas.common import CoordSysName, codes_of
from app.api.schemas.facilities import NearbyItem, NearbyRequest, ViewName
from app.domain.filters import DEFAULT_STATUSES, FacilityFilter, OpenAt
from app.domain.rate_limits import KeyPolicy
from app.domain.roles import Permission
from app.domain.vacancy import Freshness
from app.domain.vocabulary import FacilityStatus, kinds, services
from app.errors import BadRequest, Unauthorized
from app.services.analysis_state import AnalysisState
from app.services.api_keys import KeyRegistry
from app.services.finder import NearbySpec
from app.services.geocoding import PROVIDERS, Geocoding
from app.services.residents import ResidentIdentity, resident_for_token
from app.services.rulesets import RuleSetCache
from app.services.staff import StaffIdentity, staff_for_token
from app.services.walking import Walking
from app.services.webhooks import Resolver
from app.settings import Settings
from geo.coords import CoordinateError, to_wgs84


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _engine(request: Request) -> AsyncEngine:
    """Reads on the primary (autocommit: one statement, no BEGIN/ROLLBACK): staff reads,
    and anything that must see a write made just before (read-your-writes)."""
    engine: AsyncEngine = request.app.state.engine
    return engine


async def _replica_engine(request: Request) -> AsyncEngine:
    """Public reads that tolerate replication lag: the read replica when one is
    configured (YLYX_REPLICA_DATABASE_URL), else the primary."""
    engine: AsyncEngine = request.app.state.replica_engine
    return engine


async def _write_engine(request: Request) -> AsyncEngine:
    """The transactional engine: a change and its audit event commit together."""
    engine: AsyncEngine = request.app.state.write_engine
    return engine


async def _analysis(request: Request) -> AnalysisState:
    state: AnalysisState = request.app.state.analysis
    return state


async def _walking(request: Request) -> Walking:
    state: Walking = request.app.state.walking
    return state


async def _geocoding(request: Request) -> Geocoding | None:
    """The configured geocoder over the app's HTTP client, or None when none is set."""
    settings: Settings = request.app.state.settings
    if not settings.geocoder_provider:
        return None
    return Geocoding(
        request.app.state.write_engine,
        request.app.state.http,
        PROVIDERS[settings.geocoder_provider],
        settings.geocoder_key,
        settings.geocoder_daily_quota,
    )


async def _rulesets(request: Request) -> RuleSetCache:
    cache: RuleSetCache = request.app.state.rulesets
    return cache


QueryModel = TypeVar("QueryModel", bound=BaseModel)

SettingsDep = Annotated[Settings, Depends(_settings)]
GeocodingDep = Annotated[Geocoding | None, Depends(_geocoding)]


RuleSetsDep = Annotated[RuleSetCache, Depends(_rulesets)]


async def _today(settings: SettingsDep) -> date:
    """Today in the service's time zone: the default date of a policy question."""
    return datetime.now(ZoneInfo(settings.timezone)).date()


TodayDep = Annotated[date, Depends(_today)]
WalkingDep = Annotated[Walking, Depends(_walking)]
AnalysisDep = Annotated[AnalysisState, Depends(_analysis)]
EngineDep = Annotated[AsyncEngine, Depends(_engine)]
ReplicaEngineDep = Annotated[AsyncEngine, Depends(_replica_engine)]
WriteEngineDep = Annotated[AsyncEngine, Depends(_write_engine)]


def _codes(
    parameter: str, values: list[str], allowed: dict[str, Any] | set[str]
) -> tuple[str, ...]:
    """Split comma-separated values and check each against a closed vocabulary."""
    codes: list[str] = []
    for value in values:
        for code in value.split(","):
            code = code.strip()
            if not code:
                continue
            if code not in allowed:
                names = sorted(allowed)
                listed = ", ".join(names[:8]) + (
                    f", … (all at /v1/{parameter}s)" if len(names) > 8 else ""
                )
                raise BadRequest(parameter, f"unknown code {code[:40]!r}; allowed: {listed}")
            codes.append(code)
    return tuple(dict.fromkeys(codes))


def _open_at(settings: Settings, open_now: bool, open_at: str | None) -> OpenAt | None:
    if open_now and open_at:
        raise BadRequest("open_at", "give either open_now or open_at, not both")
    zone = ZoneInfo(settings.timezone)
    if open_at:
        try:
            moment = datetime.fromisoformat(open_at)
        except ValueError as exc:
            raise BadRequest(
                "open_at", "must be an ISO 8601 date-time, e.g. 2026-11-23T09:30:00+08:00"
            ) from exc
        moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    elif open_now:
        moment = datetime.now(zone)
    else:
        return None
    return OpenAt(weekday=moment.isoweekday(), at=moment.time().replace(tzinfo=None))


def build_filter(
    settings: Settings,
    *,
    kind: list[str],
    service: list[str],
    status: list[str],
    puhui: bool | None,
    has_vacancy: bool | None,
    open_now: bool,
    open_at: str | None,
    age_years: int | None,
    age_months: int | None,
    city: str | None = None,
) -> FacilityFilter:
    statuses = _codes("status", status, {s.value for s in FacilityStatus})
    return FacilityFilter(
        kinds=_codes("kind", kind, kinds()),
        services=_codes("service", service, services()),
        puhui=puhui,
        has_vacancy=has_vacancy,
        open_at=_open_at(settings, open_now, open_at),
        age_years=age_years,
        age_months=age_months,
        statuses=tuple(FacilityStatus(s) for s in statuses) or DEFAULT_STATUSES,
        city_code=city,
        freshness=Freshness.at_most_days(settings.vacancy_max_age_days),
    )


def kinds_filter(settings: Settings, kind: list[str], city: str | None = None) -> FacilityFilter:
    """The public filter narrowed by kind (and city) only: default statuses, any hours."""
    return FilterQuery(kind=kind, city=city).to_filter(settings)


def check_limit(settings: Settings, limit: int | None) -> int:
    if limit is None:
        return settings.page_default_limit
    if not 1 <= limit <= settings.page_max_limit:
        raise BadRequest("limit", f"must be between 1 and {settings.page_max_limit}")
    return limit


def point_wgs84(lon: float, lat: float, coordsys: str) -> tuple[float, float]:
    """Check a caller's point and convert it to WGS-84."""
    for name, value in (("lon", lon), ("lat", lat)):
        if not math.isfinite(value):
            raise BadRequest(name, "must be a finite number")
    if abs(lat) > 90:
        raise BadRequest("lat", "must be between -90 and 90 (are lon and lat swapped?)")
    try:
        return to_wgs84(lon, lat, coordsys)
    except CoordinateError as exc:
        raise BadRequest(exc.parameter, str(exc)) from exc


def nearby_spec(
    settings: Settings,
    *,
    lon: float,
    lat: float,
    coordsys: str,
    radius_m: int | None,
    flt: FacilityFilter,
    limit: int | None,
    cursor: str | None,
    sort: str = "distance",
    profile: str | None = None,
    fields: str | None = None,
    accuracy_m: int | None = None,
    fuzzy: bool = False,
    view: str = "full",
) -> NearbySpec:
    """Validate a nearby search (from the query string or a JSON body) into a spec."""
    wlon, wlat = point_wgs84(lon, lat, coordsys)
    radius = settings.nearby_default_radius_m if radius_m is None else radius_m
    if not 1 <= radius <= settings.nearby_max_radius_m:
        raise BadRequest("radius_m", f"must be between 1 and {settings.nearby_max_radius_m} metres")
    accuracy = check_accuracy(settings, accuracy_m, fuzzy)
    if accuracy is not None and (sort == "walk_minutes" or profile is not None):
        raise BadRequest(
            "accuracy_m",
            "walking times need a precise location; with an approximate one use sort=distance "
            "and no profile (or ask /v1/coverage with accuracy_m)",
        )
    return NearbySpec(
        lon=wlon,
        lat=wlat,
        coordsys=coordsys,
        radius_m=radius,
        filter=flt,
        limit=check_limit(settings, limit),
        cursor=cursor,
        sort=sort,
        profile=profile,
        fields=check_fields(fields),
        accuracy_m=accuracy,
        view=view,
    )


def check_accuracy(settings: Settings, accuracy_m: int | None, fuzzy: bool) -> int | None:
    """The location uncertainty in metres: `accuracy_m`, the fuzzy default, or None."""
    if accuracy_m is None:
        return settings.fuzzy_default_accuracy_m if fuzzy else None
    if not 1 <= accuracy_m <= settings.fuzzy_max_accuracy_m:
        raise BadRequest(
            "accuracy_m", f"must be between 1 and {settings.fuzzy_max_accuracy_m} metres"
        )
    return accuracy_m


ITEM_FIELDS = frozenset(NearbyItem.model_fields) | {"rank"}


def check_fields(fields: str | None) -> tuple[str, ...] | None:
    """`fields=id,name,location`: the item fields a compact answer keeps (id always)."""
    if fields is None:
        return None
    names = [f.strip() for f in fields.split(",") if f.strip()]
    unknown = [n for n in names if n not in ITEM_FIELDS]
    if unknown or not names:
        allowed = ", ".join(sorted(ITEM_FIELDS))
        raise BadRequest(
            "fields",
            f"unknown field {unknown[0][:40]!r}; allowed: {allowed}"
            if unknown
            else f"name at least one of: {allowed}",
        )
    return tuple(dict.fromkeys(["id", *names]))


def bbox_wgs84(bbox: str, coordsys: str) -> tuple[float, float, float, float]:
    """`min_lon,min_lat,max_lon,max_lat` in `coordsys`, as a WGS-84 box."""
    try:
        values = [float(v) for v in bbox.split(",")]
    except ValueError as exc:
        raise BadRequest("bbox", "must be min_lon,min_lat,max_lon,max_lat") from exc
    if len(values) != 4 or values[0] >= values[2] or values[1] >= values[3]:
        raise BadRequest("bbox", "must be min_lon,min_lat,max_lon,max_lat with min < max")
    lon0, lat0 = point_wgs84(values[0], values[1], coordsys)
    lon1, lat1 = point_wgs84(values[2], values[3], coordsys)
    return (lon0, lat0, lon1, lat1)


def nearby_spec_from_body(settings: Settings, body: NearbyRequest) -> NearbySpec:
    flt = build_filter(
        settings,
        kind=body.kind,
        service=body.service,
        status=body.status,
        puhui=body.puhui,
        has_vacancy=body.has_vacancy,
        open_now=body.open_now,
        open_at=body.open_at,
        age_years=body.age_years,
        age_months=body.age_months,
    )
    return nearby_spec(
        settings,
        lon=body.lon,
        lat=body.lat,
        coordsys=body.coordsys,
        radius_m=body.radius_m,
        flt=flt,
        limit=body.limit,
        cursor=body.cursor,
        sort=body.sort,
        profile=body.profile,
        fields=body.fields,
        accuracy_m=body.accuracy_m,
        fuzzy=body.fuzzy,
        view=body.view,
    )


class FilterQuery(BaseModel):
    """Filter parameters shared by nearby, search and region listings."""

    kind: list[str] = Field(
        [], description="Kind codes; repeat for several.", json_schema_extra=codes_of(kinds())
    )
    service: list[str] = Field(
        [], description="Service codes, all required.", json_schema_extra=codes_of(services())
    )
    status: list[str] = Field(
        [],
        description="Statuses; default all but closed.",
        json_schema_extra=codes_of(s.value for s in FacilityStatus),
    )
    puhui: bool | None = Field(None, description="Only 普惠 (true) or non-普惠 (false).")
    has_vacancy: bool | None = Field(None, description="Only facilities with a vacancy.")
    open_now: bool = Field(False, description="Only facilities open now (local time).")
    open_at: str | None = Field(None, description="Only facilities open at this ISO date-time.")
    age_years: int | None = Field(None, ge=0, le=130, description="An elder's age served.")
    age_months: int | None = Field(None, ge=0, le=72, description="A child's age in months.")
    city: str | None = Field(None, pattern=r"^\d{6}$", description="City code.")

    def to_filter(self, settings: Settings) -> FacilityFilter:
        return build_filter(
            settings,
            kind=self.kind,
            service=self.service,
            status=self.status,
            puhui=self.puhui,
            has_vacancy=self.has_vacancy,
            open_now=self.open_now,
            open_at=self.open_at,
            age_years=self.age_years,
            age_months=self.age_months,
            city=self.city,
        )


class NearbyQuery(FilterQuery):
    """A nearby search in the query string (one model: validated in one pass)."""

    lon: float = Field(
        ge=-180, le=180, allow_inf_nan=False, description="Longitude.", examples=[104.6399]
    )
    lat: float = Field(
        ge=-90, le=90, allow_inf_nan=False, description="Latitude.", examples=[30.1245]
    )
    coordsys: CoordSysName = Field(
        "wgs84", description="Coordinate system of lon/lat and of the answer."
    )
    radius_m: int | None = Field(None, ge=1, description="Search radius in metres.")
    limit: int | None = Field(None, ge=1, description="Results per page.")
    cursor: str | None = Field(None, max_length=512, description="From next_cursor.")
    sort: Literal["distance", "walk_minutes"] = Field("distance", description="Order of results.")
    profile: str | None = Field(
        None, max_length=30, description="Walking profile; adds walk_minutes."
    )
    fields: str | None = Field(
        None, max_length=300, description="Compact answer: item fields to keep, e.g. id,name."
    )
    accuracy_m: int | None = Field(
        None, ge=1, description="Location uncertainty in metres (a fuzzy location)."
    )
    fuzzy: bool = Field(False, description="wx.getFuzzyLocation: assume the default accuracy.")
    view: ViewName = Field("full", description="simple adds plain Chinese for older users.")


def _list_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        name for name, f in model.model_fields.items() if get_origin(f.annotation) is list
    )


def _parse_query(request: Request, model: type[QueryModel]) -> QueryModel:
    """Validate the query string as one model in one pass (repeated keys for list fields).

    FastAPI's own query-model extraction re-inspects every field's annotation on every
    request (≈ 25× the cost of validating); this is the hot path of the public API.
    Unknown parameters are ignored, as FastAPI does. The route documents the
    parameters with `query_parameters(model)`.
    """
    lists = _LIST_FIELDS.get(model) or _LIST_FIELDS.setdefault(model, _list_fields(model))
    params = request.query_params
    data = {
        key: params.getlist(key) if key in lists else params[key]
        for key in params
        if key in model.model_fields
    }
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False)
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in errors]) from None


def query_parameters(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI `parameters` for a query model parsed by `_parse_query`."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    required = set(schema.get("required", ()))
    return {
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": name in required,
                "description": prop.get("description", ""),
                "schema": prop,
            }
            for name, prop in schema["properties"].items()
        ]
    }


_LIST_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


async def _filter_from_query(settings: SettingsDep, request: Request) -> FacilityFilter:
    return _parse_query(request, FilterQuery).to_filter(settings)


FilterDep = Annotated[FacilityFilter, Depends(_filter_from_query)]


async def _nearby_from_query(settings: SettingsDep, request: Request) -> NearbySpec:
    query = _parse_query(request, NearbyQuery)
    return nearby_spec(
        settings,
        lon=query.lon,
        lat=query.lat,
        coordsys=query.coordsys,
        radius_m=query.radius_m,
        flt=query.to_filter(settings),
        limit=query.limit,
        cursor=query.cursor,
        sort=query.sort,
        profile=query.profile,
        fields=query.fields,
        accuracy_m=query.accuracy_m,
        fuzzy=query.fuzzy,
        view=query.view,
    )


NearbyQueryDep = Annotated[NearbySpec, Depends(_nearby_from_query)]


async def _freshness(settings: SettingsDep) -> Freshness:
    return Freshness.at_most_days(settings.vacancy_max_age_days)


FreshnessDep = Annotated[Freshness, Depends(_freshness)]


async def _limit(
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, description="Results per page.")] = None,
) -> int:
    return check_limit(settings, limit)


LimitDep = Annotated[int, Depends(_limit)]
CoordSysDep = Annotated[
    CoordSysName, Query(description="Coordinate system of coordinates in the answer.")
]


_bearer = HTTPBearer(
    auto_error=False,
    description="`Bearer <token>` from POST /v1/auth/token; each operation lists the "
    "permission it needs as the scope of this requirement.",
)


async def _staff(
    engine: EngineDep,
    scopes: SecurityScopes,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffIdentity:
    """The signed-in member of staff, holding every permission in `scopes` (else 403)."""
    if credentials is None:
        raise Unauthorized("staff routes need an Authorization: Bearer token")
    token = credentials.credentials.strip()
    if not token or len(token) > 200 or "\x00" in token:
        raise Unauthorized("the Authorization header must be `Bearer <token>`")
    who = await staff_for_token(engine, token)
    for scope in scopes.scopes:
        who.require(Permission(scope))
    return who


def _needs(permission: Permission) -> Any:
    return Security(_staff, scopes=[permission.value])


StaffDep = Annotated[StaffIdentity, Security(_staff)]
ReaderDep = Annotated[StaffIdentity, _needs(Permission.read_registry)]
EditorDep = Annotated[StaffIdentity, _needs(Permission.edit_registry)]
OperatorDep = Annotated[StaffIdentity, _needs(Permission.update_operations)]
DeleterDep = Annotated[StaffIdentity, _needs(Permission.delete_facility)]
ImporterDep = Annotated[StaffIdentity, _needs(Permission.import_registry)]
AuditorDep = Annotated[StaffIdentity, _needs(Permission.read_audit)]
PublisherDep = Annotated[StaffIdentity, _needs(Permission.publish_rules)]
KeyAdminDep = Annotated[StaffIdentity, _needs(Permission.manage_api_keys)]
IfMatchDep = Annotated[
    str | None,
    Header(alias="If-Match", description="The ETag of your last read of this facility."),
]


async def _key_registry(request: Request) -> KeyRegistry:
    registry: KeyRegistry = request.app.state.key_registry
    return registry


KeyRegistryDep = Annotated[KeyRegistry, Depends(_key_registry)]


_api_key_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    auto_error=False,
    description="A key issued by the city (POST /v1/admin/api-keys); its scopes are "
    "listed as the scopes of this requirement's route.",
)


async def _api_key(
    request: Request, _header: Annotated[str | None, Security(_api_key_header)]
) -> KeyPolicy:
    """The caller's API key, already checked (scope and rate) by the RateLimits middleware;
    the header parameter only documents the requirement in OpenAPI."""
    policy: KeyPolicy | None = request.scope.get("state", {}).get("api_key")
    if policy is None:
        raise Unauthorized("this route needs an API key in the X-API-Key header")
    return policy


ApiKeyDep = Annotated[KeyPolicy, Depends(_api_key)]


async def _http(request: Request) -> httpx.AsyncClient:
    """The app's outgoing HTTP client (WeChat); tests give it a MockTransport."""
    client: httpx.AsyncClient = request.app.state.http
    return client


HttpDep = Annotated[httpx.AsyncClient, Depends(_http)]


_resident_bearer = HTTPBearer(
    scheme_name="ResidentSession",
    auto_error=False,
    description="`Bearer <token>` from POST /v1/wx/login (a mini-program resident).",
)


async def _resident(
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_resident_bearer)],
) -> ResidentIdentity:
    if credentials is None:
        raise Unauthorized("sign in with POST /v1/wx/login and send Authorization: Bearer")
    token = credentials.credentials.strip()
    if not token or len(token) > 200 or "\x00" in token:
        raise Unauthorized("the Authorization header must be `Bearer <token>`")
    return await resident_for_token(engine, token)


ResidentDep = Annotated[ResidentIdentity, Depends(_resident)]


async def _webhook_resolver(request: Request) -> Resolver:
    """How webhook hosts are resolved (the system's resolver; tests give a fake one)."""
    resolver: Resolver = request.app.state.webhook_resolver
    return resolver


WebhookResolverDep = Annotated[Resolver, Depends(_webhook_resolver)]
