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
import os
import runpy
import subprocess
import sys
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
# Throughput only (200 shuffle tasks per tiny stage cost ~20 s per job here); nothing
# a job's results depend on.
THROUGHPUT_CONF = {"spark.sql.shuffle.partitions": "2", "spark.ui.enabled": "false"}
# Differ between any two runs by design (wall-clock stamps), on Glue as locally.
VOLATILE_COLUMNS = {"_ingested_at", "quarantined_at"}
DATA_ROOTS = ("bronze_root", "silver_root", "quarantine_root", "gold_staging_root", "ops_root")

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


def run_job(
    job: str,
    arguments: Mapping[str, str],
    record: Path,
    *,
    aws_endpoint: str,
    spark_conf: Mapping[str, str] | None = None,
    jars: tuple[Path, ...] = (),
    java_options: str = "",
) -> list[dict[str, Any]]:
    """Run glue_jobs/<job>.py through the Glue branch in a new process (a new JVM and
    session, as a Glue job run gets); AssertionError with its stderr if it fails.
    Returns the recorded calls."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LAKEHOUSE_", "SPARK_", "AWS_"))
    }
    conf = {**THROUGHPUT_CONF, **(spark_conf or {})}
    submit = ["--master", "local[2]"]
    for key, value in conf.items():
        submit += ["--conf", f"{key}={value}"]
    if jars:
        submit += ["--jars", ",".join(str(j) for j in jars)]
    if java_options:
        submit += ["--driver-java-options", java_options]
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        PYSPARK_PYTHON=sys.executable,
        PYSPARK_SUBMIT_ARGS=" ".join([*submit, "pyspark-shell"]),
        AWS_ENDPOINT_URL=aws_endpoint,
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
        timeout=900,
    )
    assert result.returncode == 0, (
        f"{job} {arguments.get('--entity', '')} failed:\n{result.stderr[-3000:]}"
    )
    return json.loads(record.read_text("utf-8"))


def datasets_under(roots: Mapping[str, Path]) -> dict[str, Path]:
    """Every Parquet dataset under the given root folders: "<root>/<dataset>" -> folder."""
    found: dict[str, Path] = {}
    for key, root in roots.items():
        for data_file in root.rglob("*.parquet"):
            dataset = data_file.relative_to(root).parts[0]
            found[f"{key}/{dataset}"] = root / dataset
    return found


def partition_folders(folder: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(folder)) for p in folder.rglob("*.parquet"))


def normalised_rows(spark: Any, folder: Path, replacements: Mapping[str, str]) -> tuple[str, list]:
    """(schema, sorted rows) of a dataset folder without the volatile columns, with
    location prefixes in text columns replaced (file:///lake/... vs s3://bucket/...)."""
    from pyspark.sql import functions as F

    df = spark.read.parquet(str(folder))
    keep = [c for c in df.columns if c not in VOLATILE_COLUMNS]
    df = df.select(keep)
    for column, kind in df.dtypes:
        if kind == "string":
            for old, new in replacements.items():
                df = df.withColumn(column, F.replace(F.col(column), F.lit(old), F.lit(new)))
    return df.schema.simpleString(), sorted(map(tuple, df.collect()), key=repr)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
