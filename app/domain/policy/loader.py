"""Load rule files: TOML text → validated, immutable `RuleSet`, or a refusal naming file and line.

Nothing in a rule file is evaluated as code. Unknown keys, facts or operators, bad
dates, money written as a TOML float, dangling references and failing worked
examples all refuse the whole file with `RuleFileError` (a BadRequest) that names
the file and the line of the offending key.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.domain.policy.example_checks import example_failures
from app.domain.policy.rules import Loc, RuleSet
from app.domain.policy.toml_lines import line_of
from app.errors import BadRequest

CITY_CODE = re.compile(r"^\d{6}$")


class RuleFileError(BadRequest):
    """A rule file refused at load; `filename`, `line` and `reason` say where and why."""

    type = "invalid-rule-file"
    title = "Invalid rule file"

    def __init__(self, filename: str, line: int, reason: str) -> None:
        super().__init__(filename, f"line {line}: {reason}")
        self.filename = filename
        self.line = line
        self.reason = reason


def parse_rule_file(text: str, filename: str) -> RuleSet:
    """The rule set a file holds, checked for structure and references (examples not run)."""
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        raise RuleFileError(filename, int(found.group(1)) if found else 1, str(exc)) from None
    try:
        ruleset = RuleSet.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        locs = [err["loc"] for err in errors]
        # A container's error (a list left empty) follows from its items' errors: skip it.
        specific = [
            err
            for err in errors
            if not any(
                len(o) > len(err["loc"]) and o[: len(err["loc"])] == err["loc"] for o in locs
            )
        ]
        located = sorted(
            (line_of(text, err["loc"]), _where(err["loc"]), _message(err)) for err in specific
        )
        line, where, message = located[0]
        more = f" (and {len(located) - 1} more)" if len(located) > 1 else ""
        raise RuleFileError(filename, line, f"{where}: {message}{more}") from None
    problems = ruleset.problems()
    if problems:
        loc, message = min(problems, key=lambda p: line_of(text, p[0]))
        raise RuleFileError(filename, line_of(text, loc), f"{_where(loc)}: {message}")
    return ruleset.model_copy(update={"source": filename})


def validate_rule_file_text(text: str, filename: str) -> RuleSet:
    """The rule set a file holds, or RuleFileError; a version whose examples fail is refused.

    Call this on a version before publishing it, so that a bad version is refused whole.
    """
    ruleset = parse_rule_file(text, filename)
    failures = example_failures(ruleset)
    if failures:
        index, failure = failures[0]
        name = ruleset.examples[index].name
        raise RuleFileError(
            filename, line_of(text, ("example", index)), f"example {name!r} fails: {failure}"
        )
    return ruleset


def load_city_rules(city_code: str, policies_dir: Path) -> list[RuleSet]:
    """All versions of a city's rules under `policies_dir/<city_code>/*.toml`, oldest first.

    Raises BadRequest naming `city` for a malformed or unknown city code, and
    RuleFileError for a bad file or two files claiming one version or one start date.
    """
    if not CITY_CODE.match(city_code):
        raise BadRequest("city", f"a city code is a six-digit 行政区划代码, got {city_code!r}")
    folder = policies_dir / city_code
    if not folder.is_dir():
        known = sorted(p.name for p in policies_dir.iterdir() if p.is_dir())
        raise BadRequest("city", f"unknown city code {city_code}; known: {', '.join(known)}")
    versions: list[RuleSet] = []
    for path in sorted(folder.glob("*.toml")):
        text = path.read_text("utf-8")
        name = f"{city_code}/{path.name}"
        ruleset = validate_rule_file_text(text, name)
        if ruleset.city_code != city_code:
            raise RuleFileError(
                name, line_of(text, ("city_code",)), f"city_code must be {city_code}"
            )
        for other in versions:
            if other.version == ruleset.version or other.effective_from == ruleset.effective_from:
                raise RuleFileError(
                    name,
                    line_of(text, ("version",)),
                    f"same version or start date as {other.source}",
                )
        versions.append(ruleset)
    if not versions:
        raise BadRequest("city", f"no rule files for city code {city_code}")
    return sorted(versions, key=lambda v: v.effective_from)


def _where(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"


def _message(err: ErrorDetails) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown field"
    return err["msg"].removeprefix("Value error, ")
