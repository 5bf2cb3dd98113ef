"""Worked examples a rule file carries: facts, a date and the outcome the rules must give.

Three kinds: `eligibility` (which rules apply to a person), `price_check` (a facility
against the 普惠 cap) and `person_price` (what a person pays at a facility). The test
suite runs every example of every file, and a published version whose own examples
fail is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator

from app.domain.policy.answers import PriceStatus
from app.domain.policy.facts import FacilityPricing, Facts, ListedPrice
from app.domain.policy.frozen import FrozenModel
from app.domain.policy.parameters import Fen
from app.domain.policy.vocabulary import CareLevel, Demonstration
from app.domain.vocabulary import PriceUnit, kinds, ownerships


class ExamplePrice(FrozenModel):
    """A listed price in an example, in 元; `puhui` defaults to the facility's status."""

    item: str = Field(min_length=1)
    amount_fen: Fen = Field(alias="yuan")
    unit: PriceUnit
    puhui: bool | None = None


class ExampleFacility(FrozenModel):
    """A facility in an example (the same facts `FacilityPricing` holds)."""

    public_id: str = "example"
    name: str = Field(min_length=1)
    puhui: bool
    ownership: str | None = None
    kinds: tuple[str, ...] = Field(min_length=1)
    care_level: CareLevel | None = None
    for_profit: bool | None = None
    filed: bool | None = None
    puhui_recognised_year: int | None = None
    demonstration: Demonstration | None = None
    prices: tuple[ExamplePrice, ...] = ()

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in kinds()]
        if unknown:
            raise ValueError(f"unknown kind(s) {unknown}")
        return value

    @field_validator("ownership")
    @classmethod
    def _known_ownership(cls, value: str | None) -> str | None:
        if value is not None and value not in ownerships():
            raise ValueError(f"unknown ownership {value!r}; known: {', '.join(ownerships())}")
        return value

    def pricing(self) -> FacilityPricing:
        """The facility as the pricing functions take it."""
        return FacilityPricing(
            public_id=self.public_id,
            name=self.name,
            puhui=self.puhui,
            ownership=self.ownership,
            kinds=list(self.kinds),
            prices=[
                ListedPrice(
                    p.item,
                    p.amount_fen,
                    p.unit.value,
                    self.puhui if p.puhui is None else p.puhui,
                )
                for p in self.prices
            ],
            care_level=self.care_level,
            for_profit=self.for_profit,
            filed=self.filed,
            puhui_recognised_year=self.puhui_recognised_year,
            demonstration=self.demonstration,
        )


class EligibilityExample(FrozenModel):
    """Facts on a date → exactly these rules apply (and, if listed, are missed or need facts)."""

    kind: Literal["eligibility"]
    name: str = Field(min_length=1)
    on: date
    facts: Facts
    applies: tuple[str, ...]
    missed: tuple[str, ...] | None = None
    needs_facts: tuple[str, ...] | None = None
    amounts_fen: dict[str, Fen] = Field(default_factory=dict, alias="amounts_yuan")
    hints: dict[str, str] = Field(
        default_factory=dict, description="rule id → the fact its hint must name first."
    )


class PriceCheckExample(FrozenModel):
    """A facility on a date → this cap status (and cap and covered total, if given)."""

    kind: Literal["price_check"]
    name: str = Field(min_length=1)
    on: date
    facility: ExampleFacility
    status: PriceStatus
    cap_fen: Fen | None = Field(None, alias="cap_yuan")
    covered_total_fen: Fen | None = Field(None, alias="covered_total_yuan")


class PersonPriceExample(FrozenModel):
    """A person at a facility on a date → payable per unit, and the reductions applied."""

    kind: Literal["person_price"]
    name: str = Field(min_length=1)
    on: date
    facility: ExampleFacility
    facts: Facts
    payable_fen: dict[str, Fen] = Field(alias="payable_yuan")
    reductions: tuple[str, ...] = ()


Example = Annotated[
    EligibilityExample | PriceCheckExample | PersonPriceExample, Field(discriminator="kind")
]
