"""Retry, Catch, timeouts and predefined error names, from
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
("Handling errors in Step Functions workflows")."""

from __future__ import annotations

import random

from lakehouse.local.asl import TaskFailed

RESOURCE = "arn:aws:states:::lambda:invoke"


def task_machine(**fields):
    """``X`` is a Task ending the machine unless ``Next`` is given; every Catch target
    is a Pass state that ends it."""
    task = {"Type": "Task", "Resource": RESOURCE, **fields}
    if "Next" not in task:
        task["End"] = True
    targets = {catcher["Next"] for catcher in fields.get("Catch", [])}
    states = {name: {"Type": "Pass", "End": True} for name in targets}
    return {"StartAt": "X", "States": {"X": task, **states}}


def failing(*errors):
    """A handler failing with ``errors`` in turn, then succeeding with ``"done"``."""
    remaining = list(errors)
    calls = []

    def handler(parameters, context):
        calls.append(context.retry_count)
        if remaining:
            raise TaskFailed(remaining.pop(0), "failed on purpose")
        return "done"

    handler.calls = calls
    return handler


def backoffs(execution):
    return [delay["seconds"] for delay in execution.delays if delay["kind"] == "retry"]


def test_retry_waits_3_then_4_5_seconds(run_asl, fake_clock):
    """ "This example of a Retry makes 2 retry attempts after waiting for 3 and 4.5
    seconds" (IntervalSeconds 3, MaxAttempts 2, BackoffRate 1.5)."""
    retry = [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2}]
    retry[0]["BackoffRate"] = 1.5
    handler = failing("States.Timeout", "States.Timeout", "States.Timeout")
    execution = run_asl(task_machine(Retry=retry), {}, {"lambda:invoke": handler})
    assert backoffs(execution) == [3, 4.5]
    assert handler.calls == [0, 1, 2]  # $$.State.RetryCount as seen by each attempt
    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
    assert fake_clock.sleeps == []  # time_scale=0: computed, recorded, not slept


def test_backoff_rate_doubles_the_interval(run_asl):
    """BackoffRate: "IntervalSeconds is 3, MaxAttempts is 3, and BackoffRate is 2" retries
    after 3, 6 and 12 seconds."""
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 3, "MaxAttempts": 3, "BackoffRate": 2}]
    execution = run_asl(task_machine(Retry=retry), {}, {"lambda:invoke": failing("E", "E", "E")})
    assert backoffs(execution) == [3, 6, 12]
    assert execution.output == "done"


def test_defaults_are_interval_1_attempts_3_rate_2(run_asl):
    """IntervalSeconds defaults to 1, MaxAttempts to 3 and BackoffRate to 2.0."""
    handler = failing("E", "E", "E", "E")
    execution = run_asl(
        task_machine(Retry=[{"ErrorEquals": ["E"]}]), {}, {"lambda:invoke": handler}
    )
    assert backoffs(execution) == [1, 2, 4]
    assert (execution.status, execution.error) == ("FAILED", "E")


def test_max_delay_seconds_caps_the_backoff(run_asl):
    """MaxDelaySeconds "limits the exponential wait times resulting from the backoff rate"."""
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 3, "MaxAttempts": 5, "MaxDelaySeconds": 10}]
    execution = run_asl(task_machine(Retry=retry), {}, {"lambda:invoke": failing(*"EEEEE")})
    assert backoffs(execution) == [3, 6, 10, 10, 10]


def test_full_jitter_randomises_below_the_computed_backoff(run_asl):
    """JitterStrategy FULL: with IntervalSeconds 2, BackoffRate 2 the intervals 2, 4, 8
    are "randomized between 0 and" each; the computed values are still recorded."""

    class HalfWay(random.Random):
        def uniform(self, a, b):
            return a + (b - a) / 2

    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 2, "JitterStrategy": "FULL"}]
    execution = run_asl(
        task_machine(Retry=retry), {}, {"lambda:invoke": failing(*"EEE")}, rng=HalfWay()
    )
    assert backoffs(execution) == [2, 4, 8]
    assert [d["waited_seconds"] for d in execution.delays] == [1, 2, 4]


def test_time_scale_shortens_real_sleeps_but_not_recorded_delays(run_asl, fake_clock):
    """Retry waits go through the injected clock scaled by ``time_scale``; event times
    advance by the full computed delay."""
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 10, "MaxAttempts": 2}]
    execution = run_asl(
        task_machine(Retry=retry), {}, {"lambda:invoke": failing("E", "E")}, time_scale=0.01
    )
    assert backoffs(execution) == [10, 20]
    assert fake_clock.sleeps == [0.1, 0.2]
    scheduled = [e["timestamp"] for e in execution.history if e["type"] == "TaskScheduled"]
    assert scheduled == [
        "2023-11-14T22:13:20.000Z",
        "2023-11-14T22:13:30.000Z",
        "2023-11-14T22:13:50.000Z",
    ]


def test_retry_everything_except_timeout(run_asl):
    """ "This example of a Retry field retries any error except States.Timeout"."""
    retry = [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0}, {"ErrorEquals": ["States.ALL"]}]
    timeout = run_asl(task_machine(Retry=retry), {}, {"lambda:invoke": failing("States.Timeout")})
    assert (backoffs(timeout), timeout.error) == ([], "States.Timeout")
    other = run_asl(task_machine(Retry=retry), {}, {"lambda:invoke": failing("Boom", "Boom")})
    assert (backoffs(other), other.output) == ([1, 2], "done")


def test_complex_retry_scenario_counts_per_retrier(run_asl):
    """ "Complex retry scenarios": errors ErrorA, ErrorB, ErrorC, ErrorB wait 1 and 2 s
    (first retrier), 5 s (second), then the first retrier has used its two attempts and
    the Catch sends the execution to ``Z``."""
    fields = {
        "Next": "Y",
        "Retry": [
            {"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0},
            {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5},
        ],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}],
    }
    fields["Retry"][0]["MaxAttempts"] = 2
    definition = task_machine(**fields)
    definition["States"]["Y"] = {"Type": "Pass", "End": True}
    handler = failing("ErrorA", "ErrorB", "ErrorC", "ErrorB")
    execution = run_asl(definition, {}, {"lambda:invoke": handler})
    assert backoffs(execution) == [1, 2, 5]
    assert [d["retrier"] for d in execution.delays] == [0, 0, 1]
    assert execution.output == {"Error": "ErrorB", "Cause": "failed on purpose"}
    entered = [
        e["stateEnteredEventDetails"]["name"]
        for e in execution.history
        if "stateEnteredEventDetails" in e
    ]
    assert entered == ["X", "Z"]


def test_max_attempts_zero_never_retries(run_asl):
    """ "A value of 0 specifies that the error or errors are never retried"."""
    retry = [{"ErrorEquals": ["E"], "MaxAttempts": 0}]
    execution = run_asl(task_machine(Retry=retry), {}, {"lambda:invoke": failing("E")})
    assert (backoffs(execution), execution.error) == ([], "E")


def test_catch_with_result_path_keeps_input_and_without_replaces_it(run_asl):
    """ "Fallback states" example: the first catcher adds the error output at
    ``$.error-info`` and goes to RecoveryState; the States.ALL catcher replaces the input
    with the error output and goes to EndState."""
    catch = [
        {
            "ErrorEquals": ["java.lang.Exception"],
            "ResultPath": "$.error-info",
            "Next": "RecoveryState",
        },
        {"ErrorEquals": ["States.ALL"], "Next": "EndState"},
    ]
    java = run_asl(
        task_machine(Catch=catch), {"in": 1}, {"lambda:invoke": failing("java.lang.Exception")}
    )
    assert java.output == {
        "in": 1,
        "error-info": {"Error": "java.lang.Exception", "Cause": "failed on purpose"},
    }
    assert java.history[-2]["stateExitedEventDetails"]["name"] == "RecoveryState"
    other = run_asl(task_machine(Catch=catch), {"in": 1}, {"lambda:invoke": failing("Other")})
    assert other.output == {"Error": "Other", "Cause": "failed on purpose"}
    assert other.history[-2]["stateExitedEventDetails"]["name"] == "EndState"


def test_task_failed_matches_task_errors_but_not_timeout(run_asl):
    """States.TaskFailed "matches any error that a Lambda function outputs" (the page's
    Catch variant) but, per the ASL spec, never States.Timeout."""
    catch = [{"ErrorEquals": ["States.TaskFailed"], "Next": "fallback"}]
    caught = run_asl(task_machine(Catch=catch), {}, {"lambda:invoke": failing("HandledError")})
    assert caught.output == {"Error": "HandledError", "Cause": "failed on purpose"}

    def sleep10(_parameters, context):
        context.sleep(10)
        return "finished"

    timed_out = run_asl(task_machine(Catch=catch, TimeoutSeconds=2), {}, {"lambda:invoke": sleep10})
    assert (timed_out.status, timed_out.error) == ("FAILED", "States.Timeout")


def test_timeout_retry_and_catch(run_asl, fake_clock):
    """ "Handling a timeout using Retry/Catch": TimeoutSeconds 2 around a 10 s task is
    retried twice (1 s, 2 s) and then caught by a States.Timeout catcher."""

    def sleep10(_parameters, _context):
        fake_clock.advance(10)  # the work itself takes 10 s
        return "finished"

    retry = [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 2}]
    catch = [{"ErrorEquals": ["States.Timeout"], "Next": "fallback"}]
    definition = task_machine(TimeoutSeconds=2, Retry=retry, Catch=catch)
    execution = run_asl(definition, {}, {"lambda:invoke": sleep10})
    assert backoffs(execution) == [1, 2]
    assert [e["type"] for e in execution.history].count("TaskTimedOut") == 3
    assert execution.output["Error"] == "States.Timeout"


def test_timeout_seconds_path_and_cooperative_check(run_asl, fake_clock):
    """TimeoutSecondsPath reads the limit from the input; ``context.check_timeout()`` stops
    a long handler at the deadline instead of after it returns."""
    progress = []

    def poller(_parameters, context):
        for _ in range(10):
            fake_clock.advance(1)
            context.check_timeout()
            progress.append(context.elapsed_seconds)
        return "finished"

    definition = task_machine(TimeoutSecondsPath="$.limit")
    execution = run_asl(definition, {"limit": 3}, {"lambda:invoke": poller})
    assert progress == [1, 2, 3]
    assert execution.error == "States.Timeout"
    scheduled = next(e for e in execution.history if e["type"] == "TaskScheduled")
    assert scheduled["taskScheduledEventDetails"]["timeoutInSeconds"] == 3


def test_runtime_errors_are_neither_retried_nor_caught_by_states_all(run_asl):
    """ "A States.Runtime error isn't retriable"; States.ALL "can't catch ... runtime
    error types": a Parameters path that selects nothing fails the execution."""
    handler = failing()
    definition = task_machine(
        Parameters={"id.$": "$.missing"},
        Retry=[{"ErrorEquals": ["States.ALL"]}],
        Catch=[{"ErrorEquals": ["States.ALL"], "Next": "fallback"}],
    )
    execution = run_asl(definition, {}, {"lambda:invoke": handler})
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert backoffs(execution) == [] and handler.calls == []


def test_intrinsic_failure_is_catchable(run_asl):
    """States.IntrinsicFailure is an ordinary error: States.ALL catches it."""
    definition = task_machine(
        Parameters={"x.$": "States.ArrayGetItem($.a, 3)"},
        Catch=[{"ErrorEquals": ["States.IntrinsicFailure"], "Next": "fallback"}],
    )
    execution = run_asl(definition, {"a": []}, {"lambda:invoke": failing()})
    assert execution.output["Error"] == "States.IntrinsicFailure"


def test_fail_state_error_and_cause_paths(run_asl):
    """https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html: ErrorPath and
    CausePath take a path or an intrinsic such as States.Format."""
    fail = {
        "Type": "Fail",
        "ErrorPath": "$.Error",
        "CausePath": (
            "States.Format('this is the error: {}, and this is the cause: {}', $.Error, $.Cause)"
        ),
    }
    execution = run_asl({"StartAt": "F", "States": {"F": fail}}, {"Error": "Oops", "Cause": "bad"})
    assert (execution.status, execution.error) == ("FAILED", "Oops")
    assert execution.cause == "this is the error: Oops, and this is the cause: bad"
    assert execution.history[-1]["executionFailedEventDetails"] == {
        "error": "Oops",
        "cause": "this is the error: Oops, and this is the cause: bad",
    }
