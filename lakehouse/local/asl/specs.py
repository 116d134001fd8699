"""Compiled, validated form of a definition: what the runtime executes.

Paths are ``None`` where the definition says ``null`` (InputPath/OutputPath null
give ``{}``, ResultPath null discards the result) and ``ROOT`` where the field is
absent, mirroring AWS defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lakehouse.local.asl.choice import Rule
from lakehouse.local.asl.paths import ROOT, Path
from lakehouse.local.asl.payload import Expression, Template
from lakehouse.local.asl.retry import Catcher, Retrier


class _NoResult:
    def __repr__(self) -> str:
        return "NO_RESULT"


NO_RESULT: Any = _NoResult()


@dataclass(frozen=True)
class Program:
    """A ``StartAt`` + ``States`` pair: the machine itself, a branch or a Map body."""

    start_at: str
    states: Mapping[str, StateSpec]


@dataclass(frozen=True, kw_only=True)
class StateSpec:
    name: str
    type: str
    next_state: str | None = None
    input_path: Path | None = ROOT
    output_path: Path | None = ROOT


@dataclass(frozen=True, kw_only=True)
class ResultSpec(StateSpec):
    """States that produce a result and merge it with ResultPath."""

    parameters: Template | None = None
    result_selector: Template | None = None
    result_path: Path | None = ROOT


@dataclass(frozen=True, kw_only=True)
class RecoverableSpec(ResultSpec):
    """States that may have Retry and Catch (Task, Parallel, Map)."""

    retriers: tuple[Retrier, ...] = ()
    catchers: tuple[Catcher, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TaskSpec(RecoverableSpec):
    resource: str
    resource_key: str
    timeout_seconds: int | None = None
    timeout_seconds_path: Path | None = None


@dataclass(frozen=True, kw_only=True)
class PassSpec(ResultSpec):
    result: Any = NO_RESULT


@dataclass(frozen=True, kw_only=True)
class WaitSpec(StateSpec):
    seconds: int | None = None
    seconds_path: Path | None = None
    timestamp: str | None = None
    timestamp_path: Path | None = None


@dataclass(frozen=True, kw_only=True)
class ChoiceSpec(StateSpec):
    choices: tuple[tuple[Rule, str], ...]
    default: str | None = None


@dataclass(frozen=True, kw_only=True)
class SucceedSpec(StateSpec):
    pass


@dataclass(frozen=True, kw_only=True)
class FailSpec(StateSpec):
    error: str | None = None
    error_path: Expression | None = None
    cause: str | None = None
    cause_path: Expression | None = None


@dataclass(frozen=True, kw_only=True)
class ParallelSpec(RecoverableSpec):
    branches: tuple[Program, ...]


@dataclass(frozen=True, kw_only=True)
class MapSpec(RecoverableSpec):
    items_path: Path = ROOT
    item_selector: Template | None = None
    processor: Program
    max_concurrency: int = 0
    max_concurrency_path: Path | None = None


def transitions(spec: StateSpec) -> list[str]:
    """Every state name this state can move to."""
    targets = [spec.next_state] if spec.next_state else []
    if isinstance(spec, ChoiceSpec):
        targets += [next_state for _, next_state in spec.choices]
        targets += [spec.default] if spec.default else []
    if isinstance(spec, RecoverableSpec):
        targets += [catcher.next_state for catcher in spec.catchers]
    return targets


def nested_programs(spec: StateSpec) -> tuple[Program, ...]:
    if isinstance(spec, ParallelSpec):
        return spec.branches
    if isinstance(spec, MapSpec):
        return (spec.processor,)
    return ()
