"""Local service integrations for the state machine: the same task inputs, outputs and
error names as the AWS ones, backed by local Spark (Glue), DuckDB (Athena), the local
catalog, the lake's bucket folders (S3), an outbox file (SNS) and a metric-data file
(CloudWatch)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lakehouse.local import cloudwatch, outbox
from lakehouse.local.asl import TaskContext, TaskFailed
from lakehouse.local.athena import LocalAthena
from lakehouse.local.catalog import LocalGlueCatalog, bootstrap, call_api
from lakehouse.local.catalog_store import ServiceError
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.dynamodb import LocalDynamoDB
from lakehouse.local.jobs import run_job

GLUE_SYNC_FAILED = "States.TaskFailed"  # what .sync reports when a job run FAILED


@dataclass
class LocalServices:
    """Handlers keyed like the ASL interpreter expects (resource minus arn prefix).

    ``faults`` injects Glue job failures for tests: {job name: number of runs to fail}.
    ``started_listener``: run date -> the ASL listener of an execution this one starts
    (``states:startExecution``), e.g. the terminal's progress lines.
    """

    deployment: LocalDeployment
    faults: dict[str, int] = field(default_factory=dict)
    job_runs: list[dict[str, Any]] = field(default_factory=list)
    started_listener: Callable[[str], Any] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.catalog: LocalGlueCatalog = bootstrap(self.deployment.lake_dir)
        self.athena = LocalAthena(self.deployment.lake_dir, catalog=self.catalog)
        self.dynamodb = LocalDynamoDB(self.deployment.lake_dir)

    @property
    def lake(self) -> Path:
        return self.deployment.lake_dir

    def handlers(self) -> dict[str, Callable[[dict, TaskContext], Any]]:
        return {
            "glue:startJobRun.sync": self.glue_start_job_run_sync,
            "athena:startQueryExecution.sync": self.athena_start_query_sync,
            "athena:getQueryResults": self.athena_get_query_results,
            "sns:publish": self.sns_publish,
            "aws-sdk:glue:getTable": self._glue("getTable"),
            "aws-sdk:glue:batchCreatePartition": self._glue("batchCreatePartition"),
            "aws-sdk:glue:updateTable": self._glue("updateTable"),
            "aws-sdk:s3:getObject": self.s3_get_object,
            "aws-sdk:s3:putObject": self.s3_put_object,
            "aws-sdk:s3:listObjectsV2": self.s3_list_objects_v2,
            "states:startExecution": self.states_start_execution,
            "aws-sdk:sfn:describeExecution": self.sfn_describe_execution,
            "aws-sdk:dynamodb:putItem": lambda p, _c: self.dynamodb.put_item(p),
            "aws-sdk:dynamodb:getItem": lambda p, _c: self.dynamodb.get_item(p),
            "aws-sdk:dynamodb:deleteItem": lambda p, _c: self.dynamodb.delete_item(p),
            "aws-sdk:dynamodb:updateItem": lambda p, _c: self.dynamodb.update_item(p),
            "aws-sdk:cloudwatch:putMetricData": self.cloudwatch_put_metric_data,
        }

    def glue_start_job_run_sync(self, params: dict, context: TaskContext) -> dict:
        job_name = params["JobName"]
        with self._lock:
            injected = self.faults.get(job_name, 0) > 0
            if injected:
                self.faults[job_name] -= 1
        if injected:
            run = {
                "JobName": job_name,
                "JobRunState": "FAILED",
                "ErrorMessage": "injected failure (test fault)",
            }
            self.job_runs.append(run)
            raise TaskFailed(GLUE_SYNC_FAILED, json.dumps(run))
        result = run_job(self.deployment, job_name, params.get("Arguments", {})).as_glue()
        self.job_runs.append(result)
        if result["JobRunState"] != "SUCCEEDED":
            raise TaskFailed(GLUE_SYNC_FAILED, json.dumps(result, default=str))
        return result

    def athena_start_query_sync(self, params: dict, context: TaskContext) -> dict:
        try:  # (LocalAthena registers projected partitions before each query)
            return self.athena.run_sync(params)
        except ServiceError as exc:
            raise TaskFailed(exc.error, exc.cause) from exc

    def athena_get_query_results(self, params: dict, context: TaskContext) -> dict:
        try:
            return self.athena.get_query_results(**params)
        except ServiceError as exc:
            raise TaskFailed(exc.error, exc.cause) from exc

    def sns_publish(self, params: dict, context: TaskContext) -> dict:
        message_id = outbox.publish(
            self.lake, params["TopicArn"], params["Message"], params.get("Subject")
        )
        return {"MessageId": message_id}

    def cloudwatch_put_metric_data(self, params: dict, context: TaskContext) -> dict:
        """``aws-sdk:cloudwatch:putMetricData`` (``Namespace``, ``MetricData``): stored
        by the local CloudWatch in the deployment's metrics file; ``{}`` as the SDK
        integration returns. A request CloudWatch refuses fails the task with
        ``CloudWatch.<Code>Exception`` (``InvalidParameterValue``, ``MissingParameter``).
        https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html"""
        try:
            return cloudwatch.put_metric_data(self.deployment.metrics_file, params)
        except ServiceError as exc:
            raise TaskFailed(exc.error, exc.cause) from exc

    def _glue(self, action: str) -> Callable[[dict, TaskContext], Any]:
        def handler(params: dict, context: TaskContext) -> Any:
            try:
                return call_api(self.catalog, action, params)
            except ServiceError as exc:
                raise TaskFailed(exc.error, exc.cause) from exc

        return handler

    def _object_path(self, bucket: str, key: str) -> Path:
        path = (self.lake / bucket / key).resolve()
        if self.lake not in path.parents:
            raise TaskFailed("S3.S3Exception", f"key escapes the bucket: {bucket}/{key}")
        return path

    def s3_get_object(self, params: dict, context: TaskContext) -> dict:
        path = self._object_path(params["Bucket"], params["Key"])
        if not path.is_file():
            raise TaskFailed(
                "S3.NoSuchKeyException", f"The specified key does not exist. (Key: {params['Key']})"
            )
        body = path.read_text("utf-8")
        return {
            "Body": body,
            "ContentLength": len(body.encode()),
            "ContentType": "application/json",
        }

    def s3_put_object(self, params: dict, context: TaskContext) -> dict:
        path = self._object_path(params["Bucket"], params["Key"])
        body = params.get("Body", "")
        # Step Functions serialises a JSON Body to its text, as here.
        text = body if isinstance(body, str) else json.dumps(body, indent=2, sort_keys=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        return {"ETag": f'"{abs(hash(text)):x}"'}

    def s3_list_objects_v2(self, params: dict, context: TaskContext) -> dict:
        """Keys of the bucket folder starting with ``Prefix``, in UTF-8 binary order, at
        most ``MaxKeys`` (default 1000). ``Delimiter`` and continuation are not emulated:
        a request with them fails naming the parameter.
        https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html"""
        unsupported = sorted({"Delimiter", "ContinuationToken", "StartAfter"} & set(params))
        if unsupported:
            raise TaskFailed(
                "States.Runtime",
                f"listObjectsV2 with {', '.join(unsupported)} is not emulated locally",
            )
        bucket = self._object_path(params["Bucket"], "")
        prefix = params.get("Prefix", "")
        limit = int(params.get("MaxKeys", 1000))
        # only the folder the prefix ends in can hold its keys
        start = bucket / prefix.rsplit("/", 1)[0] if "/" in prefix else bucket
        found = (p for p in start.rglob("*") if p.is_file()) if start.is_dir() else ()
        keys = sorted(
            key
            for key in (p.relative_to(bucket).as_posix() for p in found)
            if key.startswith(prefix)
        )
        contents = [{"Key": key, "Size": (bucket / key).stat().st_size} for key in keys[:limit]]
        listed = {
            "Name": params["Bucket"],
            "Prefix": prefix,
            "KeyCount": len(contents),
            "MaxKeys": limit,
            "IsTruncated": len(keys) > limit,
        }
        # S3 leaves Contents out when no key matched
        return {**listed, "Contents": contents} if contents else listed

    def sfn_describe_execution(self, params: dict, context: TaskContext) -> dict:
        """``DescribeExecution`` of an execution of this state machine, from the local
        execution records: ``Status`` is RUNNING, SUCCEEDED, FAILED, TIMED_OUT or
        ABORTED. An unknown ARN fails with ``Sfn.ExecutionDoesNotExistException``.
        https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html"""
        from lakehouse.local.executions import load_execution

        arn = params["ExecutionArn"]
        prefix = context.execution_arn.rsplit(":", 1)[0] + ":"
        execution = (
            load_execution(self.lake, arn[len(prefix) :]) if arn.startswith(prefix) else None
        )
        if execution is None:
            raise TaskFailed(
                "Sfn.ExecutionDoesNotExistException", f"Execution Does Not Exist: '{arn}'"
            )
        return {
            "ExecutionArn": arn,
            "StateMachineArn": context.execution_arn.rsplit(":", 1)[0].replace(
                ":execution:", ":stateMachine:"
            ),
            "Name": execution.name,
            "Status": execution.status,
            "StartDate": execution.start_date,
        }

    def states_start_execution(self, params: dict, context: TaskContext) -> dict:
        """``states:startExecution`` of this state machine (the scheduled start hands
        over to the run of its date). Like StartExecution, a name that already ran
        returns that execution. Unlike AWS, the new execution runs to its end before
        this returns (AWS starts it and returns at once).
        https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html"""
        from lakehouse.local.executions import load_execution, run_pipeline

        payload = params.get("Input", {})
        payload = json.loads(payload) if isinstance(payload, str) else payload
        name = params["Name"]
        run_date = payload["run_date"]
        listener = self.started_listener(run_date) if self.started_listener else None
        execution = load_execution(self.lake, name) or run_pipeline(
            self.lake, run_date, execution_name=name, listener=listener
        )
        return {
            "ExecutionArn": f"{context.execution_arn.rsplit(':', 1)[0]}:{name}",
            "StartDate": execution.start_date,
        }
