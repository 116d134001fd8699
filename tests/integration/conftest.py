"""Lakes shared by several integration modules of this folder (building a lake, data
generated and days run through Spark, is the expensive part):

- `week`: a generated week, run day by day through the real entry scripts
  (test_daily_runs.py), read only;
- `rolled_back`: D1 and D2 published through the state machine, then D2 rolled back
  (test_rollback.py, test_maintenance.py). Never changed once built: each module goes
  on with its own copy (`RolledBack.copy_to`).

tests/conftest.py runs the modules that share one of these in one xdist group, so it
is built once per run.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local import outbox
from lakehouse.local.daily import DayResult, run_day
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.executions import run_pipeline

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


# -- D1, D2 published, D2 rolled back: test_rollback.py and test_maintenance.py ----------
ROLLED_BACK_DATES = ("2026-03-01", "2026-03-02", "2026-03-03")  # D3: landed, not run


@dataclass(frozen=True)
class RolledBack:
    """The shared lake and what was seen while building it. What readers see is
    ``readers`` of test_rollback.py (every row of every gold view)."""

    lake: Path
    readers_after_d1: dict
    readers_after_d2: dict
    alerts_before_rollback: int  # outbox messages before the rollback
    rollback: tuple[int, str]  # `lakehouse rollback --date D2`: exit code, output

    def copy_to(self, folder: Path) -> Path:
        """A copy of the lake to change (the local catalog re-roots itself in a copy)."""
        shutil.copytree(self.lake, folder)
        return folder


@pytest.fixture(scope="session")
def rolled_back(tmp_path_factory, spark) -> RolledBack:
    """Three days of landing files (no defects); D1 and D2 run, D2 rolled back. The
    rollback's outcome is asserted by the modules, not here."""
    from tests.integration.test_rollback import cli, readers

    d1, d2, _ = ROLLED_BACK_DATES
    lake = tmp_path_factory.mktemp("rolled_back")
    generate(
        GeneratorConfig(
            out=lake,
            start=dt.date.fromisoformat(d1),
            days=len(ROLLED_BACK_DATES),
            orders_per_day=120,
            customers=60,
            defect_rate=0.0,
            seed=31,
        )
    )
    assert run_pipeline(lake, d1).status == "SUCCEEDED"
    after_d1 = readers(lake)
    assert run_pipeline(lake, d2).status == "SUCCEEDED"
    after_d2 = readers(lake)
    alerts_before = len(outbox.messages(lake))
    rollback = cli("rollback", "--lake", str(lake), "--date", d2)
    return RolledBack(lake, after_d1, after_d2, alerts_before, rollback)
