"""One builder per state type: raw JSON (fields already vetted) -> compiled spec.

Builders raise ``ValueError`` for the state's own problems; problems inside nested
programs (Parallel branches, Map bodies) are appended to ``problems`` so that the
whole definition is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lakehouse.local.asl import definition
from lakehouse.local.asl.choice import compile_rule
from lakehouse.local.asl.integrations import resource_key
from lakehouse.local.asl.paths import ROOT, Path, parse_path, parse_result_path
from lakehouse.local.asl.payload import compile_expression, compile_template
from lakehouse.local.asl.retry import compile_catchers, compile_retriers
from lakehouse.local.asl.specs import (
    NO_RESULT,
    ChoiceSpec,
    FailSpec,
    MapSpec,
    ParallelSpec,
    PassSpec,
    StateSpec,
    SucceedSpec,
    TaskSpec,
    WaitSpec,
)
from lakehouse.local.asl.timing import parse_timestamp

_ITEM_PROCESSOR_FIELDS = {"StartAt", "States", "Comment", "ProcessorConfig"}


def _next_or_end(raw: dict[str, Any]) -> str | None:
    end = raw.get("End", False)
    if not isinstance(end, bool):
        raise ValueError("End must be true or false")
    if "Next" in raw and end:
        raise ValueError("has both Next and End")
    if "Next" in raw:
        if not isinstance(raw["Next"], str):
            raise ValueError("Next must be a state name")
        return raw["Next"]
    if not end:
        raise ValueError('needs either Next or "End": true')
    return None


def _path(raw: dict[str, Any], key: str, *, reference: bool = False) -> Path | None:
    """The field's path, ``None`` for JSON null, ``$`` when the field is absent."""
    if key not in raw:
        return ROOT
    value = raw[key]
    return None if value is None else parse_path(value, reference=reference)


def _optional_reference(raw: dict[str, Any], key: str) -> Path | None:
    return parse_path(raw[key], reference=True) if key in raw else None


def _integer(value: Any, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{field} must be an integer >= {minimum}, got {value!r}")
    return value


def _exclusive(raw: dict[str, Any], *fields: str, required: bool = False) -> None:
    present = [field for field in fields if field in raw]
    if len(present) > 1:
        raise ValueError(f"use only one of {', '.join(fields)} (got {', '.join(present)})")
    if required and not present:
        raise ValueError(f"needs one of {', '.join(fields)}")


def _io(raw: dict[str, Any]) -> dict[str, Any]:
    return {"input_path": _path(raw, "InputPath"), "output_path": _path(raw, "OutputPath")}


def _result_io(raw: dict[str, Any], *, with_parameters: bool = True) -> dict[str, Any]:
    fields = _io(raw)
    if with_parameters and "Parameters" in raw:
        fields["parameters"] = compile_template(raw["Parameters"], "Parameters")
    if "ResultSelector" in raw:
        fields["result_selector"] = compile_template(raw["ResultSelector"], "ResultSelector")
    if "ResultPath" in raw:
        value = raw["ResultPath"]
        fields["result_path"] = None if value is None else parse_result_path(value)
    return fields


def _recovery(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "retriers": compile_retriers(raw.get("Retry", [])),
        "catchers": compile_catchers(raw.get("Catch", [])),
    }


def build_task(name: str, raw: dict[str, Any], _scope: str, _problems: list[str]) -> StateSpec:
    resource = raw.get("Resource")
    if not isinstance(resource, str):
        raise ValueError("Resource must be an ARN string")
    _exclusive(raw, "TimeoutSeconds", "TimeoutSecondsPath")
    timeout = raw.get("TimeoutSeconds")
    return TaskSpec(
        name=name,
        type="Task",
        next_state=_next_or_end(raw),
        resource=resource,
        resource_key=resource_key(resource),
        timeout_seconds=None if timeout is None else _integer(timeout, "TimeoutSeconds", 1),
        timeout_seconds_path=_optional_reference(raw, "TimeoutSecondsPath"),
        **_result_io(raw),
        **_recovery(raw),
    )


def build_pass(name: str, raw: dict[str, Any], _scope: str, _problems: list[str]) -> StateSpec:
    return PassSpec(
        name=name,
        type="Pass",
        next_state=_next_or_end(raw),
        result=raw.get("Result", NO_RESULT),
        **_result_io(raw),
    )


def build_wait(name: str, raw: dict[str, Any], _scope: str, _problems: list[str]) -> StateSpec:
    _exclusive(raw, "Seconds", "SecondsPath", "Timestamp", "TimestampPath", required=True)
    timestamp = raw.get("Timestamp")
    if timestamp is not None and parse_timestamp(timestamp) is None:
        raise ValueError(f"Timestamp {timestamp!r} is not an RFC 3339 timestamp")
    seconds = raw.get("Seconds")
    return WaitSpec(
        name=name,
        type="Wait",
        next_state=_next_or_end(raw),
        seconds=None if seconds is None else _integer(seconds, "Seconds", 0),
        seconds_path=_optional_reference(raw, "SecondsPath"),
        timestamp=timestamp,
        timestamp_path=_optional_reference(raw, "TimestampPath"),
        **_io(raw),
    )


def build_choice(name: str, raw: dict[str, Any], _scope: str, _problems: list[str]) -> StateSpec:
    choices = raw.get("Choices")
    if not isinstance(choices, list) or not choices:
        raise ValueError("Choices must be a non-empty array of rules")
    rules = []
    for position, rule in enumerate(choices):
        try:
            rules.append((compile_rule(rule, top_level=True), rule["Next"]))
        except ValueError as problem:
            raise ValueError(f"Choices[{position}]: {problem}") from problem
    default = raw.get("Default")
    if default is not None and not isinstance(default, str):
        raise ValueError("Default must be a state name")
    return ChoiceSpec(name=name, type="Choice", choices=tuple(rules), default=default, **_io(raw))


def build_succeed(name: str, raw: dict[str, Any], _scope: str, _problems: list[str]) -> StateSpec:
    return SucceedSpec(name=name, type="Succeed", **_io(raw))


def build_fail(name: str, raw: dict[str, Any], _scope: str, _problems: list[str]) -> StateSpec:
    _exclusive(raw, "Error", "ErrorPath")
    _exclusive(raw, "Cause", "CausePath")
    for field in ("Error", "Cause"):
        if field in raw and not isinstance(raw[field], str):
            raise ValueError(f"{field} must be a string")
    error_path, cause_path = raw.get("ErrorPath"), raw.get("CausePath")
    return FailSpec(
        name=name,
        type="Fail",
        error=raw.get("Error"),
        error_path=None if error_path is None else compile_expression(error_path),
        cause=raw.get("Cause"),
        cause_path=None if cause_path is None else compile_expression(cause_path),
    )


def build_parallel(name: str, raw: dict[str, Any], scope: str, problems: list[str]) -> StateSpec:
    branches = raw.get("Branches")
    if not isinstance(branches, list) or not branches:
        raise ValueError("Branches must be a non-empty array")
    programs = tuple(
        definition.compile_program(branch, f"{scope}branch {index} > ", problems)
        for index, branch in enumerate(branches)
    )
    return ParallelSpec(
        name=name,
        type="Parallel",
        next_state=_next_or_end(raw),
        branches=programs,
        **_result_io(raw),
        **_recovery(raw),
    )


def build_map(name: str, raw: dict[str, Any], scope: str, problems: list[str]) -> StateSpec:
    _exclusive(raw, "ItemProcessor", "Iterator", required=True)
    _exclusive(raw, "ItemSelector", "Parameters")
    _exclusive(raw, "MaxConcurrency", "MaxConcurrencyPath")
    body = dict(raw.get("ItemProcessor") or raw.get("Iterator") or {})
    _check_processor_config(body, is_legacy="Iterator" in raw)
    selector = raw.get("ItemSelector", raw.get("Parameters"))
    return MapSpec(
        name=name,
        type="Map",
        next_state=_next_or_end(raw),
        items_path=_path(raw, "ItemsPath", reference=True) or ROOT,
        item_selector=None if selector is None else compile_template(selector, "ItemSelector"),
        processor=definition.compile_program(body, scope, problems),
        max_concurrency=_integer(raw.get("MaxConcurrency", 0), "MaxConcurrency", 0),
        max_concurrency_path=_optional_reference(raw, "MaxConcurrencyPath"),
        **_result_io(raw, with_parameters=False),
        **_recovery(raw),
    )


def _check_processor_config(body: dict[str, Any], *, is_legacy: bool) -> None:
    unknown = sorted(set(body) - _ITEM_PROCESSOR_FIELDS)
    if unknown or (is_legacy and "ProcessorConfig" in body):
        raise ValueError(f"unsupported field(s) in the Map body: {unknown or ['ProcessorConfig']}")
    config = body.pop("ProcessorConfig", {})
    if not isinstance(config, dict):
        raise ValueError("ProcessorConfig must be an object")
    mode = config.get("Mode", "INLINE")
    if mode != "INLINE" or set(config) - {"Mode"}:
        raise ValueError(
            f"ProcessorConfig {config} is not supported by the local interpreter "
            "(Distributed Map); only Mode INLINE runs locally"
        )


BUILDERS: dict[str, Callable[[str, dict[str, Any], str, list[str]], StateSpec]] = {
    "Task": build_task,
    "Pass": build_pass,
    "Wait": build_wait,
    "Choice": build_choice,
    "Succeed": build_succeed,
    "Fail": build_fail,
    "Parallel": build_parallel,
    "Map": build_map,
}
