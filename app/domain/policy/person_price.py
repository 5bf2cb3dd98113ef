"""What one person would pay at one facility: listed price, cap, reductions, amount left.

Fee reductions (`benefit` of kind `fee_reduction`) apply when the person meets the
rule and the facility meets its `at` conditions; they come off each matching listed
price in file order, each at most what is left, so the amount to pay is never below
zero nor above the listed price. A share of a fee is rounded half up to the fen.
Allowances paid in cash are listed but not taken off the price: they are paid to
the person, per year or month, not charged against one bill.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from app.domain.policy.answers import (
    Decision,
    PersonPriceAnswer,
    PersonPriceLine,
    Reduction,
    Step,
    UnitTotal,
)
from app.domain.policy.citations import resolve, unique
from app.domain.policy.conditions import Outcome3, check
from app.domain.policy.evaluate import decide, person_values
from app.domain.policy.facts import FacilityPricing, Facts, FactValue, ListedPrice
from app.domain.policy.money import fen_half_up, ratio_text, yuan_text
from app.domain.policy.pricing import check_prices
from app.domain.policy.rules import Benefit, RuleSet
from app.domain.policy.summary import person_price_summary
from app.domain.policy.versions import in_force, ref

# A fixed-amount reduction applies only to a listed price charged over the same period.
PERIOD_FOR_UNIT = {"month": "month", "day": "day", "once": "once"}


def price_for_person(
    rulesets: Sequence[RuleSet], facility: FacilityPricing, facts: Facts, on: date
) -> PersonPriceAnswer:
    """Listed prices, the cap, reductions that apply to this person here, and what is left.

    The care level for the cap is the facility's, else the person's `care_need`.
    """
    rs = in_force(rulesets, on)
    level = facility.care_level or facts.care_need
    cap = check_prices(rs, facility, on, level)
    person = person_values(facts, rs, on)
    place = facility.values()
    applied: list[tuple[Benefit, Decision]] = []
    possible: list[Decision] = []
    other: list[Decision] = []
    for benefit in rs.benefits:
        decision = decide(benefit, person, rs, on)
        if benefit.kind != "fee_reduction":
            if decision.status == "applies":
                other.append(decision)
            continue
        here = _here(benefit, place)
        if here == "not_met" or decision.status in ("missed", "not_in_force"):
            continue
        if decision.status == "applies" and here == "met":
            applied.append((benefit, decision))
        else:
            possible.append(decision)
    lines = [_line(price, applied, rs, on) for price in facility.prices]
    used = {r.rule_id for line in lines for r in line.reductions}
    answer = PersonPriceAnswer(
        ruleset=ref(rs),
        on=on,
        facility_id=facility.public_id,
        facility_name=facility.name,
        care_level=level,
        cap=cap,
        lines=lines,
        totals=_totals(lines),
        subsidies=[d for _, d in applied if d.rule_id in used],
        possible=possible,
        other_benefits=other,
        steps=[_step(line) for line in lines],
        summary_zh="",
    )
    return answer.model_copy(update={"summary_zh": person_price_summary(answer)})


def _here(benefit: Benefit, place: dict[str, FactValue]) -> Outcome3:
    results = [check(c, place.get(c.fact)) for c in benefit.outcome.at]
    if "not_met" in results:
        return "not_met"
    return "unknown" if "unknown" in results else "met"


def _line(
    price: ListedPrice, applied: list[tuple[Benefit, Decision]], rs: RuleSet, on: date
) -> PersonPriceLine:
    left = price.amount_fen
    reductions: list[Reduction] = []
    for benefit, decision in applied:
        items = benefit.outcome.items
        if items and not any(term in price.item for term in items):
            continue
        reduction = _reduction(benefit, decision, price, left, rs, on)
        if reduction is not None and reduction.amount_fen > 0:
            reductions.append(reduction)
            left -= reduction.amount_fen
    return PersonPriceLine(
        item=price.item,
        unit=price.unit,
        listed_fen=price.amount_fen,
        reductions=reductions,
        payable_fen=left,
    )


def _reduction(
    benefit: Benefit, decision: Decision, price: ListedPrice, left: int, rs: RuleSet, on: date
) -> Reduction | None:
    outcome = benefit.outcome
    if outcome.share is not None:
        value = rs.parameters[outcome.share].at(on)
        if value is None or value.ratio is None:
            return None
        full = fen_half_up(Fraction(price.amount_fen) * Fraction(value.ratio))
        formula = f"{yuan_text(price.amount_fen)} × {ratio_text(value.ratio)} = {yuan_text(full)}"
    elif outcome.amount is not None:
        param = rs.parameters[outcome.amount]
        value = param.at(on)
        if value is None or value.amount_fen is None:
            return None
        if param.period != PERIOD_FOR_UNIT.get(price.unit):
            return None
        full = value.amount_fen
        formula = f"{param.unit_text_zh()}{yuan_text(full)}"
    else:
        return None
    amount = min(left, full)
    if amount < full:
        formula += f"，以剩余应付 {yuan_text(left)} 为限"
    return Reduction(
        rule_id=benefit.id,
        name_zh=benefit.name_zh,
        amount_fen=amount,
        formula=formula,
        sample_value=value.sample_value,
        citations=unique(decision.citations + resolve(value.cite, rs.documents)),
    )


def _totals(lines: list[PersonPriceLine]) -> list[UnitTotal]:
    units = list(dict.fromkeys(line.unit for line in lines))
    return [
        UnitTotal(
            unit=unit,
            listed_fen=sum(ln.listed_fen for ln in lines if ln.unit == unit),
            reduced_fen=sum(ln.listed_fen - ln.payable_fen for ln in lines if ln.unit == unit),
            payable_fen=sum(ln.payable_fen for ln in lines if ln.unit == unit),
        )
        for unit in units
    ]


def _step(line: PersonPriceLine) -> Step:
    minus = "".join(f" − {r.name_zh} {yuan_text(r.amount_fen)}" for r in line.reductions)
    return Step(
        label_zh=line.item,
        formula=f"{yuan_text(line.listed_fen)}{minus} = {yuan_text(line.payable_fen)}",
        amount_fen=line.payable_fen,
        sample_value=any(r.sample_value for r in line.reductions),
    )
