"""The run report's wall time per layer, read from an execution's history."""

from __future__ import annotations

from lakehouse import statemachine
from lakehouse.local.report import LAYERS, STATE_LAYERS, layer_seconds
from lakehouse.local.statemachine_local import local_values


def event(kind: str, name: str, at: str) -> dict:
    """A GetExecutionHistory event: ``<Type>StateEntered``/``StateExited`` with the
    state's name in ``stateEnteredEventDetails``/``stateExitedEventDetails``
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html)."""
    key = "stateEnteredEventDetails" if kind.endswith("Entered") else "stateExitedEventDetails"
    return {"type": kind, "timestamp": f"2026-01-01T00:{at}Z", key: {"name": name}}


def test_each_layer_is_the_time_between_its_states_entry_and_exit() -> None:
    history = [
        {"type": "ExecutionStarted", "timestamp": "2026-01-01T00:00:00.000Z"},
        event("PassStateEntered", "Configure", "00:00.500"),
        event("PassStateExited", "Configure", "00:01.000"),
        event("MapStateEntered", "Ingest", "00:01.000"),
        event("TaskStateEntered", "BronzeIngest", "00:01.100"),  # inside the Map: not a layer
        event("TaskStateExited", "BronzeIngest", "00:04.000"),
        event("MapStateExited", "Ingest", "00:05.250"),
        event("MapStateEntered", "Refine", "00:05.250"),
        event("MapStateExited", "Refine", "00:12.750"),
        event("TaskStateEntered", "BuildGold", "00:13.000"),
        event("TaskStateExited", "BuildGold", "00:19.000"),
        event("MapStateEntered", "Validate", "00:19.500"),
        event("MapStateExited", "Validate", "00:22.000"),
        event("TaskStateEntered", "Publish", "00:22.000"),
        event("TaskStateExited", "Publish", "00:22.400"),
        {"type": "ExecutionSucceeded", "timestamp": "2026-01-01T00:00:23.000Z"},
    ]
    assert layer_seconds(history) == {
        "bronze": 4.2,  # 4.25 s: round() to 0.1 s, half to even
        "silver": 7.5,
        "gold": 6.0,
        "gate": 2.5,
        "publish": 0.4,
        "orchestration": 2.4,
        "total": 23.0,
    }


def test_a_run_that_stopped_early_reports_only_what_ran() -> None:
    history = [
        {"type": "ExecutionStarted", "timestamp": "2026-01-01T00:00:00.000Z"},
        event("MapStateEntered", "Ingest", "00:01.000"),
        event("MapStateExited", "Ingest", "00:03.000"),
        event("MapStateEntered", "Refine", "00:03.000"),  # failed: never exited
        {"type": "ExecutionFailed", "timestamp": "2026-01-01T00:00:09.000Z"},
    ]
    assert layer_seconds(history) == {"bronze": 2.0, "orchestration": 7.0, "total": 9.0}
    assert layer_seconds([]) == {}


def test_every_state_named_as_a_layer_is_a_top_level_state_of_the_daily_machine() -> None:
    """A renamed state would silently drop its layer from the report."""
    states = statemachine.render(local_values())["States"]
    assert set(STATE_LAYERS) <= set(states)
    assert set(STATE_LAYERS.values()) | {"orchestration", "total"} == set(LAYERS)


def _execution(name: str, start: str, stop: str | None):
    from lakehouse.local.executions import LocalExecution

    return LocalExecution(name, "2026-01-01", "SUCCEEDED", None, None, None, start, stop, [])


def test_metric_data_is_matched_to_the_run_that_was_running_when_it_arrived() -> None:
    """An execution's clock runs ahead of the wall clock by the retry waits it did not
    sleep: its window ends at the next execution's start at the latest."""
    from lakehouse.local.report import execution_windows, metric_data_between

    executions = [
        _execution("b", "2026-01-01T00:01:00.000Z", "2026-01-01T00:02:00.000Z"),
        _execution("a", "2026-01-01T00:00:00.000Z", "2026-01-01T00:05:00.000Z"),  # 5 min skipped
    ]
    windows = execution_windows(executions)

    def received(at: str, name: str, value: int) -> dict:
        dims = [{"Name": "Environment", "Value": "local"}, {"Name": "Layer", "Value": name}]
        datum = {"MetricName": "RawRows", "Dimensions": dims, "Value": value, "Unit": "Count"}
        return {"Namespace": "Lakehouse", "MetricData": [datum], "ReceivedAt": at}

    requests = [
        received("2026-01-01T00:00:30.000Z", "a", 2),
        received("2026-01-01T00:00:10.000Z", "a", 1),
        received("2026-01-01T00:01:30.000Z", "b", 3),
        received("2026-01-01T00:03:00.000Z", "later", 4),
    ]
    assert metric_data_between(requests, *windows["a"]) == (
        [
            "RawRows{Environment=local,Layer=a} 1 Count",
            "RawRows{Environment=local,Layer=a} 2 Count",
        ],
        ["Lakehouse"],
    )
    assert metric_data_between(requests, *windows["b"])[0] == [
        "RawRows{Environment=local,Layer=b} 3 Count"
    ]
