"""What a third party needs to audit a rule set: each rule and dated value with its sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, Field

from app.domain.policy.citations import Citation, Document, resolve
from app.domain.policy.rules import Benefit, EldercareCap, OperatorSupport, PriceRegime, RuleSet

CitedKind = Benefit | OperatorSupport | PriceRegime | EldercareCap


class CitedRule(BaseModel):
    """A rule (benefit, operator subsidy, price regime or the 普惠 cap) and what it cites."""

    rule_id: str
    table: str = Field(description="benefit, operator_support, price_regime or eldercare_cap.")
    name_zh: str
    effective_from: date
    effective_to: date | None
    inferred: bool
    citations: list[Citation]


class CitedValue(BaseModel):
    """One dated value of a parameter: its source, or why it is a sample value."""

    parameter: str
    label_zh: str
    start: date
    end: date | None
    sample_value: bool
    note: str
    citations: list[Citation]


class CitationIndex(BaseModel):
    """Every document, rule and parameter value of one version, with its citations."""

    documents: dict[str, Document]
    rules: list[CitedRule]
    values: list[CitedValue]


def citation_index(rs: RuleSet) -> CitationIndex:
    """The sources of every rule and every parameter value of `rs`, in file order."""
    docs = rs.documents
    tables: list[tuple[str, Sequence[CitedKind]]] = [
        ("benefit", rs.benefits),
        ("operator_support", rs.operator_support),
        ("price_regime", rs.price_regimes),
        ("eldercare_cap", (rs.eldercare_cap,) if rs.eldercare_cap else ()),
    ]
    rules = [
        CitedRule(
            rule_id=rule.id,
            table=table,
            name_zh=rule.name_zh,
            effective_from=rule.effective_from,
            effective_to=rule.effective_to,
            inferred=rule.inferred,
            citations=resolve(rule.cite, docs),
        )
        for table, group in tables
        for rule in group
    ]
    values = [
        CitedValue(
            parameter=name,
            label_zh=param.label_zh,
            start=value.start,
            end=value.end,
            sample_value=value.sample_value,
            note=value.note,
            citations=resolve(value.cite, docs),
        )
        for name, param in rs.parameters.items()
        for value in param.values
    ]
    return CitationIndex(documents=dict(docs), rules=rules, values=values)
