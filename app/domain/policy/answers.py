"""The answers the rules engine gives: JSON-serialisable, every decision with its "why".

Money is integer fen; ratios are decimals serialised as strings; every decision and
every step of a computation carries the citations it rests on, and every answer a
plain-language Chinese `summary_zh`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from app.domain.policy.citations import Citation

JsonValue = bool | int | str | list[int | str] | None
DecisionStatus = Literal["applies", "missed", "needs_facts", "not_in_force"]
PriceStatus = Literal[
    "within_cap",
    "exceeds_cap",
    "depends_on_care_level",
    "not_puhui",
    "no_cap",
    "cap_not_configured",
    "no_covered_prices",
]


class RuleSetRef(BaseModel):
    """Which published rule-set version answered."""

    city_code: str
    city_name_zh: str
    version: str
    effective_from: date
    effective_to: date | None
    source: str = Field(description="The rule file the version was loaded from.")


class ConditionCheck(BaseModel):
    """One condition of a rule against what was given."""

    fact: str
    op: str
    value: JsonValue
    given: JsonValue = Field(description="The value given; None when the fact was not given.")
    result: Literal["met", "not_met", "unknown"]
    group: int | None = Field(
        None, description="None: must hold; n: one of any-of group n must hold."
    )
    text_zh: str
    note: str = ""


class Hint(BaseModel):
    """What would change a decision: change one fact, give facts, several, or the date."""

    kind: Literal["change", "give", "several", "dates"]
    facts: list[str] = Field(description="change: any one of these alone would do.")
    text_zh: str


class Amount(BaseModel):
    """An amount of money with what it is per, and whether it is a sample value."""

    amount_fen: int = Field(ge=0)
    per: str | None
    period: str | None
    text_zh: str
    sample_value: bool
    note: str = ""


class Decision(BaseModel):
    """Whether one rule applies, with the conditions checked and the citations."""

    rule_id: str
    name_zh: str
    kind: str
    status: DecisionStatus
    description_zh: str
    amount: Amount | None
    conditions: list[ConditionCheck]
    citations: list[Citation] = Field(min_length=1)
    hint: Hint | None
    inferred: bool = Field(description="Who qualifies is our reading, not the text's.")
    note: str
    effective_from: date
    effective_to: date | None


class EligibilityAnswer(BaseModel):
    """Which benefits, subsidies and priority services apply to a person on a date."""

    ruleset: RuleSetRef
    on: date
    facts_given: dict[str, JsonValue]
    applies: list[Decision]
    missed: list[Decision]
    needs_facts: list[Decision]
    not_in_force: list[Decision]
    summary_zh: str


class Step(BaseModel):
    """One step of a computation, shown so that anyone can redo it."""

    label_zh: str
    formula: str
    amount_fen: int | None = None
    sample_value: bool = False
    citations: list[Citation] = Field(default_factory=list)


class CapComputation(BaseModel):
    """The 普惠 eldercare cap for one care level: min(income ratio × B, market ratio × M)."""

    care_level: str
    care_level_zh: str
    income_standard_fen: int
    income_period: str
    income_data_year: int | None
    income_ratio: Decimal
    income_bound_fen: int
    market_price_fen: int
    market_ratio: Decimal
    market_bound_fen: int
    cap_fen: int
    binding: Literal["income", "market", "both"]
    sample_inputs: list[str] = Field(description="Inputs that are sample values, by name.")
    steps: list[Step]


class PriceLine(BaseModel):
    """A listed price and whether the cap covers it."""

    item: str
    amount_fen: int
    unit: str
    puhui: bool
    covered: bool
    reason_zh: str


class RegimeNote(BaseModel):
    """A price regime that governs the facility (market price, guidance price …)."""

    regime_id: str
    name_zh: str
    description_zh: str
    citations: list[Citation]


class PriceCheckAnswer(BaseModel):
    """A facility's listed prices against the 普惠 cap, with the computation shown."""

    ruleset: RuleSetRef
    on: date
    facility_id: str
    facility_name: str
    puhui: bool
    status: PriceStatus
    regimes: list[RegimeNote]
    caps: list[CapComputation]
    lines: list[PriceLine]
    covered_total_fen: int | None
    excess_fen: int | None = Field(description="Covered total above the cap, when it exceeds.")
    steps: list[Step]
    operator_support: list[Decision] = Field(
        description="Subsidies paid to the operator (not to residents) and whether they apply."
    )
    citations: list[Citation]
    summary_zh: str


class Reduction(BaseModel):
    """One subsidy or waiver taken off one listed price."""

    rule_id: str
    name_zh: str
    amount_fen: int = Field(ge=0)
    formula: str
    sample_value: bool
    citations: list[Citation]


class PersonPriceLine(BaseModel):
    """A listed price, what is taken off it for this person, and what is left to pay."""

    item: str
    unit: str
    listed_fen: int = Field(ge=0)
    reductions: list[Reduction]
    payable_fen: int = Field(ge=0)


class UnitTotal(BaseModel):
    """Totals for all prices of one unit (per month, per day …)."""

    unit: str
    listed_fen: int
    reduced_fen: int
    payable_fen: int


class PersonPriceAnswer(BaseModel):
    """What a person would pay at a facility: listed price, cap, subsidies, and why."""

    ruleset: RuleSetRef
    on: date
    facility_id: str
    facility_name: str
    care_level: str | None
    cap: PriceCheckAnswer
    lines: list[PersonPriceLine]
    totals: list[UnitTotal]
    subsidies: list[Decision] = Field(description="Applied here, taken off the prices.")
    possible: list[Decision] = Field(
        description="Would apply here but a fact (of the person or facility) is missing."
    )
    other_benefits: list[Decision] = Field(
        description="Benefits the person has that are not taken off this price."
    )
    steps: list[Step]
    summary_zh: str
