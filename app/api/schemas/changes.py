"""The changes feed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.api.schemas.facilities import FacilitySummary


class Change(BaseModel):
    seq: int = Field(description="Sequence number of the change; grows with every change.")
    id: str = Field(description="Public id of the facility.")
    op: Literal["upsert", "delete"]
    changed_at: str
    facility: FacilitySummary | None = Field(
        None, description="The facility as it is now (upserts only)."
    )


class ChangesPage(BaseModel):
    since: int
    changes: list[Change]
    next_since: int = Field(description="Pass as `since` for the next page.")
    more: bool = Field(description="Whether more changes follow right now.")
