"""JSONPath subset used by Step Functions (JSONPath query language).

Supported: ``$``, ``$$`` (context object), ``.name``, ``['name']`` / ``["name"]``
(also AWS's ``.['name']`` spelling), non-negative ``[n]``, and in non-reference
paths the wildcard (``[*]``, ``.*``) and slices (``[a:b]``). A path with a
wildcard or slice is *indefinite* and yields a list of every match, as Jayway
JsonPath (which AWS uses) does.

Refused at load time, naming the construct: filters ``[?(...)]``, script
expressions ``[(...)]``, deep scan ``..``, unions ``[a,b]``, functions such as
``length()``, workflow variables (``$name``) and negative indexes. AWS cannot
resolve ``$.a[-1]`` at run time (it fails with "could not be found in the input"
although the console simulator accepts it), so we refuse it up front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NAME = re.compile(r"[^\s.\[\]'\"()*?@,:]+")
_INT = re.compile(r"-?\d+")


class PathSyntaxError(ValueError):
    """A path the interpreter cannot or will not evaluate."""


class PathNotFound(LookupError):
    """A definite path selected nothing in the given document."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(path)


class ResultPathMismatch(LookupError):
    """A ResultPath cannot be written into the given document (not an object)."""


@dataclass(frozen=True)
class Field:
    name: str


@dataclass(frozen=True)
class Index:
    position: int


@dataclass(frozen=True)
class Wildcard:
    pass


@dataclass(frozen=True)
class Slice:
    start: int | None
    stop: int | None


Step = Field | Index | Wildcard | Slice


@dataclass(frozen=True)
class Path:
    text: str
    is_context: bool
    steps: tuple[Step, ...]

    @property
    def is_definite(self) -> bool:
        return all(isinstance(step, Field | Index) for step in self.steps)

    def read(self, document: Any) -> Any:
        """Value at this path; a list of matches if the path is indefinite."""
        if self.is_definite:
            node = document
            for step in self.steps:
                node = _select_one(step, node, self.text)
            return node
        nodes = [document]
        for step in self.steps:
            nodes = [child for node in nodes for child in _select_all(step, node)]
        return nodes

    def exists(self, document: Any) -> bool:
        try:
            self.read(document)
        except PathNotFound:
            return False
        return True

    def assign(self, document: Any, value: Any) -> Any:
        """A copy of ``document`` with ``value`` written at this (field-only) path.

        Containers along the path are copied, everything else is shared: the
        interpreter never mutates documents in place, so sharing is safe.
        """
        if not self.steps:
            return value
        return _assign(document, self.steps, value, self.text)


ROOT = Path("$", is_context=False, steps=())


def _select_one(step: Step, node: Any, text: str) -> Any:
    if isinstance(step, Field) and isinstance(node, dict) and step.name in node:
        return node[step.name]
    if isinstance(step, Index) and isinstance(node, list) and step.position < len(node):
        return node[step.position]
    raise PathNotFound(text)


def _select_all(step: Step, node: Any) -> list[Any]:
    if isinstance(step, Field):
        return [node[step.name]] if isinstance(node, dict) and step.name in node else []
    if isinstance(step, Index):
        in_range = isinstance(node, list) and step.position < len(node)
        return [node[step.position]] if in_range else []
    if isinstance(step, Wildcard):
        if isinstance(node, dict):
            return list(node.values())
        return list(node) if isinstance(node, list) else []
    return node[step.start : step.stop] if isinstance(node, list) else []


def _assign(node: Any, steps: tuple[Step, ...], value: Any, text: str) -> Any:
    step, rest = steps[0], steps[1:]
    if not isinstance(step, Field) or not isinstance(node, dict):
        raise ResultPathMismatch(
            f"Unable to apply ReferencePath {text} to input: "
            f"{type(node).__name__} found where an object was expected"
        )
    updated = dict(node)
    updated[step.name] = value if not rest else _assign(node.get(step.name, {}), rest, value, text)
    return updated


def parse_path(text: Any, *, allow_context: bool = True, reference: bool = False) -> Path:
    """Parse a path; ``reference`` limits it to one node (no wildcard or slice)."""
    if not isinstance(text, str) or not text.startswith("$"):
        raise PathSyntaxError(f"path must be a string starting with '$', got {text!r}")
    is_context = text.startswith("$$")
    if is_context and not allow_context:
        raise PathSyntaxError(f"{text!r}: the context object ($$) cannot be used here")
    position = 2 if is_context else 1
    if position < len(text) and text[position] not in ".[":
        raise PathSyntaxError(
            f"{text!r}: workflow variables ($name) are not supported by the local interpreter"
        )
    steps: list[Step] = []
    while position < len(text):
        step, position = _parse_step(text, position)
        if step is not None:
            steps.append(step)
    path = Path(text, is_context, tuple(steps))
    if reference and not path.is_definite:
        raise PathSyntaxError(f"{text!r}: a reference path must select a single node")
    return path


def _parse_step(text: str, position: int) -> tuple[Step | None, int]:
    if text.startswith("..", position):
        raise PathSyntaxError(f"{text!r}: deep scan '..' is not supported")
    if text[position] == "[":
        return _parse_bracket(text, position + 1)
    if text[position] != ".":
        raise PathSyntaxError(f"{text!r}: unexpected {text[position]!r} at {position}")
    position += 1
    if position < len(text) and text[position] == "[":
        return None, position  # AWS documents `$.abc.['def ghi']`
    if text.startswith("*", position):
        return Wildcard(), position + 1
    match = _NAME.match(text, position)
    if match is None:
        raise PathSyntaxError(f"{text!r}: expected a field name at {position}")
    end = match.end()
    if text.startswith("(", end):
        raise PathSyntaxError(f"{text!r}: functions such as {match.group()}() are not supported")
    return Field(match.group()), end


def _parse_bracket(text: str, position: int) -> tuple[Step, int]:
    if position >= len(text):
        raise PathSyntaxError(f"{text!r}: unterminated '['")
    opener = text[position]
    if opener in "'\"":
        name, position = _parse_quoted(text, position)
        return Field(name), _expect_close(text, position)
    if opener == "*":
        return Wildcard(), _expect_close(text, position + 1)
    if opener == "?":
        raise PathSyntaxError(f"{text!r}: filter expressions [?(...)] are not supported")
    if opener == "(":
        raise PathSyntaxError(f"{text!r}: script expressions [(...)] are not supported")
    start, position = _parse_int(text, position)
    if text.startswith(":", position):
        stop, position = _parse_int(text, position + 1)
        return Slice(start, stop), _expect_close(text, position)
    if text.startswith(",", position):
        raise PathSyntaxError(f"{text!r}: unions [a,b] are not supported")
    if start is None:
        raise PathSyntaxError(f"{text!r}: expected an index, slice, '*' or quoted name")
    return Index(start), _expect_close(text, position)


def _parse_int(text: str, position: int) -> tuple[int | None, int]:
    match = _INT.match(text, position)
    if match is None:
        return None, position
    value = int(match.group())
    if value < 0:
        raise PathSyntaxError(
            f"{text!r}: negative array indexes are not resolved by AWS Step Functions"
        )
    return value, match.end()


def _parse_quoted(text: str, position: int) -> tuple[str, int]:
    quote, position, chars = text[position], position + 1, []
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            chars.append(text[position + 1])
            position += 2
        elif char == quote:
            return "".join(chars), position + 1
        else:
            chars.append(char)
            position += 1
    raise PathSyntaxError(f"{text!r}: unterminated quoted name")


def _expect_close(text: str, position: int) -> int:
    if not text.startswith("]", position):
        raise PathSyntaxError(f"{text!r}: expected ']' at {position}")
    return position + 1


def parse_result_path(text: Any) -> Path:
    """ResultPath: a reference path of field names only (it must be writable)."""
    path = parse_path(text, allow_context=False, reference=True)
    if any(not isinstance(step, Field) for step in path.steps):
        raise PathSyntaxError(f"{text!r}: array indexes in ResultPath are not supported")
    return path
