"""Rule-set versions: the one in force on a date answers; nothing applies before it starts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain.policy import Facts, eligibility, load_city_rules, ruleset_for
from app.errors import BadRequest
from tests.domain.policy.sample_rules import minimal

POLICIES = Path(__file__).resolve().parents[3] / "seed" / "policies"


@pytest.fixture(scope="module")
def ziyang() -> list:  # type: ignore[type-arg]
    return load_city_rules("512000", POLICIES)


@pytest.mark.parametrize(
    ("on", "version"),
    [
        (date(2023, 4, 4), "512000-2023.1"),
        (date(2025, 3, 27), "512000-2023.1"),
        (date(2025, 3, 28), "512000-2025.1"),
        (date(2030, 1, 1), "512000-2025.1"),
    ],
)
def test_the_version_in_force_answers(ziyang: list, on: date, version: str) -> None:  # type: ignore[type-arg]
    assert ruleset_for("512000", on, ziyang).version == version


def test_a_date_before_every_version_names_as_of(ziyang: list) -> None:  # type: ignore[type-arg]
    with pytest.raises(BadRequest) as caught:
        ruleset_for("512000", date(2023, 4, 3), ziyang)
    assert caught.value.params[0].name == "as_of"
    assert "512000-2023.1: 2023-04-04–2025-03-27" in caught.value.detail


def test_an_unknown_city_names_city(ziyang: list) -> None:  # type: ignore[type-arg]
    with pytest.raises(BadRequest) as caught:
        ruleset_for("110000", date(2024, 1, 1), ziyang)
    assert caught.value.params[0].name == "city"


def test_eligibility_outside_every_version_names_as_of(ziyang: list) -> None:  # type: ignore[type-arg]
    with pytest.raises(BadRequest) as caught:
        eligibility(ziyang, Facts(age_years=70), date(2020, 1, 1))
    assert caught.value.params[0].name == "as_of"


def test_eligibility_with_no_versions_names_city() -> None:
    with pytest.raises(BadRequest) as caught:
        eligibility([], Facts(age_years=70), date(2024, 1, 1))
    assert caught.value.params[0].name == "city"


def test_a_benefit_added_in_2025_is_asked_for_as_of_each_date(ziyang: list) -> None:  # type: ignore[type-arg]
    facts = Facts(age_years=66, fp_special_family=True)
    before = eligibility(ziyang, facts, date(2024, 12, 31))
    after = eligibility(ziyang, facts, date(2025, 6, 1))
    rule = "zy_fp_special_inpatient_insurance"
    assert rule not in {d.rule_id for d in before.applies + before.not_in_force}
    assert rule in {d.rule_id for d in after.applies}
    assert before.ruleset.version == "512000-2023.1"
    assert after.ruleset.source == "512000/2025-03-28.toml"


def test_a_rule_before_its_start_is_not_in_force_and_says_when_it_starts() -> None:
    rs = minimal()
    answer = eligibility([rs], Facts(age_years=70), date(2025, 6, 30))
    (later,) = [d for d in answer.not_in_force if d.rule_id == "test_later_rule"]
    assert later.amount is None
    assert later.hint is not None and later.hint.kind == "dates"
    assert "2025-07-01" in later.hint.text_zh
    on_start = eligibility([rs], Facts(age_years=70), date(2025, 7, 1))
    assert "test_later_rule" in {d.rule_id for d in on_start.applies}


def test_a_parameter_value_ends_on_its_to_date() -> None:
    versions = load_city_rules("512000", POLICIES)
    param = versions[0].parameters["service_allowance"]
    assert param.at(date(2020, 12, 31)) is not None
    assert param.at(date(2020, 12, 31)).sample_value is False  # type: ignore[union-attr]
    assert param.at(date(2021, 1, 1)).sample_value is True  # type: ignore[union-attr]
    assert param.at(date(2015, 12, 31)) is None


def test_no_hint_asks_a_non_tekun_person_for_a_tekun_support(ziyang: list) -> None:  # type: ignore[type-arg]
    facts = Facts(age_years=78, residence="hukou", income_status="dibao", living_alone=True)
    answer = eligibility(ziyang, facts, date(2025, 6, 1))
    decisions = answer.applies + answer.missed + answer.needs_facts
    asked = {f for d in decisions if d.hint and d.hint.kind == "give" for f in d.hint.facts}
    assert "tekun_support" not in asked
    adaptation = next(d for d in decisions if d.rule_id == "zy_home_adaptation")
    assert adaptation.hint is not None and adaptation.hint.facts == ["poverty_registered"]
