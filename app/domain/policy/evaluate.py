"""Eligibility: which rules apply to the facts given, on a date, and why.

Logic is three-valued: a condition whose fact was not given is unknown, never assumed.
A rule applies when every `when` condition is met and each `any_of` group has a met
member; it is missed when one of those fails; otherwise it needs facts. A rule whose
effective dates do not cover the date is `not_in_force`, whatever the facts. For a
missed rule the hint names the one fact that would change it (or says that several
must change); for a rule that needs facts it names the facts to give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from app.domain.policy.answers import (
    Amount,
    ConditionCheck,
    Decision,
    DecisionStatus,
    EligibilityAnswer,
    Hint,
    JsonValue,
)
from app.domain.policy.citations import Citation, resolve, unique
from app.domain.policy.conditions import Condition, check, condition_text_zh
from app.domain.policy.facts import Facts, FactValue
from app.domain.policy.money import spoken_yuan
from app.domain.policy.rules import (
    BENEFIT_KIND_ZH,
    Benefit,
    OperatorSupport,
    Outcome,
    PriceRegime,
    RuleSet,
)
from app.domain.policy.summary import eligibility_summary
from app.domain.policy.versions import in_force, ref
from app.domain.policy.vocabulary import FactSpec

Rule = Benefit | OperatorSupport | PriceRegime


def person_values(facts: Facts, ruleset: RuleSet, on: date) -> dict[str, FactValue]:
    """The facts given, plus what follows from them (高龄 from age; no 供养方式 unless 特困)."""
    values = facts.given()
    for name, spec in Condition.vocabulary().items():
        if spec.derived_from is None or spec.threshold_parameter is None:
            continue
        source = values.get(spec.derived_from)
        param = ruleset.parameters.get(spec.threshold_parameter)
        threshold = param.at(on) if param else None
        if isinstance(source, int) and threshold is not None and threshold.count is not None:
            values[name] = source >= threshold.count
    # Only 特困人员 have a 供养方式 (Facts refuses one for anyone else): for a person known
    # not to be 特困, a condition on it is not met, and no hint may ask them to give it.
    if values.get("income_status") not in (None, "tekun"):
        values.setdefault("tekun_support", "none")
    return values


def eligibility(rulesets: Sequence[RuleSet], facts: Facts, on: date) -> EligibilityAnswer:
    """Benefits, subsidies and priority services for a person in one city on `on`.

    `rulesets` are the versions of one city; the one in force on `on` answers.
    Raises BadRequest (`city` or `as_of`) when no version answers.
    """
    rs = in_force(rulesets, on)
    values = person_values(facts, rs, on)
    decisions = [decide(rule, values, rs, on) for rule in rs.benefits]

    def having(status: DecisionStatus) -> list[Decision]:
        return [d for d in decisions if d.status == status]

    answer = EligibilityAnswer(
        ruleset=ref(rs),
        on=on,
        facts_given={k: _json(v) for k, v in facts.given().items()},
        applies=having("applies"),
        missed=having("missed"),
        needs_facts=having("needs_facts"),
        not_in_force=having("not_in_force"),
        summary_zh="",
    )
    return answer.model_copy(update={"summary_zh": eligibility_summary(answer)})


def decide(rule: Rule, values: Mapping[str, FactValue], rs: RuleSet, on: date) -> Decision:
    """One rule against the given values (person or facility facts) on `on`."""
    checks = [_check(c, values, rs, on, None) for c in rule.when]
    for g, group in enumerate(rule.any_of):
        checks += [_check(c, values, rs, on, g) for c in group]
    status = _status(rule, checks, on)
    citations = resolve(rule.cite, rs.documents)
    for cond in (*rule.when, *(c for group in rule.any_of for c in group)):
        citations += _threshold_citations(cond, rs, on)
    outcome = rule.outcome if isinstance(rule, Benefit | OperatorSupport) else None
    amount = _amount(outcome, rs, on, citations)
    kind = (
        rule.kind
        if isinstance(rule, Benefit)
        else ("operator" if isinstance(rule, OperatorSupport) else "regime")
    )
    description = outcome.description_zh if outcome else getattr(rule, "description_zh", "")
    return Decision(
        rule_id=rule.id,
        name_zh=rule.name_zh,
        kind=kind,
        status=status,
        description_zh=description,
        amount=amount if status != "not_in_force" else None,
        conditions=checks,
        citations=unique(citations),
        hint=_hint(status, checks, rule, on),
        inferred=rule.inferred,
        note=rule.note,
        effective_from=rule.effective_from,
        effective_to=rule.effective_to,
    )


def kind_zh(kind: str) -> str:
    """The Chinese name of a kind of rule."""
    return BENEFIT_KIND_ZH.get(kind, "价格管理")


def _status(rule: Rule, checks: list[ConditionCheck], on: date) -> DecisionStatus:
    if not rule.in_force(on):
        return "not_in_force"
    results = [c.result for c in checks if c.group is None]
    for g in range(len(rule.any_of)):
        members = [c.result for c in checks if c.group == g]
        results.append(
            "met" if "met" in members else "unknown" if "unknown" in members else "not_met"
        )
    if "not_met" in results:
        return "missed"
    return "needs_facts" if "unknown" in results else "applies"


def _check(
    cond: Condition, values: Mapping[str, FactValue], rs: RuleSet, on: date, group: int | None
) -> ConditionCheck:
    spec = cond.vocabulary()[cond.fact]
    given = values.get(cond.fact)
    text = condition_text_zh(cond)
    shown: FactValue | None = given
    if spec.derived_from and spec.threshold_parameter:
        param = rs.parameters.get(spec.threshold_parameter)
        threshold = param.at(on) if param else None
        if threshold is not None and threshold.count is not None and not cond.label_zh:
            text = f"{text}（年满{threshold.count}{param.unit_zh if param else ''}）"
        shown = values.get(spec.derived_from)
    value: JsonValue = list[int | str](cond.value) if isinstance(cond.value, tuple) else cond.value
    return ConditionCheck(
        fact=cond.fact,
        op=cond.op,
        value=value,
        given=_json(shown),
        result=check(cond, given),
        group=group,
        text_zh=text,
        note=cond.note,
    )


def _json(value: FactValue | None) -> JsonValue:
    if isinstance(value, frozenset):
        return list[int | str](sorted(value))
    return value


def _threshold_citations(cond: Condition, rs: RuleSet, on: date) -> list[Citation]:
    name = cond.vocabulary()[cond.fact].threshold_parameter
    param = rs.parameters.get(name) if name else None
    value = param.at(on) if param else None
    return resolve(value.cite, rs.documents) if value else []


def _amount(
    outcome: Outcome | None, rs: RuleSet, on: date, citations: list[Citation]
) -> Amount | None:
    if outcome is None or outcome.amount is None:
        return None
    param = rs.parameters[outcome.amount]
    value = param.at(on)
    if value is None or value.amount_fen is None:
        return None
    citations += resolve(value.cite, rs.documents)
    return Amount(
        amount_fen=value.amount_fen,
        per=param.per,
        period=param.period,
        text_zh=f"{param.unit_text_zh()}{spoken_yuan(value.amount_fen)}",
        sample_value=value.sample_value,
        note=value.note,
    )


def _source_fact(check_: ConditionCheck, rule: Rule) -> str:
    """The fact a person can give or change: 高龄 comes from age_years."""
    spec = _vocabulary(rule)[check_.fact]
    return spec.derived_from or check_.fact


def _vocabulary(rule: Rule) -> Mapping[str, FactSpec]:
    conds = (*rule.when, *(c for group in rule.any_of for c in group))
    return conds[0].vocabulary() if conds else Condition.vocabulary()


def _hint(
    status: DecisionStatus, checks: list[ConditionCheck], rule: Rule, on: date
) -> Hint | None:
    if status == "applies":
        return None
    if status == "not_in_force":
        when = (
            f"自{rule.effective_from}起施行"
            if on < rule.effective_from
            else (f"已于{rule.effective_to}停止施行")
        )
        return Hint(kind="dates", facts=[], text_zh=f"这一项在{on}不施行：{when}")
    groups = sorted({c.group for c in checks if c.group is not None})
    failing = [[c] for c in checks if c.group is None and c.result == "not_met"]
    for g in groups:
        members = [c for c in checks if c.group == g]
        if all(c.result == "not_met" for c in members):
            failing.append(members)
    if status == "missed":
        facts = list(dict.fromkeys(_source_fact(c, rule) for block in failing for c in block))
        if len(failing) == 1:
            block = failing[0]
            texts = "、".join(c.text_zh for c in block)
            prefix = (
                "需要满足其中一项："
                if len(block) > 1
                else "需要是"
                if block[0].op == "is_true"
                else "需要"
            )
            return Hint(kind="change", facts=facts, text_zh=prefix + texts + _gap(block))
        texts = "；".join("、".join(c.text_zh for c in block) for block in failing)
        return Hint(kind="several", facts=facts, text_zh=f"需要同时改变{len(failing)}项：{texts}")
    unknown = [c for c in checks if c.result == "unknown" and not _group_met(c, checks)]
    facts = list(dict.fromkeys(_source_fact(c, rule) for c in unknown))
    asks = [_vocabulary(rule)[f].ask_zh() for f in facts]
    more = "等情况" if len(asks) > 3 else ""
    return Hint(kind="give", facts=facts, text_zh="请告诉我们：" + "、".join(asks[:3]) + more)


def _group_met(c: ConditionCheck, checks: list[ConditionCheck]) -> bool:
    return c.group is not None and any(o.result == "met" for o in checks if o.group == c.group)


def _gap(block: list[ConditionCheck]) -> str:
    c = block[0]
    gte_age = c.fact == "age_years" and c.op == "gte"
    if len(block) == 1 and gte_age and isinstance(c.given, int) and isinstance(c.value, int):
        return f"（还差{c.value - c.given}年）"
    return ""
