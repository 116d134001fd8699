"""Load-time validation: anything the interpreter cannot run faithfully is refused
before execution, with a message naming the construct and the state."""

from __future__ import annotations

import pytest

from lakehouse.local.asl import DefinitionError, StateMachine, resource_key

BODY = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def machine_with(state):
    return {"StartAt": "S", "States": {"S": state}}


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::glue:startJobRun.sync",
                "HeartbeatSeconds": 60,
                "End": True,
            },
            "state 'S' (Task): HeartbeatSeconds is not supported by the local interpreter "
            "(Task heartbeats)",
        ),
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::glue:startJobRun.sync",
                "Credentials": {},
                "End": True,
            },
            "state 'S' (Task): Credentials is not supported",
        ),
        (
            {"Type": "Map", "ItemReader": {}, "ItemProcessor": BODY, "End": True},
            "state 'S' (Map): ItemReader is not supported by the local interpreter "
            "(Distributed Map ItemReader)",
        ),
        (
            {"Type": "Map", "ResultWriter": {}, "ItemProcessor": BODY, "End": True},
            "state 'S' (Map): ResultWriter is not supported",
        ),
        (
            {"Type": "Map", "ToleratedFailurePercentage": 5, "ItemProcessor": BODY, "End": True},
            "state 'S' (Map): ToleratedFailurePercentage is not supported",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {**BODY, "ProcessorConfig": {"Mode": "DISTRIBUTED"}},
                "End": True,
            },
            "(Distributed Map); only Mode INLINE runs locally",
        ),
        (
            {"Type": "Pass", "QueryLanguage": "JSONata", "End": True},
            "state 'S' (Pass): QueryLanguage 'JSONata' is not supported",
        ),
        (
            {"Type": "Pass", "Assign": {"x": 1}, "End": True},
            "state 'S' (Pass): Assign is not supported by the local interpreter "
            "(workflow variables",
        ),
        (
            {"Type": "Pass", "Colour": "red", "End": True},
            "state 'S' (Pass): unknown field 'Colour'",
        ),
        ({"Type": "Sleep", "End": True}, "state 'S': unknown state Type 'Sleep'"),
        ({"Type": "Pass"}, "state 'S' (Pass): needs either Next or \"End\": true"),
        ({"Type": "Pass", "Next": "Nowhere"}, "transitions to missing state 'Nowhere'"),
        (
            {"Type": "Wait", "End": True},
            "needs one of Seconds, SecondsPath, Timestamp, TimestampPath",
        ),
        ({"Type": "Pass", "ResultPath": "$.a[0]", "End": True}, "array indexes in ResultPath"),
        ({"Type": "Pass", "InputPath": "$..a", "End": True}, "deep scan '..' is not supported"),
        (
            {"Type": "Pass", "Parameters": {"a.$": "$.list[-1]"}, "End": True},
            "negative array indexes",
        ),
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Foo/bar",
                "End": True,
            },
            "malformed Lambda function ARN",
        ),
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "End": True,
                "Catch": [{"ErrorEquals": ["States.ALL", "X"], "Next": "S"}],
            },
            "States.ALL must appear alone",
        ),
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "End": True,
                "Retry": [{"ErrorEquals": ["X"], "JitterStrategy": "HALF"}],
            },
            "JitterStrategy must be FULL or NONE",
        ),
    ],
)
def test_unsupported_or_invalid_constructs_are_named(state, message):
    """Each refusal names the state and the construct (field names and rules from
    https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html and
    the state pages; Distributed Map fields from state-map-distributed.html)."""
    with pytest.raises(DefinitionError) as refused:
        StateMachine(machine_with(state))
    assert any(message in problem for problem in refused.value.problems), refused.value.problems


def test_every_problem_is_reported_at_once_including_nested_states():
    """The whole definition is validated before running, branches and Map bodies too."""
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Bogus": 1, "Next": "B"},
            "B": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "A"}}}],
                "Next": "C",
            },
            "C": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "M", "States": {"M": {"Type": "Nope"}}},
                "End": True,
            },
        },
    }
    with pytest.raises(DefinitionError) as refused:
        StateMachine(definition)
    assert refused.value.problems == [
        "state 'A' (Pass): unknown field 'Bogus'",
        "Parallel 'B' > branch 0 > state 'In' (Pass): transitions to missing state 'A' "
        "(Next/Default/Catch must name a state of the same scope)",
        "Map 'C' > state 'M': unknown state Type 'Nope'",
    ]


def test_unreachable_states_are_refused():
    """A state no transition leads to is refused, as AWS's definition validation does."""
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Succeed"}, "Orphan": {"Type": "Pass", "End": True}},
    }
    with pytest.raises(DefinitionError, match="state 'Orphan': is not reachable from StartAt"):
        StateMachine(definition)


def test_missing_handlers_are_named_with_resource_and_state():
    """A registry given at load time is checked against every Task, nested ones included."""
    definition = {
        "StartAt": "Run",
        "States": {
            "Run": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Bronze",
                        "States": {
                            "Bronze": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::glue:startJobRun.sync",
                                "End": True,
                            }
                        },
                    }
                ],
                "Next": "Notify",
            },
            "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True},
        },
    }
    with pytest.raises(DefinitionError) as refused:
        StateMachine(definition, integrations={"sns:publish": lambda p, c: {}})
    assert refused.value.problems == [
        "state 'Bronze': no integration handler registered for Resource "
        "'arn:aws:states:::glue:startJobRun.sync' (handler key 'glue:startJobRun.sync')"
    ]
    machine = StateMachine(definition)
    assert machine.required_integrations == {
        "glue:startJobRun.sync": [("Bronze", "arn:aws:states:::glue:startJobRun.sync")],
        "sns:publish": [("Notify", "arn:aws:states:::sns:publish")],
    }
    with pytest.raises(DefinitionError, match="handler key 'sns:publish'"):
        machine.execute({}, integrations={"glue:startJobRun.sync": lambda p, c: {}})


@pytest.mark.parametrize(
    ("arn", "key"),
    [
        ("arn:aws:states:::glue:startJobRun.sync", "glue:startJobRun.sync"),
        ("arn:aws:states:::aws-sdk:glue:createPartition", "aws-sdk:glue:createPartition"),
        ("arn:aws:states:::sns:publish", "sns:publish"),
        ("arn:aws:states:::athena:startQueryExecution.sync", "athena:startQueryExecution.sync"),
        ("arn:aws:states:::athena:getQueryResults", "athena:getQueryResults"),
        ("arn:aws-cn:states:::sns:publish", "sns:publish"),
    ],
)
def test_resource_arns_resolve_to_handler_keys(arn, key):
    """Service integration ARNs as written in
    https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html
    (optimized ``glue:startJobRun.sync``, AWS SDK ``aws-sdk:glue:createPartition``)."""
    assert resource_key(arn) == key


def test_definition_may_be_a_json_string():
    """CreateStateMachine takes the definition as JSON text; so does StateMachine."""
    machine = StateMachine('{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}', name="m")
    assert machine.arn == "arn:aws:states:local:000000000000:stateMachine:m"


def test_unrendered_template_is_a_definition_error_with_a_hint():
    """The repo's ASL is a Terraform template; it must be rendered before loading."""
    template = (
        '{"StartAt": "S", "States": {"S": {"Type": "Pass", "Result": ${checks_json}, "End": true}}}'
    )
    with pytest.raises(DefinitionError, match="unrendered"):
        StateMachine(template)
