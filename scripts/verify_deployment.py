"""Verify a deployed stack: its resources, then one date's run, end to end.

    python scripts/verify_deployment.py --terraform-dir terraform --date 2026-01-01

Reads `terraform output -json` (or --outputs FILE), checks that every resource the
outputs name exists (buckets, Glue jobs, databases, state machine, workgroup, topic,
secret), starts the daily pipeline for --date under the idempotent name
`lakehouse-<date>-verify` (StartExecution with a name that exists returns that
execution, so running this twice never runs the date twice), follows it, and prints
its outcome and the gold partitions it published. Exit status: 0 when the run
succeeded (or, with --until started, when it started), 1 otherwise.

Credentials and region come from the usual AWS environment. --double moto says which
steps a local moto server cannot show (it runs no Glue job and no Athena query) and
stops after start + describe, as `make test` runs it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

MOTO_CANNOT_SHOW = (
    "the run's outcome and the partitions it publishes (moto runs no Glue job, "
    "no Athena query and no .sync integration)"
)


def outputs_from(args: argparse.Namespace) -> dict[str, Any]:
    if args.outputs:
        raw = json.loads(Path(args.outputs).read_text("utf-8"))
    else:
        result = subprocess.run(
            ["terraform", "output", "-json"],
            cwd=args.terraform_dir,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"terraform output failed: {result.stderr.strip()}")
        raw = json.loads(result.stdout)
    return {k: v["value"] if isinstance(v, dict) and "value" in v else v for k, v in raw.items()}


def check_resources(outputs: dict[str, Any], client) -> list[str]:
    """One line per checked resource; raises SystemExit naming what is missing."""
    checks = []
    for role, bucket in sorted(outputs["bucket_names"].items()):
        checks.append((f"bucket {role}", lambda b=bucket: client("s3").head_bucket(Bucket=b)))
    for job in sorted(outputs["glue_job_names"].values()):
        checks.append((f"Glue job {job}", lambda j=job: client("glue").get_job(JobName=j)))
    for layer, database in sorted(outputs["database_names"].items()):
        checks.append((f"database {layer}", lambda d=database: client("glue").get_database(Name=d)))
    machine = outputs["state_machine_arn"]
    checks += [
        (
            "state machine",
            lambda: client("stepfunctions").describe_state_machine(stateMachineArn=machine),
        ),
        (
            "Athena workgroup",
            lambda: client("athena").get_work_group(WorkGroup=outputs["athena_workgroup"]),
        ),
        (
            "alerts topic",
            lambda: client("sns").get_topic_attributes(TopicArn=outputs["alerts_topic_arn"]),
        ),
        (
            "PII key secret",
            lambda: client("secretsmanager").describe_secret(SecretId=outputs["pii_key_secret_id"]),
        ),
    ]
    lines, missing = [], []
    for name, call in checks:
        try:
            call()
            lines.append(f"ok       {name}")
        except Exception as error:  # any refusal is a finding to report
            missing.append(f"MISSING  {name}: {type(error).__name__}: {error}")
    if missing:
        raise SystemExit("\n".join(lines + missing))
    return lines


def start(outputs: dict[str, Any], client, run_date: str) -> str:
    sfn = client("stepfunctions")
    name = f"lakehouse-{run_date}-verify"
    try:
        arn = sfn.start_execution(
            stateMachineArn=outputs["state_machine_arn"],
            name=name,
            input=json.dumps({"run_date": run_date}),
        )["executionArn"]
    except sfn.exceptions.ExecutionAlreadyExists:
        arn = outputs["state_machine_arn"].replace(":stateMachine:", ":execution:") + f":{name}"
    return arn


def follow(client, arn: str, timeout_seconds: float) -> dict[str, Any]:
    sfn = client("stepfunctions")
    deadline = time.monotonic() + timeout_seconds
    while True:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return described
        time.sleep(15)


def published_partitions(outputs: dict[str, Any], client, run_id: str) -> list[str]:
    """What readers see from this run: the rows of the publication that the pointer
    table ops.published_partitions names (docs/adr/0007) whose run id is this run's,
    as "<table> <partition value>"."""
    import io

    import pyarrow.parquet as pq

    from lakehouse.contracts.catalog import PUBLICATION_TABLE

    pointer = client("glue").get_table(
        DatabaseName=outputs["database_names"]["ops"], Name=PUBLICATION_TABLE
    )["Table"]
    location = pointer["StorageDescriptor"]["Location"]
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    s3 = client("s3")
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=prefix.rstrip("/") + "/"
    ):
        for obj in page.get("Contents", []):
            if not obj["Key"].endswith(".parquet"):
                continue
            body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
            for row in pq.read_table(io.BytesIO(body)).to_pylist():
                if row["run_id"] == run_id:
                    found.append(f"{row['table_name']} {row['partition_value']}")
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terraform-dir", default=str(REPO_ROOT / "terraform"))
    parser.add_argument("--outputs", help="a `terraform output -json` file instead of running it")
    parser.add_argument("--date", required=True, help="run date YYYY-MM-DD")
    parser.add_argument("--timeout-minutes", type=float, default=120)
    parser.add_argument("--until", choices=["finished", "started"], default="finished")
    parser.add_argument("--double", choices=["moto"], help="the endpoint is a local double")
    args = parser.parse_args(argv)

    from lakehouse.runtime import JobArgumentError, check_run_date

    try:
        check_run_date(args.date)
    except (JobArgumentError, ValueError):
        print(
            f"error: --date must be YYYY-MM-DD (a calendar date), got {args.date!r}",
            file=sys.stderr,
        )
        return 2
    import boto3

    clients: dict[str, Any] = {}

    def client(service: str):
        return clients.setdefault(service, boto3.client(service))

    outputs = outputs_from(args)
    print("\n".join(check_resources(outputs, client)))
    arn = start(outputs, client, args.date)
    print(f"started  {arn}")
    until = "started" if args.double == "moto" else args.until
    if args.double == "moto":
        print(f"not shown by moto: {MOTO_CANNOT_SHOW}")
    timeout = 0 if until == "started" else args.timeout_minutes * 60
    described = follow(client, arn, timeout)
    print(f"status   {described['status']}")
    if until == "started":
        return 0
    if described["status"] != "SUCCEEDED":
        print(f"error    {described.get('error', '')}: {described.get('cause', '')}")
        return 1
    for line in published_partitions(outputs, client, arn.rsplit(":", 1)[1]):
        print(f"published {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
