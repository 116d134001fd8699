"""Every entry script in glue_jobs/ runs one generated day through the GLUE branch of
the runtime (tests/support/glue_branch.py: the real awsglue package with stand-ins
for GlueContext and Job only), each job in its own process whose session starts
with Spark's own defaults, as a Glue worker's does, and reads the PII key from
Secrets Manager (a moto server). Its outputs equal the local branch's.

Why: a job that relied on settings only the local session had (dynamic partition
overwrite above all) failed at its first write on Glue while every local test
passed. Glue's job session is ``GlueContext(SparkContext.getOrCreate()).spark_session``
(https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-crawler-pyspark-extensions-glue-context.html),
with the Spark settings Glue documents as its job parameters
(https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html),
none of which is partitionOverwriteMode.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.layout import to_local_path
from lakehouse.local.daily import run_day
from lakehouse.local.deployment import PII_SECRET_ID, LocalDeployment, glue_job_names
from lakehouse.spark import JOB_SETTINGS
from tests.support import terraform_offline as tfo

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-01-01"
RUN_ID = "glue-branch-2026-01-01"
SECRET_NAME = "lakehouse-test/pii-hash-key"
# Differ between any two runs by design (wall-clock stamps), on Glue as locally.
VOLATILE_COLUMNS = {"_ingested_at", "quarantined_at"}


def _job_stages() -> list[list[tuple[str, str | None]]]:
    """Job runs in the state machine's order; runs of one stage run at once, as its
    Map states run them."""
    per_entity = [[(job, e) for e in SOURCE_ENTITIES] for job in ("bronze_ingest", "silver_merge")]
    return [*per_entity, [("gold_build", None)]]


@pytest.fixture(scope="module")
def moto_secrets():
    server = tfo.MotoServer().start()
    try:
        yield server
    finally:
        server.stop()
        server.remove_log()


@pytest.fixture(scope="module")
def lakes(tmp_path_factory, spark, moto_secrets) -> dict[str, object]:
    source = tmp_path_factory.mktemp("glue_branch_source")
    generate(
        GeneratorConfig(
            out=source,
            start=dt.date.fromisoformat(DAY),
            days=1,
            orders_per_day=60,
            customers=30,
            defect_rate=0.05,
            seed=23,
        )
    )
    local_lake = tmp_path_factory.mktemp("local_branch") / "lake"
    glue_lake = tmp_path_factory.mktemp("glue_branch") / "lake"
    shutil.copytree(source, local_lake)
    shutil.copytree(source, glue_lake)
    local = LocalDeployment.at(local_lake)
    glue = LocalDeployment.at(glue_lake)
    pii_key = json.loads(local.secrets_file.read_text("utf-8"))[PII_SECRET_ID]
    boto3.client(
        "secretsmanager",
        endpoint_url=moto_secrets.url,
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_secret(Name=SECRET_NAME, SecretString=pii_key)

    run_day(local, DAY, run_id=RUN_ID)
    records = {}
    for stage in _job_stages():
        with ThreadPoolExecutor(max_workers=len(stage)) as pool:
            done = pool.map(lambda run: _run_glue_branch(glue, *run, moto_secrets.url), stage)
            records.update(zip(stage, done, strict=True))
    return {"local": local, "glue": glue, "records": records}


def _run_glue_branch(
    deployment: LocalDeployment, job: str, entity: str | None, endpoint: str
) -> list[dict]:
    arguments = {
        **deployment.default_arguments(),
        "--pii_key_secret_id": SECRET_NAME,
        "--JOB_NAME": f"lakehouse-test-{job.replace('_', '-')}",
        "--run_date": DAY,
        "--run_id": RUN_ID,
    }
    if entity:
        arguments["--entity"] = entity
    record = deployment.lake_dir.parent / f"{job}-{entity or 'all'}.json"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LAKEHOUSE_", "SPARK_", "AWS_"))
    }
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        PYSPARK_PYTHON=sys.executable,
        # Throughput only (200 shuffle tasks per tiny stage cost ~20 s per job here);
        # nothing a job's results depend on.
        PYSPARK_SUBMIT_ARGS=(
            "--master local[2] --conf spark.sql.shuffle.partitions=2"
            " --conf spark.ui.enabled=false pyspark-shell"
        ),
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="eu-west-1",
    )
    argv = [part for item in arguments.items() for part in item]
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.glue_branch", str(record)]
        + [str(REPO_ROOT / "glue_jobs" / f"{job}.py"), *argv],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{job} {entity} on the Glue branch failed:\n{result.stderr[-3000:]}"
    )
    return json.loads(record.read_text("utf-8"))


def _datasets(deployment: LocalDeployment) -> dict[str, Path]:
    """Every Parquet dataset the day wrote: <bucket>/<prefix>/<dataset> -> folder."""
    found: dict[str, Path] = {}
    for root_key in (
        "bronze_root",
        "silver_root",
        "quarantine_root",
        "gold_staging_root",
        "ops_root",
    ):
        root = to_local_path(getattr(deployment.roots, root_key))
        for data_file in root.rglob("*.parquet"):
            dataset = root / data_file.relative_to(root).parts[0]
            found[str(dataset.relative_to(deployment.lake_dir))] = dataset
    return found


def _normalised(spark: SparkSession, folder: Path, lake: Path) -> DataFrame:
    df = spark.read.option("recursiveFileLookup", "false").parquet(str(folder))
    keep = [c for c in df.columns if c not in VOLATILE_COLUMNS]
    text = {
        c: F.replace(F.col(c), F.lit(lake.as_uri()), F.lit("<lake>"))
        for c, t in df.select(keep).dtypes
        if t == "string"
    }
    return df.select(keep).withColumns(text)


def _relative_files(folder: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(folder)) for p in folder.rglob("*.parquet"))


def test_every_entry_script_runs_through_the_glue_branch(lakes) -> None:
    records = lakes["records"]
    assert {job for job, _ in records} == set(glue_job_names())
    for (job, _entity), calls in records.items():
        names = [c["call"] for c in calls]
        assert names == ["GlueContext", "Job.init", "Job.commit", "end"], (job, names)
        init = calls[1]
        assert init["job_name"] == f"lakehouse-test-{job.replace('_', '-')}"
        assert init["args"]["run_id"] == RUN_ID
        assert calls[-1]["outcome"] == "SUCCEEDED"


def test_the_job_sets_every_setting_it_relies_on_in_glues_session(lakes) -> None:
    """Glue's session starts with Spark's defaults (STATIC overwrite, inferred
    partition types, the worker's time zone): the job itself must change them."""
    for calls in lakes["records"].values():
        assert calls[-1]["settings"] == JOB_SETTINGS


def test_glue_branch_outputs_equal_the_local_branch(lakes, spark) -> None:
    local, glue = lakes["local"], lakes["glue"]
    local_sets, glue_sets = _datasets(local), _datasets(glue)
    assert sorted(glue_sets) == sorted(local_sets)
    assert any("gold_staging" in name for name in local_sets)
    for name, folder in local_sets.items():
        assert _relative_files(glue_sets[name]) == _relative_files(folder), name
        expected = _normalised(spark, folder, local.lake_dir)
        actual = _normalised(spark, glue_sets[name], glue.lake_dir)
        assert actual.schema.simpleString() == expected.schema.simpleString(), name
        assert sorted(map(tuple, actual.collect()), key=repr) == sorted(
            map(tuple, expected.collect()), key=repr
        ), name
