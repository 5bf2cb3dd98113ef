"""Staff registry requests and answers: whole-record view, edits, vacancy, prices, hours."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.api.schemas.common import CoordSysName, LonLat, SafeStr, Vacancy
from app.api.schemas.facilities import OpeningHours, Price

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


class PointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lon: float = Field(allow_inf_nan=False)
    lat: float = Field(allow_inf_nan=False)
    coordsys: CoordSysName = Field("gcj02", description="GCJ-02 by default (Chinese map apps).")


class FacilityFields(BaseModel):
    """Fields staff may set; unset fields are left as they are."""

    model_config = ConfigDict(extra="forbid")

    name: SafeStr | None = Field(None, min_length=1, max_length=200)
    kinds: list[SafeStr] | None = Field(None, max_length=10)
    services: list[SafeStr] | None = Field(None, max_length=50)
    operator_name: SafeStr | None = None
    ownership: SafeStr | None = None
    address: SafeStr | None = None
    registration_no: SafeStr | None = Field(None, description="备案 number.")
    phone: SafeStr | None = None
    opening_hours_text: SafeStr | None = None
    open_24h: bool | None = None
    photo_urls: list[SafeStr] | None = Field(None, max_length=20)
    beds: int | None = None
    nursing_beds: int | None = None
    childcare_places: int | None = None
    meals_per_day: int | None = None
    puhui: bool | None = None
    puhui_source: SafeStr | None = None
    puhui_certified_on: date | None = None
    elder_min_age_years: int | None = None
    child_min_age_months: int | None = None
    child_max_age_months: int | None = None
    accessibility: list[SafeStr] | None = Field(None, max_length=20)
    grade_scale: SafeStr | None = None
    grade_value: int | None = None
    status: SafeStr | None = None
    data_source: SafeStr | None = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"location"})


class FacilityPatch(FacilityFields):
    location: PointIn | None = Field(None, description="A new location; needs edit_registry.")


class FacilityCreate(FacilityFields):
    name: SafeStr = Field(min_length=1, max_length=200)
    kinds: list[SafeStr] = Field(min_length=1, max_length=10)
    location: PointIn


class VacancyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vacant_beds: int | None = Field(None, ge=0, le=100_000)
    vacant_childcare_places: int | None = Field(None, ge=0, le=100_000)


class PriceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: SafeStr = Field(min_length=1, max_length=100)
    amount_fen: int = Field(ge=0, le=100_000_000, description="Integer fen (1 元 = 100 fen).")
    unit: Literal["month", "day", "meal", "hour", "once"]
    puhui: bool = False


class PricesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prices: list[PriceIn] = Field(max_length=100)


class HoursRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=1, le=7, description="ISO weekday, 1 = Monday.")
    opens: str = Field(pattern=HHMM, description="HH:MM local time.")
    closes: str = Field(pattern=HHMM, description="HH:MM local time; 24:00 is midnight.")

    @model_validator(mode="after")
    def _ordered(self) -> HoursRow:
        if self.opens >= self.closes:
            raise ValueError("opens must be before closes")
        return self


class HoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: list[HoursRow] = Field(max_length=50)


class StaffFacility(BaseModel):
    """The whole record as staff see it; the ETag header carries its version."""

    id: str
    name: str
    kinds: list[str]
    location: LonLat
    city_code: str
    county_code: str | None
    township_code: str | None
    registration_no: str | None
    photo_urls: list[str]
    vacancy: Vacancy
    prices: list[Price]
    opening_hours: list[OpeningHours]
    version: int
    deleted_at: str | None


class HistoryOut(BaseModel):
    id: str
    vacancy: list[dict[str, Any]]
    prices: list[dict[str, Any]]


class AuditOut(BaseModel):
    id: str
    events: list[dict[str, Any]]
