"""The Glue/local runtime adapter: the only place that knows where a job runs.

Entry scripts call :func:`start_job` and :meth:`JobRuntime.commit`; on Glue that is
``GlueContext`` + ``Job.init/commit``, locally a plain SparkSession. Arguments always
come through ``awsglue.utils.getResolvedOptions`` (it works locally too). Locally
``LAKEHOUSE_RUNTIME=local`` is set by the local runner; on Glue it is absent.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from lakehouse.contracts import SOURCE_ENTITIES, Contract, load

LOG = logging.getLogger("lakehouse")
RUNTIME_ENV = "LAKEHOUSE_RUNTIME"
LOCAL_SECRETS_ENV = "LAKEHOUSE_LOCAL_SECRETS"  # JSON file {secret_id: value}


class JobArgumentError(ValueError):
    """A job was started without an argument it needs, or with a malformed one."""


RUN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_run_date(value: str) -> str:
    if not RUN_DATE.match(value):
        raise JobArgumentError(f"--run_date must be YYYY-MM-DD, got {value!r}")
    date.fromisoformat(value)  # rejects 2026-02-30
    return value


def source_contract(entity: str) -> Contract:
    if entity not in SOURCE_ENTITIES:
        raise JobArgumentError(
            f"--entity must be one of {', '.join(SOURCE_ENTITIES)}, got {entity!r}"
        )
    return load(entity)


def is_local() -> bool:
    return os.environ.get(RUNTIME_ENV, "glue") == "local"


def resolve_args(argv: list[str], names: list[str]) -> dict[str, str]:
    """getResolvedOptions with a clear error naming every missing argument."""
    from awsglue.utils import getResolvedOptions

    missing = [
        n for n in names if f"--{n}" not in argv and not any(a.startswith(f"--{n}=") for a in argv)
    ]
    if missing:
        raise JobArgumentError(f"missing job arguments: {', '.join('--' + m for m in missing)}")
    return getResolvedOptions(argv, names)


@dataclass
class JobRuntime:
    args: dict[str, str]
    spark: SparkSession
    _job: Any = field(default=None, repr=False)

    def commit(self) -> None:
        if self._job is not None:
            self._job.commit()

    def secret(self, secret_id: str) -> str:
        return read_secret(secret_id)


def start_job(
    names: list[str], argv: list[str] | None = None, optional: dict[str, str] | None = None
) -> JobRuntime:
    """Parse arguments and build the session for this runtime, with the settings every
    job relies on applied to it (``lakehouse.spark.JOB_SETTINGS``) on Glue and locally
    alike: Glue's session starts with Spark's defaults.

    ``optional``: {name: default} of arguments a caller may leave out. getResolvedOptions
    fails on a named argument that was not passed, so only the passed ones are resolved
    (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-crawler-pyspark-extensions-get-resolved-options.html).
    """
    from lakehouse.spark import apply_job_settings

    argv = sys.argv if argv is None else argv
    passed = [
        n for n in optional or {} if f"--{n}" in argv or any(a.startswith(f"--{n}=") for a in argv)
    ]
    wanted = ["JOB_NAME", *names, *passed] if not is_local() else [*names, *passed]
    args = {**(optional or {}), **resolve_args(argv, wanted)}
    if is_local():
        from lakehouse.spark import local_session

        return JobRuntime(args=args, spark=local_session())
    from awsglue.context import GlueContext  # only importable on Glue workers
    from awsglue.job import Job
    from pyspark.context import SparkContext

    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    return JobRuntime(args=args, spark=apply_job_settings(glue_context.spark_session), _job=job)


def read_secret(secret_id: str) -> str:
    """Secrets Manager on AWS; a local JSON file (or env) on a laptop."""
    if is_local():
        path = os.environ.get(LOCAL_SECRETS_ENV)
        if path and Path(path).exists():
            secrets = json.loads(Path(path).read_text("utf-8"))
            if secret_id in secrets:
                return str(secrets[secret_id])
        raise JobArgumentError(
            f"local secret {secret_id!r} not found (set {LOCAL_SECRETS_ENV} to a JSON file holding it)"
        )
    import boto3

    return boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"]
