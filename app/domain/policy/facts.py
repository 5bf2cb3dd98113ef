"""What a question is asked about: a person's facts (only those given) and a facility.

Facts are never stored. A fact left out is unknown, and a rule that needs it answers
"give X" rather than guessing. Out-of-range or contradictory facts are refused with
the field named (`parse_facts` turns them into `app.errors.BadRequest`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from app.domain.policy.vocabulary import (
    PERSON_FACTS,
    CareLevel,
    Demonstration,
    IncomeStatus,
    MedicalInsurance,
    Residence,
    TekunSupport,
)
from app.domain.vocabulary import PriceUnit, kinds, ownerships
from app.errors import BadRequest

FactValue = bool | int | str | frozenset[str]

Flag = Annotated[bool | None, Strict()]


Years = Annotated[int, Strict(), Field(ge=0, le=130)]
Grade = Annotated[int, Strict(), Field(ge=0, le=4)]
Months = Annotated[int, Strict(), Field(ge=0, le=72)]
Order = Annotated[int, Strict(), Field(ge=1, le=10)]


class Facts(BaseModel):
    """A person's or household's facts; every field optional, nothing else accepted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age_years: Years | None = Field(None, description="Age in whole years (周岁), 0–130.")
    residence: Residence | None = Field(None, description="户籍 or 常住 in the city asked about.")
    income_status: IncomeStatus | None = Field(None, description="特困/低保/低收入/经济困难.")
    tekun_support: TekunSupport | None = Field(None, description="特困供养: 集中 or 分散.")
    poverty_registered: Flag = Field(None, description="On the 建档立卡 register.")
    care_need: CareLevel | None = Field(None, description="能力评估: 自理/半失能/失能.")
    dementia: Flag = Field(None, description="失智.")
    disability_grade: Grade | None = Field(None, description="残疾等级 1–4 (1 worst); 0 none.")
    living_alone: Flag = Field(None, description="独居.")
    empty_nest: Flag = Field(None, description="空巢 (no child living with them).")
    left_behind: Flag = Field(None, description="留守.")
    childless: Flag = Field(None, description="孤寡.")
    fp_special_family: Flag = Field(None, description="计划生育特殊家庭.")
    rural_fp_family: Flag = Field(None, description="农村计划生育家庭.")
    priority_veteran: Flag = Field(None, description="重点优抚对象.")
    medical_insurance: MedicalInsurance | None = Field(None, description="医保 status.")
    child_age_months: Months | None = Field(None, description="The child's age in months, 0–72.")
    child_birth_order: Order | None = Field(None, description="Which child (2 = second), 1–10.")

    @field_validator("tekun_support")
    @classmethod
    def _only_tekun_have_support(
        cls, value: TekunSupport | None, info: ValidationInfo
    ) -> TekunSupport | None:
        status = info.data.get("income_status")
        if value is not None and status is not None and status != "tekun":
            raise ValueError(f"only 特困人员 have a 供养方式, but income_status is {status!r}")
        return value

    @field_validator("empty_nest")
    @classmethod
    def _living_alone_is_empty_nest(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        # (inference) 空巢 means no child lives with the person, so 独居 implies 空巢.
        if value is False and info.data.get("living_alone") is True:
            raise ValueError("a person who lives alone (独居) is also 空巢")
        return value

    def given(self) -> dict[str, FactValue]:
        """The facts the person gave, by name."""
        return {k: v for k, v in self.model_dump(exclude_none=True).items()}


def parse_facts(data: Mapping[str, object]) -> Facts:
    """Facts from request data; any refusal raises BadRequest naming the first bad field."""
    try:
        return Facts.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"]) or "facts"
        if err["type"] == "extra_forbidden":
            known = ", ".join(n for n in PERSON_FACTS if n not in {"advanced_age"})
            raise BadRequest(name, f"unknown fact; known facts: {known}") from None
        raise BadRequest(name, f"{err['msg']} (got {err.get('input')!r})") from None


class ListedPrice(NamedTuple):
    """One listed price of a facility: item, integer fen, unit (PriceUnit), 普惠 flag."""

    item: str
    amount_fen: int
    unit: str
    puhui: bool = False


@dataclass(frozen=True, slots=True)
class FacilityPricing:
    """What the rules need to know about a facility; unknown optional facts stay None."""

    public_id: str
    name: str
    puhui: bool
    ownership: str | None
    kinds: Sequence[str]
    prices: Sequence[ListedPrice] = ()
    care_level: CareLevel | None = None
    for_profit: bool | None = None
    filed: bool | None = None
    puhui_recognised_year: int | None = None
    demonstration: Demonstration | None = None
    _sides: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        vocab = kinds()
        for i, kind in enumerate(self.kinds):
            if kind not in vocab:
                raise BadRequest(f"facility.kinds[{i}]", f"unknown kind {kind!r}")
        if self.ownership is not None and self.ownership not in ownerships():
            raise BadRequest("facility.ownership", f"unknown ownership {self.ownership!r}")
        units = {u.value for u in PriceUnit}
        for i, price in enumerate(self.prices):
            amount = price.amount_fen
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                raise BadRequest(
                    f"facility.prices[{i}].amount_fen", "must be a non-negative integer (fen)"
                )
            if price.unit not in units:
                raise BadRequest(f"facility.prices[{i}].unit", f"must be one of {sorted(units)}")
        sides: set[str] = set()
        for kind in self.kinds:
            side = vocab[kind].side
            sides |= {"elderly", "child"} if side == "combined" else {side} if side else set()
        object.__setattr__(self, "_sides", frozenset(sides))

    def values(self) -> dict[str, FactValue]:
        """The facility facts rules may test (vocabulary.facility_facts), unknown ones left out."""
        known: dict[str, FactValue | None] = {
            "puhui": self.puhui,
            "ownership": self.ownership,
            "kinds": frozenset(self.kinds),
            "sides": self._sides,
            "for_profit": self.for_profit,
            "filed": self.filed,
            "puhui_recognised_year": self.puhui_recognised_year,
            "demonstration": self.demonstration,
        }
        return {k: v for k, v in known.items() if v is not None}
