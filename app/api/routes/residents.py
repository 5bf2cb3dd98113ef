"""The WeChat mini-program's own routes: sign-in, favourites, 纠错 reports, account deletion."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import EngineDep, HttpDep, ResidentDep, SettingsDep, WriteEngineDep
from app.api.routes.facilities import PublicId, json_response
from app.api.schemas.residents import (
    FavouriteOut,
    NewReport,
    ReportOut,
    SessionOut,
    WechatLogin,
)
from app.errors import problem_responses
from app.services import residents

router = APIRouter(prefix="/v1", tags=["mini-program"], responses=problem_responses(409, 413))


@router.post("/wx/login", operation_id="wechat_login", response_model=SessionOut)
async def login(
    body: WechatLogin, engine: WriteEngineDep, http: HttpDep, settings: SettingsDep
) -> Response:
    """Exchange a wx.login() code (via WeChat's code2Session) for this service's session."""
    token, expires = await residents.sign_in(engine, http, settings, body.code)
    return json_response(
        {"access_token": token, "token_type": "bearer", "expires_at": expires.isoformat()}
    )


@router.delete("/me", operation_id="delete_my_account", status_code=204)
async def delete_account(who: ResidentDep, engine: WriteEngineDep) -> Response:
    """Delete the account: sessions and favourites go; reports stay, unlinked from you."""
    await residents.delete_account(engine, who)
    return Response(status_code=204)


@router.get("/me/favourites", operation_id="my_favourites", response_model=list[FavouriteOut])
async def favourites(who: ResidentDep, engine: EngineDep) -> Response:
    return json_response(await residents.favourites(engine, who))


@router.put("/me/favourites/{public_id}", operation_id="add_favourite", status_code=204)
async def add_favourite(public_id: PublicId, who: ResidentDep, engine: WriteEngineDep) -> Response:
    await residents.add_favourite(engine, who, public_id)
    return Response(status_code=204)


@router.delete("/me/favourites/{public_id}", operation_id="remove_favourite", status_code=204)
async def remove_favourite(
    public_id: PublicId, who: ResidentDep, engine: WriteEngineDep
) -> Response:
    await residents.remove_favourite(engine, who, public_id)
    return Response(status_code=204)


@router.post(
    "/me/reports", operation_id="report_problem", response_model=ReportOut, status_code=201
)
async def report(body: NewReport, who: ResidentDep, engine: WriteEngineDep) -> Response:
    """纠错: tell the facility's operators something is wrong (a queue item with a status)."""
    out = await residents.report(engine, body.facility_id, body.kind, body.note, resident=who)
    response = json_response(out)
    response.status_code = 201
    return response


@router.get("/me/reports", operation_id="my_reports", response_model=list[ReportOut])
async def my_reports(who: ResidentDep, engine: EngineDep) -> Response:
    """Your reports and where each stands."""
    return json_response(await residents.own_reports(engine, who))
