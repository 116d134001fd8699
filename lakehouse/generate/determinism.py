"""Seeded randomness and time helpers that give byte-identical output on every run.

Every stream of random draws is a ``random.Random`` seeded from a string naming the
seed, the stream and the day (string seeds are hashed with SHA-512, independent of
``PYTHONHASHSEED``). Because a day's draws depend only on the seed, the day and the
state left by earlier days, days 1-3 of a 7-day run are byte-identical to a 3-day
run with the same arguments. Per-entity facts that must be recomputed later (a
customer's name, e-mail, phone) come from ``stable_hash`` instead of being stored.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import zlib

SECONDS_PER_DAY = 86_400
_MASK64 = (1 << 64) - 1


def day_rng(seed: int, stream: str, day: dt.date) -> random.Random:
    """An independent random stream for one purpose on one day."""
    return random.Random(f"{seed}/{stream}/{day.isoformat()}")


def _splitmix64(value: int) -> int:
    value = (value + 0x9E3779B97F4A7C15) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def stable_hash(*parts: int | str) -> int:
    """A 64-bit hash of ints and strings that never changes between runs or machines."""
    state = 0
    for part in parts:
        number = zlib.crc32(part.encode()) if isinstance(part, str) else part
        state = _splitmix64(state ^ (number & _MASK64))
    return state


def epoch_of(day: dt.date) -> int:
    """Seconds since 1970-01-01T00:00:00Z at the start of ``day`` (UTC)."""
    return calendar.timegm(day.timetuple())


_MINUTES_OF_DAY = tuple(f"{m // 60:02d}:{m % 60:02d}:" for m in range(24 * 60))
_SECONDS_OF_MINUTE = tuple(f"{s:02d}Z" for s in range(60))
_DATE_PREFIXES: dict[int, str] = {}  # day number since 1970 -> "YYYY-MM-DDT"
_MAX_CACHED_DATES = 4096  # customers' sign-up dates span two years; keep the cache bounded
_EPOCH_DATE = dt.date(1970, 1, 1)


def iso_timestamp(epoch_seconds: int) -> str:
    """ISO-8601 UTC with a ``Z`` suffix, e.g. ``2026-01-01T10:15:00Z``.

    Called twice per order line, so it assembles cached pieces instead of calling
    ``time.strftime``."""
    day_number, second_of_day = divmod(epoch_seconds, SECONDS_PER_DAY)
    prefix = _DATE_PREFIXES.get(day_number)
    if prefix is None:
        if len(_DATE_PREFIXES) >= _MAX_CACHED_DATES:
            _DATE_PREFIXES.clear()
        prefix = (_EPOCH_DATE + dt.timedelta(days=day_number)).isoformat() + "T"
        _DATE_PREFIXES[day_number] = prefix
    minute, second = divmod(second_of_day, 60)
    return prefix + _MINUTES_OF_DAY[minute] + _SECONDS_OF_MINUTE[second]


class GenerationDay:
    """One ingest date being generated: its position in the run and its time window."""

    __slots__ = ("date", "end_epoch", "index", "iso", "start_epoch")

    def __init__(self, index: int, date: dt.date):
        self.index = index
        self.date = date
        self.iso = date.isoformat()
        self.start_epoch = epoch_of(date)
        self.end_epoch = self.start_epoch + SECONDS_PER_DAY  # exclusive
