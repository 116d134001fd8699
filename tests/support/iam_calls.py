"""Every AWS call each actor of the stack makes, as IAM requests to evaluate.

Derived from the code that makes them wherever the code says it: the state machine's
calls from its rendered definition (each Task's integration and parameters), Athena's
reads from the tables each SQL file names (sqlglot), the Glue jobs' S3 paths from the
dataset roots and the layout the jobs write (lakehouse/steps.py), Airflow's from its
operators. IAM actions per Step Functions integration follow the Step Functions guide
(https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html);
S3 with SSE-KMS needs kms:Decrypt to read and kms:GenerateDataKey to write
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lakehouse.layout import landing_object_key
from lakehouse.metrics import METRICS_NAMESPACE
from tests.support.iam_evaluation import SERVICE_PREFIX, Request

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_DATE = "2026-01-01"
RUN_ID = "lakehouse-2026-01-01"
HTTPS = {"aws:SecureTransport": "true"}


@dataclass(frozen=True)
class Stack:
    """What the calls need from a rendered stack (mocked `terraform test` state)."""

    account_id: str
    region: str
    outputs: dict[str, Any]
    resources: dict[str, dict[str, Any]]

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{resource}"

    @property
    def roles(self) -> dict[str, str]:
        return self.outputs["role_arns"]

    @property
    def key(self) -> str:
        return self.outputs["kms_key_arn"]

    @property
    def secret_arn(self) -> str:
        return self.resources["module.secrets.aws_secretsmanager_secret.pii_key"]["arn"]

    def root(self, key: str) -> tuple[str, str]:
        """(bucket, prefix) of a dataset root."""
        bucket, _, prefix = self.outputs["dataset_roots"][key][len("s3://") :].partition("/")
        return bucket, prefix

    @property
    def definition(self) -> dict[str, Any]:
        machine = self.resources["module.orchestration.aws_sfn_state_machine.this"]
        return json.loads(machine["definition"])


# ------------------------------------------------------------------ S3 helpers
def s3_read(principal: str, stack: Stack, bucket: str, prefix: str) -> list[Request]:
    """List a prefix and read an object under it (SSE-KMS: decrypt)."""
    return [
        Request(
            principal,
            "s3:ListBucket",
            f"arn:aws:s3:::{bucket}",
            {**HTTPS, "s3:prefix": f"{prefix}/"},
        ),
        Request(principal, "s3:GetObject", f"arn:aws:s3:::{bucket}/{prefix}/part-0.parquet", HTTPS),
        Request(principal, "kms:Decrypt", stack.key),
    ]


def s3_write(
    principal: str, stack: Stack, bucket: str, prefix: str, *, headers: dict[str, str] | None = None
) -> list[Request]:
    """Write (and replace: delete) objects under a prefix, encrypted with the key."""
    obj = f"arn:aws:s3:::{bucket}/{prefix}/part-0.parquet"
    context = {**HTTPS, **(headers or {})}
    return [
        Request(principal, "s3:PutObject", obj, context),
        Request(principal, "s3:DeleteObject", obj, HTTPS),
        Request(principal, "kms:GenerateDataKey", stack.key),
    ]


def sse_kms_headers(stack: Stack) -> dict[str, str]:
    """Headers Glue (security configuration SSE-KMS) and Athena (SSE_KMS results) send."""
    return {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": stack.key,
    }


# ------------------------------------------------------------------ Athena reads
def tables_read(sql: str) -> set[tuple[str, str]]:
    """(layer, table) of every catalog table a Trino statement reads."""
    import sqlglot
    from sqlglot import exp

    names = set()
    for table in sqlglot.parse_one(sql, read="trino").find_all(exp.Table):
        if table.db:
            names.add((table.db, table.name))
    return names


def athena_query(principal: str, stack: Stack, sql: str) -> list[Request]:
    """Run one query in the workgroup: the Athena calls, the catalog and S3 reads of
    every table it names (Athena reads with the caller's credentials) and the result
    file (https://docs.aws.amazon.com/athena/latest/ug/access.html)."""
    from lakehouse.contracts.catalog import table_definitions

    workgroup = stack.arn("athena", f"workgroup/{stack.outputs['athena_workgroup']}")
    calls = [
        Request(principal, action, workgroup)
        for action in (
            "athena:StartQueryExecution",
            "athena:GetQueryExecution",
            "athena:GetQueryResults",
            "athena:GetWorkGroup",
        )
    ]
    calls.append(
        Request(
            principal, "athena:GetDataCatalog", stack.arn("athena", "datacatalog/AwsDataCatalog")
        )
    )
    definitions = {(t.database, t.name): t for t in table_definitions()}
    layer_of = {db: layer for layer, db in stack.outputs["database_names"].items()}
    for db, name in sorted(tables_read(sql)):
        layer = layer_of.get(db, db)  # deployed SQL names <project>_<env>_<layer>
        database = stack.outputs["database_names"][layer]
        calls += [
            Request(principal, "glue:GetDatabase", stack.arn("glue", f"database/{database}")),
            Request(principal, "glue:GetTable", stack.arn("glue", f"table/{database}/{name}")),
            Request(principal, "glue:GetPartitions", stack.arn("glue", f"table/{database}/{name}")),
            Request(principal, "glue:GetTable", stack.arn("glue", "catalog")),
        ]
        table = definitions[(layer, name)]
        bucket, prefix = stack.root(table.root_key)
        calls += s3_read(principal, stack, bucket, f"{prefix}/{table.dataset}")
    bucket, prefix = stack.root("athena_results_root")
    results = f"arn:aws:s3:::{bucket}/{prefix}/0123-query.csv"
    calls += [
        Request(principal, "s3:PutObject", results, {**HTTPS, **sse_kms_headers(stack)}),
        Request(principal, "s3:GetObject", results, HTTPS),
        Request(principal, "s3:AbortMultipartUpload", results, HTTPS),
        Request(principal, "s3:ListMultipartUploadParts", results, HTTPS),
        Request(principal, "s3:ListBucketMultipartUploads", f"arn:aws:s3:::{bucket}", HTTPS),
        Request(principal, "kms:GenerateDataKey", stack.key),
    ]
    return calls


# ------------------------------------------------------------------ state machine
def _tasks(states: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, state in states.items():
        if state.get("Type") == "Task":
            yield name, state
        for nested in [state.get("ItemProcessor") or state.get("Iterator") or {}] + state.get(
            "Branches", []
        ):
            yield from _tasks(nested.get("States", {}))


def _formatted(template: str) -> str:
    """The text States.Format('<template>', ...) gives for the sample run."""
    text = re.search(r"States\.Format\('([^']*)'", template)
    assert text, template
    out = text.group(1)
    for value in (RUN_DATE, RUN_ID):
        out = out.replace("{}", value, 1)
    return out


def state_machine_calls(stack: Stack) -> list[Request]:
    """Every call of the rendered definition's Tasks, with the resource each names."""
    from lakehouse.contracts import GOLD_TABLES

    role = stack.roles["state_machine"]
    calls: list[Request] = []
    for name, task in _tasks(stack.definition["States"]):
        resource = task["Resource"].removeprefix("arn:aws:states:::")
        params = task.get("Parameters", {})
        if resource == "glue:startJobRun.sync":
            job = stack.arn("glue", f"job/{params['JobName']}")
            for action in ("StartJobRun", "GetJobRun", "GetJobRuns", "BatchStopJobRun"):
                calls.append(Request(role, f"glue:{action}", job))
        elif resource == "athena:startQueryExecution.sync":
            checks = stack.definition["States"]["Configure"]["Parameters"]["checks"]
            for check in checks:
                calls += athena_query(role, stack, check["query"])
        elif resource == "athena:getQueryResults":
            continue  # part of athena_query
        elif resource == "sns:publish":
            calls += [
                Request(role, "sns:Publish", params["TopicArn"]),
                Request(role, "kms:GenerateDataKey", stack.key),
                Request(role, "kms:Decrypt", stack.key),
            ]
        elif resource in ("aws-sdk:s3:getObject", "aws-sdk:s3:putObject"):
            key = _formatted(params["Key.$"])
            obj = f"arn:aws:s3:::{params['Bucket']}/{key}"
            if resource.endswith("getObject"):
                calls += [
                    Request(role, "s3:GetObject", obj, HTTPS),
                    Request(role, "kms:Decrypt", stack.key),
                ]
            else:
                calls += [
                    Request(role, "s3:PutObject", obj, HTTPS),
                    Request(role, "kms:GenerateDataKey", stack.key),
                ]
        elif resource == "aws-sdk:glue:getTable":
            database = params["DatabaseName"]
            calls += [
                Request(role, "glue:GetTable", stack.arn("glue", arn))
                for arn in ("catalog", f"database/{database}", f"table/{database}/{params['Name']}")
            ]
        elif resource == "aws-sdk:glue:batchCreatePartition":
            database = params["DatabaseName"]
            for table in GOLD_TABLES:
                for arn in ("catalog", f"database/{database}", f"table/{database}/staged_{table}"):
                    calls.append(Request(role, "glue:BatchCreatePartition", stack.arn("glue", arn)))
        elif resource == "aws-sdk:glue:updateTable":
            database = params["DatabaseName"]
            pointer = f"table/{database}/published_partitions"
            for arn in ("catalog", f"database/{database}", pointer):
                calls.append(Request(role, "glue:UpdateTable", stack.arn("glue", arn)))
        elif resource == "aws-sdk:s3:listObjectsV2":
            # one per landing object (marker or expected file): its key of the date as
            # the prefix (ReadLandingMarker's landing_objects)
            landing = stack.definition["States"]["ReadLandingMarker"]["Parameters"]
            for entry in landing["landing_objects"]:
                key = landing_object_key(entry, RUN_DATE)
                calls.append(
                    Request(
                        role,
                        "s3:ListBucket",
                        f"arn:aws:s3:::{params['Bucket']}",
                        {**HTTPS, "s3:prefix": key},
                    )
                )
        elif resource == "states:startExecution":
            calls.append(Request(role, "states:StartExecution", stack.outputs["state_machine_arn"]))
        elif resource.startswith("aws-sdk:dynamodb:"):
            action = resource.rsplit(":", 1)[1]
            table = stack.arn("dynamodb", f"table/{params['TableName']}")
            calls.append(Request(role, f"dynamodb:{action[0].upper()}{action[1:]}", table))
        elif resource == "aws-sdk:sfn:describeExecution":
            holder = stack.outputs["state_machine_arn"].replace(":stateMachine:", ":execution:")
            calls.append(Request(role, "states:DescribeExecution", f"{holder}:{RUN_ID}"))
        elif resource == "aws-sdk:cloudwatch:putMetricData":
            # no resource type: the namespace is the cloudwatch:namespace condition key
            # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
            namespace = params.get("Namespace")
            context = {} if namespace is None else {"cloudwatch:namespace": namespace}
            calls.append(Request(role, "cloudwatch:PutMetricData", "*", context))
        else:
            raise ValueError(f"state {name!r}: Resource {resource!r} has no IAM calls here yet")
    return calls


# ------------------------------------------------------------------ Glue jobs
# What each job reads and writes (lakehouse/steps.py): root key -> dataset folders.
JOB_DATA = {
    "bronze_ingest": {"reads": ["raw_root"], "writes": ["bronze_root", "ops_root"]},
    "silver_merge": {
        "reads": ["bronze_root", "silver_root"],
        "writes": ["silver_root", "quarantine_root", "ops_root"],
    },
    "gold_build": {"reads": ["silver_root"], "writes": ["gold_staging_root", "ops_root"]},
}


def glue_calls(stack: Stack) -> list[Request]:
    from lakehouse.contracts import GOLD_TABLES, SOURCE_ENTITIES, load

    role = stack.roles["glue_jobs"]
    headers = sse_kms_headers(stack)
    artifacts = stack.outputs["bucket_names"]["artifacts"]
    calls = [
        Request(
            role,
            "s3:GetObject",
            f"arn:aws:s3:::{artifacts}/glue/scripts/0123/bronze_ingest.py",
            HTTPS,
        ),
        Request(
            role, "s3:GetObject", f"arn:aws:s3:::{artifacts}/glue/lib/0123/lakehouse.zip", HTTPS
        ),
        Request(
            role,
            "s3:PutObject",
            f"arn:aws:s3:::{artifacts}/glue/temp/spark-1",
            {**HTTPS, **headers},
        ),
        Request(role, "secretsmanager:GetSecretValue", stack.secret_arn),
        Request(
            role,
            "logs:PutLogEvents",
            stack.arn("logs", "log-group:/aws-glue/jobs/output:log-stream:jr_1"),
        ),
        Request(role, "cloudwatch:PutMetricData", "*", {"cloudwatch:namespace": "Glue"}),
        # the pipeline's own metrics (lakehouse/contracts/_metrics.json, lakehouse/metrics.py)
        Request(role, "cloudwatch:PutMetricData", "*", {"cloudwatch:namespace": METRICS_NAMESPACE}),
        # the maintenance job looks at the run lock before it changes anything (docs/adr/0014)
        Request(
            role,
            "dynamodb:GetItem",
            stack.arn("dynamodb", f"table/{stack.outputs['run_lock_table']}"),
        ),
    ]
    for entity in SOURCE_ENTITIES:
        contract = load(entity)
        folders = {
            "raw_root": f"{contract.source}/{entity}/ingest_date={RUN_DATE}",
            "bronze_root": f"{entity}/ingest_date={RUN_DATE}",
            "silver_root": f"{entity}/{contract.partition.column}=2026-01",
            "quarantine_root": f"{entity}/ingest_date={RUN_DATE}",
            "ops_root": f"metrics/silver/{entity}/run_date={RUN_DATE}",
        }
        for job, data in JOB_DATA.items():
            if job == "gold_build":
                continue
            for key in data["reads"]:
                bucket, prefix = stack.root(key)
                calls += s3_read(role, stack, bucket, f"{prefix}/{folders[key]}")
            for key in data["writes"]:
                bucket, prefix = stack.root(key)
                calls += s3_write(role, stack, bucket, f"{prefix}/{folders[key]}", headers=headers)
    for table in GOLD_TABLES:
        bucket, prefix = stack.root("gold_staging_root")
        calls += s3_write(role, stack, bucket, f"{prefix}/{table}/run_id={RUN_ID}", headers=headers)
    bucket, prefix = stack.root("ops_root")
    calls += s3_write(
        role, stack, bucket, f"{prefix}/gold_manifest/run_date={RUN_DATE}", headers=headers
    )
    # bronze reads the run manifests before anything else: a date beyond the rerun horizon
    # is refused (lakehouse.maintenance.refuse_beyond_rerun_horizon, docs/adr/0014)
    calls += s3_read(role, stack, bucket, f"{prefix}/run_manifest/run_date={RUN_DATE}")
    return calls


# ------------------------------------------------------------------ the others
def airflow_calls(stack: Stack) -> list[Request]:
    """StepFunctionStartExecutionOperator, StepFunctionExecutionSensor (and its kill),
    and the DAG's failure alerts (airflow/dags/lakehouse_daily.py)."""
    role = stack.roles["airflow"]
    machine = stack.outputs["state_machine_arn"]
    maintenance_job = stack.arn("glue", f"job/{stack.outputs['glue_job_names']['maintenance']}")
    execution = machine.replace(":stateMachine:", ":execution:") + f":{RUN_ID}-try1"
    return [
        Request(role, "states:StartExecution", machine),
        Request(role, "states:DescribeExecution", execution),
        Request(role, "states:StopExecution", execution),
        Request(role, "sns:Publish", stack.outputs["alerts_topic_arn"]),
        Request(role, "kms:GenerateDataKey", stack.key),
        Request(role, "kms:Decrypt", stack.key),
        # the maintenance DAG: GlueJobOperator (GetJob, StartJobRun, BatchStopJobRun on
        # kill) and GlueJobSensor (GetJobRun) on the maintenance job only
        *[
            Request(role, f"glue:{action}", maintenance_job)
            for action in ("GetJob", "StartJobRun", "GetJobRun", "BatchStopJobRun")
        ],
    ]


def analyst_calls(stack: Stack) -> list[Request]:
    """Every shipped query of sql/analytics (the named queries of the workgroup)."""
    calls = []
    for path in sorted((REPO_ROOT / "sql" / "analytics").glob("*.sql")):
        calls += athena_query(stack.roles["analyst"], stack, path.read_text())
    return calls


def landing_events_calls(stack: Stack) -> list[Request]:
    """EventBridge's landing-marker rule starting the pipeline (no KMS: the target input
    is not encrypted with the stack's key)."""
    role = stack.roles["landing_events"]
    return [Request(role, "states:StartExecution", stack.outputs["state_machine_arn"])]


def scheduler_calls(stack: Stack, scheduler_role: str) -> list[Request]:
    return [
        Request(scheduler_role, "states:StartExecution", stack.outputs["state_machine_arn"]),
        Request(scheduler_role, "kms:Decrypt", stack.key),
    ]


def lakeformation_calls(stack: Stack) -> list[Request]:
    """Credential vending for the registered lake locations."""
    role = stack.roles["lakeformation"]
    calls = []
    for key in ("bronze_root", "silver_root", "quarantine_root", "gold_staging_root", "ops_root"):
        bucket, prefix = stack.root(key)
        calls += s3_read(role, stack, bucket, f"{prefix}/any")
        calls += s3_write(role, stack, bucket, f"{prefix}/any")
    return calls


def service_calls(stack: Stack) -> list[Request]:
    """AWS services acting as themselves: EventBridge rules and CloudWatch alarms
    publishing to the encrypted alerts topic, CloudWatch Logs encrypting log groups."""
    topic = stack.outputs["alerts_topic_arn"]
    rule = stack.arn(
        "events",
        f"rule/{stack.outputs['state_machine_name'].removesuffix('-daily-pipeline')}-execution-failed",
    )
    calls = []
    for service, source in (("events", rule), ("cloudwatch", stack.arn("cloudwatch", "alarm:x"))):
        principal = f"{SERVICE_PREFIX}{service}.amazonaws.com"
        calls.append(
            Request(
                principal,
                "sns:Publish",
                topic,
                {"aws:SourceAccount": stack.account_id, "aws:SourceArn": source},
            )
        )
        # The KMS calls SNS makes for these publishers carry no source keys.
        calls += [
            Request(principal, "kms:GenerateDataKey", stack.key),
            Request(principal, "kms:Decrypt", stack.key),
        ]
    logs = f"{SERVICE_PREFIX}logs.{stack.region}.amazonaws.com"
    group = stack.arn(
        "logs", f"log-group:/aws/vendedlogs/states/{stack.outputs['state_machine_name']}"
    )
    calls.append(
        Request(
            logs, "kms:GenerateDataKey", stack.key, {"kms:EncryptionContext:aws:logs:arn": group}
        )
    )
    return calls
