"""The closed vocabulary a rule may test: fact names, their types and ranges, and operators.

Two sets of facts exist. Person facts describe a resident or a household (only those
the person chose to give); facility facts describe a listed facility. A rule file may
name nothing outside these sets, and may compare only with the operators in `OPERATORS`.
Sources: shared/domain/pricing-and-eligibility.md §4, §6, §6.1 and §7, which cite
资府办发〔2023〕7号, 资府办发〔2025〕4号, 资阳十四五养老规划, 达州方案(征求意见稿) and 成都方案.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, get_args

from app.domain.vocabulary import kinds, ownerships

FactType = Literal["int", "bool", "choice", "code_set"]
Operator = Literal["eq", "in", "gte", "lte", "between", "is_true", "is_false"]

OPERATORS: tuple[Operator, ...] = get_args(Operator)
# Which operators suit which type; on a set-valued fact `in` means "shares a member with".
OPERATORS_BY_TYPE: Mapping[FactType, tuple[Operator, ...]] = {
    "int": ("eq", "in", "gte", "lte", "between"),
    "bool": ("is_true", "is_false"),
    "choice": ("eq", "in"),
    "code_set": ("in",),
}

Residence = Literal["hukou", "resident", "non_resident"]
IncomeStatus = Literal["tekun", "dibao", "low_income", "economic_hardship", "none"]
TekunSupport = Literal["centralized", "dispersed"]
CareLevel = Literal["self_care", "semi_disabled", "disabled"]
MedicalInsurance = Literal["employee_retired", "employee_active", "resident", "none"]
Demonstration = Literal["none", "county", "city", "provincial"]

RESIDENCE: Mapping[str, str] = {
    "hukou": "本市户籍",
    "resident": "本市常住（非本市户籍）",
    "non_resident": "非本市户籍、也不在本市常住",
}
# 特困人员 (incl. rural 五保户), 低保, 低收入, 经济困难: §6 codes tekun, dibao, low_income.
INCOME_STATUS: Mapping[str, str] = {
    "tekun": "特困人员",
    "dibao": "低保对象",
    "low_income": "低收入人员",
    "economic_hardship": "经济困难",
    "none": "不属于特困、低保、低收入或经济困难",
}
TEKUN_SUPPORT: Mapping[str, str] = {"centralized": "集中供养", "dispersed": "分散供养"}
# The result of 老年人能力综合评估 (资阳十四五养老规划 ch.3 §1; 成都方案 任务8).
CARE_LEVEL: Mapping[str, str] = {
    "self_care": "能自理",
    "semi_disabled": "半失能",
    "disabled": "失能",
}
MEDICAL_INSURANCE: Mapping[str, str] = {
    "employee_retired": "职工医保退休人员",
    "employee_active": "职工医保在职人员",
    "resident": "城乡居民医保参保人",
    "none": "未参加医保",
}
DEMONSTRATION: Mapping[str, str] = {
    "none": "非示范机构",
    "county": "县级示范机构",
    "city": "市级示范机构",
    "provincial": "省级示范机构",
}
SIDES: Mapping[str, str] = {"elderly": "养老", "child": "托育"}


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One fact a rule may test: type, allowed values or range, Chinese label, source."""

    name: str
    label_zh: str
    type: FactType
    cite: str
    choices: Mapping[str, str] = field(default_factory=dict)
    minimum: int | None = None
    maximum: int | None = None
    unit_zh: str = ""
    # A derived fact is computed from `derived_from` against a dated parameter.
    derived_from: str | None = None
    threshold_parameter: str | None = None

    def ask_zh(self) -> str:
        """How to ask a person for this fact."""
        return f"是否{self.label_zh}" if self.type == "bool" else self.label_zh

    def value_zh(self, value: object) -> str:
        """A given or required value in words."""
        if isinstance(value, bool):
            return self.label_zh if value else f"不是{self.label_zh}"
        if isinstance(value, str) and value in self.choices:
            return self.choices[value]
        return f"{value}{self.unit_zh}"


def _bool(name: str, label: str, cite: str) -> FactSpec:
    return FactSpec(name, label, "bool", cite)


_S14 = "资阳十四五养老规划"
_ZY7 = "资府办发〔2023〕7号"
_DZ = "达州方案(征求意见稿)"
_CD = "成都方案"

PERSON_FACTS: Mapping[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec(
            "age_years", "年龄", "int", "all five documents", minimum=0, maximum=130, unit_zh="周岁"
        ),
        FactSpec(
            "residence",
            "户籍或居住情况",
            "choice",
            f"{_CD} 任务6; {_S14} ch.3 §2",
            choices=RESIDENCE,
        ),
        FactSpec(
            "income_status",
            "经济状况",
            "choice",
            f"{_ZY7} 表1 #4–5; {_S14} ch.3 §3; {_CD} 任务9",
            choices=INCOME_STATUS,
        ),
        FactSpec(
            "tekun_support", "特困供养方式", "choice", f"{_S14} ch.4 §1", choices=TEKUN_SUPPORT
        ),
        _bool("poverty_registered", "建档立卡贫困人口", f"{_S14} ch.4 §1"),
        FactSpec(
            "care_need",
            "能力评估结果",
            "choice",
            f"{_ZY7} §一(二)2; {_S14} ch.3 §1",
            choices=CARE_LEVEL,
        ),
        _bool("dementia", "失智老人", f"{_S14} ch.3 §3"),
        # 0 means no disability certificate; 1 (一级) is the most severe; 重残 = 一级、二级.
        FactSpec(
            "disability_grade",
            "残疾等级",
            "int",
            f"{_DZ} 附件2 #9",
            minimum=0,
            maximum=4,
            unit_zh="级",
        ),
        _bool("living_alone", "独居老人", f"{_S14} ch.3 §1"),
        _bool("empty_nest", "空巢老人", f"{_S14} ch.3 §1"),
        _bool("left_behind", "留守老人", f"{_S14} ch.3 §1"),
        _bool("childless", "孤寡老人", f"{_S14} ch.3 §1"),
        _bool("fp_special_family", "计划生育特殊家庭成员", f"{_DZ} 任务2; {_ZY7} 任务1"),
        _bool("rural_fp_family", "农村计划生育家庭成员", f"{_DZ} 任务2"),
        _bool("priority_veteran", "重点优抚对象", f"{_ZY7} 任务3"),
        FactSpec(
            "medical_insurance",
            "医保参保情况",
            "choice",
            f"{_ZY7} 任务3",
            choices=MEDICAL_INSURANCE,
        ),
        FactSpec(
            "child_age_months",
            "孩子月龄",
            "int",
            f"{_ZY7} §一(一)3, 任务8",
            minimum=0,
            maximum=72,
            unit_zh="个月",
        ),
        # Named because families ask; no seeded rule uses it (育儿补贴 is in no document).
        FactSpec(
            "child_birth_order",
            "孩次（第几个孩子）",
            "int",
            "none: household fact",
            minimum=1,
            maximum=10,
            unit_zh="孩",
        ),
        FactSpec(
            "advanced_age",
            "高龄老人",
            "bool",
            f"{_S14} ch.1 §2",
            derived_from="age_years",
            threshold_parameter="advanced_age_min_years",
        ),
    )
}

DERIVED_FACTS: frozenset[str] = frozenset(
    name for name, spec in PERSON_FACTS.items() if spec.derived_from
)


@cache
def facility_facts() -> Mapping[str, FactSpec]:
    """Facts about a facility that operator subsidies, price regimes and waivers test."""
    kind_labels = {code: term.name_zh for code, term in kinds().items()}
    ownership_labels = {code: term.name_zh for code, term in ownerships().items()}
    specs = (
        _bool("puhui", "普惠机构", f"{_ZY7} 任务4"),
        FactSpec(
            "ownership", "运营模式", "choice", "facility-types.md §5", choices=ownership_labels
        ),
        FactSpec("kinds", "机构类型", "code_set", "facility-types.md §2–4", choices=kind_labels),
        FactSpec(
            "sides", "服务对象（养老或托育）", "code_set", "facility-types.md §1", choices=SIDES
        ),
        _bool("for_profit", "营利性机构", f"{_ZY7} 附件4 #12; {_DZ} 附件6 #3"),
        _bool("filed", "已备案", f"{_CD} §四(十五); {_ZY7} 附件4 #8"),
        FactSpec(
            "puhui_recognised_year",
            "认定为普惠的年份",
            "int",
            f"{_CD} §四(十五)",
            minimum=2000,
            maximum=2100,
            unit_zh="年",
        ),
        FactSpec(
            "demonstration",
            "示范机构等级",
            "choice",
            f"{_CD} §四(十五); {_DZ} §六(三)",
            choices=DEMONSTRATION,
        ),
    )
    return {spec.name: spec for spec in specs}


def _check_labels() -> None:
    pairs = (
        (Residence, RESIDENCE),
        (IncomeStatus, INCOME_STATUS),
        (TekunSupport, TEKUN_SUPPORT),
        (CareLevel, CARE_LEVEL),
        (MedicalInsurance, MEDICAL_INSURANCE),
        (Demonstration, DEMONSTRATION),
    )
    for literal, labels in pairs:
        if set(get_args(literal)) != set(labels):
            raise RuntimeError(f"labels out of step with {literal}")


_check_labels()
