"""JSONPath as Step Functions uses it, from
https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
("Using JSONPath paths") and the Amazon States Language specification
(https://states-language.net/spec.html, "Parameters")."""

from __future__ import annotations

import re

import pytest

from lakehouse.local.asl.paths import PathNotFound, PathSyntaxError, parse_path, parse_result_path

DOC_INPUT = {"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": True}}


@pytest.mark.parametrize(
    ("path", "expected"),
    [("$.foo", 123), ("$.bar", ["a", "b", "c"]), ("$.car.cdr", True), ("$", DOC_INPUT)],
)
def test_reference_paths_from_the_paths_page(path, expected):
    """ "The following reference paths would return the following": $.foo => 123 ..."""
    assert parse_path(path, reference=True).read(DOC_INPUT) == expected


def test_bracket_notation_for_special_characters():
    """ "You must use square bracket notation if your field name contains any character
    that is not included in the member-name-shorthand ... For example, $.abc.['def ghi']"."""
    document = {"abc": {"def ghi": 1, "it's": 2}}
    assert parse_path("$.abc.['def ghi']").read(document) == 1
    assert parse_path("$['abc']['def ghi']").read(document) == 1
    assert parse_path('$.abc["it\'s"]').read(document) == 2


def test_slice_returns_a_selection():
    """ "applied to { "a": [1, 2, 3, 4] }, the path $.a[0:2] returns [1, 2]"."""
    assert parse_path("$.a[0:2]").read({"a": [1, 2, 3, 4]}) == [1, 2]


def test_spec_parameters_example_with_index_and_open_slice(run_asl, one_state):
    """ASL spec "Parameters" example: ``$.vals[0]`` and ``$.vals[3:]`` over
    ``[0, 10, 20, 30, 40, 50]`` give ``0`` and ``[30, 40, 50]``."""
    parameters = {"flagged": True, "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[3:]"}}
    state = {"Type": "Pass", "Parameters": parameters, "End": True}
    execution = run_asl(one_state(state), {"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]})
    assert execution.output == {"flagged": True, "parts": {"first": 0, "last3": [30, 40, 50]}}


def test_wildcards_flatten_an_array_of_arrays():
    """ "Flattening an array of arrays": ``"flattenArray.$": "$[*][*]"``."""
    assert parse_path("$[*][*]").read([[1, 2], [3], []]) == [1, 2, 3]
    assert parse_path("$.rows[*].id").read({"rows": [{"id": 1}, {"x": 0}, {"id": 3}]}) == [1, 3]


def test_indexed_definite_path_reads_one_scalar():
    """A definite path with indexes is a single node, not a one-element list."""
    document = {
        "ResultSet": {
            "Rows": [{"Data": [{"VarCharValue": "passed"}]}, {"Data": [{"VarCharValue": "true"}]}]
        }
    }
    assert parse_path("$.ResultSet.Rows[1].Data[0].VarCharValue").read(document) == "true"


def test_missing_definite_path_raises():
    with pytest.raises(PathNotFound):
        parse_path("$.bar[3]").read(DOC_INPUT)
    with pytest.raises(PathNotFound):
        parse_path("$.foo.deeper").read(DOC_INPUT)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("$.a[?(@.b > 1)]", "filter expressions"),
        ("$.a[(@.length-1)]", "script expressions"),
        ("$..a", "deep scan"),
        ("$.a[0,1]", "unions"),
        ("$.a.length()", "functions such as length()"),
        ("$.a[-1]", "negative array indexes"),
        ("$myVariable", "workflow variables"),
        ("foo", "must be a string starting with '$'"),
    ],
)
def test_unsupported_syntax_is_refused(path, message):
    """The reference-path restrictions ("The operators @, ,, :, and ? are not supported")
    and constructs this interpreter does not implement fail when parsed. AWS cannot
    resolve ``$.a[-1]`` at run time either (it reports the path "could not be found")."""
    with pytest.raises(PathSyntaxError, match=re.escape(message)):
        parse_path(path)


def test_reference_paths_refuse_wildcards_and_slices():
    """A reference path "can identify only a single node"."""
    for path in ("$.a[*]", "$.a[0:2]", "$.*"):
        with pytest.raises(PathSyntaxError, match="single node"):
            parse_path(path, reference=True)


def test_result_path_writes_copy_and_creates_missing_objects():
    document = {"a": {"keep": 1}}
    updated = parse_result_path("$.a.b.c").assign(document, 5)
    assert updated == {"a": {"keep": 1, "b": {"c": 5}}}
    assert document == {"a": {"keep": 1}}  # the input is never mutated
