"""Runners for Task, Pass, Wait, Choice, Succeed and Fail states.

A runner takes the state's raw input and returns ``(next state or None, output)``;
failures are raised as ``StatesError`` for the enclosing Retry/Catch (or the
execution) to handle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lakehouse.local.asl.errors import NO_CHOICE_MATCHED, StatesError, runtime_error
from lakehouse.local.asl.payload import Expression
from lakehouse.local.asl.specs import (
    NO_RESULT,
    ChoiceSpec,
    FailSpec,
    PassSpec,
    SucceedSpec,
    TaskSpec,
    WaitSpec,
)
from lakehouse.local.asl.timing import parse_timestamp

if TYPE_CHECKING:
    from lakehouse.local.asl.runtime import Runtime

Transition = tuple[str | None, Any]


def run_task(rt: Runtime, spec: TaskSpec, raw_input: Any) -> Transition:
    def attempt(context: dict[str, Any]) -> Any:
        effective = rt.select_input(spec, raw_input, context)
        parameters = effective
        if spec.parameters is not None:
            parameters = spec.parameters.evaluate(effective, context, rt.rng)
        timeout: float | None = spec.timeout_seconds
        if spec.timeout_seconds_path is not None:
            value = rt.read(spec.timeout_seconds_path, effective, context, "TimeoutSecondsPath")
            timeout = _whole_seconds(value, "TimeoutSecondsPath", minimum=1)
        result = rt.invoke_task(spec, parameters, timeout, context)
        return rt.build_output(spec, raw_input, result, context)

    return rt.run_recoverable(spec, raw_input, attempt)


def run_pass(rt: Runtime, spec: PassSpec, raw_input: Any) -> Transition:
    context = rt.enter(spec, raw_input)
    result = rt.select_input(spec, raw_input, context)
    if spec.parameters is not None:
        result = spec.parameters.evaluate(result, context, rt.rng)
    if spec.result is not NO_RESULT:
        result = spec.result
    output = rt.build_output(spec, raw_input, result, context)
    rt.history.state_exited(spec.type, spec.name, output)
    return spec.next_state, output


def run_wait(rt: Runtime, spec: WaitSpec, raw_input: Any) -> Transition:
    context = rt.enter(spec, raw_input)
    effective = rt.select_input(spec, raw_input, context)
    seconds: float
    if spec.seconds is not None:
        seconds = spec.seconds
    elif spec.seconds_path is not None:
        value = rt.read(spec.seconds_path, effective, context, "SecondsPath")
        seconds = _whole_seconds(value, "SecondsPath", minimum=0)
    else:
        if spec.timestamp is not None:
            text: Any = spec.timestamp
        else:
            assert spec.timestamp_path is not None
            text = rt.read(spec.timestamp_path, effective, context, "TimestampPath")
        moment = parse_timestamp(text)
        if moment is None:
            raise runtime_error(f"TimestampPath value {text!r} is not an RFC 3339 timestamp")
        seconds = max(0.0, moment.timestamp() - rt.clock.now())
    rt.wait(seconds, state=spec.name, kind="wait")
    output = rt.filter_output(spec, effective, context)
    rt.history.state_exited(spec.type, spec.name, output)
    return spec.next_state, output


def run_choice(rt: Runtime, spec: ChoiceSpec, raw_input: Any) -> Transition:
    context = rt.enter(spec, raw_input)
    effective = rt.select_input(spec, raw_input, context)
    target = next(
        (next_state for rule, next_state in spec.choices if rule.evaluate(effective, context)),
        spec.default,
    )
    if target is None:
        raise StatesError(
            NO_CHOICE_MATCHED,
            f"No Choice Rule matched and no Default in Choice state '{spec.name}'",
        )
    output = rt.filter_output(spec, effective, context)
    rt.history.state_exited(spec.type, spec.name, output)
    return target, output


def run_succeed(rt: Runtime, spec: SucceedSpec, raw_input: Any) -> Transition:
    context = rt.enter(spec, raw_input)
    output = rt.filter_output(spec, rt.select_input(spec, raw_input, context), context)
    rt.history.state_exited(spec.type, spec.name, output)
    return None, output


def run_fail(rt: Runtime, spec: FailSpec, raw_input: Any) -> Transition:
    context = rt.enter(spec, raw_input)
    error = _fail_text(
        rt, spec.error, spec.error_path, source=(raw_input, context), field="ErrorPath"
    )
    cause = _fail_text(
        rt, spec.cause, spec.cause_path, source=(raw_input, context), field="CausePath"
    )
    raise StatesError(error, cause)


def _fail_text(
    rt: Runtime,
    fixed: str | None,
    expression: Expression | None,
    *,
    source: tuple[Any, Any],
    field: str,
) -> str | None:
    if expression is None:
        return fixed
    raw_input, context = source
    value = expression.evaluate(raw_input, context, rt.rng, field)
    if not isinstance(value, str):
        raise runtime_error(f"{field} must select a string, got {value!r}")
    return value


def _whole_seconds(value: Any, field: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise runtime_error(f"{field} must select an integer >= {minimum}, got {value!r}")
    return value
