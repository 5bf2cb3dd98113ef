"""A city's rule set as immutable data: documents, dated parameters, rules, examples.

One rule file is one published version of one city's rules. Kinds of rule:

* `benefit`: what a resident may get (cash allowance, free service, fee reduction at
  a facility, in-kind such as insurance bought for them, a better medical-insurance
  share, priority admission);
* `operator_support`: subsidies paid to operators, tested on facility facts;
* `price_regime`: how a facility's prices are governed (market price, guidance price);
* `eldercare_cap`: the 普惠 eldercare cap min(income ratio × B, market ratio × M), whose
  inputs are dated parameters (资府办发〔2023〕7号 任务4; 达州方案(征求意见稿) 任务8).

Every rule has a citation and effective dates. `RuleSet.problems` lists the
cross-references the loader checks (documents, parameters, ids), each with its place
in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from app.domain.policy.citations import CiteRef, Document
from app.domain.policy.conditions import Condition, FacilityCondition, PersonCondition
from app.domain.policy.examples import EligibilityExample, Example, PersonPriceExample
from app.domain.policy.frozen import FrozenModel
from app.domain.policy.parameters import Parameter, ParameterKind
from app.domain.policy.vocabulary import CareLevel

Loc = tuple[str | int, ...]
BenefitKind = Literal["cash", "in_kind", "service", "insurance", "fee_reduction", "priority"]
RULE_ID = r"^[a-z][a-z0-9_]{2,63}$"

BENEFIT_KIND_ZH = {
    "cash": "补贴津贴",
    "in_kind": "政府代为购买",
    "insurance": "医保待遇",
    "service": "免费服务",
    "fee_reduction": "费用减免",
    "priority": "优先保障",
    "operator": "机构补助",
}


class Outcome(FrozenModel):
    """What a rule gives. Amounts and shares are names of dated parameters."""

    description_zh: str = Field(min_length=1)
    amount: str | None = Field(None, description="A money parameter.")
    share: str | None = Field(None, description="A ratio parameter: share of a fee waived.")
    at: tuple[FacilityCondition, ...] = Field((), description="Where a fee reduction holds.")
    items: tuple[str, ...] = Field(
        (), description="Fee items reduced (name contains); all if empty."
    )


class _Rule(FrozenModel):
    id: str = Field(pattern=RULE_ID)
    name_zh: str = Field(min_length=1)
    effective_from: date
    effective_to: date | None = None
    cite: tuple[CiteRef, ...] = Field(min_length=1)
    inferred: bool = Field(False, description="Who qualifies is our reading of the text.")
    note: str = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> _Rule:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def in_force(self, on: date) -> bool:
        """Whether the rule is in force on `on` (both ends inclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class Benefit(_Rule):
    """A benefit, subsidy or priority service for a resident, tested on person facts."""

    kind: BenefitKind
    when: tuple[PersonCondition, ...] = ()
    any_of: tuple[tuple[PersonCondition, ...], ...] = ()
    outcome: Outcome


class OperatorSupport(_Rule):
    """A subsidy or award paid to an operator, tested on facility facts."""

    when: tuple[FacilityCondition, ...] = ()
    any_of: tuple[tuple[FacilityCondition, ...], ...] = ()
    outcome: Outcome


class PriceRegime(_Rule):
    """How a kind of facility's prices are set (市场调节价, 政府指导价 …)."""

    description_zh: str = Field(min_length=1)
    when: tuple[FacilityCondition, ...] = ()
    any_of: tuple[tuple[FacilityCondition, ...], ...] = ()


class EldercareCap(_Rule):
    """The 普惠 eldercare cap's configuration; the formula itself is fixed by the documents."""

    at: tuple[FacilityCondition, ...] = Field(min_length=1)
    income_ratio: str
    market_ratio: str
    income_standard: str
    market_price: dict[CareLevel, str] = Field(min_length=1)
    covered_items: tuple[str, ...] = Field(min_length=1)
    covered_items_note: str = Field(min_length=1)
    covered_items_sample: bool = False


class RuleSet(FrozenModel):
    """One version of one city's rules, in force from `effective_from`."""

    city_code: str = Field(pattern=r"^\d{6}$")
    city_name_zh: str = Field(min_length=1)
    version: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
    effective_from: date
    effective_to: date | None = None
    description_zh: str = ""
    documents: dict[str, Document] = Field(alias="document", min_length=1)
    parameters: dict[str, Parameter] = Field(default_factory=dict, alias="parameter")
    eldercare_cap: EldercareCap | None = None
    benefits: tuple[Benefit, ...] = Field((), alias="benefit")
    operator_support: tuple[OperatorSupport, ...] = ()
    price_regimes: tuple[PriceRegime, ...] = Field((), alias="price_regime")
    examples: tuple[Example, ...] = Field((), alias="example")
    source: str = Field("", description="File the version was loaded from (set by the loader).")

    @model_validator(mode="after")
    def _dates_in_order(self) -> RuleSet:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def in_force(self, on: date) -> bool:
        """Whether this version is the city's law on `on` (both ends inclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def rule_ids(self) -> set[str]:
        """Ids of all benefits, operator subsidies and price regimes."""
        return {r.id for r in (*self.benefits, *self.operator_support, *self.price_regimes)}

    def problems(self) -> list[tuple[Loc, str]]:
        """Broken cross-references, each with its place in the file (TOML keys)."""
        return list(_problems(self))


def _problems(rs: RuleSet) -> Iterator[tuple[Loc, str]]:
    yield from _citation_problems(rs)
    for name, param in rs.parameters.items():
        for i, value in enumerate(param.values):
            if value.kind() != param.kind:
                yield (
                    ("parameter", name, "values", i),
                    f"a {param.kind} parameter takes "
                    + {"money": "`yuan`", "ratio": "`ratio`", "count": "`count`"}[param.kind],
                )

    def need(loc: Loc, name: str | None, kind: ParameterKind) -> Iterator[tuple[Loc, str]]:
        if name is None:
            return
        param = rs.parameters.get(name)
        if param is None:
            yield loc, f"no parameter named {name!r}; defined: {', '.join(rs.parameters)}"
        elif param.kind != kind:
            yield loc, f"parameter {name!r} is {param.kind}, a {kind} parameter is needed"

    seen: set[str] = set()
    for table, rules in (
        ("benefit", rs.benefits),
        ("operator_support", rs.operator_support),
        ("price_regime", rs.price_regimes),
    ):
        for i, rule in enumerate(rules):
            if rule.id in seen:
                yield (table, i, "id"), f"rule id {rule.id!r} is used twice"
            seen.add(rule.id)
            outcome = getattr(rule, "outcome", None)
            if isinstance(outcome, Outcome):
                yield from need((table, i, "outcome", "amount"), outcome.amount, "money")
                yield from need((table, i, "outcome", "share"), outcome.share, "ratio")
            is_reduction = isinstance(rule, Benefit) and rule.kind == "fee_reduction"
            if is_reduction and isinstance(rule, Benefit) and not _reduces(rule.outcome):
                yield (table, i, "outcome"), "a fee_reduction needs `at` and a `share` or `amount`"
            for loc, cond in _conditions(table, i, rule):
                spec_param = cond.vocabulary()[cond.fact].threshold_parameter
                yield from need(loc, spec_param, "count")
    cap = rs.eldercare_cap
    if cap is not None:
        yield from need(("eldercare_cap", "income_ratio"), cap.income_ratio, "ratio")
        yield from need(("eldercare_cap", "market_ratio"), cap.market_ratio, "ratio")
        yield from need(("eldercare_cap", "income_standard"), cap.income_standard, "money")
        for level, name in cap.market_price.items():
            yield from need(("eldercare_cap", "market_price", level), name, "money")
        periods: dict[str, tuple[str, ...]] = {cap.income_standard: ("month", "year")}
        periods |= {name: ("month",) for name in cap.market_price.values()}
        for name, allowed in periods.items():
            found = rs.parameters.get(name)
            if found is not None and found.period not in allowed:
                yield ("parameter", name, "period"), f"{name} must be per {' or '.join(allowed)}"
    yield from _example_problems(rs, seen)


def _reduces(outcome: Outcome) -> bool:
    return bool(outcome.at) and (outcome.share is not None or outcome.amount is not None)


def _conditions(table: str, i: int, rule: _Rule) -> Iterator[tuple[Loc, Condition]]:
    for j, cond in enumerate(getattr(rule, "when", ())):
        yield (table, i, "when", j, "fact"), cond
    for g, group in enumerate(getattr(rule, "any_of", ())):
        for j, cond in enumerate(group):
            yield (table, i, "any_of", g, j, "fact"), cond


def _citation_problems(rs: RuleSet) -> Iterator[tuple[Loc, str]]:
    def refs() -> Iterator[tuple[Loc, CiteRef]]:
        for name, param in rs.parameters.items():
            for i, value in enumerate(param.values):
                for j, ref in enumerate(value.cite):
                    yield ("parameter", name, "values", i, "cite", j, "doc"), ref
        for table, rules in (
            ("benefit", rs.benefits),
            ("operator_support", rs.operator_support),
            ("price_regime", rs.price_regimes),
        ):
            for i, rule in enumerate(rules):
                for j, ref in enumerate(rule.cite):
                    yield (table, i, "cite", j, "doc"), ref
        if rs.eldercare_cap is not None:
            for j, ref in enumerate(rs.eldercare_cap.cite):
                yield ("eldercare_cap", "cite", j, "doc"), ref

    for loc, ref in refs():
        if ref.doc not in rs.documents:
            yield loc, f"no document {ref.doc!r}; defined: {', '.join(rs.documents)}"


def _example_problems(rs: RuleSet, ids: set[str]) -> Iterator[tuple[Loc, str]]:
    for i, ex in enumerate(rs.examples):
        if not rs.in_force(ex.on):
            yield ("example", i, "on"), f"{ex.on} is outside this version ({rs.effective_from}–)"
        named: list[tuple[str, str]] = []
        if isinstance(ex, EligibilityExample):
            for key in ("applies", "missed", "needs_facts"):
                named += [(key, r) for r in getattr(ex, key) or ()]
            named += [("amounts_yuan", r) for r in ex.amounts_fen]
            named += [("hints", r) for r in ex.hints]
        elif isinstance(ex, PersonPriceExample):
            named += [("reductions", r) for r in ex.reductions]
        for key, rule_id in named:
            if rule_id not in ids:
                yield ("example", i, key), f"no rule with id {rule_id!r}"
