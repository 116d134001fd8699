"""A generated week, run day by day through the real entry scripts, shared by the
integration tests of this folder (building it is the expensive part)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local.daily import DayResult, run_day
from lakehouse.local.deployment import LocalDeployment

START = dt.date(2026, 1, 1)
DAYS = 7


def dates() -> list[str]:
    return [(START + dt.timedelta(days=i)).isoformat() for i in range(DAYS)]


def generator_config(out: Path) -> GeneratorConfig:
    return GeneratorConfig(
        out=out,
        start=START,
        days=DAYS,
        orders_per_day=250,
        customers=120,
        defect_rate=0.03,
        seed=11,
    )


def file_listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every data file under root -> (size, mtime_ns): proof of what was rewritten."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*.parquet"))
    }


@dataclass
class Week:
    deployment: LocalDeployment
    results: dict[str, DayResult] = field(default_factory=dict)
    silver_orders_before_last_day: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def lake(self) -> Path:
        return self.deployment.lake_dir

    def local(self, root_key: str) -> Path:
        return Path(getattr(self.deployment.roots, root_key)[len("file://") :])


@pytest.fixture(scope="session")
def week(tmp_path_factory, spark) -> Week:
    lake = tmp_path_factory.mktemp("week")
    generate(generator_config(lake))
    result = Week(deployment=LocalDeployment.at(lake))
    for day in dates():
        if day == dates()[-1]:
            result.silver_orders_before_last_day = file_listing(
                result.local("silver_root") / "orders"
            )
        result.results[day] = run_day(result.deployment, day)
    return result
