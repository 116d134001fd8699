"""Payload templates (``Parameters``, ``ItemSelector``, ``ResultSelector``) and the
value expressions they hold.

A key ending in ``.$`` takes a path (``$.x``), a context path (``$$.Execution.Id``)
or an intrinsic (``States.Format(...)``); the output key drops the ``.$``. Every
expression is parsed when the definition loads, so a typo fails before anything
runs. A path that selects nothing fails the state with ``States.Runtime`` and the
message AWS uses ("... could not be found in the input ..."), which is also what
AWS reports for Parameters path misses (not States.ParameterPathFailure).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from lakehouse.local.asl.errors import runtime_error
from lakehouse.local.asl.intrinsic_parser import Call, looks_like_intrinsic
from lakehouse.local.asl.intrinsics import compile_intrinsic, evaluate_intrinsic
from lakehouse.local.asl.paths import Path, PathNotFound, parse_path

_EXCERPT = 300


class TemplateError(ValueError):
    """A payload template that cannot be compiled."""


def excerpt(document: Any) -> str:
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "..."


@dataclass(frozen=True)
class Expression:
    """A path or intrinsic from a ``.$`` key, ``ErrorPath`` or similar field."""

    text: str
    path: Path | None
    call: Call | None

    def evaluate(self, document: Any, context: Any, rng: random.Random, field: str) -> Any:
        if self.call is not None:
            return evaluate_intrinsic(self.call, document, context, rng)
        assert self.path is not None
        source = context if self.path.is_context else document
        try:
            return self.path.read(source)
        except PathNotFound as missing:
            raise runtime_error(
                f"The JSONPath '{self.text}' specified for the field '{field}' "
                f"could not be found in the input '{excerpt(source)}'"
            ) from missing


def compile_expression(text: Any, *, allow_intrinsic: bool = True) -> Expression:
    if isinstance(text, str) and looks_like_intrinsic(text):
        if not allow_intrinsic:
            raise TemplateError(f"{text!r}: intrinsic functions are not allowed here")
        return Expression(text, None, compile_intrinsic(text))
    return Expression(text, parse_path(text), None)


@dataclass(frozen=True)
class _Static:
    value: Any


@dataclass(frozen=True)
class _Dynamic:
    expression: Expression
    field: str


@dataclass(frozen=True)
class _Object:
    fields: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class _Array:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Template:
    root: _Object

    def evaluate(self, document: Any, context: Any, rng: random.Random) -> dict[str, Any]:
        return _evaluate(self.root, document, context, rng)


def compile_template(value: Any, field_name: str) -> Template:
    if not isinstance(value, dict):
        raise TemplateError(f"{field_name} must be a JSON object, got {json.dumps(value)}")
    return Template(_compile_object(value))


def _compile(value: Any) -> Any:
    if isinstance(value, dict):
        node = _compile_object(value)
        return node if any(not isinstance(v, _Static) for _, v in node.fields) else _Static(value)
    if isinstance(value, list):
        items = tuple(_compile(item) for item in value)
        return _Array(items) if any(not isinstance(i, _Static) for i in items) else _Static(value)
    return _Static(value)


def _compile_object(value: dict[str, Any]) -> _Object:
    fields: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for key, item in value.items():
        name = key[:-2] if key.endswith(".$") else key
        if name in seen:
            raise TemplateError(f"field {name!r} appears twice (with and without '.$')")
        seen.add(name)
        if not key.endswith(".$"):
            fields.append((name, _compile(item)))
            continue
        if not isinstance(item, str):
            raise TemplateError(f"field {key!r} must hold a path or intrinsic string")
        try:
            fields.append((name, _Dynamic(compile_expression(item), key)))
        except ValueError as problem:
            raise TemplateError(f"field {key!r}: {problem}") from problem
    return _Object(tuple(fields))


def _evaluate(node: Any, document: Any, context: Any, rng: random.Random) -> Any:
    if isinstance(node, _Static):
        return node.value
    if isinstance(node, _Dynamic):
        return node.expression.evaluate(document, context, rng, node.field)
    if isinstance(node, _Array):
        return [_evaluate(item, document, context, rng) for item in node.items]
    return {key: _evaluate(item, document, context, rng) for key, item in node.fields}
