"""The base of every rule-file model: immutable, and any unknown key is an error."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """Immutable; refuses unknown fields; accepts a field by its TOML alias or its name."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
