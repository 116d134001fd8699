"""Run one day's jobs locally in dependency order: bronze (per entity) -> silver (per
entity) -> gold. The same entry scripts and arguments the state machine passes on AWS.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.layout import to_local_path
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.jobs import JobRun, run_job
from lakehouse.metrics import metrics_location


class JobFailedError(RuntimeError):
    def __init__(self, run: JobRun):
        super().__init__(f"{run.job_name} {run.arguments} failed: {run.error_message}")
        self.run = run


@dataclass
class DayResult:
    run_date: str
    run_id: str
    jobs: list[JobRun] = field(default_factory=list)

    def metrics(self, deployment: LocalDeployment, layer: str, entity: str) -> dict[str, Any]:
        path = to_local_path(
            metrics_location(deployment.roots.ops_root, layer, entity, self.run_date)
        )
        return json.loads(path.read_text("utf-8"))


def run_day(
    deployment: LocalDeployment,
    run_date: str,
    run_id: str | None = None,
    entities: tuple[str, ...] = SOURCE_ENTITIES,
) -> DayResult:
    """bronze (entities in parallel) -> silver (entities in parallel) -> gold."""
    result = DayResult(run_date=run_date, run_id=run_id or f"{run_date}-local")
    base = {"--run_date": run_date, "--run_id": result.run_id}
    for job in ("bronze_ingest", "silver_merge"):
        with ThreadPoolExecutor(max_workers=len(entities)) as pool:
            runs = list(
                pool.map(lambda e, j=job: run_job(deployment, j, {**base, "--entity": e}), entities)
            )
        result.jobs.extend(runs)
        _raise_on_failure(runs)
    gold = run_job(
        deployment,
        "gold_build",
        {**base, "--publication_location": current_publication(deployment)},
    )
    result.jobs.append(gold)
    _raise_on_failure([gold])
    return result


def current_publication(deployment: LocalDeployment) -> str:
    """The Location of ops.published_partitions (what the state machine reads before
    the gold job)."""
    from lakehouse.contracts.catalog import PUBLICATION_TABLE
    from lakehouse.local.catalog import bootstrap

    table = bootstrap(deployment.lake_dir).get_table(DatabaseName="ops", Name=PUBLICATION_TABLE)
    return table["Table"]["StorageDescriptor"]["Location"]


def _raise_on_failure(runs: list[JobRun]) -> None:
    for run in runs:
        if run.state != "SUCCEEDED":
            raise JobFailedError(run)
