"""Run-time settings of the daily DAG.

Each setting is looked up, in this order, as an Airflow Variable (which may itself come
from `AIRFLOW_VAR_<NAME>` or a secrets backend), an environment variable, a default.
They are read inside task callables and callbacks only, never at parse time: a DAG
file that calls `Variable.get` at top level hits the metadata database on every parse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# <repo>/airflow/dags/lakehouse_airflow/settings.py -> <repo>; only the local target's default
# lake uses it. Guarded: a deployed DAG folder (MWAA: /usr/local/airflow/dags) may sit
# anywhere, and parsing must not fail over a default the AWS target never reads.
_HERE = Path(__file__).resolve()
REPO_ROOT = _HERE.parents[3] if len(_HERE.parents) > 3 else _HERE.parent
TARGETS = ("local", "aws")


class MissingSettingError(LookupError):
    """A setting without a default was read but is set nowhere."""


@dataclass(frozen=True)
class Setting:
    variable: str
    env: str
    default: str | None
    how_to_set: str = ""

    def read(self) -> str:
        from airflow.sdk import Variable

        value = Variable.get(self.variable, default=None) or os.environ.get(self.env)
        value = (value or self.default or "").strip()
        if not value:
            raise MissingSettingError(
                f"Airflow Variable {self.variable!r} (or env {self.env}) is not set. "
                f"{self.how_to_set}".strip()
            )
        return value


TARGET = Setting("lakehouse_target", "LAKEHOUSE_TARGET", "local")
LAKE_DIR = Setting("lakehouse_lake_dir", "LAKEHOUSE_LAKE_DIR", str(REPO_ROOT / ".lake"))
AWS_CONN_ID = Setting("lakehouse_aws_conn_id", "LAKEHOUSE_AWS_CONN_ID", "aws_default")
STATE_MACHINE_ARN = Setting(
    "lakehouse_state_machine_arn",
    "LAKEHOUSE_STATE_MACHINE_ARN",
    None,
    "Set it from Terraform: airflow variables set lakehouse_state_machine_arn "
    '"$(terraform -chdir=terraform output -raw state_machine_arn)"',
)
ALERTS_TOPIC_ARN = Setting(
    "lakehouse_alerts_topic_arn",
    "LAKEHOUSE_ALERTS_TOPIC_ARN",
    None,
    "Set it from Terraform: airflow variables set lakehouse_alerts_topic_arn "
    '"$(terraform -chdir=terraform output -raw alerts_topic_arn)"',
)
# The maintenance DAG (lakehouse_maintenance) on the AWS target.
MAINTENANCE_JOB_NAME = Setting(
    "lakehouse_maintenance_job_name",
    "LAKEHOUSE_MAINTENANCE_JOB_NAME",
    None,
    "Set it from Terraform: airflow variables set lakehouse_maintenance_job_name "
    '"$(terraform -chdir=terraform output -json glue_job_names | jq -r .maintenance)"',
)
RUN_LOCK_TABLE = Setting(
    "lakehouse_run_lock_table",
    "LAKEHOUSE_RUN_LOCK_TABLE",
    None,
    "The state machine's run lock table (<project>-<env>-run-lock): maintenance refuses "
    "to run while a daily run holds it.",
)
OPS_DATABASE = Setting(
    "lakehouse_ops_database",
    "LAKEHOUSE_OPS_DATABASE",
    None,
    "The Glue database of the ops tables (<project>_<env>_ops).",
)
SETTINGS_BY_NAME = {
    "target": TARGET,
    "lake_dir": LAKE_DIR,
    "aws_conn_id": AWS_CONN_ID,
    "state_machine_arn": STATE_MACHINE_ARN,
    "alerts_topic_arn": ALERTS_TOPIC_ARN,
    "maintenance_job_name": MAINTENANCE_JOB_NAME,
    "run_lock_table": RUN_LOCK_TABLE,
    "ops_database": OPS_DATABASE,
}


def target() -> str:
    value = TARGET.read().lower()
    if value not in TARGETS:
        raise ValueError(
            f"{TARGET.variable} / {TARGET.env} must be one of {', '.join(TARGETS)}, got {value!r}"
        )
    return value


def setting(name: str) -> str:
    """Jinja macro `lakehouse_setting('state_machine_arn')` for templated operator fields."""
    return SETTINGS_BY_NAME[name].read()
