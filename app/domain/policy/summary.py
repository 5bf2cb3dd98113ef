"""Plain-language Chinese summaries an older person can read aloud, one per answer type.

Short sentences, amounts said as 元 (300元, 2万元), no symbols or codes; every
sample value, inferred condition and draft document is said to be one.
"""

from __future__ import annotations

from datetime import date

from app.domain.policy.answers import (
    Decision,
    EligibilityAnswer,
    PersonPriceAnswer,
    PriceCheckAnswer,
)
from app.domain.policy.money import percent_text, spoken_yuan

UNIT_ZH = {"month": "每月", "day": "每天", "meal": "每餐", "hour": "每小时", "once": "每次"}
SAMPLE_NOTE = "注明“示例”的数字，文件里没有写明，只是示例，请以当地部门公布的为准。"
INFERRED_NOTE = (
    "注明“条件为推断”的，文件没有写明谁可以享受，这是本系统的理解，请向当地民政部门核实。"
)
DRAFT_NOTE = "依据是征求意见稿的，文件尚未正式施行。"


def date_zh(on: date) -> str:
    """2024年6月1日."""
    return f"{on.year}年{on.month}月{on.day}日"


def eligibility_summary(a: EligibilityAnswer) -> str:
    """Which benefits apply, which need facts, which are missed and why."""
    parts = [
        f"按{a.ruleset.city_name_zh}在{date_zh(a.on)}施行的规定（规则版本{a.ruleset.version}）："
    ]
    if a.applies:
        parts.append(f"您可以享受{len(a.applies)}项：")
        parts += [f"{i}．{_decision_line(d)}" for i, d in enumerate(a.applies, 1)]
    else:
        parts.append("根据您提供的情况，目前没有可以确定享受的项目。")
    if a.needs_facts:
        items = "；".join(f"{d.name_zh}（{_hint(d)}）" for d in a.needs_facts)
        parts.append(f"还有{len(a.needs_facts)}项需要您补充情况才能判断：{items}。")
    if a.missed:
        items = "；".join(f"{d.name_zh}，{_hint(d)}" for d in a.missed)
        parts.append(f"有{len(a.missed)}项您目前不符合：{items}。")
    parts += _notes(a.applies + a.needs_facts + a.missed)
    return "\n".join(parts)


def price_check_summary(a: PriceCheckAnswer) -> str:
    """Whether a facility's listed prices keep to the 普惠 cap, and how the cap is reckoned."""
    parts: list[str] = []
    regimes = "".join(f"它的收费按“{r.name_zh}”：{_clause(r.description_zh)}。" for r in a.regimes)
    if a.status == "not_puhui":
        parts.append(f"{a.facility_name}不是普惠机构，不适用普惠限价。{regimes}")
    elif a.status == "no_cap":
        parts.append(f"{a.facility_name}是普惠机构，但{_clause(a.steps[0].label_zh)}。{regimes}")
    elif a.status == "cap_not_configured":
        parts.append(
            f"{a.facility_name}是普惠养老机构，但目前无法算出上限：{a.steps[-1].formula}。"
        )
    elif a.status == "no_covered_prices":
        parts.append(f"{a.facility_name}是普惠养老机构，但没有列出纳入上限的按月普惠收费。")
    else:
        parts += _cap_sentences(a)
    sample = any(c.sample_inputs for c in a.caps)
    if sample:
        parts.append("上限用到的数字中有示例值，不是当地公布的数字，仅供参考。")
    if any(c.draft for c in a.citations):
        parts.append(DRAFT_NOTE)
    return "".join(parts)


def person_price_summary(a: PersonPriceAnswer) -> str:
    """What the person would pay per month (or day …), with reductions and the cap."""
    parts = [f"您在{a.facility_name}的费用（按{date_zh(a.on)}的规定）："]
    for total in a.totals:
        unit = UNIT_ZH.get(total.unit, total.unit)
        if total.reduced_fen:
            parts.append(
                f"{unit}标价合计{spoken_yuan(total.listed_fen)}，可减免{spoken_yuan(total.reduced_fen)}，"
                f"减免后{unit}需付{spoken_yuan(total.payable_fen)}。"
            )
        else:
            parts.append(
                f"{unit}标价合计{spoken_yuan(total.listed_fen)}，需付{spoken_yuan(total.payable_fen)}。"
            )
    if not a.totals:
        parts.append("这家机构没有列出价格。")
    for d in a.subsidies:
        reductions = [r for line in a.lines for r in line.reductions if r.rule_id == d.rule_id]
        sample = "（示例）" if any(r.sample_value for r in reductions) else ""
        parts.append(f"减免依据：{d.name_zh}{sample}，{d.citations[0].text_zh()}。")
    cap = a.cap
    if cap.status == "exceeds_cap" and cap.excess_fen:
        parts.append(
            f"注意：这家普惠机构的标价超过普惠上限{spoken_yuan(cap.excess_fen)}，"
            "您可以向当地民政部门反映。"
        )
    elif cap.status == "within_cap":
        parts.append("标价没有超过普惠上限。")
    elif cap.status == "not_puhui":
        parts.append("这家机构不是普惠机构，不适用普惠限价。")
    if a.possible:
        items = "；".join(f"{d.name_zh}（{_hint(d)}）" for d in a.possible)
        parts.append(f"另有{len(a.possible)}项减免可能适用：{items}。")
    if a.other_benefits:
        names = "、".join(d.name_zh for d in a.other_benefits)
        parts.append(f"您还可以享受：{names}，这些另行发放或提供，没有从这里的价格中扣除。")
    return "".join(parts)


def _cap_sentences(a: PriceCheckAnswer) -> list[str]:
    total = a.covered_total_fen or 0
    items = "、".join(ln.item for ln in a.lines if ln.covered)
    if len(a.caps) == 1:
        c = a.caps[0]
        verdict = (
            "没有超过上限" if total <= c.cap_fen else f"超过上限{spoken_yuan(total - c.cap_fen)}"
        )
        return [
            f"{a.facility_name}是普惠养老机构。按规定，{c.care_level_zh}老人的{items}每月合计"
            f"最多收{spoken_yuan(c.cap_fen)}。它现在标价合计{spoken_yuan(total)}，{verdict}。",
            f"上限这样算：收入上限是当地收入标准的{percent_text(c.income_ratio)}，"
            f"为{spoken_yuan(c.income_bound_fen)}；市场上限是市场价的{percent_text(c.market_ratio)}，"
            f"为{spoken_yuan(c.market_bound_fen)}；取较低的一个。",
        ]
    levels = "、".join(f"{c.care_level_zh}{spoken_yuan(c.cap_fen)}" for c in a.caps)
    verdict = {
        "within_cap": "没有超过任何一级的上限",
        "exceeds_cap": "超过了每一级的上限",
        "depends_on_care_level": "是否超过上限要看老人的护理等级",
    }[a.status]
    return [
        f"{a.facility_name}是普惠养老机构。按护理等级，{items}每月合计最多收：{levels}。"
        f"它现在标价合计{spoken_yuan(total)}，{verdict}。"
    ]


def _decision_line(d: Decision) -> str:
    text = f"{d.name_zh}：{_clause(d.description_zh)}"
    if d.amount is not None:
        text += f"，{d.amount.text_zh}" + ("（示例）" if d.amount.sample_value else "")
    if d.inferred:
        text += "（条件为推断）"
    return f"{text}。依据：{d.citations[0].text_zh()}。"


def _hint(d: Decision) -> str:
    return d.hint.text_zh if d.hint else ""


def _clause(text: str) -> str:
    return text.rstrip("。；;. ")


def _notes(decisions: list[Decision]) -> list[str]:
    notes = []
    if any(d.amount is not None and d.amount.sample_value for d in decisions):
        notes.append(SAMPLE_NOTE)
    if any(d.inferred for d in decisions):
        notes.append(INFERRED_NOTE)
    if any(c.draft for d in decisions for c in d.citations):
        notes.append(DRAFT_NOTE)
    return notes
