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
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.layout import to_local_path
from lakehouse.local.daily import current_publication, run_day
from lakehouse.local.deployment import PII_SECRET_ID, LocalDeployment, glue_job_names
from lakehouse.spark import JOB_SETTINGS
from tests.support import glue_branch
from tests.support import terraform_offline as tfo

pytestmark = pytest.mark.slow

DAY = "2026-01-01"
RUN_ID = "glue-branch-2026-01-01"
SECRET_NAME = "lakehouse-test/pii-hash-key"


def job_stages() -> list[list[tuple[str, str | None]]]:
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

    def run(job: str, entity: str | None) -> list[dict]:
        arguments = {
            **glue.default_arguments(),
            "--pii_key_secret_id": SECRET_NAME,
            "--JOB_NAME": f"lakehouse-test-{job.replace('_', '-')}",
            "--run_date": DAY,
            "--run_id": RUN_ID,
            **({"--entity": entity} if entity else {}),
            # what the state machine's ReadPublication hands the gold job
            **({"--publication_location": current_publication(glue)} if not entity else {}),
        }
        record = glue.lake_dir.parent / f"{job}-{entity or 'all'}.json"
        return glue_branch.run_job(job, arguments, record, aws_endpoint=moto_secrets.url)

    records = {}
    for stage in job_stages():
        with ThreadPoolExecutor(max_workers=len(stage)) as pool:
            records.update(zip(stage, pool.map(lambda r: run(*r), stage), strict=True))
    return {"local": local, "glue": glue, "records": records}


def _roots(deployment: LocalDeployment) -> dict[str, Path]:
    return {key: to_local_path(getattr(deployment.roots, key)) for key in glue_branch.DATA_ROOTS}


def test_every_entry_script_runs_through_the_glue_branch(lakes) -> None:
    records = lakes["records"]
    # maintenance (weekly, its own DAG) reads the ops tables of a deployed catalog; its
    # Glue branch is not run here (lakehouse/maintenance.py clients; docs/adr/0014)
    assert {job for job, _ in records} == set(glue_job_names()) - {"maintenance"}
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
    local_sets = glue_branch.datasets_under(_roots(local))
    glue_sets = glue_branch.datasets_under(_roots(glue))
    assert sorted(glue_sets) == sorted(local_sets)
    assert any(name.startswith("gold_staging_root/") for name in local_sets)
    for name, folder in local_sets.items():
        assert glue_branch.partition_folders(glue_sets[name]) == glue_branch.partition_folders(
            folder
        ), name
        expected = glue_branch.normalised_rows(spark, folder, {local.lake_dir.as_uri(): "<lake>"})
        actual = glue_branch.normalised_rows(
            spark, glue_sets[name], {glue.lake_dir.as_uri(): "<lake>"}
        )
        assert actual == expected, name
