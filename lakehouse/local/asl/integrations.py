"""How Task states reach local service integrations.

The interpreter knows no AWS service. A Task's ``Resource`` ARN is reduced to a
handler key (``arn:aws:states:::glue:startJobRun.sync`` -> ``glue:startJobRun.sync``,
``arn:aws:states:::aws-sdk:glue:createPartition`` -> ``aws-sdk:glue:createPartition``)
and looked up in the registry given to ``StateMachine.execute``. A handler is
``handler(parameters, context) -> result`` and fails its Task by raising
``TaskFailed(error, cause)``.

A Task whose ``Resource`` is a Lambda function ARN itself (the legacy form AWS still
accepts: ``arn:aws:lambda:us-east-1:123456789012:function:FailFunction``, optionally
with a version or alias qualifier) is keyed by that ARN: its handler receives the
function's input and returns the function's payload, with no ``lambda:invoke``
envelope around it (``is_lambda_function(key)`` tells the two kinds apart).

Task timeouts are cooperative: the runtime compares the time the handler took with
``TimeoutSeconds`` when it returns, and a long-running handler can call
``context.check_timeout()`` or wait with ``context.sleep()`` (scaled like every
other wait) to be stopped at the deadline with ``States.Timeout``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from lakehouse.local.asl.errors import TaskTimedOut
from lakehouse.local.asl.timing import ExecutionClock

_SERVICE_INTEGRATION = re.compile(
    r"arn:aws(?:-[a-z]+)*:states:::(?P<key>[a-z0-9-]+:[A-Za-z0-9_.:-]+)"
)
# arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>]; names and
# qualifiers as Lambda's CreateFunction/CreateAlias allow them (qualifier $LATEST too).
_LAMBDA_FUNCTION = re.compile(
    r"arn:aws(?:-[a-z]+)*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}"
    r"(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?"
)


class TaskContext:
    """What a handler knows about the Task it runs, plus cooperative timeout helpers."""

    def __init__(
        self,
        *,
        resource: str,
        state_name: str,
        execution_name: str,
        execution_arn: str,
        retry_count: int,
        timeout_seconds: float | None,
        task_token: str,
        clock: ExecutionClock,
    ) -> None:
        self.resource = resource
        self.key = resource_key(resource)
        self.state_name = state_name
        self.execution_name = execution_name
        self.execution_arn = execution_arn
        self.retry_count = retry_count
        self.timeout_seconds = timeout_seconds
        self.task_token = task_token
        self._clock = clock
        self._started = clock.now()

    @property
    def elapsed_seconds(self) -> float:
        return self._clock.now() - self._started

    @property
    def remaining_seconds(self) -> float | None:
        if self.timeout_seconds is None:
            return None
        return self.timeout_seconds - self.elapsed_seconds

    def check_timeout(self) -> None:
        """Raise ``States.Timeout`` if the Task has run longer than ``TimeoutSeconds``."""
        if self.timeout_seconds is not None and self.elapsed_seconds > self.timeout_seconds:
            raise TaskTimedOut(self.timeout_seconds, self.elapsed_seconds)

    def sleep(self, seconds: float) -> None:
        """Wait (scaled by ``time_scale``), stopping with ``States.Timeout`` at the deadline."""
        remaining = self.remaining_seconds
        if remaining is not None and seconds > remaining:
            self._clock.sleep(max(remaining, 0.0))
            raise TaskTimedOut(self.timeout_seconds or 0.0, self.elapsed_seconds)
        self._clock.sleep(seconds)


Handler = Callable[[Any, TaskContext], Any]
Integrations = Mapping[str, Handler]


def resource_key(resource: str) -> str:
    """The handler key for a Task ``Resource`` ARN; ``ValueError`` if unsupported."""
    match = _SERVICE_INTEGRATION.fullmatch(resource)
    if match is not None:
        return match.group("key")
    if _LAMBDA_FUNCTION.fullmatch(resource):
        return resource
    if ":lambda:" in resource and ":function:" in resource:
        raise ValueError(f"malformed Lambda function ARN {resource!r}")
    if ":activity:" in resource:
        raise ValueError(f"activity {resource!r} is not supported locally")
    raise ValueError(f"unsupported Task Resource {resource!r}")


def is_lambda_function(key: str) -> bool:
    """True for the key of a Task that names a Lambda function ARN directly."""
    return _LAMBDA_FUNCTION.fullmatch(key) is not None


def resource_type_and_name(key: str) -> tuple[str, str]:
    """Split a handler key as AWS history events do: ``("glue", "startJobRun.sync")``,
    ``("aws-sdk:glue", "createPartition")``."""
    parts = key.split(":")
    if parts[0] == "aws-sdk" and len(parts) >= 3:
        return f"aws-sdk:{parts[1]}", ":".join(parts[2:])
    return parts[0], ":".join(parts[1:])
