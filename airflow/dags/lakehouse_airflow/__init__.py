"""Helpers of the `lakehouse_daily` DAG: run-time settings, run identity (date and
execution name), alerts, the local target. Importable because Airflow puts the DAG
folder on sys.path; kept out of DAG parsing by `.airflowignore`.

Nothing here imports the local runtime (pyspark, duckdb) at module level: the DAG
file imports this package at parse time.
"""
