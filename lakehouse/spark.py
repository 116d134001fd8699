"""Spark settings: the ones every job relies on, applied by the job itself on any
runtime, and the ones that only make local Spark fast on a laptop.

On Glue, ``GlueContext(sc).spark_session`` starts with Spark's own defaults (Glue
documents the job parameters it reads, not SQL settings it changes), so a job that
relied on the local builder's settings would run differently there: with Spark's
default STATIC partition overwrite, ``mode("overwrite").partitionBy(...)`` deletes
every partition of a dataset. :func:`apply_job_settings` is therefore called by
``lakehouse.runtime.start_job`` on whatever session it got, Glue or local; every key
in ``JOB_SETTINGS`` is a runtime SQL setting (``spark.conf.set`` accepts it after the
session started) or a Hadoop setting that Spark copies from the session's SQL
settings into each write's Hadoop configuration.

Sources: https://spark.apache.org/docs/3.5.6/configuration.html (runtime vs static
SQL configuration), https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html
(the job parameters Glue sets: ``--conf`` is for Spark settings Glue does not set).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from pyspark.sql import SparkSession

# What the jobs rely on, on Glue and locally alike.
JOB_SETTINGS = {
    # Overwrite only the partitions present in the written rows (Spark's default,
    # static, deletes every partition of the dataset first).
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    # Partition values stay strings (dt=2026-01-01), as the Glue catalog types them.
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    # Timestamps are UTC whatever the machine's (or the Glue worker's) zone.
    "spark.sql.session.timeZone": "UTC",
    # Casts of bad values give NULL, which the rules turn into quarantine reasons.
    "spark.sql.ansi.enabled": "false",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # Hadoop settings (copied into every write's Hadoop configuration): no _SUCCESS
    # markers or Parquet summary files in a lake that readers list.
    "mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "parquet.summary.metadata.level": "NONE",
}
# Only for local runs: small shuffles, no UI, a bounded driver.
LOCAL_SETTINGS = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "2g",
    # The local file system without checksum side files: Hadoop's checksummed one
    # builds a ".<name>.crc" path that fails for a file name holding ":", which is a
    # legal S3 key (docs/adr/0008-landing-file-rules.md).
    "spark.hadoop.fs.file.impl": "org.apache.hadoop.fs.RawLocalFileSystem",
}


def apply_job_settings(spark: SparkSession) -> SparkSession:
    """Set ``JOB_SETTINGS`` on ``spark`` (any session: Glue's or a local one) and
    return it. Raises ``pyspark.errors.AnalysisException`` if a key were a static
    setting that cannot change after the session started."""
    for key, value in JOB_SETTINGS.items():
        spark.conf.set(key, value)
    return spark


LOCAL_SPARK_CONF_DIR = Path(__file__).resolve().parent / "local" / "spark_conf"
SPARK_LOG_ENV = "LAKEHOUSE_SPARK_LOG"  # the file Spark's warnings go to (log4j2.properties)


def local_session(app_name: str = "lakehouse-local") -> SparkSession:
    """One local session (getOrCreate: a second call in the process reuses it).
    Python UDFs (the bronze parsers) run in this interpreter, so its packages are the
    workers' packages, unless PYSPARK_PYTHON says otherwise."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Spark's warnings to a file, not the terminal (lakehouse/local/spark_conf/), and the
    # driver on the loopback interface (no "hostname resolves to a loopback" warning).
    os.environ.setdefault("SPARK_CONF_DIR", str(LOCAL_SPARK_CONF_DIR))
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    scratch = tempfile.mkdtemp(prefix="lakehouse-spark-")
    builder = SparkSession.builder.master(os.environ.get("LAKEHOUSE_SPARK_MASTER", "local[2]"))
    builder = builder.appName(app_name)
    for key, value in LOCAL_SETTINGS.items():
        builder = builder.config(key, value)
    builder = builder.config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
    builder = builder.config(
        "spark.driver.extraJavaOptions", f"-Dderby.system.home={os.path.join(scratch, 'derby')}"
    )
    spark = builder.getOrCreate()
    return apply_job_settings(spark)
