"""Execution history shaped like ``GetExecutionHistory`` events, and the result object.

Events carry ``id``, ``previousEventId``, ``timestamp`` (ISO 8601 UTC string),
``type`` and, as on AWS, a ``<type>EventDetails`` object whose ``input``,
``output`` and ``parameters`` are JSON *strings*. States inside Parallel branches
and Map iterations appear in the same flat history, as for inline Map on AWS.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from lakehouse.local.asl.timing import ExecutionClock, format_timestamp

Listener = Callable[[dict[str, Any]], None]


def to_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _details_key(event_type: str) -> str:
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    return event_type[0].lower() + event_type[1:] + "EventDetails"


def with_payload(details: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """Add ``key`` as a JSON string plus AWS's ``<key>Details`` truncation flag."""
    return {**details, key: to_json(value), f"{key}Details": {"truncated": False}}


class History:
    def __init__(self, clock: ExecutionClock, listener: Listener | None) -> None:
        self.events: list[dict[str, Any]] = []
        self._clock = clock
        self._listener = listener
        self._lock = threading.RLock()  # concurrent Map iterations record from threads

    def record(self, event_type: str, details: dict[str, Any] | None = None) -> None:
        with self._lock:
            self._record(event_type, details)

    def _record(self, event_type: str, details: dict[str, Any] | None) -> None:
        event: dict[str, Any] = {
            "timestamp": format_timestamp(self._clock.now()),
            "type": event_type,
            "id": len(self.events) + 1,
            "previousEventId": len(self.events),
        }
        if details is not None:
            event[_details_key(event_type)] = details
        self.events.append(event)
        if self._listener is not None:
            self._listener(event)

    def state_entered(self, state_type: str, name: str, state_input: Any) -> None:
        self.record(f"{state_type}StateEntered", with_payload({"name": name}, "input", state_input))

    def state_exited(self, state_type: str, name: str, output: Any) -> None:
        self.record(f"{state_type}StateExited", with_payload({"name": name}, "output", output))


@dataclass
class Execution:
    """The outcome of ``StateMachine.execute``; everything here is JSON-serialisable.

    ``delays`` lists every computed wait (Wait states and retry back-offs) exactly,
    whatever ``time_scale`` shortened them to.
    """

    execution_arn: str
    state_machine_arn: str
    name: str
    status: str  # SUCCEEDED, FAILED or TIMED_OUT
    input: Any
    start_date: str
    stop_date: str = ""
    output: Any = None
    error: str | None = None
    cause: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    delays: list[dict[str, Any]] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> dict[str, Any]:
        """Shaped like ``DescribeExecution`` (input and output as JSON strings)."""
        described: dict[str, Any] = {
            "executionArn": self.execution_arn,
            "stateMachineArn": self.state_machine_arn,
            "name": self.name,
            "status": self.status,
            "startDate": self.start_date,
            "stopDate": self.stop_date,
            "input": to_json(self.input),
        }
        if self.status == "SUCCEEDED":
            described["output"] = to_json(self.output)
        if self.error is not None:
            described["error"] = self.error
        if self.cause is not None:
            described["cause"] = self.cause
        return described
