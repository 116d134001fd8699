"""``StateMachine``: load a definition once, execute it as often as needed."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Mapping
from typing import Any

from lakehouse.local.asl import composite, states
from lakehouse.local.asl.definition import compile_definition, resource_keys
from lakehouse.local.asl.errors import TIMEOUT, DefinitionError, StatesError
from lakehouse.local.asl.history import Execution, History, Listener, to_json, with_payload
from lakehouse.local.asl.integrations import Handler
from lakehouse.local.asl.runtime import ExecutionInfo, ExecutionTimedOut, Runner, Runtime
from lakehouse.local.asl.timing import Clock, ExecutionClock, SystemClock, format_timestamp

RUNNERS: dict[str, Runner] = {
    "Task": states.run_task,
    "Pass": states.run_pass,
    "Wait": states.run_wait,
    "Choice": states.run_choice,
    "Succeed": states.run_succeed,
    "Fail": states.run_fail,
    "Parallel": composite.run_parallel,
    "Map": composite.run_map,
}


class StateMachine:
    """A validated ASL definition (JSONPath query language) that runs locally.

    ``definition`` is the rendered JSON (a dict or a string): Terraform
    placeholders must already be filled in. Passing ``integrations`` here also
    checks that every Task has a handler, before any execution.
    """

    def __init__(
        self,
        definition: dict[str, Any] | str,
        name: str = "local-state-machine",
        *,
        integrations: Mapping[str, Handler] | None = None,
        region: str = "local",
        account_id: str = "000000000000",
    ) -> None:
        # A private copy: the compiled program shares static values (Pass Result,
        # constant Parameters) with it, so later edits by the caller must not leak in.
        raw = _parse_definition(definition if isinstance(definition, str) else to_json(definition))
        self.definition = raw
        self.name = name
        self.region = region
        self.account_id = account_id
        self.arn = f"arn:aws:states:{region}:{account_id}:stateMachine:{name}"
        self._program, self._timeout_seconds = compile_definition(raw)
        if integrations is not None:
            self.check_integrations(integrations)

    @property
    def required_integrations(self) -> dict[str, list[tuple[str, str]]]:
        """Handler key -> (state name, Resource ARN) for every Task in the definition."""
        return resource_keys(self._program)

    def check_integrations(self, integrations: Mapping[str, Handler]) -> None:
        """Raise ``DefinitionError`` naming every Task whose handler is missing."""
        problems = [
            f"state '{state}': no integration handler registered for Resource "
            f"{resource!r} (handler key {key!r})"
            for key, users in sorted(self.required_integrations.items())
            if key not in integrations
            for state, resource in users
        ]
        if problems:
            raise DefinitionError(problems)

    def execute(
        self,
        input: Any,
        *,
        integrations: Mapping[str, Handler],
        execution_name: str | None = None,
        listener: Listener | None = None,
        time_scale: float = 1.0,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        concurrent_map: bool = False,
    ) -> Execution:
        """Run one execution to its end and return it (never raises for a FAILED run).

        ``time_scale`` multiplies every real wait (0 = no waiting); ``clock`` and
        ``rng`` make runs reproducible (jitter, ``States.MathRandom``, ``States.UUID``).
        ``concurrent_map`` runs Map iterations in threads up to MaxConcurrency, as AWS
        does (history events then interleave); off, they run one after another.
        Exceptions other than ASL failures (a handler bug, a non-JSON result) propagate.
        """
        self.check_integrations(integrations)
        rng = rng if rng is not None else random.Random()
        name = execution_name or str(uuid.UUID(int=rng.getrandbits(128), version=4))
        execution_clock = ExecutionClock(clock or SystemClock(), time_scale)
        state_input = json.loads(to_json(input))  # a private copy; fails early if not JSON
        info = self._execution_info(name, execution_clock.now(), state_input)
        history = History(execution_clock, listener)
        runtime = Runtime(
            info=info,
            integrations=integrations,
            clock=execution_clock,
            rng=rng,
            history=history,
            runners=RUNNERS,
        )
        runtime.concurrent_map = concurrent_map
        execution = Execution(
            execution_arn=info.execution_arn,
            state_machine_arn=self.arn,
            name=name,
            status="RUNNING",
            input=state_input,
            start_date=format_timestamp(info.start_time),
            history=history.events,
            delays=runtime.delays,
        )
        started = with_payload({"roleArn": info.role_arn}, "input", state_input)
        history.record("ExecutionStarted", started)
        _run_to_end(runtime, self._program, execution)
        execution.stop_date = format_timestamp(execution_clock.now())
        return execution

    def _execution_info(self, name: str, start_time: float, state_input: Any) -> ExecutionInfo:
        prefix = f"arn:aws:states:{self.region}:{self.account_id}"
        return ExecutionInfo(
            execution_arn=f"{prefix}:execution:{self.name}:{name}",
            execution_name=name,
            state_machine_arn=self.arn,
            state_machine_name=self.name,
            role_arn=f"arn:aws:iam::{self.account_id}:role/local-step-functions",
            region=self.region,
            start_time=start_time,
            input=state_input,
            timeout_seconds=self._timeout_seconds,
        )


def _parse_definition(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as problem:
        hint = " (an unrendered ${...} Terraform placeholder?)" if "${" in text else ""
        raise DefinitionError([f"the definition is not valid JSON: {problem}{hint}"]) from problem


def _run_to_end(runtime: Runtime, program: Any, execution: Execution) -> None:
    history = runtime.history
    try:
        output = runtime.run_program(program, execution.input)
    except StatesError as failure:
        execution.status, execution.error, execution.cause = "FAILED", failure.error, failure.cause
        history.record("ExecutionFailed", failure.event_fields())
        return
    except ExecutionTimedOut as timed_out:
        execution.status, execution.error, execution.cause = "TIMED_OUT", TIMEOUT, str(timed_out)
        history.record("ExecutionTimedOut", {"error": TIMEOUT, "cause": str(timed_out)})
        return
    # A copy: the output may share static values with the compiled definition.
    execution.status, execution.output = "SUCCEEDED", json.loads(to_json(output))
    history.record("ExecutionSucceeded", with_payload({}, "output", output))
