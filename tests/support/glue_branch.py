"""Run a Glue entry script through the GLUE branch of ``lakehouse.runtime``, here.

    python -m tests.support.glue_branch <record.json> <glue_jobs/x.py> --JOB_NAME x --run_date ...

The real ``awsglue`` package (AWSGlueDataplanePython 5.1) is imported and kept,
``awsglue.utils.getResolvedOptions`` included; only the two classes that need Glue's
JVM jars, which no public repository serves, are replaced by stand-ins:

- ``awsglue.context.GlueContext(sc).spark_session``: a session on ``sc`` with Spark's
  OWN defaults, nothing of ours (STATIC partition overwrite, the machine's time zone,
  type inference of partition values...), as a Glue worker's session starts;
- ``awsglue.job.Job``: ``init(name, args)`` and ``commit()`` are recorded, in call
  order, to ``record.json``.

The process must not set ``LAKEHOUSE_RUNTIME`` (so the runtime takes the Glue
branch); secrets are read from Secrets Manager through boto3, so point
``AWS_ENDPOINT_URL`` at a moto server. The master comes from
``PYSPARK_SUBMIT_ARGS`` (``--master local[2] pyspark-shell``), as Glue's
environment provides it to ``SparkContext.getOrCreate()``.
"""

from __future__ import annotations

import json
import runpy
import sys
import types
from pathlib import Path
from typing import Any

CALLS: list[dict[str, Any]] = []


class GlueContext:
    """Stand-in for ``awsglue.context.GlueContext``: only ``spark_session``."""

    def __init__(self, spark_context: Any) -> None:
        from pyspark.sql import SparkSession

        self.spark_context = spark_context
        self.spark_session = SparkSession(spark_context)
        CALLS.append({"call": "GlueContext", "master": spark_context.master})


class Job:
    """Stand-in for ``awsglue.job.Job``: records init and commit."""

    def __init__(self, glue_context: GlueContext) -> None:
        if not isinstance(glue_context, GlueContext):
            raise TypeError("Job(glue_context) needs the GlueContext stand-in")
        self.name: str | None = None

    def init(self, job_name: str, args: dict[str, str] | None = None) -> None:
        self.name = job_name
        CALLS.append({"call": "Job.init", "job_name": job_name, "args": dict(args or {})})

    def commit(self) -> None:
        CALLS.append({"call": "Job.commit", "job_name": self.name})


def install() -> None:
    """Put the stand-ins in place of awsglue.context / awsglue.job (real package kept)."""
    import awsglue
    import awsglue.utils  # noqa: F401  (the real getResolvedOptions stays)

    for name, cls in (("context", GlueContext), ("job", Job)):
        module = types.ModuleType(f"awsglue.{name}", f"stand-in for awsglue.{name}")
        setattr(module, cls.__name__, cls)
        sys.modules[module.__name__] = module
        setattr(awsglue, name, module)


def session_settings() -> dict[str, str]:
    """The settings the job's session ended with (what the job relied on)."""
    from pyspark.sql import SparkSession

    from lakehouse.spark import JOB_SETTINGS

    spark = SparkSession.getActiveSession()
    return {key: spark.conf.get(key, None) for key in JOB_SETTINGS} if spark else {}


def main(argv: list[str]) -> int:
    record, script, *job_args = argv
    install()
    sys.argv = [script, *job_args]
    outcome = "SUCCEEDED"
    try:
        runpy.run_path(script, run_name="__main__")
    except BaseException as exc:
        outcome = f"FAILED: {type(exc).__name__}: {exc}"
        raise
    finally:
        CALLS.append({"call": "end", "outcome": outcome, "settings": session_settings()})
        Path(record).write_text(json.dumps(CALLS, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
