"""Every seeded rule file loads, cites its rules, and gives the outcome each example states."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.policy import RuleSet, load_city_rules, parse_rule_file
from app.domain.policy.example_checks import example_failure
from app.domain.policy.examples import Example

POLICIES = Path(__file__).resolve().parents[3] / "seed" / "policies"
FILES = sorted(POLICIES.glob("*/*.toml"))
CITIES = sorted({path.parent.name for path in FILES})


def _examples() -> list[tuple[RuleSet, Example]]:
    pairs = []
    for path in FILES:
        ruleset = parse_rule_file(path.read_text("utf-8"), path.name)
        pairs += [(ruleset, example) for example in ruleset.examples]
    return pairs


EXAMPLES = _examples()


def test_the_three_cities_have_rule_files() -> None:
    assert CITIES == ["510100", "511700", "512000"]


@pytest.mark.parametrize(
    ("ruleset", "example"),
    EXAMPLES,
    ids=[f"{rs.source}::{ex.name}" for rs, ex in EXAMPLES],
)
def test_worked_example(ruleset: RuleSet, example: Example) -> None:
    assert example_failure(ruleset, example) is None


@pytest.mark.parametrize("city", CITIES)
def test_city_loads_with_every_example_passing(city: str) -> None:
    versions = load_city_rules(city, POLICIES)
    assert versions
    assert all(v.city_code == city for v in versions)
    assert [v.effective_from for v in versions] == sorted(v.effective_from for v in versions)


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_each_file_has_examples_of_eligibility_and_price(path: Path) -> None:
    ruleset = parse_rule_file(path.read_text("utf-8"), path.name)
    kinds = {example.kind for example in ruleset.examples}
    assert {"eligibility", "price_check"} <= kinds


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_every_rule_and_value_has_a_source(path: Path) -> None:
    ruleset = parse_rule_file(path.read_text("utf-8"), path.name)
    rules = [*ruleset.benefits, *ruleset.operator_support, *ruleset.price_regimes]
    assert rules and all(rule.cite for rule in rules)
    for param in ruleset.parameters.values():
        for value in param.values:
            assert value.cite or (value.sample_value and value.note)


def test_the_zy_cap_inputs_the_documents_leave_open_are_marked_sample() -> None:
    ruleset = parse_rule_file((POLICIES / "512000" / "2023-04-04.toml").read_text(), "zy")
    cap = ruleset.eldercare_cap
    assert cap is not None and cap.covered_items_sample
    open_inputs = [cap.income_standard, *cap.market_price.values()]
    assert all(v.sample_value for name in open_inputs for v in ruleset.parameters[name].values)
    ratios = ruleset.parameters[cap.market_ratio].values
    assert [(str(v.ratio), v.sample_value) for v in ratios] == [("0.8", False), ("0.7", True)]


def test_dazhou_cites_a_draft_and_says_so() -> None:
    (ruleset,) = load_city_rules("511700", POLICIES)
    assert {doc.status for doc in ruleset.documents.values()} == {"draft"}
