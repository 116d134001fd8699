"""One generated day through bronze -> silver -> gold with the jobs on s3:// paths of
the stack applied to moto: the deployed jobs' own default arguments (dataset roots,
secret id) read from Glue, the stack's buckets, prefixes, KMS-encrypted objects
(bucket default encryption with the stack's key) and PII key secret. Each job runs
through the Glue branch (tests/support/glue_branch.py) in its own process, with
Hadoop's S3A connector standing in for Glue's S3 file system (scripts/fetch-s3-connector.sh,
fetched by this suite itself). Its outputs equal a local (file://) run of the same
files, and every object the jobs wrote is encrypted with the stack's key.

S3 is HTTPS only (the AWS SDK in S3A refuses to send SSE-KMS parameters over HTTP), so
the jobs reach moto through tests/support/tls_proxy.py.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.contracts.catalog import PUBLICATION_TABLE
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.layout import to_local_path
from lakehouse.local.daily import run_day
from lakehouse.local.deployment import PII_SECRET_ID, LocalDeployment
from tests.support import glue_branch
from tests.support import terraform_offline as tfo
from tests.support.tls_proxy import TlsProxy

pytestmark = [pytest.mark.infra, pytest.mark.slow]

DAY = "2026-01-01"
RUN_ID = "s3-run-2026-01-01"
CONNECTOR = tfo.REPO_ROOT / ".tools" / "s3-connector"
JARS = ("hadoop-aws-3.3.1.jar", "aws-java-sdk-bundle-1.11.901.jar")


def _client(server: tfo.MotoServer, service: str):
    return boto3.client(
        service,
        endpoint_url=server.url,
        region_name=tfo.MOTO_REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _split(url: str) -> tuple[str, str]:
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    return bucket, prefix


@pytest.fixture(scope="module")
def s3_run(moto_server: tfo.MotoServer, moto_stack: tfo.MotoStack, tmp_path_factory, spark):
    subprocess.run([str(tfo.REPO_ROOT / "scripts" / "fetch-s3-connector.sh")], check=True)
    outputs = moto_stack.outputs()
    roots = outputs["dataset_roots"]
    s3, glue = _client(moto_server, "s3"), _client(moto_server, "glue")

    lake = tmp_path_factory.mktemp("s3_local") / "lake"
    generate(
        GeneratorConfig(
            out=lake,
            start=dt.date.fromisoformat(DAY),
            days=1,
            orders_per_day=40,
            customers=20,
            defect_rate=0.05,
            seed=31,
        )
    )
    local = LocalDeployment.at(lake)
    pii_key = _client(moto_server, "secretsmanager").get_secret_value(
        SecretId=outputs["pii_key_secret_id"]
    )["SecretString"]
    local.secrets_file.write_text(json.dumps({PII_SECRET_ID: pii_key}), "utf-8")

    raw_bucket, raw_prefix = _split(roots["raw_root"])
    local_raw = to_local_path(local.roots.raw_root)
    for path in sorted(p for p in local_raw.rglob("*") if p.is_file()):
        key = f"{raw_prefix}/{path.relative_to(local_raw).as_posix()}"
        s3.put_object(Bucket=raw_bucket, Key=key, Body=path.read_bytes())

    run_day(local, DAY, run_id=RUN_ID)

    proxy = TlsProxy(moto_server.port).start()
    spark_conf = {
        "spark.hadoop.fs.s3a.endpoint": proxy.url,
        "spark.hadoop.fs.s3a.path.style.access": "true",
        "spark.hadoop.fs.s3a.access.key": "test",
        "spark.hadoop.fs.s3a.secret.key": "test",
        "spark.hadoop.fs.s3a.endpoint.region": tfo.MOTO_REGION,
        "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
    }
    work = tmp_path_factory.mktemp("s3_records")
    # what the state machine's ReadPublication hands the gold job: the pointer's Location
    publication = glue.get_table(
        DatabaseName=outputs["database_names"]["ops"], Name=PUBLICATION_TABLE
    )["Table"]["StorageDescriptor"]["Location"]

    def run(job: str, entity: str | None) -> list[dict]:
        deployed = glue.get_job(JobName=outputs["glue_job_names"][job])["Job"]
        arguments = {
            **deployed["DefaultArguments"],
            "--JOB_NAME": deployed["Name"],
            "--run_date": DAY,
            "--run_id": RUN_ID,
            **({"--entity": entity} if entity else {"--publication_location": publication}),
        }
        return glue_branch.run_job(
            job,
            arguments,
            work / f"{job}-{entity or 'all'}.json",
            aws_endpoint=moto_server.url,
            spark_conf=spark_conf,
            jars=tuple(CONNECTOR / jar for jar in JARS),
            java_options="-Dcom.amazonaws.sdk.disableCertChecking=true",
        )

    try:
        stages = [[(j, e) for e in SOURCE_ENTITIES] for j in ("bronze_ingest", "silver_merge")]
        for stage in [*stages, [("gold_build", None)]]:
            with ThreadPoolExecutor(max_workers=len(stage)) as pool:
                list(pool.map(lambda r: run(*r), stage))
    finally:
        proxy.stop()

    downloaded = tmp_path_factory.mktemp("s3_outputs")
    written: dict[str, str] = {}
    for key in glue_branch.DATA_ROOTS:
        bucket, prefix = _split(roots[key])
        for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=f"{prefix}/"
        ):
            for obj in page.get("Contents", []):
                target = downloaded / key / obj["Key"][len(prefix) + 1 :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
                head = s3.head_object(Bucket=bucket, Key=obj["Key"])
                written[f"s3://{bucket}/{obj['Key']}"] = head.get("SSEKMSKeyId", "")
    return {"local": local, "downloaded": downloaded, "outputs": outputs, "written": written}


def test_the_day_on_s3_equals_the_local_run(s3_run, spark) -> None:
    local, downloaded, outputs = s3_run["local"], s3_run["downloaded"], s3_run["outputs"]
    local_roots = {k: to_local_path(getattr(local.roots, k)) for k in glue_branch.DATA_ROOTS}
    expected = glue_branch.datasets_under(local_roots)
    actual = glue_branch.datasets_under({k: downloaded / k for k in glue_branch.DATA_ROOTS})
    assert sorted(actual) == sorted(expected)
    assert any(name.startswith("gold_staging_root/") for name in expected)
    local_replacements = {local.roots.raw_root: "<raw>"}
    s3_replacements = {outputs["dataset_roots"]["raw_root"]: "<raw>"}
    for name, folder in expected.items():
        assert glue_branch.partition_folders(actual[name]) == glue_branch.partition_folders(
            folder
        ), name
        assert glue_branch.normalised_rows(
            spark, actual[name], s3_replacements
        ) == glue_branch.normalised_rows(spark, folder, local_replacements), name


def test_every_object_the_jobs_wrote_is_encrypted_with_the_stacks_key(s3_run) -> None:
    written = s3_run["written"]
    assert any(uri.endswith(".parquet") for uri in written)
    key = s3_run["outputs"]["kms_key_arn"]
    others = {uri: used for uri, used in written.items() if used != key}
    assert not others, others
