"""Intrinsic functions, each with the example from
https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
("Intrinsic functions for JSONPath states"), run through a Pass state's Parameters,
plus the escaping rules moto gets wrong."""

from __future__ import annotations

import random
import re

import pytest

from lakehouse.local.asl import DefinitionError, StateMachine


@pytest.fixture
def evaluate(run_asl, one_state):
    """Evaluate ``expression`` as ``"value.$"`` in a Pass state's Parameters."""

    def run(expression, state_input=None, **kwargs):
        state = {"Type": "Pass", "Parameters": {"value.$": expression}, "End": True}
        execution = run_asl(one_state(state), state_input or {}, **kwargs)
        assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
        return execution.output["value"]

    return run


def test_array(evaluate):
    """States.Array: ``{"Id": 123456}`` -> ``[123456]``."""
    assert evaluate("States.Array($.Id)", {"Id": 123456}) == [123456]


def test_array_partition(evaluate):
    """States.ArrayPartition: chunks of four -> ``[[1,2,3,4],[5,6,7,8],[9]]``."""
    state_input = {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]}
    assert evaluate("States.ArrayPartition($.inputArray,4)", state_input) == [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9],
    ]


def test_array_contains(evaluate):
    """States.ArrayContains: 5 is in ``inputArray`` -> ``true``."""
    state_input = {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5}
    assert evaluate("States.ArrayContains($.inputArray, $.lookingFor)", state_input) is True
    assert evaluate("States.ArrayContains($.inputArray, 10)", state_input) is False


def test_array_range(evaluate):
    """States.ArrayRange(1, 9, 2) -> ``[1,3,5,7,9]``."""
    assert evaluate("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9]


def test_array_get_item(evaluate):
    """States.ArrayGetItem: index 5 of ``[1..9]`` -> 6."""
    state_input = {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "index": 5}
    assert evaluate("States.ArrayGetItem($.inputArray, $.index)", state_input) == 6


def test_array_length(evaluate):
    """States.ArrayLength of ``[1..9]`` -> 9."""
    assert evaluate("States.ArrayLength($.inputArray)", {"inputArray": list(range(1, 10))}) == 9


def test_array_unique(evaluate):
    """States.ArrayUnique ``[1,2,3,3,3,3,3,3,4]`` -> ``[1,2,3,4]``."""
    state_input = {"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]}
    assert evaluate("States.ArrayUnique($.inputArray)", state_input) == [1, 2, 3, 4]


def test_base64_encode(evaluate):
    """States.Base64Encode "Data to encode" -> "RGF0YSB0byBlbmNvZGU="."""
    assert evaluate("States.Base64Encode($.input)", {"input": "Data to encode"}) == (
        "RGF0YSB0byBlbmNvZGU="
    )


def test_base64_decode(evaluate):
    """States.Base64Decode of "RGF0YSB0byBlbmNvZGU=". The page prints "Decoded data",
    which is not what that string decodes to; it is the encode example reversed."""
    assert evaluate("States.Base64Decode($.base64)", {"base64": "RGF0YSB0byBlbmNvZGU="}) == (
        "Data to encode"
    )


def test_hash(evaluate):
    """States.Hash("input data", "SHA-1"). The page prints a 39-digit value with one digit
    dropped (aaff4a450a104cd177d28d18d7485e8cae074b7); this is the real SHA-1 digest."""
    state_input = {"Data": "input data", "Algorithm": "SHA-1"}
    assert evaluate("States.Hash($.Data, $.Algorithm)", state_input) == (
        "aaff4a450a104cd177d28d18d74485e8cae074b7"
    )


def test_json_merge_is_shallow(evaluate):
    """States.JsonMerge: json2's ``a`` replaces json1's ``a`` entirely (shallow mode)."""
    state_input = {
        "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
        "json2": {"a": {"a3": 1, "a4": 2}, "c": 3},
    }
    assert evaluate("States.JsonMerge($.json1, $.json2, false)", state_input) == {
        "a": {"a3": 1, "a4": 2},
        "b": 2,
        "c": 3,
    }


def test_string_to_json(evaluate):
    """States.StringToJson of ``{"foo": "bar"}`` as a string -> the object."""
    state_input = {"escapedJsonString": '{"foo": "bar"}'}
    assert evaluate("States.StringToJson($.escapedJsonString)", state_input) == {"foo": "bar"}


def test_json_to_string(evaluate):
    """States.JsonToString of ``{"foo": "bar"}``; AWS serialises compactly (Jackson)."""
    state_input = {"unescapedJson": {"foo": "bar"}}
    assert evaluate("States.JsonToString($.unescapedJson)", state_input) == '{"foo":"bar"}'


def test_math_random_is_in_range_and_repeatable_with_a_seed(evaluate):
    """States.MathRandom(start inclusive, end exclusive[, seed]): same seed, same number."""
    first = evaluate("States.MathRandom($.start, $.end, 42)", {"start": 1, "end": 999})
    second = evaluate("States.MathRandom($.start, $.end, 42)", {"start": 1, "end": 999})
    assert first == second
    assert 1 <= first < 999
    assert {evaluate("States.MathRandom(1, 3)", rng=random.Random(s)) for s in range(40)} == {1, 2}


def test_math_add(evaluate):
    """States.MathAdd(111, -1) -> 110; non-integers are rounded to the nearest integer."""
    assert evaluate("States.MathAdd($.value1, $.step)", {"value1": 111, "step": -1}) == 110
    assert evaluate("States.MathAdd(1.4, 2.6)") == 4


def test_string_split_single_and_multiple_delimiters(evaluate):
    """States.StringSplit: "1,2,3,4,5" by "," and "This.is+a,test=string" by ".+,="."""
    assert evaluate(
        "States.StringSplit($.inputString, $.splitter)",
        {"inputString": "1,2,3,4,5", "splitter": ","},
    ) == ["1", "2", "3", "4", "5"]
    state_input = {"inputString": "This.is+a,test=string", "splitter": ".+,="}
    assert evaluate("States.StringSplit($.inputString, $.splitter)", state_input) == [
        "This",
        "is",
        "a",
        "test",
        "string",
    ]


def test_uuid_is_version_4_and_follows_the_injected_rng(evaluate):
    """States.UUID returns a v4 UUID; with a seeded RNG the run is reproducible."""
    first = evaluate("States.UUID()", rng=random.Random(1))
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first
    )
    assert evaluate("States.UUID()", rng=random.Random(1)) == first
    assert evaluate("States.UUID()", rng=random.Random(2)) != first


def test_format_with_literal_and_with_path_template(evaluate):
    """States.Format: both spellings give "Hello, my name is Arnav."."""
    state_input = {"name": "Arnav", "template": "Hello, my name is {}."}
    assert evaluate("States.Format('Hello, my name is {}.', $.name)", state_input) == (
        "Hello, my name is Arnav."
    )
    assert evaluate("States.Format($.template, $.name)", state_input) == "Hello, my name is Arnav."


def test_nested_intrinsics(evaluate):
    """The page's nested ``myArn`` example (its template has three ``{}`` for two
    arguments, which fails; this uses two): split an ARN twice, pick parts."""
    expression = (
        "States.Format('{}.{}', "
        "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), "
        "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))"
    )
    arn = "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/recipe/1.0.2"
    assert evaluate(expression, {"ImageRecipe": {"Arn": arn}}) == "1.0"


def test_escaped_quote_brace_and_backslash(evaluate):
    """ "Reserved characters in intrinsic functions": ``\\'`` is ``'``, ``\\{`` and ``\\}``
    are literal braces (not a placeholder) and ``\\\\`` is one backslash."""
    expression = "States.Format('It\\'s \\{\\} {} in C:\\\\lake', $.who)"
    assert evaluate(expression, {"who": "Arnav"}) == "It's {} Arnav in C:\\lake"


def test_escaped_quotes_inside_string_to_json(evaluate):
    """An escaped quote inside a literal stays one character: moto returns a wrong string."""
    assert evaluate('States.StringToJson(\'{"msg": "it\\\'s ok"}\')') == {"msg": "it's ok"}


def test_commas_and_parentheses_inside_literals_are_not_separators(evaluate):
    """Literals may hold ``,`` and ``)``; paths may use bracket notation with spaces."""
    state_input = {"abc": {"def ghi": "x"}}
    assert evaluate("States.Array('a, b)', $.abc['def ghi'], 2.5, true, null)", state_input) == [
        "a, b)",
        "x",
        2.5,
        True,
        None,
    ]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("States.Bogus(1)", "unknown intrinsic function States.Bogus"),
        ("States.Format('a\\qb')", "open escape backslash"),
        ("States.ArrayLength($.a, 1)", "takes 1 arguments, got 2"),
        ("States.Format('unterminated)", "unterminated string literal"),
    ],
)
def test_bad_invocations_fail_at_load_time(one_state, expression, message):
    """Unknown functions, open escapes and wrong argument counts are refused before running."""
    state = {"Type": "Pass", "Parameters": {"value.$": expression}, "End": True}
    with pytest.raises(DefinitionError, match=re.escape(message)):
        StateMachine(one_state(state))


@pytest.mark.parametrize(
    ("expression", "state_input"),
    [
        ("States.ArrayGetItem($.a, 5)", {"a": [1]}),
        ("States.Format('{} {}', $.a)", {"a": 1}),
        ("States.StringToJson($.a)", {"a": "not json"}),
        ("States.JsonMerge($.a, $.a, true)", {"a": {}}),
        ("States.ArrayRange(1, 2000, 1)", {}),
        ("States.Hash($.a, 'SHA-3')", {"a": "x"}),
    ],
)
def test_bad_arguments_fail_with_intrinsic_failure(run_asl, one_state, expression, state_input):
    """Arguments the function cannot use fail the state with States.IntrinsicFailure."""
    state = {"Type": "Pass", "Parameters": {"value.$": expression}, "End": True}
    execution = run_asl(one_state(state), state_input)
    assert (execution.status, execution.error) == ("FAILED", "States.IntrinsicFailure")
