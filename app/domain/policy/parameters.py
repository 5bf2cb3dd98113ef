"""Dated parameters: every number a city sets, each value with its start date and source.

As in OpenFisca, a value holds from its `from` date until the next value starts, or
until its own `to` date when one is given. Each value cites the article that gives
it, or is marked `sample_value = true` with a note saying why no document gives it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from app.domain.policy.citations import CiteRef
from app.domain.policy.frozen import FrozenModel
from app.domain.policy.money import fen_from_yuan, ratio_from

Fen = Annotated[int, BeforeValidator(fen_from_yuan)]
Ratio = Annotated[Decimal, BeforeValidator(ratio_from)]
ParameterKind = Literal["money", "ratio", "count"]
Period = Literal["month", "year", "day", "once"]
Per = Literal["person", "household", "place", "bed", "institution"]

PERIOD_ZH = {"month": "每月", "year": "每年", "day": "每天", "once": "一次性"}
PER_ZH = {
    "person": "每人",
    "household": "每户",
    "place": "每个托位",
    "bed": "每张床位",
    "institution": "每家机构",
}


class DatedValue(FrozenModel):
    """One value of a parameter and the period it holds; money is read from 元 into fen."""

    start: date = Field(alias="from")
    end: date | None = Field(None, alias="to", description="Last day (inclusive), if it ends.")
    amount_fen: Fen | None = Field(None, alias="yuan", description="Money, written in 元.")
    ratio: Ratio | None = None
    count: int | None = Field(None, ge=0, strict=True)
    data_year: int | None = Field(None, ge=1949, le=2100, description="Statistical year.")
    cite: tuple[CiteRef, ...] = ()
    sample_value: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _one_value_with_a_source(self) -> DatedValue:
        given = [v for v in (self.amount_fen, self.ratio, self.count) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of yuan, ratio or count")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"`to` ({self.end}) is before `from` ({self.start})")
        if not self.cite and not self.sample_value:
            raise ValueError("a value needs `cite`, or `sample_value = true` with a `note`")
        if self.sample_value and not self.note:
            raise ValueError("a sample value needs a `note` saying why no document gives it")
        return self

    def kind(self) -> ParameterKind:
        """Which kind of parameter this value belongs to."""
        if self.amount_fen is not None:
            return "money"
        return "ratio" if self.ratio is not None else "count"


class Parameter(FrozenModel):
    """A named number a city sets, with its dated values."""

    label_zh: str = Field(min_length=1)
    kind: ParameterKind
    per: Per | None = Field(None, description="Money: per person, 托位, bed …")
    period: Period | None = Field(None, description="Money: per month, year, once …")
    unit_zh: str = Field("", description="Count: the unit, e.g. 周岁 or 年.")
    values: tuple[DatedValue, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _values_in_order(self) -> Parameter:
        if self.kind == "money" and (self.per is None or self.period is None):
            raise ValueError("a money parameter needs `per` and `period`")
        for before, after in zip(self.values, self.values[1:], strict=False):
            if after.start <= before.start:
                raise ValueError(
                    f"values must be in date order: {after.start} after {before.start}"
                )
            if before.end is not None and before.end >= after.start:
                raise ValueError(f"value ending {before.end} overlaps one starting {after.start}")
        return self

    def at(self, on: date) -> DatedValue | None:
        """The value in force on `on`, or None before the first value or after an end."""
        current = None
        for value in self.values:
            if value.start <= on:
                current = value
        if current is None or (current.end is not None and on > current.end):
            return None
        return current

    def unit_text_zh(self) -> str:
        """每人每年, 每个托位每年, 一次性 …"""
        per = PER_ZH[self.per] if self.per else ""
        period = PERIOD_ZH[self.period] if self.period else ""
        return per + period
