"""Athena on DuckDB: the Athena API the state machine and ``lakehouse query`` call.

``start_query_execution`` / ``get_query_execution`` / ``get_query_results`` take the
boto3 parameters and return Athena's response shapes. A query runs to completion
inside ``start_query_execution`` (it is never seen QUEUED or RUNNING); its outcome,
result CSV and ``.metadata`` are kept in the lake, so any process can read them later.

Errors come in Athena's two kinds: a rejected request raises ``AthenaError``
(``Athena.InvalidRequestException``), a query that cannot run ends FAILED with an
Athena-style StateChangeReason. ``run_sync`` is ``athena:startQueryExecution.sync``:
it raises ``QueryExecutionFailed`` (``States.TaskFailed``, the execution as Cause).
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

import duckdb

from lakehouse.layout import Roots, join
from lakehouse.local.athena_format import MACROS as FORMAT_MACROS
from lakehouse.local.athena_results import (
    column_info,
    decode_token,
    format_value,
    read_column_info,
    read_result_rows,
    results_page,
    write_result_files,
)
from lakehouse.local.athena_sql import (
    ATHENA_CATALOG,
    DIVISION_BY_ZERO,
    INVALID_CAST,
    NOT_EMULATED,
    SYSTEM_ERROR,
    UNNAMED_OUTPUT,
    USER_RUNTIME_ERROR,
    QueryFailure,
    translate,
)
from lakehouse.local.athena_tables import register_tables
from lakehouse.local.athena_trino import MACROS
from lakehouse.local.catalog import LocalGlueCatalog, ServiceError, resolve_location

log = logging.getLogger(__name__)

INVALID_REQUEST = "InvalidRequestException"
# What Step Functions reports when the query behind athena:startQueryExecution.sync ends
# FAILED: the generic task failure, with the GetQueryExecution output as Cause.
SYNC_QUERY_FAILED = "States.TaskFailed"
DEFAULT_WORKGROUP = "primary"
DEFAULT_DATABASE = "default"
MAX_RESULTS = 1000
MAX_QUERY_LENGTH = 262144
ENGINE_VERSION = {
    "SelectedEngineVersion": "AUTO",
    "EffectiveEngineVersion": "Athena engine version 3",
}
_TOKEN_NAMESPACE = uuid.UUID("6f1d3c52-3b5e-4f4e-9a43-6c1c8a0b7e11")


class AthenaError(ServiceError):
    """A rejected Athena API call; ``error`` is e.g. Athena.InvalidRequestException."""

    def __init__(self, code: str, message: str) -> None:
        request = (
            f"(Service: AmazonAthena; Status Code: 400; Error Code: {code}; "
            f"Request ID: {uuid.uuid4()}; Proxy: null)"
        )
        super().__init__(f"Athena.{code}", f"{message} {request}")
        self.code = code
        self.message = message


class QueryExecutionFailed(ServiceError):
    """``startQueryExecution.sync`` whose query ended FAILED or CANCELLED."""

    def __init__(self, execution: dict) -> None:
        super().__init__(SYNC_QUERY_FAILED, json.dumps(execution))
        self.execution = execution


def _epoch_ms() -> int:
    return int(time.time() * 1000)


def _validate_start(query: str, context: dict | None, parameters: list[str] | None) -> None:
    if not query or len(query) > MAX_QUERY_LENGTH:
        message = "queryString must be between 1 and 262144 characters"
        raise AthenaError(INVALID_REQUEST, message)
    if context is not None and not (context.get("Database") or context.get("Catalog")):
        message = (
            "Both queryExecutionContext.catalog and queryExecutionContext.database "
            "are null or empty"
        )
        raise AthenaError(INVALID_REQUEST, message)
    if parameters is not None and not all(1 <= len(p) <= 1024 for p in parameters):
        raise AthenaError(INVALID_REQUEST, "executionParameters must be 1 to 1024 characters")


def _engine_failure(exc: duckdb.Error) -> QueryFailure:
    """A DuckDB error as the Trino error Athena would have reported."""
    text = str(exc).split("\n")[0]
    if DIVISION_BY_ZERO in text:
        return QueryFailure(DIVISION_BY_ZERO, "Division by zero", error_type=USER_RUNTIME_ERROR)
    # raised by the translation's guards
    for code in (INVALID_CAST, NOT_EMULATED, "INVALID_FUNCTION_ARGUMENT", OUT_OF_RANGE):
        if f"{code}: " in text:
            message = text.split(f"{code}: ", 1)[-1]
            return QueryFailure(code, message, error_type=USER_RUNTIME_ERROR)
    if isinstance(exc, duckdb.OutOfRangeException) or "Overflow in" in text:
        return QueryFailure(OUT_OF_RANGE, text, error_type=USER_RUNTIME_ERROR)
    if isinstance(exc, duckdb.ConversionException):
        return QueryFailure("INVALID_CAST_ARGUMENT", text, error_type=USER_RUNTIME_ERROR)
    if isinstance(exc, duckdb.IOException) or "parquet" in text.lower():
        return QueryFailure("HIVE_CANNOT_OPEN_SPLIT", text, error_type=USER_RUNTIME_ERROR)
    if isinstance(exc, duckdb.CatalogException):  # tables were resolved: a function is missing
        return QueryFailure("FUNCTION_NOT_FOUND", text)
    if isinstance(exc, duckdb.BinderException):
        return QueryFailure("TYPE_MISMATCH", text)
    return QueryFailure("GENERIC_USER_ERROR", text, error_type=USER_RUNTIME_ERROR)


def result_names(names: list[str]) -> list[str]:
    """An output without a name is ``_col<position>`` in Athena, also one that comes
    from a subquery or VALUES through ``*`` (tagged by the translation)."""
    return [f"_col{i}" if n.startswith(UNNAMED_OUTPUT) else n for i, n in enumerate(names)]


def _refuse_unemulated_types(types: list[duckdb.DuckDBPyType]) -> None:
    """Result columns the local engine cannot print as Athena does fail as not emulated:
    intervals (Trino has two types printed its own way, ``2 03:00:00.000`` and ``3-5``;
    DuckDB has one), nanosecond timestamps, reals nested in arrays, maps or rows."""
    for type_ in types:
        name = str(type_).upper()
        if "INTERVAL" in name:
            message = "a result of an interval type is not emulated by the local Athena"
            raise QueryFailure(NOT_EMULATED, message)
        if "TIMESTAMP_NS" in name:
            message = "a timestamp above millisecond precision is not emulated by the local Athena"
            raise QueryFailure(NOT_EMULATED, message)
        if name != "FLOAT" and "FLOAT" in name:  # Java prints a real in an array its own way
            message = "an array, map or row of reals is not emulated by the local Athena"
            raise QueryFailure(NOT_EMULATED, message)


OUT_OF_RANGE = "NUMERIC_VALUE_OUT_OF_RANGE"


class LocalAthena:
    """Athena for one local lake; the workgroup's output location is the lake's
    ``athena_results_root`` (``<lake>/lakehouse-local-artifacts-000000000000-local/athena-results``)."""

    def __init__(self, lake_dir: str | Path, catalog: LocalGlueCatalog | None = None) -> None:
        self.lake_dir = Path(lake_dir).resolve()
        self.catalog = catalog or LocalGlueCatalog(self.lake_dir)
        self.results_root = Roots.local(self.lake_dir).athena_results_root
        self.executions_dir = self.lake_dir / "_local" / "athena" / "executions"

    # -- the API ------------------------------------------------------------------
    def start_query_execution(
        self,
        *,
        QueryString: str,
        QueryExecutionContext: dict | None = None,
        ResultConfiguration: dict | None = None,
        WorkGroup: str | None = None,
        ExecutionParameters: list[str] | None = None,
        ClientRequestToken: str | None = None,
        **_: Any,
    ) -> dict:
        _validate_start(QueryString, QueryExecutionContext, ExecutionParameters)
        if ClientRequestToken:  # Athena's idempotency: same token, same execution
            execution_id = str(uuid.uuid5(_TOKEN_NAMESPACE, ClientRequestToken))
            if self._record_path(execution_id).exists():
                return {"QueryExecutionId": execution_id}
        else:
            execution_id = str(uuid.uuid4())
        output_root = (ResultConfiguration or {}).get("OutputLocation") or self.results_root
        execution = {
            "QueryExecutionId": execution_id,
            "Query": QueryString,
            "StatementType": "DML",
            "ResultConfiguration": {"OutputLocation": join(output_root, f"{execution_id}.csv")},
            "QueryExecutionContext": dict(QueryExecutionContext or {}),
            "WorkGroup": WorkGroup or DEFAULT_WORKGROUP,
            "EngineVersion": ENGINE_VERSION,
            "SubstatementType": "SELECT",
            **({"ExecutionParameters": list(ExecutionParameters)} if ExecutionParameters else {}),
        }
        self._execute(execution, list(ExecutionParameters or []))
        return {"QueryExecutionId": execution_id}

    def get_query_execution(self, *, QueryExecutionId: str, **_: Any) -> dict:
        path = self._record_path(QueryExecutionId)
        if not path.exists():
            raise AthenaError(INVALID_REQUEST, f"QueryExecution {QueryExecutionId} was not found")
        return {"QueryExecution": json.loads(path.read_text(encoding="utf-8"))}

    def get_query_results(
        self,
        *,
        QueryExecutionId: str,
        NextToken: str | None = None,
        MaxResults: int | None = None,
        **_: Any,
    ) -> dict:
        execution = self.get_query_execution(QueryExecutionId=QueryExecutionId)["QueryExecution"]
        status = execution["Status"]
        if status["State"] != "SUCCEEDED":  # Athena answers with the failure reason
            raise AthenaError(INVALID_REQUEST, status.get("StateChangeReason", status["State"]))
        size = MAX_RESULTS if MaxResults is None else MaxResults
        if not 1 <= size <= MAX_RESULTS:
            raise AthenaError(INVALID_REQUEST, "MaxResults must be between 1 and 1000")
        try:
            offset = decode_token(NextToken, QueryExecutionId) if NextToken else 0
        except ValueError as exc:
            raise AthenaError(INVALID_REQUEST, "Invalid NextToken") from exc
        csv_path = resolve_location(
            self.lake_dir, execution["ResultConfiguration"]["OutputLocation"]
        )
        rows = read_result_rows(csv_path)
        return results_page(QueryExecutionId, rows, read_column_info(csv_path), offset, size)

    def stop_query_execution(self, *, QueryExecutionId: str, **_: Any) -> dict:
        self.get_query_execution(QueryExecutionId=QueryExecutionId)  # finished already
        return {}

    def run_sync(self, params: dict) -> dict:
        """``athena:startQueryExecution.sync``: the GetQueryExecution output of a query
        that SUCCEEDED; raises QueryExecutionFailed (States.TaskFailed) otherwise."""
        started = self.start_query_execution(**params)
        output = self.get_query_execution(QueryExecutionId=started["QueryExecutionId"])
        if output["QueryExecution"]["Status"]["State"] != "SUCCEEDED":
            raise QueryExecutionFailed(output)
        return output

    # -- execution ----------------------------------------------------------------
    def _record_path(self, execution_id: str) -> Path:
        if not execution_id or "/" in execution_id or execution_id.startswith("."):
            raise AthenaError(INVALID_REQUEST, f"QueryExecution {execution_id} was not found")
        return self.executions_dir / f"{execution_id}.json"

    def _execute(self, execution: dict, parameters: list[str]) -> None:
        submitted, started = _epoch_ms(), time.perf_counter()
        status: dict[str, Any] = {"SubmissionDateTime": submitted}
        scanned = 0
        try:
            scanned = self._run(execution, parameters)
            status["State"] = "SUCCEEDED"
        except QueryFailure as failure:
            status.update(State="FAILED", StateChangeReason=failure.reason)
            status["AthenaError"] = {
                "ErrorCategory": failure.category,
                "ErrorType": failure.error_type,
                "Retryable": False,
                "ErrorMessage": failure.message,
            }
        elapsed = int((time.perf_counter() - started) * 1000)
        status["CompletionDateTime"] = submitted + elapsed
        execution["Status"] = status
        execution["Statistics"] = {
            "EngineExecutionTimeInMillis": elapsed,
            "DataScannedInBytes": scanned,
            "TotalExecutionTimeInMillis": elapsed,
            "QueryQueueTimeInMillis": 0,
            "ServicePreProcessingTimeInMillis": 0,
            "QueryPlanningTimeInMillis": 0,
            "ServiceProcessingTimeInMillis": 0,
            "ResultReuseInformation": {"ReusedPreviousResult": False},
        }
        self.executions_dir.mkdir(parents=True, exist_ok=True)
        path = self._record_path(execution["QueryExecutionId"])
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(json.dumps(execution, indent=2), encoding="utf-8")
        os.replace(partial, path)

    def _run(self, execution: dict, parameters: list[str]) -> int:
        """Runs the query and writes its result files; returns the bytes it scanned."""
        context = execution["QueryExecutionContext"]
        catalog_name = context.get("Catalog") or ATHENA_CATALOG
        database = context.get("Database") or DEFAULT_DATABASE
        # Partition projection: on AWS a projected table's partitions are whatever
        # folders exist when the query runs (no registration). Locally they are
        # registered from the folders right before each query.
        # https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
        self.catalog.sync_all_partitions()
        con = duckdb.connect()
        try:
            con.execute("SET TimeZone = 'UTC'")  # Athena reads and prints timestamps in UTC
            for macro in MACROS + FORMAT_MACROS:
                con.execute(macro)
            query = translate(
                execution["Query"], parameters, (catalog_name, database), self.catalog
            )
            scanned = register_tables(con, self.lake_dir, self.catalog, query.tables)
            relation = con.sql(query.duckdb_sql)
            names, types = relation.columns, relation.types
            _refuse_unemulated_types(types)
            values = relation.fetchall()
        except duckdb.Error as exc:
            raise _engine_failure(exc) from exc
        except QueryFailure:
            raise
        except Exception as exc:  # Athena reports its own bugs as a failed query, too
            log.exception("local Athena failed on %r", execution["Query"])
            message = f"{type(exc).__name__}: {exc}"
            raise QueryFailure("GENERIC_INTERNAL_ERROR", message, category=SYSTEM_ERROR) from exc
        finally:
            con.close()
        names = result_names(names)
        columns = [
            column_info(n, t, i in query.date_columns)
            for i, (n, t) in enumerate(zip(names, types, strict=True))
        ]
        rows: list[list[str | None]] = [list(names)]
        rows += [
            [format_value(v, c["Type"]) for v, c in zip(row, columns, strict=True)]
            for row in values
        ]
        csv_path = resolve_location(
            self.lake_dir, execution["ResultConfiguration"]["OutputLocation"]
        )
        write_result_files(csv_path, rows, columns)
        return scanned
