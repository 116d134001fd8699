"""Parser for intrinsic function invocations such as
``States.Format('It\\'s {}', States.ArrayGetItem($.names, 0))``.

Arguments are string literals (escapes ``\\'``, ``\\{``, ``\\}``, ``\\\\``; any other
backslash is an error, as on AWS), numbers, ``true``/``false``/``null``, paths
(``$...`` or ``$$...``) and nested invocations. A string literal remembers where
its *unescaped* ``{}`` pairs were, so ``States.Format`` treats ``\\{\\}`` as literal
braces and only real ``{}`` as placeholders.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, NoReturn

from lakehouse.local.asl.paths import Path, PathSyntaxError, parse_path

_FUNCTION_NAME = re.compile(r"States\.([A-Za-z0-9]+)")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_KEYWORDS = {"true": True, "false": False, "null": None}
_ESCAPABLE = "'{}\\"


class IntrinsicSyntaxError(ValueError):
    """An invocation that cannot be parsed."""


@dataclass(frozen=True)
class Literal:
    value: Any
    # For string literals: the text split at unescaped "{}" (placeholders).
    format_parts: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PathArgument:
    path: Path


@dataclass(frozen=True)
class Call:
    name: str  # without the "States." prefix
    arguments: tuple[Literal | PathArgument | Call, ...]
    text: str


Argument = Literal | PathArgument | Call


def looks_like_intrinsic(text: str) -> bool:
    return text.startswith("States.")


def parse_intrinsic(text: str) -> Call:
    parser = _Parser(text)
    call = parser.call()
    parser.skip_space()
    if parser.position != len(text):
        parser.fail("unexpected text after the closing parenthesis")
    return call


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def fail(self, message: str) -> NoReturn:
        raise IntrinsicSyntaxError(f"{self.text!r} at position {self.position}: {message}")

    def skip_space(self) -> None:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1

    def call(self) -> Call:
        start = self.position
        match = _FUNCTION_NAME.match(self.text, self.position)
        if match is None:
            self.fail("expected an intrinsic function name such as States.Format")
        self.position = match.end()
        self.skip_space()
        if not self.text.startswith("(", self.position):
            self.fail("expected '('")
        self.position += 1
        arguments = self.arguments()
        return Call(match.group(1), tuple(arguments), self.text[start : self.position])

    def arguments(self) -> list[Argument]:
        arguments: list[Argument] = []
        self.skip_space()
        if self.text.startswith(")", self.position):
            self.position += 1
            return arguments
        while True:
            arguments.append(self.argument())
            self.skip_space()
            if self.text.startswith(")", self.position):
                self.position += 1
                return arguments
            if not self.text.startswith(",", self.position):
                self.fail("expected ',' or ')' after an argument")
            self.position += 1

    def argument(self) -> Argument:
        self.skip_space()
        rest = self.text[self.position :]
        if rest.startswith("'"):
            return self.string()
        if rest.startswith("$"):
            return self.path()
        if looks_like_intrinsic(rest):
            return self.call()
        for word, value in _KEYWORDS.items():
            if rest.startswith(word):
                self.position += len(word)
                return Literal(value)
        number = _NUMBER.match(rest)
        if number is None:
            self.fail("expected a string, number, boolean, null, path or intrinsic")
        self.position += number.end()
        return Literal(json.loads(number.group()))

    def string(self) -> Literal:
        self.position += 1  # opening quote
        parts: list[str] = []
        current: list[str] = []
        while self.position < len(self.text):
            char = self.text[self.position]
            if char == "\\":
                escaped = self.text[self.position + 1 : self.position + 2]
                if not escaped or escaped not in _ESCAPABLE:
                    self.fail("open escape backslash; only \\' \\{ \\} \\\\ are allowed")
                current.append(escaped)
                self.position += 2
            elif char == "'":
                self.position += 1
                parts.append("".join(current))
                return Literal("{}".join(parts), tuple(parts))
            elif self.text.startswith("{}", self.position):
                parts.append("".join(current))
                current = []
                self.position += 2
            else:
                current.append(char)
                self.position += 1
        self.fail("unterminated string literal")

    def path(self) -> PathArgument:
        start, depth, quote = self.position, 0, ""
        while self.position < len(self.text):
            char = self.text[self.position]
            if quote:
                if char == "\\":
                    self.position += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and depth:
                quote = char
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            elif depth == 0 and (char in ",)" or char.isspace()):
                break
            self.position += 1
        try:
            return PathArgument(parse_path(self.text[start : self.position]))
        except PathSyntaxError as problem:
            raise IntrinsicSyntaxError(f"{self.text!r}: {problem}") from problem
