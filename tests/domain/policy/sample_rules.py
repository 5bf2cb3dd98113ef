"""A small rule file for tests, independent of the seeded cities' files."""

from __future__ import annotations

from app.domain.policy import RuleSet, parse_rule_file

MINIMAL = """\
city_code = "999901"
city_name_zh = "测试市"
version = "test-1"
effective_from = 2024-01-01

[document.doc]
title = "测试文件"
number = "测府发〔2024〕1号"
issued = 2024-01-01

[parameter.income_ratio]
label_zh = "收入倍数"
kind = "ratio"
[[parameter.income_ratio.values]]
from = 2024-01-01
ratio = "{income_ratio}"
cite = [{{ doc = "doc", article = "第1条" }}]

[parameter.market_ratio]
label_zh = "市场比例"
kind = "ratio"
[[parameter.market_ratio.values]]
from = 2024-01-01
ratio = "{market_ratio}"
cite = [{{ doc = "doc", article = "第1条" }}]
[[parameter.market_ratio.values]]
from = 2026-01-01
ratio = "0.7"
cite = [{{ doc = "doc", article = "第1条" }}]

[parameter.income_standard]
label_zh = "B"
kind = "money"
per = "person"
period = "year"
[[parameter.income_standard.values]]
from = 2024-01-01
yuan = "{b_yuan}"
sample_value = true
note = "示例值"

[parameter.market_price]
label_zh = "M"
kind = "money"
per = "person"
period = "month"
[[parameter.market_price.values]]
from = 2024-01-01
yuan = "{m_yuan}"
sample_value = true
note = "示例值"

[parameter.allowance]
label_zh = "津贴"
kind = "money"
per = "person"
period = "month"
[[parameter.allowance.values]]
from = 2024-01-01
yuan = 100
cite = [{{ doc = "doc", article = "第2条" }}]

[parameter.half]
label_zh = "减半"
kind = "ratio"
[[parameter.half.values]]
from = 2024-01-01
ratio = "0.5"
cite = [{{ doc = "doc", article = "第3条" }}]

[eldercare_cap]
id = "test_cap"
name_zh = "上限"
effective_from = 2024-01-01
cite = [{{ doc = "doc", article = "第1条" }}]
at = [{{ fact = "puhui", op = "is_true" }}, {{ fact = "sides", op = "in", value = ["elderly"] }}]
income_ratio = "income_ratio"
market_ratio = "market_ratio"
income_standard = "income_standard"
market_price = {{ self_care = "market_price", semi_disabled = "market_price", disabled = "market_price" }}
covered_items = ["床位费", "护理费"]
covered_items_note = "测试"

[[benefit]]
id = "test_allowance"
name_zh = "测试津贴"
kind = "cash"
effective_from = 2024-01-01
cite = [{{ doc = "doc", article = "第2条" }}]
when = [{{ fact = "age_years", op = "gte", value = 80 }}]
outcome = {{ description_zh = "每月津贴", amount = "allowance" }}

[[benefit]]
id = "test_half_fee"
name_zh = "测试减半"
kind = "fee_reduction"
effective_from = 2024-01-01
cite = [{{ doc = "doc", article = "第3条" }}]
when = [{{ fact = "income_status", op = "eq", value = "dibao" }}]
outcome = {{ description_zh = "床位费减半", share = "half", items = ["床位费"], at = [{{ fact = "ownership", op = "eq", value = "public" }}] }}

[[benefit]]
id = "test_monthly_off"
name_zh = "测试每月减免"
kind = "fee_reduction"
effective_from = 2024-01-01
cite = [{{ doc = "doc", article = "第2条" }}]
when = [{{ fact = "income_status", op = "eq", value = "dibao" }}]
outcome = {{ description_zh = "每月减免100元", amount = "allowance", at = [{{ fact = "ownership", op = "eq", value = "public" }}] }}

[[benefit]]
id = "test_later_rule"
name_zh = "以后施行的规定"
kind = "service"
effective_from = 2025-07-01
cite = [{{ doc = "doc", article = "第4条" }}]
when = [{{ fact = "age_years", op = "gte", value = 60 }}]
outcome = {{ description_zh = "以后才有的服务" }}

[[example]]
kind = "eligibility"
name = "80岁"
on = 2024-06-01
facts = {{ age_years = 80 }}
applies = ["test_allowance"]
"""

DEFAULTS = {"income_ratio": "1.5", "market_ratio": "0.8", "b_yuan": "42000", "m_yuan": "3500"}


def minimal_text(**values: str) -> str:
    """The minimal rule file with the cap's inputs replaced."""
    return MINIMAL.format(**(DEFAULTS | values))


def minimal(**values: str) -> RuleSet:
    """The minimal rule file, parsed (its example is not run)."""
    return parse_rule_file(minimal_text(**values), "test/minimal.toml")
