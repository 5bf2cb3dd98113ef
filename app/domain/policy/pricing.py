"""Price checks: a facility's listed prices against the 普惠 cap, and a person's price.

Which listed items the cap covers is configuration (`eldercare_cap.covered_items`,
matched when an item's name contains a covered term): the documents do not say.
Only monthly items flagged 普惠 are compared: the dearest item of each covered term,
summed as one monthly charge (two bed rates are alternatives, not added together). A
non-普惠 facility is told so, with the price regime that governs it instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from app.domain.policy.answers import (
    CapComputation,
    PriceCheckAnswer,
    PriceLine,
    PriceStatus,
    RegimeNote,
    Step,
)
from app.domain.policy.cap import cap_computation
from app.domain.policy.citations import Citation, resolve, unique
from app.domain.policy.conditions import FacilityCondition, check
from app.domain.policy.evaluate import decide
from app.domain.policy.facts import FacilityPricing, FactValue
from app.domain.policy.money import yuan_text
from app.domain.policy.rules import EldercareCap, PriceRegime, RuleSet
from app.domain.policy.summary import price_check_summary
from app.domain.policy.versions import in_force, ref
from app.domain.policy.vocabulary import CareLevel


def price_check(
    rulesets: Sequence[RuleSet], facility: FacilityPricing, on: date
) -> PriceCheckAnswer:
    """The facility's listed prices against the 普惠 cap in force on `on`, step by step.

    Without a care level on the facility, the cap is computed for every configured
    level, and the answer may be `depends_on_care_level`.
    """
    return check_prices(in_force(rulesets, on), facility, on, facility.care_level)


def check_prices(
    rs: RuleSet, facility: FacilityPricing, on: date, level: CareLevel | None
) -> PriceCheckAnswer:
    """`price_check` against one rule-set version, for one care level or all of them."""
    values = facility.values()
    regimes = [_regime(r, values, rs, on) for r in rs.price_regimes]
    notes = [n for n in regimes if n is not None]
    support = [decide(o, values, rs, on) for o in rs.operator_support]
    support = [d for d in support if d.status in ("applies", "needs_facts")]
    cap = rs.eldercare_cap
    applies = cap is not None and cap.in_force(on) and all_met(cap.at, values)
    lines = [
        _line(p.item, p.amount_fen, p.unit, p.puhui, facility.puhui, cap, applies)
        for p in facility.prices
    ]
    caps: list[CapComputation] = []
    steps: list[Step] = []
    citations: list[Citation] = [c for n in notes for c in n.citations]
    total: int | None = None
    excess: int | None = None
    status: PriceStatus
    if not facility.puhui:
        status = "not_puhui"
        steps.append(Step(label_zh="该机构不是普惠机构", formula="普惠限价不适用"))
    elif cap is None or not applies:
        status = "no_cap"
        why = "本市规则没有普惠收费上限" if cap is None else "普惠收费上限只适用于普惠养老机构"
        steps.append(Step(label_zh=why, formula="无数值上限"))
    else:
        citations += resolve(cap.cite, rs.documents)
        levels: list[CareLevel] = [level] if level else list(cap.market_price)
        computed = [cap_computation(rs, lv, on) for lv in levels]
        problems = [c for c in computed if isinstance(c, str)]
        caps = [c for c in computed if not isinstance(c, str)]
        covered = [ln for ln in lines if ln.covered]
        if problems:
            status = "cap_not_configured"
            steps += [Step(label_zh="无法计算上限", formula=p) for p in problems]
        elif not covered:
            status = "no_covered_prices"
            steps.append(Step(label_zh="没有纳入上限的按月普惠收费", formula="—"))
        else:
            charged = highest_per_term(cap, covered)
            total = sum(ln.amount_fen for ln in charged)
            status, excess, compare = _compare(total, caps, charged, len(covered))
            steps += compare
        for c in caps:
            citations += [cite for s in c.steps for cite in s.citations]
    answer = PriceCheckAnswer(
        ruleset=ref(rs),
        on=on,
        facility_id=facility.public_id,
        facility_name=facility.name,
        puhui=facility.puhui,
        status=status,
        regimes=notes,
        caps=caps,
        lines=lines,
        covered_total_fen=total,
        excess_fen=excess,
        steps=steps,
        operator_support=support,
        citations=unique(citations),
        summary_zh="",
    )
    return answer.model_copy(update={"summary_zh": price_check_summary(answer)})


def all_met(conditions: Sequence[FacilityCondition], values: Mapping[str, FactValue]) -> bool:
    """Whether every condition is met (an unknown fact counts as not met)."""
    return all(check(c, values.get(c.fact)) == "met" for c in conditions)


def covers(cap: EldercareCap, item: str) -> bool:
    """Whether the cap covers a listed item: its name contains a covered term."""
    return any(term in item for term in cap.covered_items)


def highest_per_term(cap: EldercareCap, covered: Sequence[PriceLine]) -> list[PriceLine]:
    """The dearest covered item of each covered term (床位费, 护理费 …), in listing order.

    Several items under one term are alternatives (two bed rates), not charges added
    together: a resident pays one bed fee. The cap must hold for every combination a
    resident could be charged, so the dearest of each term is compared.
    """
    dearest: dict[str, PriceLine] = {}
    for line in covered:
        term = next(t for t in cap.covered_items if t in line.item)
        if term not in dearest or line.amount_fen > dearest[term].amount_fen:
            dearest[term] = line
    chosen = {id(line) for line in dearest.values()}
    return [line for line in covered if id(line) in chosen]


def _line(
    item: str,
    amount_fen: int,
    unit: str,
    puhui_item: bool,
    puhui_site: bool,
    cap: EldercareCap | None,
    applies: bool,
) -> PriceLine:
    if not puhui_site or cap is None or not applies:
        reason = "不适用普惠上限"
    elif not puhui_item:
        reason = "该项不是普惠收费"
    elif unit != "month":
        reason = "上限按月计，该项不是按月收费"
    elif not covers(cap, item):
        reason = f"上限只涵盖：{'、'.join(cap.covered_items)}"
    else:
        reason = "纳入上限"
    return PriceLine(
        item=item,
        amount_fen=amount_fen,
        unit=unit,
        puhui=puhui_item,
        covered=reason == "纳入上限",
        reason_zh=reason,
    )


def _compare(
    total: int, caps: list[CapComputation], charged: list[PriceLine], covered: int
) -> tuple[PriceStatus, int | None, list[Step]]:
    parts = " + ".join(f"{ln.item} {yuan_text(ln.amount_fen)}" for ln in charged)
    label = "纳入上限的按月收费合计"
    if covered > len(charged):
        label += "（同一类收费有几档时取最高一档）"
    steps = [Step(label_zh=label, formula=f"{parts} = {yuan_text(total)} 元/月", amount_fen=total)]
    for c in caps:
        sign = "≤" if total <= c.cap_fen else ">"
        verdict = (
            "未超过上限" if total <= c.cap_fen else f"超过上限 {yuan_text(total - c.cap_fen)} 元"
        )
        steps.append(
            Step(
                label_zh=f"与{c.care_level_zh}上限比较",
                formula=f"{yuan_text(total)} {sign} {yuan_text(c.cap_fen)}：{verdict}",
                amount_fen=c.cap_fen,
                sample_value=bool(c.sample_inputs),
            )
        )
    over = [c for c in caps if total > c.cap_fen]
    if not over:
        return "within_cap", None, steps
    if len(over) == len(caps):
        return "exceeds_cap", total - max(c.cap_fen for c in caps), steps
    return "depends_on_care_level", None, steps


def _regime(
    rule: PriceRegime, values: Mapping[str, FactValue], rs: RuleSet, on: date
) -> RegimeNote | None:
    decision = decide(rule, values, rs, on)
    if decision.status != "applies":
        return None
    return RegimeNote(
        regime_id=rule.id,
        name_zh=rule.name_zh,
        description_zh=rule.description_zh,
        citations=decision.citations,
    )
