"""Input/output processing: InputPath, Parameters, ResultSelector, ResultPath,
OutputPath, the context object and the Pass state, checked against the AWS
Step Functions developer guide's own examples."""

from __future__ import annotations

from lakehouse.local.asl import TaskFailed

HELLO = "Hello, AWS Step Functions!"
LAMBDA_INPUT = {
    "comment": "This is a test of the input and output of a Task state.",
    "details": "Default example",
    "who": "AWS Step Functions",
}


def hello_task(**fields):
    """The tutorial's HelloFunction as a local integration."""
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
    return {"StartAt": "HelloWorld", "States": {"HelloWorld": {**state, **fields}}}


def say_hello(parameters, _context):
    return f"Hello, {parameters['who']}!"


def test_resultpath_default_replaces_input_with_result(run_asl):
    """https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
    "Use ResultPath to replace the input with the result"."""
    execution = run_asl(hello_task(), LAMBDA_INPUT, {"lambda:invoke": say_hello})
    assert execution.output == HELLO


def test_resultpath_includes_result_with_input(run_asl):
    """input-output-resultpath.html "Use ResultPath to include the result with the input"."""
    execution = run_asl(
        hello_task(ResultPath="$.taskresult"), LAMBDA_INPUT, {"lambda:invoke": say_hello}
    )
    assert execution.output == {**LAMBDA_INPUT, "taskresult": HELLO}


def test_resultpath_inserts_result_into_child_node(run_asl):
    """input-output-resultpath.html: ``"ResultPath": "$.strings.lambdaresult"``."""
    state_input = {
        "comment": "An input comment.",
        "strings": {"string1": "foo", "string2": "bar", "string3": "baz"},
        "who": "AWS Step Functions",
    }
    execution = run_asl(
        hello_task(ResultPath="$.strings.lambdaresult"), state_input, {"lambda:invoke": say_hello}
    )
    assert execution.output == {
        "comment": "An input comment.",
        "strings": {"string1": "foo", "string2": "bar", "string3": "baz", "lambdaresult": HELLO},
        "who": "AWS Step Functions",
    }


def test_resultpath_updates_existing_node(run_asl):
    """input-output-resultpath.html "Use ResultPath to update a node in the input with the
    result": ``"ResultPath": "$.comment"``."""
    execution = run_asl(
        hello_task(ResultPath="$.comment"), LAMBDA_INPUT, {"lambda:invoke": say_hello}
    )
    assert execution.output == {**LAMBDA_INPUT, "comment": HELLO}


def test_resultpath_null_discards_result_and_keeps_input(run_asl):
    """input-output-resultpath.html "Use ResultPath to discard the result and keep the
    original input": ``"ResultPath": null``."""
    execution = run_asl(hello_task(ResultPath=None), LAMBDA_INPUT, {"lambda:invoke": say_hello})
    assert execution.output == LAMBDA_INPUT


def test_resultpath_in_catch_keeps_input_and_adds_error(run_asl):
    """input-output-resultpath.html "Use ResultPath to include both error and input in a
    Catch": input ``{"foo": "bar"}`` gives ``{"foo": "bar", "error": {"Error": "Error here"}}``."""

    def fail(_parameters, _context):
        raise TaskFailed("Error here")

    definition = hello_task(
        Catch=[{"ErrorEquals": ["States.ALL"], "Next": "NextTask", "ResultPath": "$.error"}]
    )
    definition["States"]["NextTask"] = {"Type": "Pass", "End": True}
    execution = run_asl(definition, {"foo": "bar"}, {"lambda:invoke": fail})
    assert execution.output == {"foo": "bar", "error": {"Error": "Error here"}}


def test_resultpath_into_a_string_input_is_a_result_path_match_failure(run_asl):
    """A ResultPath cannot add a field to a non-object input: States.ResultPathMatchFailure
    (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)."""
    execution = run_asl(
        hello_task(ResultPath="$.taskresult"), "just a string", {"lambda:invoke": lambda p, c: 1}
    )
    assert (execution.status, execution.error) == ("FAILED", "States.ResultPathMatchFailure")


def test_inputpath_selects_part_of_the_input(run_asl, one_state):
    """https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    ``"InputPath": "$.dataset2"``."""
    state_input = {
        "comment": "Example for InputPath.",
        "dataset1": {"val1": 1, "val2": 2, "val3": 3},
        "dataset2": {"val1": "a", "val2": "b", "val3": "c"},
    }
    execution = run_asl(
        one_state({"Type": "Pass", "InputPath": "$.dataset2", "End": True}), state_input
    )
    assert execution.output == {"val1": "a", "val2": "b", "val3": "c"}


def test_parameters_select_static_and_path_values(run_asl, one_state):
    """input-output-inputpath-params.html ``Parameters`` example (MyDetails)."""
    state_input = {
        "comment": "Example for Parameters.",
        "product": {
            "details": {"color": "blue", "size": "small", "material": "cotton"},
            "availability": "in stock",
            "sku": "2317",
            "cost": "$23",
        },
    }
    parameters = {
        "comment": "Selecting what I care about.",
        "MyDetails": {
            "size.$": "$.product.details.size",
            "exists.$": "$.product.availability",
            "StaticValue": "foo",
        },
    }
    execution = run_asl(
        one_state({"Type": "Pass", "Parameters": parameters, "End": True}), state_input
    )
    assert execution.output == {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"},
    }


def test_result_selector_then_result_path(run_asl):
    """input-output-inputpath-params.html ``ResultSelector`` example (EMR createCluster):
    the selected fields land under ``$.EMROutput`` next to the other input data."""
    emr_result = {
        "resourceType": "elasticmapreduce",
        "resource": "createCluster.sync",
        "output": {
            "SdkHttpMetadata": {"HttpStatusCode": 200},
            "SdkResponseMetadata": {"RequestId": "1234-5678-9012"},
            "ClusterId": "AKIAIOSFODNN7EXAMPLE",
        },
    }
    definition = hello_task(
        Resource="arn:aws:states:::elasticmapreduce:createCluster.sync",
        ResultSelector={"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
        ResultPath="$.EMROutput",
    )
    execution = run_asl(
        definition,
        {"OtherDataFromInput": {}},
        {"elasticmapreduce:createCluster.sync": lambda p, c: emr_result},
    )
    assert execution.output == {
        "OtherDataFromInput": {},
        "EMROutput": {"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce"},
    }


def test_inputpath_resultpath_outputpath_together(run_asl):
    """https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html:
    InputPath ``$.lambda``, ResultPath ``$.data.lambdaresult``, OutputPath ``$.data``."""
    seen = []

    def hello(parameters, context):
        seen.append(parameters)
        return say_hello(parameters, context)

    definition = hello_task(
        InputPath="$.lambda", ResultPath="$.data.lambdaresult", OutputPath="$.data"
    )
    state_input = {
        "comment": "An input comment.",
        "data": {"val1": 23, "val2": 17},
        "extra": "foo",
        "lambda": {"who": "AWS Step Functions"},
    }
    execution = run_asl(definition, state_input, {"lambda:invoke": hello})
    assert seen == [{"who": "AWS Step Functions"}]
    assert execution.output == {"val1": 23, "val2": 17, "lambdaresult": HELLO}


def test_null_inputpath_and_outputpath_give_empty_objects(run_asl, one_state):
    """InputPath/OutputPath null pass ``{}`` (developer guide, "Processing input and output")."""
    execution = run_asl(
        one_state({"Type": "Pass", "InputPath": None, "ResultPath": "$.seen", "End": True}),
        {"a": 1},
    )
    assert execution.output == {"a": 1, "seen": {}}
    execution = run_asl(one_state({"Type": "Pass", "OutputPath": None, "End": True}), {"a": 1})
    assert execution.output == {}


def test_pass_state_result_injected_at_result_path(run_asl, one_state):
    """https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html ``No-op`` example."""
    state = {
        "Type": "Pass",
        "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
        "ResultPath": "$.coords",
        "End": True,
    }
    execution = run_asl(one_state(state, name="No-op"), {"georefOf": "Home"})
    assert execution.output == {
        "georefOf": "Home",
        "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
    }


def test_context_object_execution_id_in_parameters(run_asl):
    """https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
    ``"Execution.$": "$$.Execution.Id"`` inside an SQS MessageBody."""
    definition = {
        "StartAt": "Order Flight Ticket Queue",
        "States": {
            "Order Flight Ticket Queue": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "Parameters": {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase",
                    "MessageBody": {"From": "YVR", "To": "SEA", "Execution.$": "$$.Execution.Id"},
                },
                "End": True,
            }
        },
    }
    execution = run_asl(definition, {}, {"sqs:sendMessage": lambda p, c: p["MessageBody"]})
    assert execution.output == {"From": "YVR", "To": "SEA", "Execution": execution.execution_arn}
    assert execution.execution_arn.endswith(":execution:test-machine:test-execution")


def test_context_object_fields(run_asl, one_state):
    """input-output-contextobject.html: Execution (Id, Input, Name, StartTime), State
    (Name, EnteredTime, RetryCount) and StateMachine (Id, Name)."""
    parameters = {
        "name.$": "$$.Execution.Name",
        "input.$": "$$.Execution.Input",
        "start.$": "$$.Execution.StartTime",
        "state.$": "$$.State.Name",
        "entered.$": "$$.State.EnteredTime",
        "retries.$": "$$.State.RetryCount",
        "machine.$": "$$.StateMachine.Name",
        "machineId.$": "$$.StateMachine.Id",
    }
    execution = run_asl(
        one_state({"Type": "Pass", "Parameters": parameters, "End": True}, name="Ctx"),
        {"k": "v"},
    )
    assert execution.output == {
        "name": "test-execution",
        "input": {"k": "v"},
        "start": "2023-11-14T22:13:20.000Z",
        "state": "Ctx",
        "entered": "2023-11-14T22:13:20.000Z",
        "retries": 0,
        "machine": "test-machine",
        "machineId": "arn:aws:states:local:000000000000:stateMachine:test-machine",
    }


def test_missing_parameters_path_is_a_runtime_error_naming_the_field(run_asl, one_state):
    """A ``.$`` path that selects nothing fails with States.Runtime and AWS's message
    ("The JSONPath ... specified for the field ... could not be found in the input")."""
    state = {"Type": "Pass", "Parameters": {"userId.$": "$.detail.userId"}, "End": True}
    execution = run_asl(one_state(state), {"detail": {}})
    assert execution.error == "States.Runtime"
    assert "The JSONPath '$.detail.userId' specified for the field 'userId.$'" in execution.cause
