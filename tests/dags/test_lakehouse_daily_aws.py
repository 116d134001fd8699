"""`dag.test()` on the AWS target against a local moto server: the wiring of the Step
Functions operators (name, input, state machine, sensor, output) and of the SNS alert.
The real state machine definition is tested elsewhere; here trivial ones stand in."""

from __future__ import annotations

import json
import subprocess

import pendulum
import pytest

from tests.dags.airflow_helpers import (
    VENV_BIN,
    free_port,
    http_json,
    load_dag,
    prepare_for_dag_test,
    stop_process,
    task_states,
    wait_until,
)

pytestmark = pytest.mark.airflow

REGION = "us-east-1"
ROLE_ARN = "arn:aws:iam::123456789012:role/lakehouse-test-states"
SUCCEEDING_DEFINITION = {
    "StartAt": "Publish",
    "States": {
        "Publish": {
            "Type": "Pass",
            "Parameters": {"run_date.$": "$.run_date", "published": True},
            "End": True,
        }
    },
}
FAILING_DEFINITION = {
    "StartAt": "Gate",
    "States": {"Gate": {"Type": "Fail", "Error": "GateFailed", "Cause": "blocking checks failed"}},
}


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory):
    port = free_port()
    log_file = tmp_path_factory.mktemp("moto") / "moto.log"
    with log_file.open("w") as log:
        server = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: http_json(f"{endpoint}/moto-api/data.json") is not None, 60, "moto")
        # Before any state machine exists: moto then runs executions instead of faking them.
        http_json(
            f"{endpoint}/moto-api/config",
            "POST",
            {"stepfunctions": {"execute_state_machine": True}},
        )
        yield endpoint
    finally:
        stop_process(server)


@pytest.fixture(scope="module")
def aws(moto_endpoint):
    import boto3

    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    return {
        name: session.client(name, endpoint_url=moto_endpoint)
        for name in ("stepfunctions", "sns", "sqs")
    }


@pytest.fixture(scope="module")
def state_machines(aws):
    def create(name, definition):
        return aws["stepfunctions"].create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=ROLE_ARN
        )["stateMachineArn"]

    return {
        "succeeding": create("lakehouse-test-succeeding", SUCCEEDING_DEFINITION),
        "failing": create("lakehouse-test-failing", FAILING_DEFINITION),
    }


@pytest.fixture(scope="module")
def alerts_queue(aws):
    """The alerts topic with a queue subscribed: what reaches the topic can be read back."""
    topic_arn = aws["sns"].create_topic(Name="lakehouse-test-alerts")["TopicArn"]
    queue_url = aws["sqs"].create_queue(QueueName="lakehouse-test-alerts")["QueueUrl"]
    queue_arn = aws["sqs"].get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    aws["sns"].subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    return {"topic_arn": topic_arn, "queue_url": queue_url}


@pytest.fixture
def aws_target(monkeypatch, moto_endpoint, alerts_queue):
    """The DAG pointed at moto through the `aws_default` connection and Variables."""
    connection = {
        "conn_type": "aws",
        "login": "testing",
        "password": "testing",
        "extra": {"endpoint_url": moto_endpoint, "region_name": REGION},
    }
    monkeypatch.setenv("AIRFLOW_CONN_AWS_DEFAULT", json.dumps(connection))
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_TARGET", "aws")
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_ALERTS_TOPIC_ARN", alerts_queue["topic_arn"])

    def run(state_machine_arn: str, day: str, run_conf: dict | None = None):
        monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_STATE_MACHINE_ARN", state_machine_arn)
        dag = prepare_for_dag_test(load_dag())
        logical_date = pendulum.parse(day, tz="UTC")
        return dag.test(logical_date=logical_date, run_conf=run_conf)

    return run


def executions(aws, state_machine_arn: str) -> dict[str, dict]:
    listed = aws["stepfunctions"].list_executions(stateMachineArn=state_machine_arn)["executions"]
    return {
        e["name"]: aws["stepfunctions"].describe_execution(executionArn=e["executionArn"])
        for e in listed
    }


def xcom_value(dag_run, task_id: str):
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    query = XComModel.get_many(
        run_id=dag_run.run_id, dag_ids=dag_run.dag_id, task_ids=task_id, key="return_value"
    )
    with create_session() as session:
        return XComModel.deserialize_value(session.scalars(query).first())


def test_a_succeeding_execution_is_started_followed_and_summarised(
    airflow_home, aws, state_machines, aws_target
):
    dag_run = aws_target(state_machines["succeeding"], "2026-01-03")

    assert str(dag_run.state) == "success", task_states(dag_run)
    assert task_states(dag_run)["run_local_pipeline"] == "skipped"
    started = executions(aws, state_machines["succeeding"])
    assert set(started) == {"lakehouse-2026-01-03-try1"}
    execution = started["lakehouse-2026-01-03-try1"]
    assert json.loads(execution["input"]) == {"run_date": "2026-01-03"}
    assert execution["status"] == "SUCCEEDED"
    expected_output = {"run_date": "2026-01-03", "published": True}
    assert json.loads(execution["output"]) == expected_output
    assert xcom_value(dag_run, "log_run_summary") == expected_output


def test_the_run_date_param_reruns_another_date_under_its_own_name(
    airflow_home, aws, state_machines, aws_target
):
    dag_run = aws_target(state_machines["succeeding"], "2026-01-04", {"run_date": "2025-12-30"})

    assert str(dag_run.state) == "success", task_states(dag_run)
    [(name, execution)] = [
        (n, e)
        for n, e in executions(aws, state_machines["succeeding"]).items()
        if "2025-12-30" in n
    ]
    assert name.startswith("lakehouse-2025-12-30-") and name.endswith("-try1")
    assert json.loads(execution["input"]) == {"run_date": "2025-12-30"}


def test_a_failed_execution_fails_the_run_and_alerts_the_topic(
    airflow_home, aws, state_machines, alerts_queue, aws_target
):
    dag_run = aws_target(state_machines["failing"], "2026-01-05")

    assert str(dag_run.state) == "failed", task_states(dag_run)
    states = task_states(dag_run)
    assert states["start_execution"] == "success"
    assert states["wait_for_execution"] == "failed"
    assert states["get_execution_output"] == "upstream_failed"
    started = executions(aws, state_machines["failing"])
    assert started["lakehouse-2026-01-05-try1"]["status"] == "FAILED"
    received = (
        aws["sqs"]
        .receive_message(
            QueueUrl=alerts_queue["queue_url"], MaxNumberOfMessages=10, WaitTimeSeconds=2
        )
        .get("Messages", [])
    )
    notifications = [json.loads(m["Body"]) for m in received]
    [alert] = [n for n in notifications if n.get("Subject", "").startswith("lakehouse_daily")]
    assert alert["Subject"] == "lakehouse_daily failed for 2026-01-05"
    details = json.loads(alert["Message"])
    assert details["failed_task"] == "wait_for_execution"
    assert details["target"] == "aws"
