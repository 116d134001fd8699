"""Tasks whose ``Resource`` is a Lambda function ARN itself, as the developer guide's
examples write them (the form AWS accepts besides ``arn:aws:states:::lambda:invoke``):

- https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-handling-error-conditions.html
  (``CreateAccount`` calls ``arn:aws:lambda:us-east-1:123456789012:function:FailFunction``,
  which throws ``CustomError``; a Catch routes it to ``CustomErrorFallback``);
- https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
  (``LookupCustomerInfo`` runs ``AddressFinder`` and ``PhoneFinder`` function ARNs);
- https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (a Task names "the
  ARN of the activity, Lambda function, or the HTTPS API endpoint").

The function's result is the state's result as it is, with no ``lambda:invoke``
envelope (``Payload``, ``StatusCode``...). History events are ``LambdaFunction*``
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
"""

from __future__ import annotations

import pytest

from lakehouse.local.asl import DefinitionError, StateMachine, TaskFailed, resource_key

FAIL_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:FailFunction"
ADDRESS_FINDER = "arn:aws:lambda:us-east-1:123456789012:function:AddressFinder"
PHONE_FINDER = "arn:aws:lambda:us-east-1:123456789012:function:PhoneFinder"


def catch_example() -> dict:
    """The tutorial's state machine, fallbacks included."""
    fallbacks = {
        "CustomErrorFallback": "This is a fallback from a custom Lambda function exception",
        "ReservedTypeFallback": "This is a fallback from a reserved error code",
        "CatchAllFallback": "This is a fallback from any error code",
    }
    states = {
        name: {"Type": "Pass", "Result": text, "End": True} for name, text in fallbacks.items()
    }
    states["CreateAccount"] = {
        "Type": "Task",
        "Resource": FAIL_FUNCTION,
        "Catch": [
            {"ErrorEquals": ["CustomError"], "Next": "CustomErrorFallback"},
            {"ErrorEquals": ["States.TaskFailed"], "Next": "ReservedTypeFallback"},
            {"ErrorEquals": ["States.ALL"], "Next": "CatchAllFallback"},
        ],
        "End": True,
    }
    return {"StartAt": "CreateAccount", "States": states}


def test_function_arns_are_legal_resources_keyed_by_the_arn() -> None:
    qualified = [f"{FAIL_FUNCTION}:$LATEST", f"{FAIL_FUNCTION}:1", f"{FAIL_FUNCTION}:prod"]
    for arn in [FAIL_FUNCTION, *qualified]:
        assert resource_key(arn) == arn
    machine = StateMachine(catch_example(), name="catch-example")
    assert machine.required_integrations == {FAIL_FUNCTION: [("CreateAccount", FAIL_FUNCTION)]}


def test_missing_function_handler_is_named_at_load_time() -> None:
    with pytest.raises(DefinitionError) as missing:
        StateMachine(catch_example(), name="catch-example", integrations={})
    assert FAIL_FUNCTION in str(missing.value)


def test_function_error_is_caught_by_its_own_name(run_asl) -> None:
    """The tutorial: FailFunction throws CustomError; the first catcher takes it."""

    def fail_function(_event, _context):
        raise TaskFailed("CustomError", "This is a custom error!")

    execution = run_asl(catch_example(), {}, {FAIL_FUNCTION: fail_function})
    assert execution.status == "SUCCEEDED"
    assert execution.output == "This is a fallback from a custom Lambda function exception"
    types = [event["type"] for event in execution.history]
    assert types[2:5] == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionFailed",
    ]
    failed = execution.history[4]["lambdaFunctionFailedEventDetails"]
    assert failed["error"] == "CustomError"
    assert failed["cause"] == "This is a custom error!"


def test_function_payload_is_the_result_without_an_envelope(run_asl) -> None:
    """state-parallel.html: each branch's output is what its function returned."""
    branches = [
        {"StartAt": name, "States": {name: {"Type": "Task", "Resource": arn, "End": True}}}
        for name, arn in (("LookupAddress", ADDRESS_FINDER), ("LookupPhone", PHONE_FINDER))
    ]
    definition = {
        "StartAt": "LookupCustomerInfo",
        "States": {"LookupCustomerInfo": {"Type": "Parallel", "Branches": branches, "End": True}},
    }
    seen = []

    def address_finder(event, context):
        seen.append((context.resource, event))
        return {"street": "123 Main St"}

    def phone_finder(event, _context):
        return {"phone": "555-0100", "for": event["customer"]}

    integrations = {ADDRESS_FINDER: address_finder, PHONE_FINDER: phone_finder}
    execution = run_asl(definition, {"customer": "C1"}, integrations)
    assert execution.status == "SUCCEEDED"
    assert execution.output == [{"street": "123 Main St"}, {"phone": "555-0100", "for": "C1"}]
    assert seen == [(ADDRESS_FINDER, {"customer": "C1"})]
    scheduled = [e for e in execution.history if e["type"] == "LambdaFunctionScheduled"]
    details = scheduled[0]["lambdaFunctionScheduledEventDetails"]
    assert details == {
        "resource": ADDRESS_FINDER,
        "input": '{"customer":"C1"}',
        "inputDetails": {"truncated": False},
    }
    succeeded = [e for e in execution.history if e["type"] == "LambdaFunctionSucceeded"]
    assert succeeded[0]["lambdaFunctionSucceededEventDetails"]["output"] == (
        '{"street":"123 Main St"}'
    )


def test_parameters_become_the_function_input_and_timeouts_apply(run_asl) -> None:
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": f"{FAIL_FUNCTION}:prod",
                "Parameters": {"who.$": "$.name"},
                "TimeoutSeconds": 5,
                "ResultPath": "$.greeting",
                "End": True,
            }
        },
    }

    def slow(event, context):
        context.sleep(10)
        return f"hello {event['who']}"

    execution = run_asl(definition, {"name": "Ada"}, {f"{FAIL_FUNCTION}:prod": slow})
    assert execution.status == "FAILED"
    assert execution.error == "States.Timeout"
    assert execution.history[-2]["type"] == "LambdaFunctionTimedOut"

    fast = {f"{FAIL_FUNCTION}:prod": lambda event, _c: f"hello {event['who']}"}
    execution = run_asl(definition, {"name": "Ada"}, fast)
    assert execution.output == {"name": "Ada", "greeting": "hello Ada"}
