"""A malformed rule file is refused whole, naming the file and the line of the offending key."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.policy import (
    RuleFileError,
    load_city_rules,
    parse_rule_file,
    validate_rule_file_text,
)
from app.errors import BadRequest
from tests.domain.policy.sample_rules import minimal_text

FILE = "999901/test.toml"


def refusal(text: str) -> RuleFileError:
    with pytest.raises(RuleFileError) as caught:
        validate_rule_file_text(text, FILE)
    return caught.value


def mutate(old: str, new: str, at: str | None = None) -> tuple[str, int]:
    """The minimal file with `old` replaced once by `new`, and the line holding `at`."""
    text = minimal_text()
    assert text.count(old) == 1, old
    changed = text.replace(old, new)
    marker = at or new
    assert changed.count(marker) == 1, marker
    return changed, changed[: changed.index(marker)].count("\n") + 1


@pytest.mark.parametrize(
    ("case", "old", "new", "at", "reason"),
    [
        (
            "unknown field",
            'name_zh = "测试津贴"',
            'name_zh = "测试津贴"\ncolour = "red"',
            "colour",
            "unknown field",
        ),
        (
            "unknown fact",
            'fact = "age_years", op = "gte", value = 80',
            'fact = "age", op = "gte", value = 80',
            None,
            "unknown person fact 'age'",
        ),
        (
            "unknown operator",
            'fact = "age_years", op = "gte", value = 80',
            'fact = "age_years", op = "gt", value = 80',
            None,
            "Input should be 'eq'",
        ),
        (
            "operator wrong for type",
            'fact = "age_years", op = "gte", value = 80',
            'fact = "age_years", op = "is_true"',
            None,
            "age_years (int) takes",
        ),
        (
            "value out of range",
            'fact = "age_years", op = "gte", value = 80',
            'fact = "age_years", op = "gte", value = 800',
            None,
            "ranges over 0..130",
        ),
        (
            "unknown code",
            'value = "dibao" }]\noutcome = { description_zh = "床位费减半"',
            'value = "dibaoo" }]\noutcome = { description_zh = "床位费减半"',
            "dibaoo",
            "income_status takes one of",
        ),
        (
            "bad date in TOML",
            "effective_from = 2025-07-01",
            "effective_from = 2025-13-01",
            None,
            "Expected newline",
        ),
        ("bad date as text", "on = 2024-06-01", 'on = "2024-02-30"', None, "valid date"),
        ("float money", "yuan = 100", "yuan = 100.5", None, "TOML float is refused for money"),
        (
            "money with three decimals",
            "yuan = 100",
            'yuan = "100.505"',
            None,
            "money must look like",
        ),
        (
            "unknown document",
            'cite = [{ doc = "doc", article = "第4条" }]',
            'cite = [{ doc = "docs", article = "第4条" }]',
            None,
            "no document 'docs'",
        ),
        (
            "unknown parameter",
            'amount = "allowance" }',
            'amount = "allowances" }',
            None,
            "no parameter named 'allowances'",
        ),
        (
            "parameter of the wrong kind",
            'share = "half"',
            'share = "allowance"',
            None,
            "is money, a ratio parameter",
        ),
        (
            "example naming no rule",
            'applies = ["test_allowance"]',
            'applies = ["test_allowances"]',
            None,
            "no rule with id",
        ),
        (
            "example fact unknown",
            "facts = { age_years = 80 }",
            "facts = { agee = 80 }",
            None,
            "unknown field",
        ),
        (
            "example fact out of range",
            "facts = { age_years = 80 }",
            "facts = { age_years = 300 }",
            None,
            "less than or equal to 130",
        ),
        (
            "failing example",
            'applies = ["test_allowance"]',
            'applies = ["test_later_rule"]',
            "[[example]]",
            "example '80岁' fails",
        ),
    ],
)
def test_refusal_names_file_and_line(
    case: str, old: str, new: str, at: str | None, reason: str
) -> None:
    text, line = mutate(old, new, at)
    error = refusal(text)
    assert (error.filename, error.line) == (FILE, line), case
    assert reason in error.reason, error.reason
    assert error.detail.startswith(f"{FILE}: line {line}: ")
    assert isinstance(error, BadRequest) and error.params[0].name == FILE


def test_a_key_inside_a_nested_any_of_is_located() -> None:
    text, _ = mutate(
        'when = [{ fact = "age_years", op = "gte", value = 80 }]',
        'when = [{ fact = "age_years", op = "gte", value = 80 }]\n'
        'any_of = [[\n  { fact = "living_alone", op = "is_true" },\n'
        '  { fact = "empty_nest", op = "eq", value = 1 },\n]]',
    )
    error = refusal(text)
    assert text.splitlines()[error.line - 1].strip().startswith('{ fact = "empty_nest"')


def test_a_sample_value_needs_a_note() -> None:
    text, _line = mutate(
        'sample_value = true\nnote = "示例值"\n\n[parameter.market_price]',
        "sample_value = true\n\n[parameter.market_price]",
    )
    error = refusal(text)
    assert "needs a `note`" in error.reason
    assert text.splitlines()[error.line - 1].startswith("[[parameter.income_standard.values]]")


def test_parse_accepts_what_validation_refuses_for_failing_examples() -> None:
    text, _ = mutate('applies = ["test_allowance"]', "applies = []")
    assert parse_rule_file(text, FILE).version == "test-1"
    assert "fails" in refusal(text).reason


def _city_dir(tmp_path: Path, code: str, *texts: str) -> Path:
    folder = tmp_path / code
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"v{i}.toml").write_text(text, "utf-8")
    return tmp_path


def test_unknown_and_malformed_city_codes_name_the_city(tmp_path: Path) -> None:
    root = _city_dir(tmp_path, "999901", minimal_text())
    for code in ("123456", "12345", "abcdef"):
        with pytest.raises(BadRequest) as caught:
            load_city_rules(code, root)
        assert caught.value.params[0].name == "city"


def test_a_file_in_the_wrong_city_folder_is_refused(tmp_path: Path) -> None:
    text = minimal_text().replace('city_code = "999901"', 'city_code = "999902"')
    root = _city_dir(tmp_path, "999901", text)
    with pytest.raises(RuleFileError) as caught:
        load_city_rules("999901", root)
    assert caught.value.line == 1 and "city_code must be 999901" in caught.value.reason


def test_two_files_for_the_same_version_are_refused(tmp_path: Path) -> None:
    root = _city_dir(tmp_path, "999901", minimal_text(), minimal_text())
    with pytest.raises(RuleFileError) as caught:
        load_city_rules("999901", root)
    assert caught.value.filename == "999901/v1.toml"
