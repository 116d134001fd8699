"""When and where defects are injected.

Line-level kinds: each data line carries a defect with probability equal to the day's
defect rate (``--defect-rate``, or the ``--burst`` rate on a burst day), the kind drawn
uniformly from the enabled kinds that fit the line. File-level kinds fire at most once
per day. So that every enabled kind shows up in any run of at least 7 days, each kind
also has one seeded "guaranteed" day in every 7-day block (days 1-7, 8-14, ...): a
file-level kind fires exactly on that day, a line-level kind is forced onto the first
fitting line after a seeded position within the day's lines. A defect rate of 0 on a
day disables all defects that day.
"""

from __future__ import annotations

import random

from lakehouse.generate.defects import DEFECT_KINDS, FILE_KINDS, LINE_KINDS, line_kinds_for
from lakehouse.generate.determinism import stable_hash

BLOCK_DAYS = 7
# Kinds that only fit a new record (op I): the unknown customer is set when an order
# is placed and kept for the order's whole life.
INSERT_ONLY_KINDS = frozenset({"unknown_customer"})
# A missing FX rate on the very first day would have no earlier rate to fall back on.
NOT_ON_FIRST_DAY_OF_BLOCK = frozenset({"fx_rate_missing"})


class DefectSchedule:
    """Seeded, prefix-stable decisions about which defects happen on which day."""

    def __init__(self, seed: int, enabled: tuple[str, ...]):
        self.seed = seed
        self.enabled = enabled

    def _is_guaranteed_day(self, kind: str, day_index: int) -> bool:
        block, day_in_block = divmod(day_index, BLOCK_DAYS)
        draw = stable_hash(self.seed, "guaranteed-day", kind, block)
        if kind in NOT_ON_FIRST_DAY_OF_BLOCK:
            return day_in_block == 1 + draw % (BLOCK_DAYS - 1)
        return day_in_block == draw % BLOCK_DAYS

    def file_kinds_on(self, day_index: int, rate: float) -> tuple[str, ...]:
        if rate <= 0:
            return ()
        return tuple(
            kind
            for kind in FILE_KINDS
            if kind in self.enabled and self._is_guaranteed_day(kind, day_index)
        )

    def forced_line_kinds_on(self, day_index: int, rate: float, entity: str) -> list[str]:
        """Line kinds guaranteed today whose home entity (first listed) is ``entity``."""
        if rate <= 0:
            return []
        return [
            kind
            for kind in LINE_KINDS
            if kind in self.enabled
            and DEFECT_KINDS[kind].entities[0] == entity
            and self._is_guaranteed_day(kind, day_index)
        ]

    def target_entity(self, kind: str, day_index: int) -> str:
        """Which entity a multi-entity file-level kind hits on a day."""
        entities = DEFECT_KINDS[kind].entities
        return entities[stable_hash(self.seed, "target", kind, day_index) % len(entities)]

    def picker(
        self, rng: random.Random, day_index: int, rate: float, entity: str, lines_at_least: int
    ) -> LineDefectPicker:
        """A picker for one entity's lines of one day; ``lines_at_least`` is a lower
        bound of the number of lines it will be asked about (where forced kinds land)."""
        forced = [
            (kind, rng.randrange(max(1, lines_at_least)))
            for kind in self.forced_line_kinds_on(day_index, rate, entity)
        ]
        return LineDefectPicker(rng, rate, line_kinds_for(entity, self.enabled), forced)


class LineDefectPicker:
    """Decides line by line whether a line carries a defect, and which one."""

    def __init__(
        self,
        rng: random.Random,
        rate: float,
        kinds: tuple[str, ...],
        forced: list[tuple[str, int]],
    ):
        self._rng = rng
        self._rate = rate if kinds else 0.0
        self._kinds_for_inserts = kinds
        self._kinds_for_others = tuple(k for k in kinds if k not in INSERT_ONLY_KINDS)
        self._forced = forced  # (kind, number of lines to let pass first)
        self._lines_seen = 0

    def pick(self, is_insert: bool) -> str | None:
        fitting = self._kinds_for_inserts if is_insert else self._kinds_for_others
        self._lines_seen += 1
        for position, (kind, lines_to_pass) in enumerate(self._forced):
            if self._lines_seen > lines_to_pass and kind in fitting:
                del self._forced[position]
                return kind
        if self._rate and fitting and self._rng.random() < self._rate:
            return fitting[self._rng.randrange(len(fitting))]
        return None
