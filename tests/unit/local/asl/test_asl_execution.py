"""The execution API: history events shaped like GetExecutionHistory, the listener,
Wait states and time scaling, machine timeouts, isolation and loud handler bugs."""

from __future__ import annotations

import json
import random

import pytest

from lakehouse.local.asl import FakeClock, StateMachine, TaskFailed

GLUE = "arn:aws:states:::glue:startJobRun.sync"


def glue_machine(**task_fields):
    task = {
        "Type": "Task",
        "Resource": GLUE,
        "Parameters": {"JobName": "bronze", "Arguments": {"--run_date.$": "$.run_date"}},
        "ResultPath": "$.bronze",
        "End": True,
        **task_fields,
    }
    return {"StartAt": "Bronze", "States": {"Bronze": task}}


def test_history_events_are_shaped_like_get_execution_history(run_asl):
    """Types, ids, timestamps and ``<type>EventDetails`` with JSON-string payloads, as in
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html."""
    execution = run_asl(
        glue_machine(),
        {"run_date": "2024-01-01"},
        {"glue:startJobRun.sync": lambda p, c: {"JobRunState": "SUCCEEDED"}},
    )
    assert [e["type"] for e in execution.history] == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in execution.history] == list(range(1, 8))
    assert [e["previousEventId"] for e in execution.history] == list(range(7))
    assert execution.history[0]["timestamp"] == "2023-11-14T22:13:20.000Z"
    scheduled = execution.history[2]["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "glue"
    assert scheduled["resource"] == "startJobRun.sync"
    assert json.loads(scheduled["parameters"]) == {
        "JobName": "bronze",
        "Arguments": {"--run_date": "2024-01-01"},
    }
    entered = execution.history[1]["stateEnteredEventDetails"]
    assert entered == {
        "name": "Bronze",
        "input": '{"run_date":"2024-01-01"}',
        "inputDetails": {"truncated": False},
    }
    succeeded = json.loads(execution.history[-1]["executionSucceededEventDetails"]["output"])
    assert (
        succeeded
        == execution.output
        == {"run_date": "2024-01-01", "bronze": {"JobRunState": "SUCCEEDED"}}
    )


def test_failed_task_events_and_execution_failure(run_asl):
    """``TaskFailed`` and ``ExecutionFailed`` details carry error and cause
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html)."""

    def glue(_parameters, _context):
        raise TaskFailed("States.TaskFailed", '{"JobRunState": "FAILED"}')

    execution = run_asl(glue_machine(), {"run_date": "2024-01-01"}, {"glue:startJobRun.sync": glue})
    failed = execution.history[-2]
    assert failed["type"] == "TaskFailed"
    assert failed["taskFailedEventDetails"] == {
        "resourceType": "glue",
        "resource": "startJobRun.sync",
        "error": "States.TaskFailed",
        "cause": '{"JobRunState": "FAILED"}',
    }
    assert execution.history[-1]["type"] == "ExecutionFailed"
    assert (execution.status, execution.error, execution.output) == (
        "FAILED",
        "States.TaskFailed",
        None,
    )


def test_aws_sdk_resource_type_in_events(run_asl):
    """AWS SDK integrations report ``resourceType`` ``aws-sdk:<service>`` (API_HistoryEvent)."""
    execution = run_asl(
        glue_machine(Resource="arn:aws:states:::aws-sdk:glue:createPartition"),
        {"run_date": "d"},
        {"aws-sdk:glue:createPartition": lambda p, c: {}},
    )
    started = execution.history[3]["taskStartedEventDetails"]
    assert started == {"resourceType": "aws-sdk:glue", "resource": "createPartition"}


def test_listener_sees_each_event_as_it_happens(run_asl):
    """The listener (progress display) gets every event, in order, before work goes on."""
    heard = []

    def glue(_parameters, _context):
        assert heard[-1]["type"] == "TaskStarted"  # already delivered before the work runs
        return {}

    execution = run_asl(
        glue_machine(), {"run_date": "d"}, {"glue:startJobRun.sync": glue}, listener=heard.append
    )
    assert heard == execution.history


def test_everything_returned_is_json_serialisable(run_asl):
    """``to_dict()`` round-trips through JSON; ``describe()`` mirrors DescribeExecution
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html)."""
    execution = run_asl(
        glue_machine(), {"run_date": "d"}, {"glue:startJobRun.sync": lambda p, c: {"Id": "jr_1"}}
    )
    round_trip = json.loads(json.dumps(execution.to_dict()))
    assert round_trip["status"] == "SUCCEEDED"
    assert round_trip["history"] == execution.history
    described = execution.describe()
    assert json.loads(described["output"]) == execution.output
    assert described["startDate"] == "2023-11-14T22:13:20.000Z"


def test_handler_gets_a_private_copy_of_its_parameters(run_asl):
    """A handler mutating its parameters cannot change the execution's data."""
    state_input = {"run_date": "2024-01-01"}

    def vandal(parameters, _context):
        parameters["Arguments"]["--run_date"] = "tampered"
        return "ok"

    execution = run_asl(glue_machine(), state_input, {"glue:startJobRun.sync": vandal})
    assert execution.output == {"run_date": "2024-01-01", "bronze": "ok"}
    assert state_input == {"run_date": "2024-01-01"}


def test_handler_bugs_propagate_instead_of_becoming_task_failures(run_asl):
    """Only TaskFailed is an ASL failure: any other exception is a bug in the local
    integration and propagates, even past a States.ALL catcher."""

    def broken(_parameters, _context):
        raise KeyError("JobName")

    definition = glue_machine(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Alert"}])
    definition["States"]["Alert"] = {"Type": "Pass", "End": True}
    with pytest.raises(KeyError):
        run_asl(definition, {"run_date": "d"}, {"glue:startJobRun.sync": broken})


def test_non_json_results_are_refused(run_asl):
    """A handler result that is not JSON is a bug and is reported as such."""
    with pytest.raises(TypeError, match="returned a value that is not JSON"):
        run_asl(glue_machine(), {"run_date": "d"}, {"glue:startJobRun.sync": lambda p, c: {1, 2}})


def test_wait_seconds_is_recorded_exactly_and_slept_scaled(run_asl, fake_clock):
    """https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html ``wait_ten_seconds``."""
    definition = {
        "StartAt": "wait_ten_seconds",
        "States": {"wait_ten_seconds": {"Type": "Wait", "Seconds": 10, "End": True}},
    }
    execution = run_asl(definition, {"a": 1}, time_scale=0.5)
    assert execution.delays == [{"state": "wait_ten_seconds", "kind": "wait", "seconds": 10}]
    assert fake_clock.sleeps == [5.0]
    assert execution.history[-1]["timestamp"] == "2023-11-14T22:13:30.000Z"
    assert execution.output == {"a": 1}


def test_wait_until_timestamp_and_timestamp_path(run_asl):
    """state-wait.html ``wait_until`` examples: an absolute Timestamp, and TimestampPath
    ``$.expirydate``; a time already past does not wait."""
    definition = {
        "StartAt": "wait_until",
        "States": {
            "wait_until": {"Type": "Wait", "Timestamp": "2023-11-14T22:15:00Z", "End": True}
        },
    }
    assert run_asl(definition, {}).delays[0]["seconds"] == 100
    definition["States"]["wait_until"] = {
        "Type": "Wait",
        "TimestampPath": "$.expirydate",
        "End": True,
    }
    assert run_asl(definition, {"expirydate": "2016-03-14T01:59:00Z"}).delays[0]["seconds"] == 0
    definition["States"]["wait_until"] = {"Type": "Wait", "SecondsPath": "$.pause", "End": True}
    assert run_asl(definition, {"pause": 42}).delays[0]["seconds"] == 42
    assert run_asl(definition, {"pause": "42"}).error == "States.Runtime"


def test_real_clock_and_zero_time_scale_never_sleep():
    """With the system clock and ``time_scale=0`` a one-hour Wait returns at once."""
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
    execution = StateMachine(definition).execute({}, integrations={}, time_scale=0)
    assert execution.status == "SUCCEEDED"
    assert execution.delays[0]["seconds"] == 3600
    assert len(execution.name) == 36  # a generated UUID, never "None"


def test_machine_timeout_seconds_times_the_execution_out(run_asl):
    """Top-level ``TimeoutSeconds`` (statemachine-structure.html): past it the execution
    is TIMED_OUT with States.Timeout, and no Catch can intervene."""
    definition = {
        "TimeoutSeconds": 60,
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": 120, "Next": "Done"},
            "Done": {"Type": "Succeed"},
        },
    }
    execution = run_asl(definition, {})
    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    assert execution.history[-1]["type"] == "ExecutionTimedOut"


def test_map_events_carry_length_and_index(run_asl):
    """``MapStateStarted`` has ``length``, ``MapIterationStarted`` ``name`` and ``index``
    (API_HistoryEvent: mapStateStartedEventDetails, mapIterationStartedEventDetails)."""
    body = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    definition = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": body, "End": True}},
    }
    execution = run_asl(definition, ["a", "b"])
    started = [
        e for e in execution.history if e["type"] in ("MapStateStarted", "MapIterationStarted")
    ]
    assert [next(v for k, v in e.items() if k.endswith("EventDetails")) for e in started] == [
        {"length": 2},
        {"name": "M", "index": 0},
        {"name": "M", "index": 1},
    ]


def test_executions_are_independent_and_reproducible():
    """Two runs with the same seed, clock and name give identical histories."""
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "End": True}},
    }
    machine = StateMachine(definition)
    runs = [
        machine.execute(
            {}, integrations={}, execution_name="n", clock=FakeClock(), rng=random.Random(3)
        )
        for _ in range(2)
    ]
    assert runs[0].history == runs[1].history
    assert runs[0].output == runs[1].output


def test_outputs_do_not_share_objects_with_the_definition():
    """Editing one execution's output (or the caller's definition dict) cannot change
    what the next execution returns."""
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": {"n": 1}, "End": True}},
    }
    machine = StateMachine(definition)
    first = machine.execute({}, integrations={}, clock=FakeClock())
    first.output["n"] = 99
    definition["States"]["P"]["Result"]["n"] = 42
    assert machine.execute({}, integrations={}, clock=FakeClock()).output == {"n": 1}
