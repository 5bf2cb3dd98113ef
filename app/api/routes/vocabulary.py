"""The vocabularies: kinds, services, ownership models, with citations."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.routes.facilities import json_response
from app.api.schemas.vocabulary import TermList
from app.domain.vocabulary import Term, kinds, ownerships, services

router = APIRouter(prefix="/v1", tags=["vocabulary"])


def _terms(terms: dict[str, Term]) -> dict[str, object]:
    return {
        "items": [
            {
                "code": t.code,
                "name_zh": t.name_zh,
                "side": t.side,
                "aliases": list(t.aliases),
                "definition": t.definition,
                "cite": list(t.cite),
            }
            for t in terms.values()
        ]
    }


@router.get("/kinds", operation_id="list_kinds", response_model=TermList)
async def list_kinds() -> Response:
    """Facility kinds with Chinese names, aliases and the documents that define them."""
    return json_response(_terms(kinds()))


@router.get("/services", operation_id="list_services", response_model=TermList)
async def list_services() -> Response:
    """Care modes and service items (服务方式)."""
    return json_response(_terms(services()))


@router.get("/ownership-types", operation_id="list_ownership_types", response_model=TermList)
async def list_ownership_types() -> Response:
    """Ownership and operator models (运营模式)."""
    return json_response(_terms(ownerships()))
