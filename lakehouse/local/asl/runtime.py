"""The machinery every state shares while one execution runs: the program loop,
the context object (``$$``), input/output processing, Retry/Catch and Task calls.

Input/output processing follows AWS: ``InputPath`` selects the effective input,
``Parameters`` builds the task input from it, ``ResultSelector`` reshapes the
result, ``ResultPath`` merges it into the state's *raw* input and ``OutputPath``
filters what goes on.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lakehouse.local.asl.errors import (
    RESULT_PATH_MATCH_FAILURE,
    StatesError,
    TaskTimedOut,
    runtime_error,
)
from lakehouse.local.asl.history import History, to_json, with_payload
from lakehouse.local.asl.integrations import (
    Handler,
    TaskContext,
    is_lambda_function,
    resource_type_and_name,
)
from lakehouse.local.asl.paths import Path, PathNotFound, ResultPathMismatch
from lakehouse.local.asl.payload import excerpt
from lakehouse.local.asl.retry import RetryCounter, find_catcher
from lakehouse.local.asl.specs import Program, RecoverableSpec, ResultSpec, StateSpec, TaskSpec
from lakehouse.local.asl.timing import ExecutionClock, format_timestamp

Runner = Callable[["Runtime", Any, Any], tuple[str | None, Any]]


class ExecutionTimedOut(Exception):
    """The machine-level ``TimeoutSeconds`` passed; no Catch can intercept this."""


@dataclass(frozen=True)
class ExecutionInfo:
    execution_arn: str
    execution_name: str
    state_machine_arn: str
    state_machine_name: str
    role_arn: str
    region: str
    start_time: float
    input: Any
    timeout_seconds: int | None


class Runtime:
    def __init__(
        self,
        *,
        info: ExecutionInfo,
        integrations: Mapping[str, Handler],
        clock: ExecutionClock,
        rng: random.Random,
        history: History,
        runners: Mapping[str, Runner],
    ) -> None:
        self.info = info
        self.concurrent_map = False
        self.integrations = integrations
        self.clock = clock
        self.rng = rng
        self.history = history
        self.delays: list[dict[str, Any]] = []
        self._runners = runners
        self._tokens_issued = 0

    def run_program(self, program: Program, state_input: Any) -> Any:
        """Run states from ``StartAt`` until one ends the program; return its output."""
        name: str | None = program.start_at
        data = state_input
        while name is not None:
            self._check_execution_timeout()
            spec = program.states[name]
            name, data = self._runners[spec.type](self, spec, data)
        return data

    def _check_execution_timeout(self) -> None:
        limit = self.info.timeout_seconds
        if limit is not None and self.clock.now() - self.info.start_time > limit:
            raise ExecutionTimedOut(f"the execution ran longer than TimeoutSeconds={limit}")

    def context(self, spec: StateSpec, entered_time: float, retry_count: int = 0) -> dict[str, Any]:
        """The ``$$`` context object as seen by ``spec``."""
        context: dict[str, Any] = {
            "Execution": {
                "Id": self.info.execution_arn,
                "Input": self.info.input,
                "Name": self.info.execution_name,
                "RoleArn": self.info.role_arn,
                "StartTime": format_timestamp(self.info.start_time),
            },
            "State": {
                "EnteredTime": format_timestamp(entered_time),
                "Name": spec.name,
                "RetryCount": retry_count,
            },
            "StateMachine": {
                "Id": self.info.state_machine_arn,
                "Name": self.info.state_machine_name,
            },
        }
        if isinstance(spec, TaskSpec):
            self._tokens_issued += 1
            token = f"local-token-{self.info.execution_name}-{self._tokens_issued}"
            context["Task"] = {"Token": token}
        return context

    def enter(self, spec: StateSpec, raw_input: Any) -> dict[str, Any]:
        """Record ``<Type>StateEntered`` and return the state's context object."""
        entered_time = self.clock.now()
        self.history.state_entered(spec.type, spec.name, raw_input)
        return self.context(spec, entered_time)

    def read(self, path: Path, document: Any, context: Any, field: str) -> Any:
        """Read a path field (InputPath, ItemsPath, SecondsPath...): a miss is States.Runtime."""
        source = context if path.is_context else document
        try:
            return path.read(source)
        except PathNotFound as missing:
            raise runtime_error(
                f"Invalid path '{missing.path}' for {field}: could not be found in the "
                f"input '{excerpt(source)}'"
            ) from missing

    def select_input(self, spec: StateSpec, raw_input: Any, context: Any) -> Any:
        if spec.input_path is None:
            return {}
        return self.read(spec.input_path, raw_input, context, "InputPath")

    def filter_output(self, spec: StateSpec, document: Any, context: Any) -> Any:
        if spec.output_path is None:
            return {}
        return self.read(spec.output_path, document, context, "OutputPath")

    def build_output(self, spec: ResultSpec, raw_input: Any, result: Any, context: Any) -> Any:
        """ResultSelector -> ResultPath (into the raw input) -> OutputPath."""
        if spec.result_selector is not None:
            result = spec.result_selector.evaluate(result, context, self.rng)
        return self.filter_output(
            spec, self.merge_result(spec.result_path, raw_input, result), context
        )

    def merge_result(self, result_path: Path | None, raw_input: Any, result: Any) -> Any:
        if result_path is None:
            return raw_input
        try:
            return result_path.assign(raw_input, result)
        except ResultPathMismatch as problem:
            raise StatesError(RESULT_PATH_MATCH_FAILURE, str(problem)) from problem

    def wait(
        self, seconds: float, *, state: str, kind: str, waited: float | None = None, **details: Any
    ) -> None:
        """Wait through the (scaled) clock, recording the computed delay exactly.

        ``waited`` is what is actually waited when it differs (retry jitter).
        """
        record = {"state": state, "kind": kind, "seconds": seconds, **details}
        if waited is not None:
            record["waited_seconds"] = waited
        self.delays.append(record)
        self.clock.sleep(seconds if waited is None else waited)

    def run_recoverable(
        self, spec: RecoverableSpec, raw_input: Any, attempt: Callable[[dict[str, Any]], Any]
    ) -> tuple[str | None, Any]:
        """Run ``attempt`` with the state's Retry policy, then its Catchers."""
        entered_time = self.clock.now()
        self.history.state_entered(spec.type, spec.name, raw_input)
        retries = RetryCounter(spec.retriers, self.rng)
        while True:
            context = self.context(spec, entered_time, retries.total_retries)
            try:
                output = attempt(context)
            except StatesError as failure:
                decision = retries.decide(failure)
                if decision is not None:
                    self.wait(
                        decision.backoff_seconds,
                        state=spec.name,
                        kind="retry",
                        waited=decision.delay_seconds,
                        error=failure.error,
                        retrier=decision.retrier_index,
                        attempt=decision.attempt,
                    )
                    continue
                catcher = find_catcher(spec.catchers, failure)
                if catcher is None:
                    raise
                merged = self.merge_result(catcher.result_path, raw_input, failure.error_output())
                return catcher.next_state, merged
            self.history.state_exited(spec.type, spec.name, output)
            return spec.next_state, output

    def invoke_task(
        self, spec: TaskSpec, parameters: Any, timeout: float | None, context: dict[str, Any]
    ) -> Any:
        """Call the handler for ``spec`` with AWS-like Task events around it."""
        parameters = json.loads(to_json(parameters))  # the handler gets its own copy
        prefix, names, scheduled = _scheduled_event(spec, parameters, timeout, self.info.region)
        self.history.record(f"{prefix}Scheduled", scheduled)
        self.history.record(f"{prefix}Started", names or None)
        task_context = TaskContext(
            resource=spec.resource,
            state_name=spec.name,
            execution_name=self.info.execution_name,
            execution_arn=self.info.execution_arn,
            retry_count=context["State"]["RetryCount"],
            timeout_seconds=timeout,
            task_token=context["Task"]["Token"],
            clock=self.clock,
        )
        try:
            result = self.integrations[spec.resource_key](parameters, task_context)
            task_context.check_timeout()
        except StatesError as failure:
            if not isinstance(failure, TaskTimedOut):
                try:
                    task_context.check_timeout()  # on AWS the timeout fires first
                except TaskTimedOut as timed_out:
                    failure = timed_out
            event = "TimedOut" if isinstance(failure, TaskTimedOut) else "Failed"
            self.history.record(f"{prefix}{event}", {**names, **failure.event_fields()})
            raise failure
        result = _as_json(result, spec)
        self.history.record(f"{prefix}Succeeded", with_payload(names, "output", result))
        return result


def _scheduled_event(
    spec: TaskSpec, parameters: Any, timeout: float | None, region: str
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(event prefix, names every later event repeats, the Scheduled event's details).
    A bare function ARN logs ``LambdaFunction*`` events, an integration ``Task*`` ones
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html)."""
    if is_lambda_function(spec.resource_key):
        prefix, names = "LambdaFunction", {}
        scheduled = with_payload({"resource": spec.resource}, "input", parameters)
    else:
        resource_type, resource = resource_type_and_name(spec.resource_key)
        prefix, names = "Task", {"resourceType": resource_type, "resource": resource}
        scheduled = with_payload({**names, "region": region}, "parameters", parameters)
    if timeout is not None:
        scheduled["timeoutInSeconds"] = timeout
    return prefix, names, scheduled


def _as_json(result: Any, spec: TaskSpec) -> Any:
    try:
        return json.loads(json.dumps(result, allow_nan=False))
    except (TypeError, ValueError) as problem:
        raise TypeError(
            f"the handler for {spec.resource_key!r} (state {spec.name!r}) returned a value "
            f"that is not JSON: {problem}"
        ) from problem
