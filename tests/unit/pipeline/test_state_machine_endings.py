"""Every way the daily run can end badly alerts (SNS) and records the run, through the
real definition (step_functions/daily_pipeline.asl.json) on the local interpreter,
with stand-in services that answer as AWS does and fail where a test says.

Why stand-ins here: what is asserted is the definition's control flow (Catch, Retry,
Choice), not the services. A path into a missing value of a state's input is a
States.Runtime error, which no Retry or Catch handles on AWS
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
the run would end with no alert and no record. Athena's GetQueryResults gives NULL
as {} and every value as a string (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest

from lakehouse import statemachine
from lakehouse.layout import (
    landing_marker_key,
    landing_object,
    landing_object_key,
    landing_objects,
    landing_prefixes,
)
from lakehouse.local.asl import FakeClock, StateMachine, TaskFailed
from lakehouse.local.dynamodb import LocalDynamoDB
from lakehouse.local.statemachine_local import LOCAL_RUN_LOCK_TABLE, local_values

RUN_DATE = "2026-01-05"


def _row(*values: str | None) -> dict[str, Any]:
    return {"Data": [{"VarCharValue": v} if v is not None else {} for v in values]}


HEADER = _row("check_name", "severity", "passed", "observed", "threshold", "details")


class Services:
    """Stand-ins keyed like the local integrations; ``fail`` names a handler key whose
    call raises, ``verdict_rows`` what every check's GetQueryResults returns."""

    def __init__(self, fail: str | None = None, verdict_rows: list | None = None) -> None:
        self.fail = fail
        self.dynamodb = LocalDynamoDB(Path(tempfile.mkdtemp(prefix="asl-endings-")))
        self.executions: dict[str, str] = {}  # execution ARN -> Status
        self.verdict_rows = verdict_rows
        self.published: list[dict[str, Any]] = []
        self.records: list[dict[str, Any]] = []
        self.partition_calls = 0
        self.glue_runs: list[dict[str, Any]] = []
        self.raw_keys: set[str] = set()  # keys in the raw bucket (landing markers)
        self.listed: list[str] = []  # the prefixes listObjectsV2 was asked for
        self.started: list[dict[str, Any]] = []  # states:startExecution calls
        self.taken_names: set[str] = set()
        self.metric_data: list[dict[str, Any]] = []  # cloudwatch:putMetricData requests

    def held_locks(self) -> set[str]:
        """lock_id of every item left in the run-lock table."""
        tables = list(self.dynamodb.folder.glob("*.json"))
        return {
            json.loads(key)["lock_id"]["S"]
            for table in tables
            for key in json.loads(table.read_text("utf-8"))
        }

    def _maybe_fail(self, key: str) -> None:
        if self.fail == key:
            raise TaskFailed(f"Injected.{key}", f"{key} failed (test)")

    def handlers(self) -> dict[str, Any]:
        def glue(params: dict, _context: Any) -> dict:
            self._maybe_fail(f"glue:{params['JobName']}")
            self.glue_runs.append(params)
            return {"Id": "jr_1", "JobRunState": "SUCCEEDED", "ExecutionTime": 1}

        def get_object(params: dict, _context: Any) -> dict:
            self._maybe_fail("s3:getObject")
            if "/rollback_manifest/" in params["Key"]:
                rolled_back = {
                    "rolled_back_run": f"lakehouse-{RUN_DATE}",
                    "restored_publication": "s3://b/ops/publications/run_id=before",
                    "partitions": [
                        {
                            "table": "daily_sales",
                            "partition_value": RUN_DATE,
                            "from_run": f"lakehouse-{RUN_DATE}",
                            "to_run": None,
                        }
                    ],
                    "publication": {"table_input": {"Name": "published_partitions"}},
                }
                return {"Body": json.dumps(rolled_back)}
            manifest = {
                "tables": [
                    {
                        "table": "daily_sales",
                        "staged_table": "staged_daily_sales",
                        "batches": [[{"Values": ["r", RUN_DATE], "StorageDescriptor": {}}]],
                        "partitions": [{"values": [RUN_DATE]}],
                    }
                ],
                "publication": {"table_input": {"Name": "published_partitions"}},
            }
            return {"Body": json.dumps(manifest)}

        def put_object(params: dict, _context: Any) -> dict:
            self._maybe_fail("s3:putObject")
            self.records.append(params["Body"])
            return {"ETag": '"1"'}

        def start_query(params: dict, _context: Any) -> dict:
            self._maybe_fail("athena:startQueryExecution")
            return {"QueryExecution": {"QueryExecutionId": "q-1"}}

        def results(params: dict, _context: Any) -> dict:
            self._maybe_fail("athena:getQueryResults")
            rows = self.verdict_rows
            if rows is None:
                rows = [HEADER, _row("c", "blocking", "true", "0.0", "0.0", "ok")]
            return {"ResultSet": {"Rows": rows}}

        def sns(params: dict, _context: Any) -> dict:
            self._maybe_fail("sns:publish")
            self.published.append(params)
            return {"MessageId": "m-1"}

        def publish(params: dict, _context: Any) -> dict:
            self.partition_calls += 1
            self._maybe_fail("glue:updateTable")
            return {}

        def get_table(params: dict, _context: Any) -> dict:
            self._maybe_fail("glue:getTable")
            return {"Table": {"StorageDescriptor": {"Location": "s3://b/ops/publications/none"}}}

        def register(params: dict, _context: Any) -> dict:
            self._maybe_fail("glue:batchCreatePartition")
            return {"Errors": []}

        def start_execution(params: dict, _context: Any) -> dict:
            if params["Name"] in self.taken_names:
                raise TaskFailed(
                    "StepFunctions.ExecutionAlreadyExistsException", "Execution Already Exists"
                )
            self.taken_names.add(params["Name"])
            self.started.append(params)
            return {"ExecutionArn": f"arn:exec:{params['Name']}", "StartDate": "x"}

        def list_objects(params: dict, _context: Any) -> dict:
            self.listed.append(params["Prefix"])
            keys = sorted(k for k in self.raw_keys if k.startswith(params["Prefix"]))
            return {"KeyCount": min(len(keys), params.get("MaxKeys", 1000))}

        def put_metric_data(params: dict, _context: Any) -> dict:
            self._maybe_fail("cloudwatch:putMetricData")
            self.metric_data.append(params)
            return {}

        def describe(params: dict, _context: Any) -> dict:
            if params["ExecutionArn"] not in self.executions:
                raise TaskFailed("Sfn.ExecutionDoesNotExistException", "Execution Does Not Exist")
            return {"Status": self.executions[params["ExecutionArn"]]}

        return {
            "glue:startJobRun.sync": glue,
            "aws-sdk:s3:getObject": get_object,
            "aws-sdk:s3:putObject": put_object,
            "athena:startQueryExecution.sync": start_query,
            "athena:getQueryResults": results,
            "sns:publish": sns,
            "aws-sdk:glue:getTable": get_table,
            "aws-sdk:glue:batchCreatePartition": register,
            "aws-sdk:glue:updateTable": publish,
            "states:startExecution": start_execution,
            "aws-sdk:s3:listObjectsV2": list_objects,
            "aws-sdk:dynamodb:putItem": lambda p, _c: self.dynamodb.put_item(p),
            "aws-sdk:dynamodb:getItem": lambda p, _c: self.dynamodb.get_item(p),
            "aws-sdk:dynamodb:deleteItem": lambda p, _c: self.dynamodb.delete_item(p),
            "aws-sdk:dynamodb:updateItem": lambda p, _c: self.dynamodb.update_item(p),
            "aws-sdk:sfn:describeExecution": describe,
            "aws-sdk:cloudwatch:putMetricData": put_metric_data,
        }

    def gate_metrics(self) -> list[dict[str, float]]:
        """{MetricName: Value} of each putMetricData request, in order."""
        return [{d["MetricName"]: d["Value"] for d in r["MetricData"]} for r in self.metric_data]


def _run(
    services: Services,
    handlers: dict[str, Any] | None = None,
    rollback: bool = False,
    execution_input: dict[str, Any] | None = None,
    values: dict[str, str] | None = None,
):
    """The daily definition for RUN_DATE with ``services``' handlers (or ``handlers``);
    ``rollback``: the input {"run_date": RUN_DATE, "rollback": true};
    ``execution_input``: any other input; ``values``: placeholder values replacing the
    local runtime's."""
    definition = statemachine.render({**local_values(), **(values or {})})
    machine = StateMachine(definition, name="lakehouse-local-daily")
    if execution_input is None:
        execution_input = {"run_date": RUN_DATE, **({"rollback": True} if rollback else {})}
    return machine.execute(
        execution_input,
        integrations=handlers if handlers is not None else services.handlers(),
        execution_name=f"lakehouse-{RUN_DATE}",
        clock=FakeClock(),
        time_scale=0,
        rng=random.Random(1),
    )


def test_a_clean_run_publishes_and_records_without_an_alert() -> None:
    services = Services()
    execution = _run(services)
    assert execution.status == "SUCCEEDED", execution.cause
    assert services.published == []
    assert [r["status"] for r in services.records] == ["PUBLISHED"]
    # what a rollback of the date restores: the publication this run replaced
    assert services.records[0]["previous_publication"] == "s3://b/ops/publications/none"
    assert services.held_locks() == set()
    assert services.gate_metrics() == [{"RunsValidated": 1, "RunsBlocked": 0}]


# (what fails, the record status expected, a word the alert subject carries)
BAD_ENDINGS = [
    ("glue:bronze_ingest", "FAILED", "failed"),
    ("glue:silver_merge", "FAILED", "failed"),
    ("glue:gold_build", "FAILED", "failed"),
    ("s3:getObject", "FAILED", "failed"),
    ("athena:startQueryExecution", "FAILED", "failed"),
    ("athena:getQueryResults", "FAILED", "failed"),
    ("glue:getTable", "FAILED", "failed"),
    ("glue:batchCreatePartition", "FAILED", "failed"),
    ("glue:updateTable", "FAILED", "failed"),
]


@pytest.mark.parametrize(("failing", "status", "word"), BAD_ENDINGS)
def test_every_failing_task_alerts_and_records_the_run(
    failing: str, status: str, word: str
) -> None:
    services = Services(fail=failing)
    execution = _run(services)
    assert execution.status == "FAILED"
    assert len(services.published) == 1, services.published
    assert word in services.published[0]["Subject"]
    assert [r["status"] for r in services.records] == [status]
    # the run lock is released on every ending; silver's pending mark stays only when
    # silver did not complete, so the next run of another date refuses to start (it is
    # written after bronze: a failed bronze never touched silver and blocks no date)
    silver_incomplete = failing == "glue:silver_merge"
    assert services.held_locks() == ({"silver-pending"} if silver_incomplete else set())


@pytest.mark.parametrize(
    ("label", "rows"),
    [
        ("NULL verdict", [HEADER, _row("c", "blocking", None, None, "0.0", None)]),
        ("no verdict row", [HEADER]),
        ("false verdict", [HEADER, _row("c", "blocking", "false", "3.0", "0.0", "bad")]),
    ],
)
def test_a_check_without_a_true_verdict_blocks_publish_alerts_and_records(
    label: str, rows: list
) -> None:
    services = Services(verdict_rows=rows)
    execution = _run(services)
    assert execution.status == "FAILED", label
    assert execution.error == "ValidationGateFailed", (label, execution.error, execution.cause)
    assert services.partition_calls == 0, "nothing may be published"
    assert len(services.published) == 1 and "gate" in services.published[0]["Subject"]
    assert [r["status"] for r in services.records] == ["BLOCKED"]
    assert services.held_locks() == set()
    assert services.gate_metrics() == [{"RunsValidated": 1, "RunsBlocked": 1}]


@pytest.mark.parametrize("blocked", [False, True])
def test_a_failure_to_send_the_gate_metrics_neither_holds_back_publish_nor_the_alert(
    blocked: bool,
) -> None:
    """The gate's metrics are observability: when CloudWatch refuses them (after three
    retries) the run still publishes, or is still blocked with its alert and record."""
    rows = [HEADER, _row("c", "blocking", "false", "3.0", "0.0", "bad")] if blocked else None
    services = Services(fail="cloudwatch:putMetricData", verdict_rows=rows)
    execution = _run(services)
    assert services.metric_data == []
    if blocked:
        assert execution.error == "ValidationGateFailed"
        assert [r["status"] for r in services.records] == ["BLOCKED"]
        assert len(services.published) == 1 and "gate" in services.published[0]["Subject"]
    else:
        assert execution.status == "SUCCEEDED", execution.cause
        assert [r["status"] for r in services.records] == ["PUBLISHED"]
        assert services.partition_calls == 1
    assert services.held_locks() == set()


def test_the_gate_metrics_are_the_ones_the_metrics_contract_defines() -> None:
    """Every putMetricData state sends exactly the gate metrics of
    lakehouse/contracts/_metrics.json, in its namespace, with its gate dimensions: a
    metric renamed on one side only would leave the dashboard and the no-run alarm
    reading nothing."""
    contract = json.loads(
        (Path(statemachine.REPO_ROOT) / "lakehouse/contracts/_metrics.json").read_text("utf-8")
    )
    definition = statemachine.render(local_values())
    sends = [
        state["Parameters"]
        for state in definition["States"].values()
        if state.get("Resource", "").endswith(":cloudwatch:putMetricData")
    ]
    assert len(sends) == 2
    for send in sends:
        assert send["Namespace"] == contract["namespace"]
        assert [d["MetricName"] for d in send["MetricData"]] == [
            m["name"] for m in contract["gate_metrics"]
        ]
        for datum in send["MetricData"]:
            assert [d["Name"] for d in datum["Dimensions"]] == contract["gate_dimensions"]


def test_a_failed_alert_still_records_the_run() -> None:
    services = Services(fail="glue:gold_build")
    handlers = services.handlers()

    def broken_sns(params: dict, context: Any) -> dict:
        raise TaskFailed("SNS.InternalErrorException", "topic unavailable")

    handlers["sns:publish"] = broken_sns
    execution = _run(services, handlers)
    assert execution.status == "FAILED"
    assert [r["status"] for r in services.records] == ["FAILED"]


def test_a_record_failing_after_publish_alerts() -> None:
    services = Services()
    handlers = services.handlers()

    def broken_put(params: dict, context: Any) -> dict:
        raise TaskFailed("S3.AccessDeniedException", "denied")

    handlers["aws-sdk:s3:putObject"] = broken_put
    execution = _run(services, handlers)
    assert execution.status == "FAILED"
    assert services.partition_calls == 1
    assert len(services.published) == 1
    assert "run record missing" in services.published[0]["Subject"]


def test_a_rollback_publishes_the_previous_snapshot_records_and_alerts() -> None:
    """Input {"rollback": true}: no layer runs; the gold job in rollback mode writes the
    publication, one UpdateTable publishes it, the run manifest says ROLLED_BACK, the
    alert says which run was rolled back, and every lock is released."""
    services = Services()
    execution = _run(services, rollback=True)
    assert execution.status == "SUCCEEDED", execution.cause
    assert [(r["JobName"], r["Arguments"]["--mode"]) for r in services.glue_runs] == [
        ("gold_build", "rollback")
    ]
    assert services.partition_calls == 1
    assert [r["status"] for r in services.records] == ["ROLLED_BACK"]
    assert services.records[0]["rolled_back_run"] == f"lakehouse-{RUN_DATE}"
    assert [m["Subject"] for m in services.published] == [f"lakehouse {RUN_DATE}: rolled back"]
    assert f"from run lakehouse-{RUN_DATE}" in services.published[0]["Message"]
    assert "1 partitions moved" in services.published[0]["Message"]
    assert services.held_locks() == set()


@pytest.mark.parametrize(
    "failing", ["glue:getTable", "glue:gold_build", "s3:getObject", "glue:updateTable"]
)
def test_a_failing_rollback_alerts_records_and_releases_the_lock(failing: str) -> None:
    services = Services(fail=failing)
    execution = _run(services, rollback=True)
    assert execution.status == "FAILED"
    assert [m["Subject"] for m in services.published] == [f"lakehouse {RUN_DATE}: run failed"]
    assert [r["status"] for r in services.records] == ["FAILED"]
    assert services.held_locks() == set()


OTHER_RUN = "arn:aws:states:local:000000000000:execution:lakehouse-local-daily:other"
RUN_LOCK = {"TableName": LOCAL_RUN_LOCK_TABLE, "Key": {"lock_id": {"S": "daily-run"}}}


def _hold_run_lock(services: Services, holder: str) -> None:
    services.dynamodb.put_item(
        {"TableName": LOCAL_RUN_LOCK_TABLE, "Item": {**RUN_LOCK["Key"], "holder": {"S": holder}}}
    )


def test_a_run_waits_while_a_running_execution_holds_the_run_lock() -> None:
    """A second run finds the lock item held (DynamoDB ConditionalCheckFailedException,
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html),
    sees its holder RUNNING (DescribeExecution), waits, and starts once it is released."""
    services = Services()
    services.executions[OTHER_RUN] = "RUNNING"
    _hold_run_lock(services, OTHER_RUN)
    handlers = services.handlers()
    attempts = {"n": 0}
    put_item = handlers["aws-sdk:dynamodb:putItem"]

    def put_then_release(params: dict, context: Any) -> dict:
        if params["Item"]["lock_id"]["S"] == "daily-run":
            attempts["n"] += 1
            if attempts["n"] == 3:  # the other run ends after two waits
                services.dynamodb.delete_item(RUN_LOCK)
        return put_item(params, context)

    handlers["aws-sdk:dynamodb:putItem"] = put_then_release
    execution = _run(services, handlers)
    assert execution.status == "SUCCEEDED", execution.cause
    assert attempts["n"] == 3
    waits = [e for e in execution.history if e.get("type") == "WaitStateEntered"]
    assert len(waits) == 2
    assert services.held_locks() == set()


@pytest.mark.parametrize("holder_status", ["ABORTED", "TIMED_OUT", "FAILED", "SUCCEEDED", None])
def test_a_lock_left_by_an_execution_that_ended_is_broken(holder_status: str | None) -> None:
    """An execution stopped from outside (StopExecution, a timeout) runs none of its
    states, so it cannot release; the next run breaks the lock of a holder that is not
    RUNNING, or no longer exists (DescribeExecution's ExecutionDoesNotExist,
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html)."""
    services = Services()
    if holder_status is not None:
        services.executions[OTHER_RUN] = holder_status
    _hold_run_lock(services, OTHER_RUN)
    execution = _run(services)
    assert execution.status == "SUCCEEDED", execution.cause
    assert not [e for e in execution.history if e.get("type") == "WaitStateEntered"]
    assert services.held_locks() == set()


def test_a_run_after_torn_silver_of_another_date_stops_and_names_the_date() -> None:
    services = Services()
    services.dynamodb.put_item(
        {
            "TableName": LOCAL_RUN_LOCK_TABLE,
            "Item": {
                "lock_id": {"S": "silver-pending"},
                "run_date": {"S": "2026-01-04"},
                "run_id": {"S": "lakehouse-2026-01-04"},
            },
        }
    )
    execution = _run(services)
    assert execution.status == "FAILED"
    assert execution.error == "SilverIncomplete", (execution.error, execution.cause)
    assert "Rerun 2026-01-04" in execution.cause
    assert services.partition_calls == 0
    assert services.held_locks() == {"silver-pending"}


# --------------------------------------------------------------- starting a date
PREFIXES = [p["prefix"] for p in landing_prefixes()]


def _marker(prefix: str) -> str:
    return landing_marker_key(prefix, RUN_DATE)


def _landing_event(prefix: str, sequencer: str = "0062E99A88DC407460") -> dict[str, Any]:
    """The input the Terraform rule's input transformer gives for an Object Created
    event of a marker (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html)."""
    return {"landing_marker": {"bucket": "raw", "key": _marker(prefix), "sequencer": sequencer}}


SEQUENCERS = ["0062E99A88DC407460", "0062E99A88DC407461", "0062E99A88DC407462"]


def _deliver(services: Services, events: list[tuple[str, str]]) -> None:
    """One hand-over execution per (prefix, sequencer) event, in the given order."""
    for prefix, sequencer in events:
        execution = _run(services, execution_input=_landing_event(prefix, sequencer))
        assert execution.status == "SUCCEEDED", execution.cause


def test_the_event_that_completes_the_dates_markers_starts_it_named_after_its_sequencer() -> None:
    services = Services()
    services.raw_keys = {_marker(p) for p in PREFIXES}
    events = list(zip(PREFIXES, SEQUENCERS, strict=False))
    _deliver(services, events[:-1])
    assert services.started == [], "not every entity's marker event was seen yet"
    _deliver(services, events[-1:])
    last_sequencer = events[-1][1]
    assert [s["Name"] for s in services.started] == [
        f"lakehouse-{RUN_DATE}-landed-{last_sequencer}"
    ]
    started = services.started[0]["Input"]
    assert started["run_date"] == RUN_DATE and started["trigger"] == "landing-marker"
    assert services.dynamodb.get_item(
        {"TableName": LOCAL_RUN_LOCK_TABLE, "Key": {"lock_id": {"S": f"landed-{RUN_DATE}"}}}
    )["Item"]["sequencer"] == {"S": last_sequencer}
    assert services.published == [], "a complete landing is not an alert"


def test_markers_all_written_before_their_events_arrive_start_one_run() -> None:
    """The defect ADR 0012 recorded: with every marker in place before any event is
    processed, each event used to find the date complete and start its own run. Events
    are serialised on the date's landing item, so only the one completing the set of
    entities starts the date, whatever their order."""
    for order in (PREFIXES, list(reversed(PREFIXES))):
        services = Services()
        services.raw_keys = {_marker(p) for p in PREFIXES}
        _deliver(services, list(zip(order, SEQUENCERS, strict=False)))
        assert len(services.started) == 1, [s["Name"] for s in services.started]


def test_a_marker_while_another_entity_is_missing_starts_nothing() -> None:
    services = Services()
    services.raw_keys = {_marker(p) for p in PREFIXES[1:]}
    _deliver(services, list(zip(PREFIXES[1:], SEQUENCERS, strict=False)))
    assert services.started == [] and services.published == []


def test_a_repeated_event_is_a_no_op_and_a_new_version_a_rerun() -> None:
    """EventBridge delivers at least once: the same event again (even late, after the date
    started) starts nothing; a new version of any marker (a new sequencer) of a complete
    date starts a rerun named after it."""
    services = Services()
    services.raw_keys = {_marker(p) for p in PREFIXES}
    events = list(zip(PREFIXES, SEQUENCERS, strict=False))
    _deliver(services, events)
    _deliver(services, [events[-1], events[0]])  # repeats: the last and a late first one
    assert len(services.started) == 1
    _deliver(services, [(PREFIXES[0], "0062E99A88DC407999")])
    assert [s["Name"] for s in services.started] == [
        f"lakehouse-{RUN_DATE}-landed-{SEQUENCERS[len(PREFIXES) - 1]}",
        f"lakehouse-{RUN_DATE}-landed-0062E99A88DC407999",
    ]


@pytest.mark.parametrize("present", [0, len(PREFIXES) - 1])
def test_the_deadline_starts_an_incomplete_date_with_an_alert(present: int) -> None:
    services = Services()
    services.raw_keys = {_marker(p) for p in PREFIXES[:present]}
    execution = _run(services, execution_input={"scheduled_time": f"{RUN_DATE}T06:00:00Z"})
    assert execution.status == "SUCCEEDED", execution.cause
    assert [s["Name"] for s in services.started] == [f"lakehouse-{RUN_DATE}-scheduled"]
    assert [m["Subject"] for m in services.published] == [
        f"lakehouse {RUN_DATE}: landing incomplete at the deadline"
    ]


def test_the_deadline_of_a_complete_date_that_no_marker_started_runs_it_quietly() -> None:
    services = Services()
    services.raw_keys = {_marker(p) for p in PREFIXES}
    execution = _run(services, execution_input={"scheduled_time": f"{RUN_DATE}T06:00:00Z"})
    assert execution.status == "SUCCEEDED", execution.cause
    assert [s["Name"] for s in services.started] == [f"lakehouse-{RUN_DATE}-scheduled"]
    assert services.published == []


def test_the_deadline_of_a_date_its_markers_started_does_nothing() -> None:
    services = Services()
    services.raw_keys = {_marker(p) for p in PREFIXES}
    _deliver(services, list(zip(PREFIXES, SEQUENCERS, strict=False)))
    execution = _run(services, execution_input={"scheduled_time": f"{RUN_DATE}T06:00:00Z"})
    assert execution.status == "SUCCEEDED", execution.cause
    assert [s["Name"] for s in services.started] == [
        f"lakehouse-{RUN_DATE}-landed-{SEQUENCERS[len(PREFIXES) - 1]}"
    ]
    assert services.published == []


# An entity whose contract lists expected files instead of writing the marker
# (contracts/<entity>.json "landing": {"expected_files": [...]}, docs/adr/0012).
ORDERS = next(p["prefix"] for p in landing_prefixes() if p["entity"] == "orders")
EXPECTED_ORDERS = [
    landing_object("orders", ORDERS, "orders_{ingest_date}_01.jsonl"),
    landing_object("orders", ORDERS, "orders_{ingest_date}_02.jsonl"),
]
OBJECTS = [o for o in landing_objects() if o["entity"] != "orders"] + EXPECTED_ORDERS
EXPECTED_FILES = {"landing_json": json.dumps(OBJECTS)}
KEYS = [landing_object_key(o, RUN_DATE) for o in OBJECTS]


def test_expected_files_complete_an_entity_instead_of_its_marker() -> None:
    assert KEYS[-2:] == [
        f"{ORDERS}/ingest_date={RUN_DATE}/orders_{RUN_DATE}_01.jsonl",
        f"{ORDERS}/ingest_date={RUN_DATE}/orders_{RUN_DATE}_02.jsonl",
    ]
    services = Services()
    services.raw_keys = set(KEYS)
    events = [
        {"landing_marker": {"bucket": "raw", "key": key, "sequencer": sequencer}}
        for key, sequencer in zip(KEYS, [*SEQUENCERS, "0062E99A88DC407463"], strict=True)
    ]
    for event in events[:-1]:  # both markers and the first orders file
        _run(services, execution_input=event, values=EXPECTED_FILES)
    assert services.started == [], "the second orders file has not arrived"
    _run(services, execution_input=events[-1], values=EXPECTED_FILES)
    _run(services, execution_input=events[2], values=EXPECTED_FILES)  # a repeat: no-op
    assert [s["Name"] for s in services.started] == [
        f"lakehouse-{RUN_DATE}-landed-0062E99A88DC407463"
    ]


def test_the_deadline_lists_each_expected_file_and_alerts_when_one_is_missing() -> None:
    services = Services()
    services.raw_keys = set(KEYS[:-1])
    execution = _run(
        services,
        execution_input={"scheduled_time": f"{RUN_DATE}T06:00:00Z"},
        values=EXPECTED_FILES,
    )
    assert execution.status == "SUCCEEDED", execution.cause
    assert services.listed == KEYS
    assert [m["Subject"] for m in services.published] == [
        f"lakehouse {RUN_DATE}: landing incomplete at the deadline"
    ]
    assert [s["Name"] for s in services.started] == [f"lakehouse-{RUN_DATE}-scheduled"]
