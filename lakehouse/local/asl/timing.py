"""Time for the interpreter: an injectable clock, time scaling and timestamps.

Every wait (Wait states, retry back-off, ``TaskContext.sleep``) goes through an
``ExecutionClock``. It sleeps ``seconds * time_scale`` for real and moves the
execution's own time forward by the full ``seconds``, so history timestamps and
``$$`` times read as if the full delay had passed even when ``time_scale=0``.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})"
)


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class FakeClock:
    """A clock for tests: ``sleep`` returns at once, advances time and is recorded."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        """Let time pass without a sleep (e.g. a handler doing slow work)."""
        self.now += seconds


class ExecutionClock:
    """One execution's time: the real clock plus whatever scaled sleeps skipped."""

    def __init__(self, clock: Clock, time_scale: float) -> None:
        if time_scale < 0:
            raise ValueError(f"time_scale must be >= 0, got {time_scale}")
        self._clock = clock
        self._time_scale = time_scale
        self._skipped = 0.0

    def now(self) -> float:
        return self._clock.time() + self._skipped

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        real_seconds = seconds * self._time_scale
        if real_seconds > 0:
            self._clock.sleep(real_seconds)
        self._skipped += seconds - real_seconds


def format_timestamp(epoch_seconds: float) -> str:
    """ISO 8601 in UTC with milliseconds, as Step Functions writes ``$$`` times."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_timestamp(value: object) -> datetime | None:
    """An RFC 3339 timestamp as ASL requires (uppercase T and Z), else ``None``."""
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    # Python keeps microseconds; finer digits (AWS accepts nanoseconds) are truncated.
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    tz = UTC if zone == "Z" else _offset(zone)
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micros, tz
        )
    except ValueError:
        return None


def _offset(zone: str) -> timezone:
    sign = -1 if zone[0] == "-" else 1
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
