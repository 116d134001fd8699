"""Runs the generator day by day: customers, then orders, then FX rates, then the
day's file-level extras (duplicate and empty files), writing the defect manifest as
it goes and the run summary at the end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lakehouse import contracts
from lakehouse.generate.config import GeneratorConfig
from lakehouse.generate.context import DayContext
from lakehouse.generate.customers import CustomerBook
from lakehouse.generate.determinism import GenerationDay
from lakehouse.generate.fx import FxWalk
from lakehouse.generate.injection import DefectSchedule
from lakehouse.generate.manifest import DayStats, DefectLog, write_summary
from lakehouse.generate.orders import OrderBook
from lakehouse.generate.rawfiles import DayFiles


@dataclass(frozen=True)
class GenerationSummary:
    """What a run wrote. ``lines`` and ``defects`` are totals over all days."""

    raw_root: Path
    generator_dir: Path
    summary_path: Path
    dates: tuple[str, ...]
    lines: dict[str, int]
    defects: dict[str, int]
    peak_open_orders: int

    @property
    def total_lines(self) -> int:
        return sum(self.lines.values())

    def __str__(self) -> str:
        lines = ", ".join(f"{entity} {count}" for entity, count in self.lines.items())
        return (
            f"{self.dates[0]}..{self.dates[-1]}: {lines} lines, "
            f"{sum(self.defects.values())} defects; manifests in {self.generator_dir}"
        )

    def manifest_path(self, day_iso: str) -> Path:
        return self.generator_dir / f"ingest_date={day_iso}" / "defects.jsonl"


class _Generator:
    def __init__(self, config: GeneratorConfig):
        self.config = config
        self.raw_root = config.raw_root_path
        self.schedule = DefectSchedule(config.seed, config.defects)
        self.customers = CustomerBook(
            config.seed,
            GenerationDay(0, config.start).start_epoch,
            config.customers,
            config.new_customers_per_day,
        )
        self.orders = OrderBook(config.seed, self.customers, config.orders_per_day)
        self.fx = FxWalk(config.seed)
        self.peak_open_orders = 0

    def run_day(self, day: GenerationDay) -> dict[str, object]:
        rate = self.config.defect_rate_on(day.date)
        file_kinds = self.schedule.file_kinds_on(day.index, rate)
        log = DefectLog(self.config.generator_dir, day.iso)
        context = DayContext(
            seed=self.config.seed,
            day=day,
            rate=rate,
            file_kinds=file_kinds,
            files=DayFiles(self.raw_root, day.iso, contracts.SOURCE_ENTITIES),
            schedule=self.schedule,
            log=log,
            stats=DayStats(),
        )
        try:
            self.customers.write_day(context)
            self.orders.write_day(context)
            self.fx.write_day(context)
            _deliver_extra_files(context)
        finally:
            log.close()
        self.peak_open_orders = max(self.peak_open_orders, self.orders.open_order_count)
        return {
            **context.stats.as_json(log.counts),
            "defect_rate": rate,
            "file_level_defects": list(file_kinds),
            "open_orders_after_day": self.orders.open_order_count,
        }


def _deliver_extra_files(context: DayContext) -> None:
    """duplicate_file: the target entity's main file again; empty_file: a file with
    no data lines. Both get the entity's next file numbers."""
    files, log = context.files, context.log
    if "duplicate_file" in context.file_kinds:
        entity = context.schedule.target_entity("duplicate_file", context.day.index)
        original = files.opened[entity][0]
        copy = files.copy(original)
        log.copy_entries(original.relative_path, copy.relative_path)
        log.record("duplicate_file", entity, copy.relative_path, None, None)
        context.stats.add_file(entity, copy.relative_path, copy.lines)
    if "empty_file" in context.file_kinds:
        entity = context.schedule.target_entity("empty_file", context.day.index)
        contract = contracts.load(entity)
        header = ",".join(contract.column_names) if contract.format == "csv" else None
        with files.open(entity, header) as empty:
            pass
        log.record("empty_file", entity, empty.relative_path, None, None)
        context.stats.add_file(entity, empty.relative_path, 0)


def generate(config: GeneratorConfig) -> GenerationSummary:
    """Write ``config.days`` days of raw files, the defect manifests and summary.json."""
    generator = _Generator(config)
    days: dict[str, dict] = {}
    for index, date in enumerate(config.dates):
        day = GenerationDay(index, date)
        days[day.iso] = generator.run_day(day)
    summary_path = write_summary(config.generator_dir, config.as_json(), days)
    lines: dict[str, int] = {}
    defects: dict[str, int] = {}
    for day_json in days.values():
        for entity, count in day_json["lines"].items():
            lines[entity] = lines.get(entity, 0) + count
        for kind, count in day_json["defects"].items():
            defects[kind] = defects.get(kind, 0) + count
    return GenerationSummary(
        raw_root=generator.raw_root,
        generator_dir=config.generator_dir,
        summary_path=summary_path,
        dates=tuple(days),
        lines=dict(sorted(lines.items())),
        defects=dict(sorted(defects.items())),
        peak_open_orders=generator.peak_open_orders,
    )
