"""The 普惠 cap against listed prices: which items count, and how alternatives are summed."""

from __future__ import annotations

from datetime import date

from app.domain.policy import FacilityPricing, ListedPrice, price_check
from tests.domain.policy.sample_rules import minimal

ON = date(2025, 6, 1)  # cap = min(1.5 × 42000 / 12, 0.8 × 3500) = 2800 元


def home(*prices: tuple[str, int]) -> FacilityPricing:
    return FacilityPricing(
        "f_home",
        "示例普惠养老院",
        True,
        "public",
        ["eldercare_institution"],
        [ListedPrice(item, yuan * 100, "month", True) for item, yuan in prices],
        care_level="semi_disabled",
    )


def test_two_bed_rates_are_alternatives_and_the_dearest_counts() -> None:
    answer = price_check(
        [minimal()],
        home(("床位费", 1000), ("床位费（社会寄养）", 800), ("护理费", 1500), ("伙食费", 600)),
        ON,
    )
    assert answer.covered_total_fen == 250000 and answer.status == "within_cap"
    assert [ln.covered for ln in answer.lines] == [True, True, True, False]
    assert answer.steps[0].label_zh.endswith("（同一类收费有几档时取最高一档）")
    assert answer.steps[0].formula == "床位费 1,000.00 + 护理费 1,500.00 = 2,500.00 元/月"


def test_bed_and_care_fee_together_over_the_cap_exceed_it() -> None:
    answer = price_check([minimal()], home(("床位费", 1400), ("失能护理费", 1500)), ON)
    assert (answer.status, answer.covered_total_fen, answer.excess_fen) == (
        "exceeds_cap",
        290000,
        10000,
    )
