"""Everything an entity's daily writer needs to know about the day being generated."""

from __future__ import annotations

from dataclasses import dataclass

from lakehouse.generate.determinism import GenerationDay, day_rng
from lakehouse.generate.injection import DefectSchedule, LineDefectPicker
from lakehouse.generate.manifest import DayStats, DefectLog
from lakehouse.generate.rawfiles import DayFiles


@dataclass
class DayContext:
    seed: int
    day: GenerationDay
    rate: float  # the day's line defect rate (burst-aware)
    file_kinds: tuple[str, ...]  # file-level defects firing today
    files: DayFiles
    schedule: DefectSchedule
    log: DefectLog
    stats: DayStats

    def picker(self, entity: str, lines_at_least: int) -> LineDefectPicker:
        rng = day_rng(self.seed, f"defects/{entity}", self.day.date)
        return self.schedule.picker(rng, self.day.index, self.rate, entity, lines_at_least)
