"""Intrinsic functions (``States.*``) of the JSONPath query language.

Behaviour follows the developer guide's "Intrinsic functions for JSONPath states"
page: integer arguments are rounded to the nearest integer, ``MathRandom``'s end is
exclusive and a seed makes it repeatable, ``StringSplit`` treats every character
of its second argument as a delimiter, ``JsonMerge`` only does the shallow merge
AWS supports. Bad arguments at run time fail with ``States.IntrinsicFailure``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import re
import uuid
from collections.abc import Callable
from typing import Any

from lakehouse.local.asl.errors import INTRINSIC_FAILURE, StatesError, runtime_error
from lakehouse.local.asl.intrinsic_parser import (
    Call,
    IntrinsicSyntaxError,
    Literal,
    PathArgument,
    parse_intrinsic,
)
from lakehouse.local.asl.paths import PathNotFound

MAX_ENCODED_CHARACTERS = 10_000
MAX_RANGE_ITEMS = 1000
_INT32 = (-(2**31), 2**31 - 1)
_HASHES = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}


class IntrinsicError(ValueError):
    """Arguments an intrinsic cannot work with."""


def compile_intrinsic(text: str) -> Call:
    """Parse and check names and argument counts (raises ``IntrinsicSyntaxError``)."""
    call = parse_intrinsic(text)
    _check(call)
    return call


def _check(call: Call) -> None:
    if call.name not in _FUNCTIONS:
        raise IntrinsicSyntaxError(f"unknown intrinsic function States.{call.name}")
    low, high = _ARITY[call.name]
    count = len(call.arguments)
    if count < low or (high is not None and count > high):
        expected = f"{low}" if low == high else f"{low}..{high if high is not None else 'n'}"
        raise IntrinsicSyntaxError(
            f"States.{call.name} takes {expected} arguments, got {count}: {call.text}"
        )
    for argument in call.arguments:
        if isinstance(argument, Call):
            _check(argument)


def evaluate_intrinsic(call: Call, document: Any, context: Any, rng: random.Random) -> Any:
    values = [_argument(argument, document, context, rng) for argument in call.arguments]
    try:
        return _FUNCTIONS[call.name](values, call, rng)
    except IntrinsicError as problem:
        raise StatesError(INTRINSIC_FAILURE, f"{call.text}: {problem}") from problem


def _argument(argument: Any, document: Any, context: Any, rng: random.Random) -> Any:
    if isinstance(argument, Literal):
        return argument.value
    if isinstance(argument, PathArgument):
        path = argument.path
        try:
            return path.read(context if path.is_context else document)
        except PathNotFound as missing:
            raise runtime_error(
                f"The JSONPath {missing.path} in an intrinsic function argument "
                "could not be found in the input"
            ) from missing
    return evaluate_intrinsic(argument, document, context, rng)


def _integer(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise IntrinsicError(f"{what} must be a number, got {json.dumps(value)}")
    return math.floor(value + 0.5)  # "round it off to the nearest integer", half up


def _string(value: Any, what: str, limit: int | None = None) -> str:
    if not isinstance(value, str):
        raise IntrinsicError(f"{what} must be a string, got {json.dumps(value)}")
    if limit is not None and len(value) > limit:
        raise IntrinsicError(f"{what} is longer than {limit} characters")
    return value


def _array(value: Any, what: str = "first argument") -> list[Any]:
    if not isinstance(value, list):
        raise IntrinsicError(f"{what} must be an array, got {json.dumps(value)}")
    return value


def _canonical(value: Any) -> str:
    # Jackson's node equality: true != 1 and 1 != 1.0, key order irrelevant.
    return json.dumps(value, sort_keys=True)


def _format_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _format(values: list[Any], call: Call, _rng: random.Random) -> str:
    first = call.arguments[0]
    if isinstance(first, Literal) and first.format_parts is not None:
        parts = list(first.format_parts)
    else:
        parts = _string(values[0], "the template").split("{}")
    arguments = values[1:]
    if len(parts) - 1 != len(arguments):
        raise IntrinsicError(
            f"the template has {len(parts) - 1} placeholders but {len(arguments)} arguments"
        )
    pieces = [parts[0]]
    for argument, part in zip(arguments, parts[1:], strict=True):
        pieces += [_format_value(argument), part]
    return "".join(pieces)


def _string_to_json(values: list[Any], _call: Call, _rng: random.Random) -> Any:
    try:
        return json.loads(_string(values[0], "the argument"))
    except json.JSONDecodeError as problem:
        raise IntrinsicError(f"not valid JSON: {problem}") from problem


def _json_to_string(values: list[Any], _call: Call, _rng: random.Random) -> str:
    # Jackson (AWS) writes compact JSON: no spaces after ':' or ','.
    return json.dumps(values[0], separators=(",", ":"), ensure_ascii=False)


def _array_partition(values: list[Any], _call: Call, _rng: random.Random) -> list[Any]:
    items, size = _array(values[0]), _integer(values[1], "the chunk size")
    if size <= 0:
        raise IntrinsicError("the chunk size must be a positive integer")
    return [items[start : start + size] for start in range(0, len(items), size)]


def _array_contains(values: list[Any], _call: Call, _rng: random.Random) -> bool:
    wanted = _canonical(values[1])
    return any(_canonical(item) == wanted for item in _array(values[0]))


def _array_range(values: list[Any], _call: Call, _rng: random.Random) -> list[int]:
    start, end = _integer(values[0], "the start"), _integer(values[1], "the end")
    step = _integer(values[2], "the step")
    if step == 0:
        raise IntrinsicError("the step must not be 0")
    stop = end + 1 if step > 0 else end - 1
    if len(range(start, stop, step)) > MAX_RANGE_ITEMS:
        raise IntrinsicError(f"the range would have more than {MAX_RANGE_ITEMS} items")
    return list(range(start, stop, step))


def _array_get_item(values: list[Any], _call: Call, _rng: random.Random) -> Any:
    items, index = _array(values[0]), _integer(values[1], "the index")
    if not 0 <= index < len(items):
        raise IntrinsicError(f"index {index} is out of bounds for an array of {len(items)}")
    return items[index]


def _array_length(values: list[Any], _call: Call, _rng: random.Random) -> int:
    return len(_array(values[0]))


def _array_unique(values: list[Any], _call: Call, _rng: random.Random) -> list[Any]:
    seen: set[str] = set()
    unique = []
    for item in _array(values[0]):
        key = _canonical(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _math_add(values: list[Any], _call: Call, _rng: random.Random) -> int:
    numbers = [_integer(value, "each number") for value in values]
    total = sum(numbers)
    for number in (*numbers, total):
        if not _INT32[0] <= number <= _INT32[1]:
            raise IntrinsicError(f"{number} is outside the 32-bit integer range")
    return total


def _math_random(values: list[Any], _call: Call, rng: random.Random) -> int:
    start, end = _integer(values[0], "the start"), _integer(values[1], "the end")
    if end <= start:
        raise IntrinsicError("the end must be greater than the start (it is exclusive)")
    source = random.Random(_integer(values[2], "the seed")) if len(values) == 3 else rng
    return source.randrange(start, end)


def _string_split(values: list[Any], _call: Call, _rng: random.Random) -> list[str]:
    text = _string(values[0], "the string")
    delimiters = _string(values[1], "the delimiters")
    if not delimiters:
        return [text] if text else []
    # Like Java's StringTokenizer: any delimiter character splits, empty tokens vanish.
    return [token for token in re.split(f"[{re.escape(delimiters)}]", text) if token]


def _uuid(_values: list[Any], _call: Call, rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _base64_encode(values: list[Any], _call: Call, _rng: random.Random) -> str:
    text = _string(values[0], "the data", MAX_ENCODED_CHARACTERS)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_decode(values: list[Any], _call: Call, _rng: random.Random) -> str:
    text = _string(values[0], "the data", MAX_ENCODED_CHARACTERS)
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as problem:
        raise IntrinsicError(f"not valid Base64 of UTF-8 text: {problem}") from problem


def _hash(values: list[Any], _call: Call, _rng: random.Random) -> str:
    data = _string(values[0], "the data", MAX_ENCODED_CHARACTERS)
    algorithm = _string(values[1], "the algorithm")
    if algorithm not in _HASHES:
        raise IntrinsicError(f"algorithm {algorithm!r} is not one of {sorted(_HASHES)}")
    return hashlib.new(_HASHES[algorithm], data.encode("utf-8")).hexdigest()


def _json_merge(values: list[Any], _call: Call, _rng: random.Random) -> dict[str, Any]:
    first, second, deep = values
    if not isinstance(first, dict) or not isinstance(second, dict):
        raise IntrinsicError("both values to merge must be JSON objects")
    if deep is not False:
        raise IntrinsicError("only the shallow merge is supported: the third argument is false")
    return {**first, **second}


_Function = Callable[[list[Any], Call, random.Random], Any]
_FUNCTIONS: dict[str, _Function] = {
    "Format": _format,
    "StringToJson": _string_to_json,
    "JsonToString": _json_to_string,
    "Array": lambda values, _call, _rng: list(values),
    "ArrayPartition": _array_partition,
    "ArrayContains": _array_contains,
    "ArrayRange": _array_range,
    "ArrayGetItem": _array_get_item,
    "ArrayLength": _array_length,
    "ArrayUnique": _array_unique,
    "MathAdd": _math_add,
    "MathRandom": _math_random,
    "StringSplit": _string_split,
    "UUID": _uuid,
    "Base64Encode": _base64_encode,
    "Base64Decode": _base64_decode,
    "Hash": _hash,
    "JsonMerge": _json_merge,
}
_ARITY: dict[str, tuple[int, int | None]] = {
    "Format": (1, None),
    "Array": (0, None),
    "ArrayRange": (3, 3),
    "MathRandom": (2, 3),
    "UUID": (0, 0),
    "JsonMerge": (3, 3),
    **dict.fromkeys(["ArrayPartition", "ArrayContains", "ArrayGetItem", "MathAdd"], (2, 2)),
    **dict.fromkeys(["StringSplit", "Hash"], (2, 2)),
    **dict.fromkeys(
        ["StringToJson", "JsonToString", "ArrayLength", "ArrayUnique", "Base64Encode"], (1, 1)
    ),
    "Base64Decode": (1, 1),
}
