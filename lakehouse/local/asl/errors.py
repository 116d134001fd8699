"""Error names and exception types of the local ASL interpreter.

Two families, deliberately separate:

* ``DefinitionError`` is raised before anything runs: the definition (or the
  integration registry) cannot be executed faithfully, so we refuse it.
* ``StatesError`` is a runtime failure carrying an ASL error name and cause; it is
  what ``Retry``/``Catch`` match, exactly as on AWS. ``TaskFailed`` is the subclass
  integration handlers raise.
"""

from __future__ import annotations

from collections.abc import Sequence

ALL = "States.ALL"
TIMEOUT = "States.Timeout"
TASK_FAILED = "States.TaskFailed"
RUNTIME = "States.Runtime"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
BRANCH_FAILED = "States.BranchFailed"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
PERMISSIONS = "States.Permissions"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"

# AWS: "A States.Runtime error isn't retriable, and will always cause the execution
# to fail"; States.ALL "can't catch the States.DataLimitExceeded terminal error and
# runtime error types" (developer guide, "Handling errors in Step Functions").
TERMINAL_ERRORS = frozenset({RUNTIME, DATA_LIMIT_EXCEEDED})


class DefinitionError(ValueError):
    """The definition or integration registry cannot run; lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        listing = "\n  - ".join(self.problems)
        super().__init__(f"invalid state machine definition:\n  - {listing}")


class StatesError(Exception):
    """A runtime failure with an ASL error name (``None`` for a bare Fail state)."""

    def __init__(self, error: str | None, cause: str | None = None) -> None:
        self.error = error
        self.cause = cause
        super().__init__(f"{error}: {cause}" if cause else str(error))

    def error_output(self) -> dict[str, str]:
        """The object a Catch hands on: ``{"Error": ..., "Cause": ...}``."""
        output: dict[str, str] = {}
        if self.error is not None:
            output["Error"] = self.error
        if self.cause is not None:
            output["Cause"] = self.cause
        return output

    def event_fields(self) -> dict[str, str]:
        """``error``/``cause`` as history event details spell them."""
        return {key.lower(): value for key, value in self.error_output().items()}


class TaskFailed(StatesError):
    """Raised by an integration handler to fail its Task, e.g.
    ``TaskFailed("Glue.ConcurrentRunsExceededException", "too many runs")``.

    The error name is matched by ``Retry``/``Catch`` ``ErrorEquals`` exactly as AWS
    would match the service's error, so use the names the real service reports.
    """

    def __init__(self, error: str, cause: str | None = None) -> None:
        if not isinstance(error, str) or not error:
            raise ValueError("TaskFailed needs a non-empty error name")
        super().__init__(error, cause)


class TaskTimedOut(StatesError):
    """The Task ran past its ``TimeoutSeconds`` (raised by the runtime, not handlers)."""

    def __init__(self, timeout_seconds: float, elapsed_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self.elapsed_seconds = elapsed_seconds
        super().__init__(
            TIMEOUT,
            f"Task did not finish within TimeoutSeconds={timeout_seconds:g} "
            f"(elapsed {elapsed_seconds:.3f}s)",
        )


def runtime_error(cause: str) -> StatesError:
    return StatesError(RUNTIME, cause)


def error_matches(error_equals: Sequence[str], error: str | None) -> bool:
    """Whether a retrier's or catcher's ``ErrorEquals`` covers ``error``."""
    if error in TERMINAL_ERRORS:
        return False
    for name in error_equals:
        if name == ALL or (error is not None and name == error):
            return True
        # ASL spec: States.TaskFailed "acts as a wildcard that matches any known error
        # name except for States.Timeout".
        if name == TASK_FAILED and error != TIMEOUT:
            return True
    return False
