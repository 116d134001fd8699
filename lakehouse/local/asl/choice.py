"""Choice rules: comparisons, ``And``/``Or``/``Not``, evaluated as AWS does.

A comparison against a value of the wrong type is simply false ("Step Functions
doesn't attempt to match a numeric field to a string value"); a ``Variable`` that
selects nothing fails with ``States.Runtime`` except under ``IsPresent``. Indexed
paths such as ``$.ResultSet.Rows[1].Data[0].VarCharValue`` read the scalar itself.
Strings compare like Java's ``String.compareTo`` (UTF-16 code units), which the
developer guide names as the reference.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lakehouse.local.asl.errors import runtime_error
from lakehouse.local.asl.paths import Path, PathNotFound, PathSyntaxError, parse_path
from lakehouse.local.asl.timing import parse_timestamp

_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "GreaterThan": operator.gt,
    "LessThanEquals": operator.le,
    "GreaterThanEquals": operator.ge,
}
_TYPE_TESTS = ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
# operator name -> (kind, ordering or test name, compares against a path)
OPERATORS: dict[str, tuple[str, str, bool]] = {
    "BooleanEquals": ("Boolean", "Equals", False),
    "BooleanEqualsPath": ("Boolean", "Equals", True),
    "StringMatches": ("String", "Matches", False),
    **{test: ("Type", test, False) for test in _TYPE_TESTS},
}
for _kind in ("String", "Numeric", "Timestamp"):
    for _ordering in _ORDERINGS:
        OPERATORS[f"{_kind}{_ordering}"] = (_kind, _ordering, False)
        OPERATORS[f"{_kind}{_ordering}Path"] = (_kind, _ordering, True)

_UNSUPPORTED_RULE_FIELDS = {
    "Condition": "JSONata Choice Condition",
    "Assign": "workflow variables (Assign)",
    "Output": "JSONata Output",
}


class ChoiceRuleError(ValueError):
    """A Choice rule that cannot be compiled."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _java_order(text: str) -> bytes:
    # Big-endian UTF-16 bytes sort exactly like Java's compareTo on code units.
    return text.encode("utf-16-be", "surrogatepass")


def _wildcard_pattern(pattern: str) -> re.Pattern[str]:
    pieces, position = [], 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\" and position + 1 < len(pattern):
            pieces.append(re.escape(pattern[position + 1]))
            position += 2
            continue
        pieces.append(".*" if char == "*" else re.escape(char))
        position += 1
    return re.compile("".join(pieces), re.DOTALL)


@dataclass(frozen=True)
class Comparison:
    variable: Path
    operator: str
    expected: Any  # a literal, a Path (for *Path operators) or a compiled pattern

    def evaluate(self, document: Any, context: Any) -> bool:
        kind, test, against_path = OPERATORS[self.operator]
        if self.operator == "IsPresent":
            return self.variable.exists(_source(self.variable, document, context)) is self.expected
        value = _read(self.variable, document, context)
        if kind == "Type":
            return _type_test(test, value) is self.expected
        expected = _read(self.expected, document, context) if against_path else self.expected
        return _compare(kind, test, value, expected)


@dataclass(frozen=True)
class Combination:
    kind: str  # "And", "Or" or "Not"
    rules: tuple[Any, ...]

    def evaluate(self, document: Any, context: Any) -> bool:
        if self.kind == "Not":
            return not self.rules[0].evaluate(document, context)
        results = (rule.evaluate(document, context) for rule in self.rules)
        return all(results) if self.kind == "And" else any(results)


Rule = Comparison | Combination


def _source(path: Path, document: Any, context: Any) -> Any:
    return context if path.is_context else document


def _read(path: Path, document: Any, context: Any) -> Any:
    try:
        return path.read(_source(path, document, context))
    except PathNotFound as missing:
        raise runtime_error(
            f"Invalid path '{missing.path}': The choice state's condition path "
            "references an invalid value."
        ) from missing


def _type_test(test: str, value: Any) -> bool:
    if test == "IsNull":
        return value is None
    if test == "IsNumeric":
        return _is_number(value)
    if test == "IsString":
        return isinstance(value, str)
    if test == "IsBoolean":
        return isinstance(value, bool)
    return parse_timestamp(value) is not None  # IsTimestamp


def _compare(kind: str, test: str, value: Any, expected: Any) -> bool:
    if kind == "Boolean":
        return isinstance(value, bool) and isinstance(expected, bool) and value is expected
    if kind == "Numeric":
        return _is_number(value) and _is_number(expected) and _ORDERINGS[test](value, expected)
    if kind == "Timestamp":
        left, right = parse_timestamp(value), parse_timestamp(expected)
        return left is not None and right is not None and _ORDERINGS[test](left, right)
    if not isinstance(value, str):
        return False
    if test == "Matches":
        return expected.fullmatch(value) is not None
    return isinstance(expected, str) and _ORDERINGS[test](_java_order(value), _java_order(expected))


def compile_rule(raw: Any, *, top_level: bool) -> Rule:
    """Compile one Choice rule; top-level rules carry ``Next``, nested ones must not."""
    if not isinstance(raw, dict):
        raise ChoiceRuleError(f"a Choice rule must be an object, got {raw!r}")
    for field, construct in _UNSUPPORTED_RULE_FIELDS.items():
        if field in raw:
            raise ChoiceRuleError(f"{field} is not supported locally ({construct})")
    if top_level and not isinstance(raw.get("Next"), str):
        raise ChoiceRuleError("a top-level Choice rule needs a Next state name")
    if not top_level and "Next" in raw:
        raise ChoiceRuleError("Next is only allowed in top-level Choice rules")
    fields = {key: value for key, value in raw.items() if key not in ("Next", "Comment")}
    combinators = [key for key in ("And", "Or", "Not") if key in fields]
    if combinators:
        return _compile_combination(combinators, fields)
    return _compile_comparison(fields)


def _compile_combination(combinators: list[str], fields: dict[str, Any]) -> Combination:
    if len(fields) != 1:
        raise ChoiceRuleError(f"{combinators[0]} cannot be combined with {sorted(fields)}")
    kind = combinators[0]
    value = fields[kind]
    if kind == "Not":
        return Combination(kind, (compile_rule(value, top_level=False),))
    if not isinstance(value, list) or not value:
        raise ChoiceRuleError(f"{kind} needs a non-empty array of rules")
    return Combination(kind, tuple(compile_rule(rule, top_level=False) for rule in value))


def _compile_comparison(fields: dict[str, Any]) -> Comparison:
    if "Variable" not in fields:
        raise ChoiceRuleError("a comparison needs a Variable")
    operators = [key for key in fields if key != "Variable"]
    unknown = [key for key in operators if key not in OPERATORS]
    if unknown:
        raise ChoiceRuleError(f"unknown Choice operator(s) {unknown}")
    if len(operators) != 1:
        raise ChoiceRuleError(f"a comparison needs exactly one operator, got {operators}")
    name = operators[0]
    try:
        variable = parse_path(fields["Variable"], reference=True)
        return Comparison(variable, name, _compile_expected(name, fields[name]))
    except PathSyntaxError as problem:
        raise ChoiceRuleError(str(problem)) from problem


def _compile_expected(name: str, value: Any) -> Any:
    kind, test, against_path = OPERATORS[name]
    if against_path:
        return parse_path(value, reference=True)
    checks: dict[str, Callable[[Any], bool]] = {
        "Type": lambda v: isinstance(v, bool),
        "Boolean": lambda v: isinstance(v, bool),
        "Numeric": _is_number,
        "String": lambda v: isinstance(v, str),
        "Timestamp": lambda v: parse_timestamp(v) is not None,
    }
    if not checks[kind](value):
        raise ChoiceRuleError(f"{name} has a value of the wrong type: {value!r}")
    return _wildcard_pattern(value) if test == "Matches" else value
