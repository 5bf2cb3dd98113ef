"""普惠 price caps, subsidies and eligibility as cited, dated rules (pure: no DB, no HTTP).

Rule files live in seed/policies/<adcode>/*.toml, one file per published version of a
city's rules. The public API:

* `load_city_rules(city_code, policies_dir)`: all versions of a city, oldest first;
* `validate_rule_file_text(text, filename)`: one version, refused whole if bad;
* `ruleset_for(city, on, versions)`: the version in force on a date;
* `eligibility(rulesets, facts, on)`, `price_check(rulesets, facility, on)`,
  `price_for_person(rulesets, facility, facts, on)`: answers with citations and a
  Chinese `summary_zh`;
* `Facts` / `parse_facts` and `FacilityPricing` / `ListedPrice`: the inputs.
"""

from app.domain.policy.answers import (
    Decision,
    EligibilityAnswer,
    PersonPriceAnswer,
    PriceCheckAnswer,
)
from app.domain.policy.evaluate import eligibility
from app.domain.policy.facts import FacilityPricing, Facts, ListedPrice, parse_facts
from app.domain.policy.loader import (
    RuleFileError,
    load_city_rules,
    parse_rule_file,
    validate_rule_file_text,
)
from app.domain.policy.person_price import price_for_person
from app.domain.policy.pricing import price_check
from app.domain.policy.rules import RuleSet
from app.domain.policy.versions import ruleset_for

__all__ = [
    "Decision",
    "EligibilityAnswer",
    "FacilityPricing",
    "Facts",
    "ListedPrice",
    "PersonPriceAnswer",
    "PriceCheckAnswer",
    "RuleFileError",
    "RuleSet",
    "eligibility",
    "load_city_rules",
    "parse_facts",
    "parse_rule_file",
    "price_check",
    "price_for_person",
    "ruleset_for",
    "validate_rule_file_text",
]
