"""The state machine's aws-sdk:cloudwatch:putMetricData task, locally: stored by the
local CloudWatch in the deployment's metrics file, ``{}`` returned as the SDK
integration returns PutMetricData's empty response; a refused request fails the task
with CloudWatch's error name.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html"""

from __future__ import annotations

import pytest

from lakehouse.local.asl import TaskFailed
from lakehouse.local.cloudwatch import read_metric_data
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.integrations import LocalServices

GATE_REQUEST = {
    "Namespace": "Lakehouse",
    "MetricData": [
        {
            "MetricName": "RunsValidated",
            "Dimensions": [{"Name": "Environment", "Value": "local"}],
            "Value": 1,
            "Unit": "Count",
        }
    ],
}


@pytest.fixture
def services(tmp_path) -> LocalServices:
    return LocalServices(LocalDeployment.at(tmp_path))


def test_put_metric_data_is_registered_and_stores_the_request(services) -> None:
    handler = services.handlers()["aws-sdk:cloudwatch:putMetricData"]
    assert handler(GATE_REQUEST, None) == {}
    stored = read_metric_data(services.lake)
    assert len(stored) == 1
    assert {k: stored[0][k] for k in ("Namespace", "MetricData")} == GATE_REQUEST
    assert services.deployment.metrics_file.exists()


def test_a_refused_request_fails_the_task_with_cloudwatchs_error(services) -> None:
    handler = services.handlers()["aws-sdk:cloudwatch:putMetricData"]
    with pytest.raises(TaskFailed) as raised:
        handler({**GATE_REQUEST, "Namespace": "AWS/States"}, None)
    assert raised.value.error == "CloudWatch.InvalidParameterValueException"
    assert "AWS/" in raised.value.cause
    with pytest.raises(TaskFailed) as raised:
        handler({"Namespace": "Lakehouse"}, None)
    assert raised.value.error == "CloudWatch.MissingParameterException"
    assert read_metric_data(services.lake) == []
