"""Spark settings shared by local runs and tests (Glue sets its own on AWS).

They keep local Spark close to Glue 5.1 and fast on a laptop: dynamic partition
overwrite (the default static mode deletes every partition on overwrite), partition
values kept as strings as the Glue catalog has them, UTC, small shuffles.
"""

from __future__ import annotations

import os
import tempfile

from pyspark.sql import SparkSession

GLUE_LIKE_SETTINGS = {
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}
LOCAL_SETTINGS = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "2g",
    # Parquet summary files and _SUCCESS markers are noise in a lake that readers list.
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.hadoop.parquet.summary.metadata.level": "NONE",
}


def local_session(app_name: str = "lakehouse-local") -> SparkSession:
    """One local session (getOrCreate: a second call in the process reuses it)."""
    scratch = tempfile.mkdtemp(prefix="lakehouse-spark-")
    builder = SparkSession.builder.master(os.environ.get("LAKEHOUSE_SPARK_MASTER", "local[2]"))
    builder = builder.appName(app_name)
    for key, value in {**GLUE_LIKE_SETTINGS, **LOCAL_SETTINGS}.items():
        builder = builder.config(key, value)
    builder = builder.config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
    builder = builder.config(
        "spark.driver.extraJavaOptions", f"-Dderby.system.home={os.path.join(scratch, 'derby')}"
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
