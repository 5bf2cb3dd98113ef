"""Open Referral HSDS answers: records follow the HSDS 3 schemas (open objects here)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class HsdsApiDetails(BaseModel):
    version: str = Field(description="HSDS version of the records.", examples=["3.1"])
    profile: str | None = Field(None, description="URL of the HSDS profile, when one applies.")
    openapi_url: str = Field(description="URL of this API's OpenAPI document.")


class HsdsServicePage(BaseModel):
    """One page of HSDS services (the HSDS API's paginated answer)."""

    total_items: int
    total_pages: int
    page_number: int
    size: int = Field(description="Records on this page.")
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]] = Field(
        description="HSDS `service` records, each with its organization, service_at_locations "
        "(with the location), cost_options, capacities, phones and attributes."
    )
