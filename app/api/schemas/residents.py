"""Mini-program sign-in, favourites and 纠错 reports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import SafeStr
from app.domain.reports import MAX_NOTE_CHARS, ReportKind, ReportStatus


class WechatLogin(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"code": "0a3Xyz"}]})

    code: SafeStr = Field(
        min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_-]+$", description="From wx.login()."
    )


class SessionOut(BaseModel):
    access_token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    token_type: str = "bearer"
    expires_at: str


class FavouriteOut(BaseModel):
    id: str
    name: str
    phone: str | None
    address: str | None
    status: str
    added_at: str


class NewReport(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"facility_id": "f_32c2ee48a63b", "kind": "closed", "note": "已停业两周"}]
        },
    )

    facility_id: SafeStr = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
    kind: ReportKind
    note: SafeStr | None = Field(None, max_length=MAX_NOTE_CHARS, description="What is wrong.")


class ReportOut(BaseModel):
    id: int
    facility_id: str | None = None
    facility_name: str | None = None
    kind: ReportKind | None = None
    note: str | None = None
    status: ReportStatus
    created_at: str | None = None
    updated_at: str | None = None


class ReportStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ReportStatus
