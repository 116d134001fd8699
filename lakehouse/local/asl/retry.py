"""Retriers and catchers.

Retriers are scanned in order and the *first* whose ``ErrorEquals`` matches decides:
if it still has attempts left the state is retried after its back-off, otherwise
the error goes on to the catchers (a later retrier is never consulted). Each
retrier keeps its own count for the whole visit to the state ("A retrier's
parameters apply across all visits to the retrier in the context of a single-state
execution"), so counts restart when the state is entered again.

Back-off before the n-th retry of a retrier: ``IntervalSeconds * BackoffRate**(n-1)``,
capped at ``MaxDelaySeconds``; ``JitterStrategy: FULL`` then draws the actual wait
uniformly from [0, that value] with the execution's injectable RNG.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from lakehouse.local.asl.errors import ALL, StatesError, error_matches
from lakehouse.local.asl.paths import Path, parse_result_path

MAX_INTERVAL_SECONDS = 99_999_999
MAX_DELAY_SECONDS_LIMIT = 31_622_400
_RETRIER_FIELDS = {
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
}
_CATCHER_FIELDS = {"ErrorEquals", "Next", "ResultPath", "Comment"}


class ErrorHandlingError(ValueError):
    """A Retry or Catch field that cannot be compiled."""


@dataclass(frozen=True)
class Retrier:
    error_equals: tuple[str, ...]
    interval_seconds: int = 1
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: int | None = None
    jitter_strategy: str = "NONE"

    def backoff_seconds(self, attempt: int) -> float:
        """Computed wait before retry number ``attempt`` (1-based), before jitter."""
        delay = self.interval_seconds * self.backoff_rate ** (attempt - 1)
        if self.max_delay_seconds is not None:
            delay = min(delay, self.max_delay_seconds)
        return delay


@dataclass(frozen=True)
class Catcher:
    error_equals: tuple[str, ...]
    next_state: str
    result_path: Path | None  # None: "ResultPath": null keeps the input unchanged


@dataclass(frozen=True)
class RetryDecision:
    retrier_index: int
    attempt: int
    backoff_seconds: float
    delay_seconds: float  # after jitter: what is actually waited


class RetryCounter:
    """Attempts used per retrier during one visit to a state."""

    def __init__(self, retriers: tuple[Retrier, ...], rng: random.Random) -> None:
        self._retriers = retriers
        self._rng = rng
        self._attempts = [0] * len(retriers)

    @property
    def total_retries(self) -> int:
        return sum(self._attempts)

    def decide(self, failure: StatesError) -> RetryDecision | None:
        for index, retrier in enumerate(self._retriers):
            if not error_matches(retrier.error_equals, failure.error):
                continue
            if self._attempts[index] >= retrier.max_attempts:
                return None
            self._attempts[index] += 1
            attempt = self._attempts[index]
            backoff = retrier.backoff_seconds(attempt)
            delay = self._rng.uniform(0, backoff) if retrier.jitter_strategy == "FULL" else backoff
            return RetryDecision(index, attempt, backoff, delay)
        return None


def find_catcher(catchers: tuple[Catcher, ...], failure: StatesError) -> Catcher | None:
    return next((c for c in catchers if error_matches(c.error_equals, failure.error)), None)


def _error_equals(raw: dict[str, Any], position: int, count: int, what: str) -> tuple[str, ...]:
    names = raw.get("ErrorEquals")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ErrorHandlingError(f"{what} {position}: ErrorEquals must be a non-empty string list")
    if ALL in names and (len(names) > 1 or position != count - 1):
        raise ErrorHandlingError(
            f"{what} {position}: States.ALL must appear alone and in the last {what.lower()}"
        )
    return tuple(names)


def _check_fields(raw: Any, allowed: set[str], position: int, what: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ErrorHandlingError(f"{what} {position} must be an object")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ErrorHandlingError(f"{what} {position}: unsupported field(s) {unknown}")
    return raw


def _integer(raw: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ErrorHandlingError(f"{key} must be an integer in [{low}, {high}], got {value!r}")
    return value


def compile_retriers(raw: Any) -> tuple[Retrier, ...]:
    if not isinstance(raw, list):
        raise ErrorHandlingError("Retry must be an array of retriers")
    retriers = []
    for position, item in enumerate(raw):
        fields = _check_fields(item, _RETRIER_FIELDS, position, "Retrier")
        rate = fields.get("BackoffRate", 2.0)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 1.0:
            raise ErrorHandlingError(f"Retrier {position}: BackoffRate must be a number >= 1.0")
        jitter = fields.get("JitterStrategy", "NONE")
        if jitter not in ("FULL", "NONE"):
            raise ErrorHandlingError(f"Retrier {position}: JitterStrategy must be FULL or NONE")
        max_delay = fields.get("MaxDelaySeconds")
        retriers.append(
            Retrier(
                error_equals=_error_equals(fields, position, len(raw), "Retrier"),
                interval_seconds=_integer(fields, "IntervalSeconds", 1, 1, MAX_INTERVAL_SECONDS),
                max_attempts=_integer(fields, "MaxAttempts", 3, 0, MAX_INTERVAL_SECONDS),
                backoff_rate=float(rate),
                max_delay_seconds=None
                if max_delay is None
                else _integer(fields, "MaxDelaySeconds", 1, 1, MAX_DELAY_SECONDS_LIMIT),
                jitter_strategy=jitter,
            )
        )
    return tuple(retriers)


def compile_catchers(raw: Any) -> tuple[Catcher, ...]:
    if not isinstance(raw, list):
        raise ErrorHandlingError("Catch must be an array of catchers")
    catchers = []
    for position, item in enumerate(raw):
        fields = _check_fields(item, _CATCHER_FIELDS, position, "Catcher")
        if not isinstance(fields.get("Next"), str):
            raise ErrorHandlingError(f"Catcher {position}: Next must be a state name")
        result_path = fields.get("ResultPath", "$")
        catchers.append(
            Catcher(
                error_equals=_error_equals(fields, position, len(raw), "Catcher"),
                next_state=fields["Next"],
                result_path=None if result_path is None else parse_result_path(result_path),
            )
        )
    return tuple(catchers)
