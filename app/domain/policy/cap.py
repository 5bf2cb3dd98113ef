"""The 普惠 eldercare price cap, computed step by step from dated parameters.

    cap = min(income_ratio × B, market_ratio × M)

B is the local urban employees' disposable-income standard (当地城镇职工可支配收入标准),
converted to a month when configured per year; M is the price of a fully market-based
eldercare home (完全市场化养老机构价格) at the same care level. The ratios are 1.5 and
0.8 stepping to 0.7 (资府办发〔2023〕7号 任务4 and 附件4 #12; 达州方案(征求意见稿) 任务8);
the values, their dates and B and M themselves are parameters of the rule file.
Arithmetic is exact (`Fraction`); each bound is rounded down to the fen, so the cap
never exceeds either exact bound.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from app.domain.policy.answers import CapComputation, Step
from app.domain.policy.citations import resolve, unique
from app.domain.policy.money import (
    exact_yuan_text,
    fen_floor,
    percent_text,
    ratio_text,
    yuan_text,
)
from app.domain.policy.parameters import DatedValue
from app.domain.policy.rules import EldercareCap, RuleSet
from app.domain.policy.summary import date_zh
from app.domain.policy.vocabulary import CARE_LEVEL, CareLevel

MONTHS_PER = {"month": 1, "year": 12}
PERIOD_WORD = {"month": "月", "year": "年"}


def cap_computation(rs: RuleSet, level: CareLevel, on: date) -> CapComputation | str:
    """The cap for `level` on `on`, or why it cannot be computed (in Chinese)."""
    cap = rs.eldercare_cap
    if cap is None:
        return f"{rs.city_name_zh}的规则没有规定普惠养老收费上限"
    inputs = _inputs(rs, cap, level, on)
    if isinstance(inputs, str):
        return inputs
    b, ir, m, mr = inputs
    period = rs.parameters[cap.income_standard].period or "year"
    if period not in MONTHS_PER or b.amount_fen is None or m.amount_fen is None:
        return f"B 的周期 {period} 无法换算为每月"
    income_ratio = ir.ratio
    market_ratio = mr.ratio
    if income_ratio is None or market_ratio is None:
        return "比例参数缺少数值"
    b_month = Fraction(b.amount_fen, MONTHS_PER[period])
    income_exact = Fraction(income_ratio) * b_month
    market_exact = Fraction(market_ratio) * m.amount_fen
    income_bound, market_bound = fen_floor(income_exact), fen_floor(market_exact)
    cap_fen = min(income_bound, market_bound)
    binding = (
        "both"
        if income_bound == market_bound
        else "income"
        if income_bound < market_bound
        else "market"
    )
    docs = rs.documents
    level_zh = CARE_LEVEL[level]
    year = f"，{b.data_year}年数据" if b.data_year else ""
    steps = [
        Step(
            label_zh="B：当地城镇职工可支配收入标准",
            formula=f"B = {yuan_text(b.amount_fen)} 元/{PERIOD_WORD[period]}{year}",
            amount_fen=b.amount_fen,
            sample_value=b.sample_value,
            citations=resolve(b.cite, docs),
        )
    ]
    b_text = exact_yuan_text(b_month)
    if period == "year":
        b_text = f"{yuan_text(b.amount_fen)} ÷ 12"
        steps.append(
            Step(
                label_zh="B 按月计",
                formula=f"{yuan_text(b.amount_fen)} ÷ 12 = {exact_yuan_text(b_month)} 元/月",
                sample_value=b.sample_value,
            )
        )
    steps += [
        Step(
            label_zh=f"收入上限：不超过B的{percent_text(income_ratio)}",
            formula=f"{ratio_text(income_ratio)} × {b_text} = "
            f"{_floored(income_exact, income_bound)} 元/月",
            amount_fen=income_bound,
            sample_value=ir.sample_value or b.sample_value,
            citations=unique(resolve(ir.cite + cap.cite, docs)),
        ),
        Step(
            label_zh=f"M：完全市场化养老机构价格（{level_zh}）",
            formula=f"M = {yuan_text(m.amount_fen)} 元/月",
            amount_fen=m.amount_fen,
            sample_value=m.sample_value,
            citations=resolve(m.cite, docs),
        ),
        Step(
            label_zh=f"市场上限：不超过M的{percent_text(market_ratio)}"
            f"（自{date_zh(mr.start)}起的比例）",
            formula=f"{ratio_text(market_ratio)} × {yuan_text(m.amount_fen)} = "
            f"{_floored(market_exact, market_bound)} 元/月",
            amount_fen=market_bound,
            sample_value=mr.sample_value or m.sample_value,
            citations=unique(resolve(mr.cite + cap.cite, docs)),
        ),
        Step(
            label_zh="上限取两者中较低的一个",
            formula=f"min({yuan_text(income_bound)}, {yuan_text(market_bound)}) = "
            f"{yuan_text(cap_fen)} 元/月",
            amount_fen=cap_fen,
            sample_value=any(v.sample_value for v in (b, ir, m, mr)),
            citations=resolve(cap.cite, docs),
        ),
    ]
    sample = [
        name
        for name, v in (
            ("income_standard", b),
            ("income_ratio", ir),
            ("market_price", m),
            ("market_ratio", mr),
        )
        if v.sample_value
    ]
    return CapComputation(
        care_level=level,
        care_level_zh=level_zh,
        income_standard_fen=b.amount_fen,
        income_period=period,
        income_data_year=b.data_year,
        income_ratio=income_ratio,
        income_bound_fen=income_bound,
        market_price_fen=m.amount_fen,
        market_ratio=market_ratio,
        market_bound_fen=market_bound,
        cap_fen=cap_fen,
        binding=binding,
        sample_inputs=sample,
        steps=steps,
    )


def _inputs(
    rs: RuleSet, cap: EldercareCap, level: CareLevel, on: date
) -> tuple[DatedValue, DatedValue, DatedValue, DatedValue] | str:
    m_name = cap.market_price.get(level)
    if m_name is None:
        return f"规则没有给出{CARE_LEVEL[level]}的市场参考价M"
    names = (cap.income_standard, cap.income_ratio, m_name, cap.market_ratio)
    values = [rs.parameters[name].at(on) for name in names]
    missing = [name for name, v in zip(names, values, strict=True) if v is None]
    if missing:
        return f"{date_zh(on)}没有以下参数的数值：{'、'.join(missing)}"
    b, ir, m, mr = values
    assert b is not None and ir is not None and m is not None and mr is not None
    return b, ir, m, mr


def _floored(exact: Fraction, floored: int) -> str:
    if exact.denominator == 1:
        return yuan_text(floored)
    return f"{exact_yuan_text(exact)}，向下取整到分为 {yuan_text(floored)}"
