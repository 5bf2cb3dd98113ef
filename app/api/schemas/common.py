"""Shapes shared by several resources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

CoordSysName = Literal["wgs84", "gcj02", "bd09"]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


SafeStr = Annotated[str, AfterValidator(_no_nul)]


def codes_of(codes: Iterable[str]) -> dict[str, Any]:
    """JSON-schema extra for a list of codes from a closed vocabulary.

    The service checks the codes itself (naming the allowed ones when one is unknown);
    this puts the vocabulary in the OpenAPI document so typed clients get an enum.
    """
    return {"items": {"type": "string", "enum": sorted(codes)}}


class LonLat(BaseModel):
    """A point in the coordinate system named by `coordsys`."""

    lon: float
    lat: float
    coordsys: CoordSysName


class Vacancy(BaseModel):
    beds: int | None = Field(None, description="Vacant beds, null when unknown.")
    childcare_places: int | None = Field(None, description="Vacant 托位, null when unknown.")
    reported_at: str | None = Field(
        None, description="When the vacancy was last reported (ISO 8601)."
    )


class Page(BaseModel):
    total: int = Field(description="Exact number of results matching the query.")
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null at the end."
    )
