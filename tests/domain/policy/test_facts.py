"""Out-of-range, contradictory or unknown facts are refused with the field named."""

from __future__ import annotations

import pytest

from app.domain.policy import FacilityPricing, Facts, ListedPrice, parse_facts
from app.domain.policy.vocabulary import DERIVED_FACTS, PERSON_FACTS
from app.errors import BadRequest


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"age_years": 300}, "age_years"),
        ({"age_years": -1}, "age_years"),
        ({"child_age_months": -1}, "child_age_months"),
        ({"child_age_months": 73}, "child_age_months"),
        ({"disability_grade": 5}, "disability_grade"),
        ({"child_birth_order": 0}, "child_birth_order"),
        ({"age_years": "70"}, "age_years"),
        ({"age_years": True}, "age_years"),
        ({"living_alone": "yes"}, "living_alone"),
        ({"income_status": "rich"}, "income_status"),
        ({"care_need": "bedridden"}, "care_need"),
        ({"favourite_colour": "red"}, "favourite_colour"),
        ({"advanced_age": True}, "advanced_age"),
        ({"living_alone": True, "empty_nest": False}, "empty_nest"),
        ({"income_status": "dibao", "tekun_support": "dispersed"}, "tekun_support"),
    ],
)
def test_bad_facts_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_facts(data)
    assert caught.value.params[0].name == field
    assert caught.value.status == 400


def test_facts_given_are_only_those_given() -> None:
    facts = parse_facts({"age_years": 70, "living_alone": True, "empty_nest": True})
    assert facts.given() == {"age_years": 70, "living_alone": True, "empty_nest": True}
    assert parse_facts({}).given() == {}


def test_tekun_support_without_an_income_status_is_accepted() -> None:
    assert parse_facts({"tekun_support": "dispersed"}).tekun_support == "dispersed"


def test_the_facts_model_and_the_vocabulary_name_the_same_facts() -> None:
    assert set(Facts.model_fields) == set(PERSON_FACTS) - DERIVED_FACTS


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kinds": ["no_such_kind"]}, "facility.kinds[0]"),
        ({"ownership": "state"}, "facility.ownership"),
        ({"prices": [ListedPrice("床位费", -1, "month")]}, "facility.prices[0].amount_fen"),
        ({"prices": [ListedPrice("床位费", 100, "week")]}, "facility.prices[0].unit"),
    ],
)
def test_bad_facility_facts_name_the_field(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {
        "public_id": "f1",
        "name": "测试",
        "puhui": True,
        "ownership": "public",
        "kinds": ["eldercare_institution"],
    }
    with pytest.raises(BadRequest) as caught:
        FacilityPricing(**(base | kwargs))  # type: ignore[arg-type]
    assert caught.value.params[0].name == field


def test_a_combined_site_serves_both_sides() -> None:
    site = FacilityPricing("f", "综合体", True, None, ["all_age_community_complex"])
    assert site.values()["sides"] == frozenset({"elderly", "child"})
    assert "ownership" not in site.values()
