"""Properties of every answer, over generated facts, facilities, dates and cap inputs.

Every decision cites a rule; nothing payable is negative or above the listed price; a
cap never exceeds either of its bounds; the same question gives the same answer; a
rule is never applied before it starts; no float appears anywhere in an answer.
"""

from __future__ import annotations

import ast
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.domain.policy import (
    FacilityPricing,
    Facts,
    ListedPrice,
    RuleSet,
    eligibility,
    load_city_rules,
    price_check,
    price_for_person,
)
from app.domain.policy.cap import cap_computation
from app.domain.policy.vocabulary import (
    CareLevel,
    IncomeStatus,
    MedicalInsurance,
    Residence,
    TekunSupport,
)
from app.domain.vocabulary import PriceUnit, kinds, ownerships
from app.errors import BadRequest
from tests.domain.policy.sample_rules import minimal

POLICIES = Path(__file__).resolve().parents[3] / "seed" / "policies"
CITIES = {city: load_city_rules(city, POLICIES) for city in ("510100", "511700", "512000")}
CITIES["999901"] = [minimal()]  # has a rule starting 2025-07-01, inside its version
ITEMS = ("床位费", "护理费（护理型）", "失能护理费", "伙食费", "全日托", "学费（每学期）", "午餐")


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def choice(literal: Any) -> st.SearchStrategy[Any]:
    return maybe(st.sampled_from(get_args(literal)))


FLAGS = (
    "poverty_registered",
    "dementia",
    "living_alone",
    "empty_nest",
    "left_behind",
    "childless",
    "fp_special_family",
    "rural_fp_family",
    "priority_veteran",
)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    data: dict[str, Any] = {
        "age_years": draw(maybe(st.integers(0, 130))),
        "residence": draw(choice(Residence)),
        "income_status": draw(choice(IncomeStatus)),
        "tekun_support": draw(choice(TekunSupport)),
        "care_need": draw(choice(CareLevel)),
        "disability_grade": draw(maybe(st.integers(0, 4))),
        "medical_insurance": draw(choice(MedicalInsurance)),
        "child_age_months": draw(maybe(st.integers(0, 72))),
        "child_birth_order": draw(maybe(st.integers(1, 10))),
    }
    data |= {flag: draw(maybe(st.booleans())) for flag in FLAGS}
    try:
        return Facts(**{k: v for k, v in data.items() if v is not None})
    except ValidationError:
        assume(False)
        raise


@st.composite
def facilities(draw: st.DrawFn) -> FacilityPricing:
    puhui = draw(st.booleans())
    prices = draw(
        st.lists(
            st.builds(
                ListedPrice,
                st.sampled_from(ITEMS),
                st.integers(0, 2_000_000),
                st.sampled_from([u.value for u in PriceUnit]),
                st.booleans() if puhui else st.just(False),
            ),
            max_size=5,
        )
    )
    return FacilityPricing(
        public_id="f_prop",
        name="性质测试机构",
        puhui=puhui,
        ownership=draw(maybe(st.sampled_from(sorted(ownerships())))),
        kinds=draw(st.lists(st.sampled_from(sorted(kinds())), min_size=1, max_size=3)),
        prices=prices,
        care_level=draw(choice(CareLevel)),
        for_profit=draw(maybe(st.booleans())),
        filed=draw(maybe(st.booleans())),
        puhui_recognised_year=draw(maybe(st.integers(2020, 2026))),
    )


cities = st.sampled_from(sorted(CITIES))
dates = st.dates(date(2023, 4, 4), date(2030, 12, 31))


def no_floats(value: Any) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(no_floats(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(no_floats(v) for v in value)
    return True


def rule_starts(rulesets: list[RuleSet]) -> dict[tuple[str, str], date]:
    return {
        (rs.version, r.id): r.effective_from
        for rs in rulesets
        for r in (*rs.benefits, *rs.operator_support, *rs.price_regimes)
    }


@settings(max_examples=150, deadline=None)
@given(city=cities, person=facts(), on=dates)
def test_eligibility_cites_is_deterministic_and_respects_start_dates(
    city: str, person: Facts, on: date
) -> None:
    assume(any(v.in_force(on) for v in CITIES[city]))
    answer = eligibility(CITIES[city], person, on)
    again = eligibility(CITIES[city], person, on)
    assert answer == again
    decisions = answer.applies + answer.missed + answer.needs_facts + answer.not_in_force
    assert decisions and all(d.citations for d in decisions)
    for d in answer.applies:
        assert d.effective_from <= on and (d.effective_to is None or on <= d.effective_to)
    for d in decisions:
        if d.effective_from > on:
            assert d.status == "not_in_force"
    assert all(d.amount is None or d.amount.amount_fen >= 0 for d in decisions)
    assert no_floats(answer.model_dump())


@settings(max_examples=150, deadline=None)
@given(city=cities, person=facts(), facility=facilities(), on=dates)
def test_payable_is_between_zero_and_the_listed_price(
    city: str, person: Facts, facility: FacilityPricing, on: date
) -> None:
    assume(any(v.in_force(on) for v in CITIES[city]))
    answer = price_for_person(CITIES[city], facility, person, on)
    assert answer == price_for_person(CITIES[city], facility, person, on)
    for line in answer.lines:
        assert 0 <= line.payable_fen <= line.listed_fen
        assert line.listed_fen - sum(r.amount_fen for r in line.reductions) == line.payable_fen
        assert all(r.citations for r in line.reductions)
    assert all(d.citations for d in answer.subsidies + answer.possible + answer.other_benefits)
    for d in answer.subsidies:
        assert d.effective_from <= on
    assert no_floats(answer.model_dump())


@settings(max_examples=150, deadline=None)
@given(city=cities, facility=facilities(), on=dates)
def test_price_checks_cite_their_caps_and_regimes(
    city: str, facility: FacilityPricing, on: date
) -> None:
    assume(any(v.in_force(on) for v in CITIES[city]))
    answer = price_check(CITIES[city], facility, on)
    assert answer == price_check(CITIES[city], facility, on)
    assert all(d.citations for d in answer.operator_support)
    assert all(r.citations for r in answer.regimes)
    if answer.caps:
        assert answer.citations
    if not facility.puhui:
        assert answer.status == "not_puhui" and not answer.caps
    if answer.status == "exceeds_cap":
        assert answer.excess_fen is not None and answer.excess_fen > 0
    assert no_floats(answer.model_dump())


ratios = st.decimals(min_value=0, max_value=3, places=3).map(str)


@settings(max_examples=300, deadline=None)
@given(
    income_ratio=ratios,
    market_ratio=ratios,
    b_fen=st.integers(0, 100_000_000),
    m_fen=st.integers(0, 10_000_000),
    level=st.sampled_from(get_args(CareLevel)),
    on=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
)
def test_a_cap_never_exceeds_either_bound(
    income_ratio: str, market_ratio: str, b_fen: int, m_fen: int, level: CareLevel, on: date
) -> None:
    rs = minimal(
        income_ratio=income_ratio,
        market_ratio=market_ratio,
        b_yuan=f"{b_fen // 100}.{b_fen % 100:02d}",
        m_yuan=f"{m_fen // 100}.{m_fen % 100:02d}",
    )
    cap = cap_computation(rs, level, on)
    assert not isinstance(cap, str)
    income_exact = Fraction(cap.income_ratio) * Fraction(b_fen, 12)
    market_exact = Fraction(cap.market_ratio) * m_fen
    assert cap.cap_fen <= income_exact and cap.cap_fen <= market_exact
    assert cap.cap_fen == min(cap.income_bound_fen, cap.market_bound_fen)
    assert income_exact - 1 < cap.income_bound_fen <= income_exact
    assert all(isinstance(v, int) for v in (cap.cap_fen, cap.income_bound_fen))


@settings(max_examples=100, deadline=None)
@given(city=cities, person=facts(), on=st.dates(date(2000, 1, 1), date(2030, 12, 31)))
def test_no_rule_applies_before_it_starts(city: str, person: Facts, on: date) -> None:
    starts = rule_starts(CITIES[city])
    if not any(v.in_force(on) for v in CITIES[city]):
        with pytest.raises(BadRequest) as refused:  # refused, never answered
            eligibility(CITIES[city], person, on)
        assert refused.value.params[0].name == "as_of"
        return
    answer = eligibility(CITIES[city], person, on)
    for d in answer.applies:
        assert starts[(answer.ruleset.version, d.rule_id)] <= on


MONEY_MODULES = sorted(
    (Path(__file__).resolve().parents[3] / "app" / "domain" / "policy").glob("*.py")
)


@pytest.mark.parametrize("path", MONEY_MODULES, ids=[p.name for p in MONEY_MODULES])
def test_no_policy_module_converts_to_float(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "float"
    ]
    assert calls == []
