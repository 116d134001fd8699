"""Choice state rules, from https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
("Choice workflow state"), plus the indexed-path read moto gets wrong."""

from __future__ import annotations

import pytest

from lakehouse.local.asl import DefinitionError, StateMachine


def choice_machine(rules, default="Default"):
    """A Choice whose every target is a Pass state recording its own name."""
    targets = {rule["Next"] for rule in rules} | ({default} if default else set())
    states = {name: {"Type": "Pass", "Result": name, "End": True} for name in targets}
    choice = {"Type": "Choice", "Choices": rules}
    if default:
        choice["Default"] = default
    return {"StartAt": "Choose", "States": {"Choose": choice, **states}}


@pytest.fixture
def choose(run_asl):
    """The name of the state a Choice picks (or the error if it fails)."""

    def run(rules, state_input, default="Default"):
        execution = run_asl(choice_machine(rules, default), state_input)
        return execution.output if execution.status == "SUCCEEDED" else execution.error

    return run


DOC_RULES = [
    {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
    {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
    {
        "And": [
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30},
        ],
        "Next": "ValueInTwenties",
    },
]


@pytest.mark.parametrize(
    ("state_input", "expected"),
    [
        ({"type": "Private", "value": 22}, "ValueInTwenties"),  # the page's own input
        ({"type": "Public", "value": 22}, "Public"),
        ({"type": "Private", "value": 0}, "ValueIsZero"),
        ({"type": "Private", "value": 30}, "DefaultState"),
    ],
)
def test_choice_state_example(choose, state_input, expected):
    """The page's ChoiceStateX example: input ``{"type": "Private", "value": 22}``
    transitions to ``ValueInTwenties``."""
    assert choose(DOC_RULES, state_input, default="DefaultState") == expected


def test_indexed_path_reads_the_scalar(choose):
    """``$.ResultSet.Rows[1].Data[0].VarCharValue`` on an Athena GetQueryResults result
    reads the string itself (moto reads a one-element list and silently takes Default)."""
    rules = [
        {
            "Variable": "$.ResultSet.Rows[1].Data[0].VarCharValue",
            "StringEquals": "true",
            "Next": "Publish",
        }
    ]

    def athena_result(verdict):
        header = {"Data": [{"VarCharValue": "passed"}]}
        return {"ResultSet": {"Rows": [header, {"Data": [{"VarCharValue": verdict}]}]}}

    assert choose(rules, athena_result("true"), default="Alert") == "Publish"
    assert choose(rules, athena_result("false"), default="Alert") == "Alert"


@pytest.mark.parametrize(
    ("rule", "state_input", "matches"),
    [
        ({"Variable": "$.foo", "NumericEquals": 1}, {"foo": 1}, True),
        ({"Variable": "$.foo", "NumericEquals": 1}, {"foo": "1"}, False),  # no type coercion
        ({"Variable": "$.foo", "StringEquals": "MyString"}, {"foo": "MyString"}, True),
        ({"Variable": "$.foo", "StringGreaterThan": "MyStringABC"}, {"foo": "MyStringABD"}, True),
        ({"Variable": "$.foo", "StringLessThanEquals": "b"}, {"foo": "b"}, True),
        ({"Variable": "$.foo", "BooleanEquals": True}, {"foo": True}, True),
        ({"Variable": "$.foo", "BooleanEquals": True}, {"foo": 1}, False),
        ({"Variable": "$.possiblyNullValue", "IsNull": True}, {"possiblyNullValue": None}, True),
        ({"Variable": "$.foo", "IsNumeric": True}, {"foo": 1.5}, True),
        ({"Variable": "$.foo", "IsNumeric": True}, {"foo": True}, False),
        ({"Variable": "$.foo", "IsString": False}, {"foo": 3}, True),
        ({"Variable": "$.foo", "IsBoolean": True}, {"foo": False}, True),
        ({"Variable": "$.foo", "IsTimestamp": True}, {"foo": "2016-08-18T17:33:00Z"}, True),
        ({"Variable": "$.foo", "IsTimestamp": True}, {"foo": "2016-08-18 17:33:00"}, False),
        (
            {"Variable": "$.foo", "TimestampEquals": "2001-01-01T12:00:00Z"},
            {"foo": "2001-01-01T13:00:00+01:00"},
            True,
        ),
        (
            {"Variable": "$.foo", "TimestampLessThan": "2001-01-01T12:00:00Z"},
            {"foo": "2001-01-01T11:59:59.999Z"},
            True,
        ),
        ({"Variable": "$.foo", "StringEqualsPath": "$.bar"}, {"foo": "x", "bar": "x"}, True),
        ({"Variable": "$.foo", "NumericGreaterThanPath": "$.bar"}, {"foo": 2, "bar": 1}, True),
        (
            {"Variable": "$.foo", "TimestampGreaterThanEqualsPath": "$.bar"},
            {"foo": "2020-01-02T00:00:00Z", "bar": "2020-01-01T00:00:00Z"},
            True,
        ),
        ({"Variable": "$.foo", "BooleanEqualsPath": "$.bar"}, {"foo": True, "bar": False}, False),
        (
            {"Or": [{"Variable": "$.a", "IsNull": True}, {"Variable": "$.b", "IsNull": True}]},
            {"a": 1, "b": None},
            True,
        ),
    ],
)
def test_comparison_operators(choose, rule, state_input, matches):
    """Each comparison of the page's operator list, including the *Path variants; a
    value of the wrong type never matches ("doesn't attempt to match a numeric field
    to a string value")."""
    expected = "Match" if matches else "Default"
    assert choose([{**rule, "Next": "Match"}], state_input) == expected


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("log-*.txt", "log-2024-01-01.txt", True),  # the page's example
        ("log-*.txt", "log-.txt", True),
        ("log-*.txt", "log-1.csv", False),
        ("*", "", True),
        ("a\\*b", "a*b", True),  # escaped asterisk is literal
        ("a\\*b", "axxb", False),
        ("a\\\\*", "a\\anything", True),  # escaped backslash, then a wildcard
        ("x.y", "xzy", False),  # no character other than * is special
    ],
)
def test_string_matches(choose, pattern, value, matches):
    """StringMatches: ``*`` matches any run of characters, ``\\*`` a literal asterisk."""
    rules = [{"Variable": "$.foo", "StringMatches": pattern, "Next": "Match"}]
    assert choose(rules, {"foo": value}) == ("Match" if matches else "Default")


def test_is_present_guards_a_missing_field(choose):
    """The page's IsPresent example: StringEquals is only evaluated when the key exists."""
    rule = {
        "And": [
            {"Variable": "$.keyThatMightNotExist", "IsPresent": True},
            {"Variable": "$.keyThatMightNotExist", "StringEquals": "foo"},
        ],
        "Next": "Match",
    }
    assert choose([rule], {}) == "Default"
    assert choose([rule], {"keyThatMightNotExist": "foo"}) == "Match"


def test_missing_variable_is_a_runtime_error(choose):
    """ "If the state input doesn't contain the ``$.type`` field, the execution fails"."""
    rules = [{"Variable": "$.type", "StringEquals": "Private", "Next": "Match"}]
    assert choose(rules, {"value": 1}) == "States.Runtime"


def test_no_match_and_no_default_fails_with_no_choice_matched(choose):
    """Without Default, no matching rule fails with States.NoChoiceMatched."""
    rules = [{"Variable": "$.value", "NumericEquals": 0, "Next": "Match"}]
    assert choose(rules, {"value": 1}, default=None) == "States.NoChoiceMatched"


def test_first_matching_rule_wins(choose):
    """ "Step Functions examines each of the Choice Rules in the order listed"."""
    rules = [
        {"Variable": "$.v", "NumericGreaterThan": 1, "Next": "First"},
        {"Variable": "$.v", "NumericGreaterThan": 0, "Next": "Second"},
    ]
    assert choose(rules, {"v": 5}) == "First"
    assert choose(rules, {"v": 0.5}) == "Second"


def test_strings_compare_like_java_compare_to(choose):
    """The page points to Java's String.compareTo: UTF-16 code units, so U+FF5E sorts
    after U+1F600 (a surrogate pair starting 0xD83D), unlike Python's code points."""
    rules = [{"Variable": "$.a", "StringGreaterThan": "\U0001f600", "Next": "Match"}]
    assert choose(rules, {"a": "\uff5e"}) == "Match"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"Variable": "$.a", "StringEquals": 1, "Next": "X"}, "wrong type"),
        ({"Variable": "$.a", "NumericEqualz": 1, "Next": "X"}, "unknown Choice operator"),
        ({"Variable": "$.a", "Next": "X"}, "exactly one operator"),
        ({"Not": {"Variable": "$.a", "IsNull": True, "Next": "X"}, "Next": "X"}, "top-level"),
        ({"Condition": "{% true %}", "Next": "X"}, "JSONata Choice Condition"),
        ({"Variable": "$.a[?(@.b)]", "IsNull": True, "Next": "X"}, "filter expressions"),
    ],
)
def test_malformed_rules_fail_at_load_time(rule, message):
    """Rules AWS would reject (or this interpreter does not implement) fail on load."""
    with pytest.raises(DefinitionError, match=message):
        StateMachine(choice_machine([rule]))
