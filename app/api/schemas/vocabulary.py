"""The coded vocabularies apps build filters from."""

from __future__ import annotations

from pydantic import BaseModel


class TermOut(BaseModel):
    code: str
    name_zh: str
    side: str | None
    aliases: list[str]
    definition: str
    cite: list[str]


class TermList(BaseModel):
    items: list[TermOut]
