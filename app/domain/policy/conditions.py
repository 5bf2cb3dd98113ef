"""Conditions: one fact, one operator from the closed set, one literal value. No expressions.

A condition is met, not met, or unknown (the fact was not given). On a set-valued fact
(a facility's kinds) `in` means the two sets share a member.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from app.domain.policy.facts import FactValue
from app.domain.policy.frozen import FrozenModel
from app.domain.policy.vocabulary import (
    OPERATORS_BY_TYPE,
    PERSON_FACTS,
    FactSpec,
    Operator,
    facility_facts,
)

Scalar = int | str
Outcome3 = Literal["met", "not_met", "unknown"]


class Condition(FrozenModel):
    """`fact op value`, checked at load against the vocabulary of its audience."""

    audience: ClassVar[str] = "person"

    fact: str
    op: Operator
    value: Scalar | tuple[Scalar, ...] | None = None
    label_zh: str = Field("", description="Wording to show instead of the generated one.")
    note: str = Field("", description="Why this condition reads as it does (config, inference).")

    @classmethod
    def vocabulary(cls) -> Mapping[str, FactSpec]:
        return PERSON_FACTS

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, fact: str) -> str:
        vocab = cls.vocabulary()
        if fact not in vocab:
            raise ValueError(f"unknown {cls.audience} fact {fact!r}; known: {', '.join(vocab)}")
        return fact

    @field_validator("value", mode="before")
    @classmethod
    def _no_floats_or_booleans(cls, value: object) -> object:
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if item is not None and (isinstance(item, bool) or not isinstance(item, int | str)):
                raise ValueError(f"a value must be an integer or a code, got {item!r}")
        return value

    @model_validator(mode="after")
    def _value_fits(self) -> Condition:
        spec = self.vocabulary()[self.fact]
        allowed = OPERATORS_BY_TYPE[spec.type]
        if self.op not in allowed:
            raise ValueError(f"{self.fact} ({spec.type}) takes {', '.join(allowed)}, not {self.op}")
        value = self.value
        if self.op in ("is_true", "is_false"):
            if value is not None:
                raise ValueError(f"{self.op} takes no value")
            return self
        if self.op in ("in", "between"):
            if not isinstance(value, tuple) or not value:
                raise ValueError(f"{self.op} takes a list of values")
            if self.op == "between" and (len(value) != 2 or not _ordered(value)):
                raise ValueError("between takes [low, high] with low <= high")
            for item in value:
                _check_scalar(spec, item)
        else:
            if isinstance(value, tuple) or value is None:
                raise ValueError(f"{self.op} takes one value")
            _check_scalar(spec, value)
        return self

    def values_list(self) -> tuple[Scalar, ...]:
        """The value as a tuple (one item for eq, gte, lte)."""
        if isinstance(self.value, tuple):
            return self.value
        return () if self.value is None else (self.value,)


class PersonCondition(Condition):
    """A condition on a person's or household's facts."""


class FacilityCondition(Condition):
    """A condition on a facility (operator subsidies, price regimes, where a waiver holds)."""

    audience: ClassVar[str] = "facility"

    @classmethod
    def vocabulary(cls) -> Mapping[str, FactSpec]:
        return facility_facts()


def _ordered(pair: tuple[Scalar, ...]) -> bool:
    low, high = pair
    return isinstance(low, int) and isinstance(high, int) and low <= high


def _check_scalar(spec: FactSpec, item: Scalar) -> None:
    if spec.type == "int":
        if not isinstance(item, int):
            raise ValueError(f"{spec.name} compares with integers, got {item!r}")
        low, high = spec.minimum, spec.maximum
        if (low is not None and item < low) or (high is not None and item > high):
            raise ValueError(f"{spec.name} ranges over {low}..{high}, got {item}")
    elif not isinstance(item, str) or item not in spec.choices:
        raise ValueError(f"{spec.name} takes one of {', '.join(spec.choices)}, got {item!r}")


def check(cond: Condition, given: FactValue | None) -> Outcome3:
    """Whether `cond` holds for the given value (None: the fact was not given)."""
    if given is None:
        return "unknown"
    values = cond.values_list()
    result: bool
    if cond.op == "is_true":
        result = given is True
    elif cond.op == "is_false":
        result = given is False
    elif isinstance(given, frozenset):
        result = bool(given.intersection(str(v) for v in values))
    elif cond.op in ("eq", "in"):
        result = given in values
    elif isinstance(given, bool) or not isinstance(given, int):
        result = False
    elif cond.op == "gte":
        result = given >= int(values[0])
    elif cond.op == "lte":
        result = given <= int(values[0])
    else:  # between
        result = int(values[0]) <= given <= int(values[1])
    return "met" if result else "not_met"


def condition_text_zh(cond: Condition) -> str:
    """The condition in plain Chinese: 年龄不低于65周岁, 经济状况为低保对象或特困人员."""
    if cond.label_zh:
        return cond.label_zh
    spec = cond.vocabulary()[cond.fact]
    label = spec.label_zh
    values = cond.values_list()
    if cond.op == "is_true":
        return label
    if cond.op == "is_false":
        return f"不是{label}"
    if cond.op == "gte":
        return f"{label}不低于{spec.value_zh(values[0])}"
    if cond.op == "lte":
        return f"{label}不超过{spec.value_zh(values[0])}"
    if cond.op == "between":
        return f"{label}在{values[0]}至{spec.value_zh(values[1])}之间"
    words = "或".join(spec.value_zh(v) for v in values)
    return f"{label}为{words}"
