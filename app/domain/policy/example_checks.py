"""Running a rule file's worked examples: each must give the outcome it states."""

from __future__ import annotations

from app.domain.policy.evaluate import eligibility
from app.domain.policy.examples import EligibilityExample, Example, PriceCheckExample
from app.domain.policy.money import yuan_text
from app.domain.policy.person_price import price_for_person
from app.domain.policy.pricing import price_check
from app.domain.policy.rules import RuleSet


def example_failures(rs: RuleSet) -> list[tuple[int, str]]:
    """(index, what differs) for every example of `rs` that does not give its outcome."""
    out = []
    for i, example in enumerate(rs.examples):
        failure = example_failure(rs, example)
        if failure is not None:
            out.append((i, failure))
    return out


def example_failure(rs: RuleSet, ex: Example) -> str | None:
    """What differs between the example's stated outcome and the rules' answer, or None."""
    if isinstance(ex, EligibilityExample):
        return _eligibility(rs, ex)
    if isinstance(ex, PriceCheckExample):
        check = price_check([rs], ex.facility.pricing(), ex.on)
        diffs = []
        if check.status != ex.status:
            diffs.append(f"status is {check.status}, expected {ex.status}")
        if ex.cap_fen is not None:
            caps = [c.cap_fen for c in check.caps]
            if caps != [ex.cap_fen]:
                got = ", ".join(yuan_text(c) for c in caps) or "none"
                diffs.append(f"cap is {got}, expected {yuan_text(ex.cap_fen)}")
        if ex.covered_total_fen is not None and check.covered_total_fen != ex.covered_total_fen:
            diffs.append(f"covered total is {check.covered_total_fen} fen")
        return "; ".join(diffs) or None
    person = price_for_person([rs], ex.facility.pricing(), ex.facts, ex.on)
    diffs = []
    payable = {t.unit: t.payable_fen for t in person.totals}
    for unit, fen in ex.payable_fen.items():
        if payable.get(unit) != fen:
            diffs.append(f"payable per {unit} is {payable.get(unit)} fen, expected {fen}")
    used = {r.rule_id for line in person.lines for r in line.reductions}
    if used != set(ex.reductions):
        diffs.append(f"reductions are {sorted(used)}, expected {sorted(ex.reductions)}")
    return "; ".join(diffs) or None


def _eligibility(rs: RuleSet, ex: EligibilityExample) -> str | None:
    answer = eligibility([rs], ex.facts, ex.on)
    diffs = []
    lists = {
        "applies": (answer.applies, ex.applies),
        "missed": (answer.missed, ex.missed),
        "needs_facts": (answer.needs_facts, ex.needs_facts),
    }
    for key, (decisions, expected) in lists.items():
        got = {d.rule_id for d in decisions}
        if expected is not None and got != set(expected):
            diffs.append(
                f"{key}: got {sorted(got)}, expected {sorted(expected)} "
                f"(extra {sorted(got - set(expected))}, absent {sorted(set(expected) - got)})"
            )
    by_id = {
        d.rule_id: d
        for d in answer.applies + answer.missed + answer.needs_facts + answer.not_in_force
    }
    for rule_id, fen in ex.amounts_fen.items():
        amount = by_id[rule_id].amount
        if amount is None or amount.amount_fen != fen:
            diffs.append(f"amount of {rule_id} is {amount and amount.amount_fen}, expected {fen}")
    for rule_id, fact in ex.hints.items():
        hint = by_id[rule_id].hint
        if hint is None or not hint.facts or hint.facts[0] != fact:
            diffs.append(f"hint of {rule_id} names {hint and hint.facts}, expected {fact}")
    return "; ".join(diffs) or None
