"""Load-time validation and compilation of an ASL definition.

The whole definition is checked before anything runs and every problem found is
reported at once (``DefinitionError.problems``), each naming the state and the
construct. Fields AWS knows but this interpreter does not implement (Distributed
Map, heartbeats, Credentials, JSONata, workflow variables...) are refused by name,
as are fields nobody knows; a silent difference from AWS is worse than a refusal.
"""

from __future__ import annotations

from typing import Any

from lakehouse.local.asl import state_builders as build
from lakehouse.local.asl.errors import DefinitionError
from lakehouse.local.asl.specs import Program, StateSpec, TaskSpec, nested_programs, transitions

_COMMON = {"Type", "Comment", "QueryLanguage"}
_FLOW = {"Next", "End"}
_IO = {"InputPath", "OutputPath"}
_RESULT = {"Parameters", "ResultSelector", "ResultPath"}
_RECOVERY = {"Retry", "Catch"}
ALLOWED_FIELDS: dict[str, set[str]] = {
    "Task": _COMMON
    | _FLOW
    | _IO
    | _RESULT
    | _RECOVERY
    | {"Resource", "TimeoutSecondsPath"}
    | {"TimeoutSeconds"},
    "Pass": _COMMON | _FLOW | _IO | {"Parameters", "Result", "ResultPath"},
    "Wait": _COMMON | _FLOW | _IO | {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"},
    "Choice": _COMMON | _IO | {"Choices", "Default"},
    "Succeed": _COMMON | _IO,
    "Fail": _COMMON | {"Error", "ErrorPath", "Cause", "CausePath"},
    "Parallel": _COMMON | _FLOW | _IO | _RESULT | _RECOVERY | {"Branches"},
    "Map": _COMMON
    | _FLOW
    | _IO
    | _RESULT
    | _RECOVERY
    | {"ItemsPath", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency"}
    | {"MaxConcurrencyPath"},
}
# Known to AWS, deliberately not implemented: refused with the construct's name.
UNSUPPORTED_FIELDS = {
    "HeartbeatSeconds": "Task heartbeats",
    "HeartbeatSecondsPath": "Task heartbeats",
    "Credentials": "Task Credentials (cross-account role)",
    "ItemReader": "Distributed Map ItemReader",
    "ResultWriter": "Distributed Map ResultWriter",
    "ItemBatcher": "Distributed Map ItemBatcher",
    "ToleratedFailurePercentage": "Distributed Map tolerated failures",
    "ToleratedFailurePercentagePath": "Distributed Map tolerated failures",
    "ToleratedFailureCount": "Distributed Map tolerated failures",
    "ToleratedFailureCountPath": "Distributed Map tolerated failures",
    "Label": "Distributed Map Label",
    "Assign": "workflow variables (Assign)",
    "Arguments": "JSONata Arguments",
    "Output": "JSONata Output",
    "Items": "JSONata Map Items",
}
_TOP_LEVEL_FIELDS = {"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"}
_PROGRAM_FIELDS = {"StartAt", "States", "Comment"}


def compile_definition(raw: Any) -> tuple[Program, int | None]:
    """The executable program and the machine-level ``TimeoutSeconds`` (or ``None``)."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DefinitionError([f"the definition must be a JSON object, got {type(raw).__name__}"])
    _check_query_language(raw, "the definition", problems)
    unknown = sorted(set(raw) - _TOP_LEVEL_FIELDS)
    problems += [f"the definition: unknown top-level field '{field}'" for field in unknown]
    timeout = raw.get("TimeoutSeconds")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int)):
        problems.append("the definition: TimeoutSeconds must be a positive integer")
        timeout = None
    program = compile_program(raw, "", problems, check_fields=False)  # checked above
    if problems:
        raise DefinitionError(problems)
    return program, timeout


def compile_program(
    raw: Any, scope: str, problems: list[str], *, check_fields: bool = True
) -> Program:
    """Compile ``StartAt``/``States`` (the machine, a branch or a Map body)."""
    where = scope.rstrip(" >") or "the definition"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be an object with StartAt and States")
        return Program("", {})
    if check_fields:
        problems += [f"{where}: unknown field '{f}'" for f in sorted(set(raw) - _PROGRAM_FIELDS)]
    states_raw, start_at = raw.get("States"), raw.get("StartAt")
    if not isinstance(states_raw, dict) or not states_raw:
        problems.append(f"{where}: States must be a non-empty object")
        return Program(str(start_at), {})
    states: dict[str, StateSpec] = {}
    for name, state_raw in states_raw.items():
        spec = _compile_state(name, state_raw, scope, problems)
        if spec is not None:
            states[name] = spec
    program = Program(start_at if isinstance(start_at, str) else "", states)
    if start_at not in states_raw:
        problems.append(f"{where}: StartAt {start_at!r} is not a state in States")
    else:
        _check_transitions(program, set(states_raw), scope, problems)
    return program


def _compile_state(name: str, raw: Any, scope: str, problems: list[str]) -> StateSpec | None:
    where = f"{scope}state '{name}'"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be an object")
        return None
    state_type = raw.get("Type")
    if state_type not in ALLOWED_FIELDS:
        problems.append(f"{where}: unknown state Type {state_type!r}")
        return None
    where = f"{where} ({state_type})"
    before = len(problems)
    _check_query_language(raw, where, problems)
    for field in sorted(set(raw) - ALLOWED_FIELDS[state_type]):
        if field in UNSUPPORTED_FIELDS:
            construct = UNSUPPORTED_FIELDS[field]
            problems.append(
                f"{where}: {field} is not supported by the local interpreter ({construct})"
            )
        else:
            problems.append(f"{where}: unknown field '{field}'")
    if len(problems) > before:
        return None
    nested_scope = f"{scope}{state_type} '{name}' > "
    try:
        return build.BUILDERS[state_type](name, raw, nested_scope, problems)
    except (ValueError, TypeError) as problem:
        problems.append(f"{where}: {problem}")
        return None


def _check_query_language(raw: dict[str, Any], where: str, problems: list[str]) -> None:
    language = raw.get("QueryLanguage", "JSONPath")
    if language != "JSONPath":
        problems.append(
            f"{where}: QueryLanguage {language!r} is not supported by the local interpreter "
            "(only JSONPath; JSONata is not implemented)"
        )


def _check_transitions(program: Program, names: set[str], scope: str, problems: list[str]) -> None:
    for spec in program.states.values():
        for target in transitions(spec):
            if target not in names:
                problems.append(
                    f"{scope}state '{spec.name}' ({spec.type}): transitions to missing "
                    f"state {target!r} (Next/Default/Catch must name a state of the same scope)"
                )
    if len(program.states) != len(names):
        return  # a state failed to compile: its transitions are unknown, skip reachability
    reachable, pending = set(), [program.start_at]
    while pending:
        name = pending.pop()
        if name in reachable or name not in program.states:
            continue
        reachable.add(name)
        pending += transitions(program.states[name])
    for name in sorted(set(program.states) - reachable):
        problems.append(f"{scope}state '{name}': is not reachable from StartAt")


def resource_keys(program: Program) -> dict[str, list[tuple[str, str]]]:
    """Handler key -> (state name, Resource ARN) of every Task using it, nested included."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for spec in program.states.values():
        if isinstance(spec, TaskSpec):
            keys.setdefault(spec.resource_key, []).append((spec.name, spec.resource))
        for nested in nested_programs(spec):
            for key, users in resource_keys(nested).items():
                keys.setdefault(key, []).extend(users)
    return keys
