"""Which date a DAG run processes, and what its Step Functions execution is called.

The run date is the `run_date` param when an operator set one, else the date of the
run's logical date, else of its `run_after` (runs triggered from the UI or the API may
have no logical date, so `{{ ds }}` would fail for them). Dates are UTC.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

EXECUTION_PREFIX = "lakehouse"
RUN_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidRunDateError(ValueError):
    """The `run_date` param is not a YYYY-MM-DD calendar date."""


def _field(dag_run: Any, name: str) -> Any:
    # Task contexts carry a DagRun object; deadline callbacks get it as a JSON dict.
    return dag_run.get(name) if isinstance(dag_run, dict) else getattr(dag_run, name, None)


def _as_date(moment: datetime | str | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.date().isoformat()


def requested_run_date(params: dict | None, dag_run: Any = None) -> str | None:
    """The date an operator asked for (param, or trigger conf), validated; else None."""
    conf = (_field(dag_run, "conf") if dag_run is not None else None) or {}
    value = (params or {}).get("run_date") or conf.get("run_date")
    if not value:
        return None
    value = str(value).strip()
    try:
        if not RUN_DATE_PATTERN.match(value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError as error:
        raise InvalidRunDateError(f"run_date must be YYYY-MM-DD, got {value!r}") from error
    return value


def recorded_execution(dag_run: Any, params: dict | None = None) -> str | None:
    """The `recorded_execution` param (or trigger conf): the local execution a registered
    run shows instead of running its date (airflow/local_airflow.py); else None."""
    conf = (_field(dag_run, "conf") if dag_run is not None else None) or {}
    return (params or {}).get("recorded_execution") or conf.get("recorded_execution") or None


def run_date_of(dag_run: Any, params: dict | None = None) -> str:
    """`run_date` param, else (dag_run.logical_date or dag_run.run_after) as YYYY-MM-DD."""
    requested = requested_run_date(params, dag_run)
    if requested:
        return requested
    run_date = _as_date(_field(dag_run, "logical_date")) or _as_date(_field(dag_run, "run_after"))
    if run_date is None:
        raise InvalidRunDateError("the DAG run has neither a logical date nor a run_after")
    return run_date


def execution_name(dag_run: Any, params: dict | None, try_number: int) -> str:
    """`lakehouse-<date>-try<n>` for a run of its own logical date.

    Execution names are unique per state machine, so every Airflow try starts a new one
    (clearing a run increments the try number too). A run that processes another date
    than its logical date (the `run_date` param) or has no logical date adds a key of its
    run id: it must not collide with the executions of the date's own run.
    """
    run_date = run_date_of(dag_run, params)
    parts = [EXECUTION_PREFIX, run_date]
    if run_date != _as_date(_field(dag_run, "logical_date")):
        run_id = str(_field(dag_run, "run_id"))
        parts.append(hashlib.sha1(run_id.encode("utf-8")).hexdigest()[:8])
    parts.append(f"try{int(try_number)}")
    return "-".join(parts)
