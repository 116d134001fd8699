"""The dev stack applied to moto_server: clean re-plan, deployed resources as
expected (tests/support/stack_checks.py), nothing left after destroy. One server
and one apply per session (conftest.py); the destroy test runs last in this file."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.support import stack_checks
from tests.support import terraform_offline as tfo

pytestmark = pytest.mark.infra


def _client(server: tfo.MotoServer, service: str):
    return boto3.client(
        service,
        endpoint_url=server.url,
        region_name=tfo.MOTO_REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


# ------------------------------------------------------------------ the launcher's shims
def test_shim_validate_state_machine_definition_answers_ok(moto_server: tfo.MotoServer) -> None:
    definition = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    answer = _client(moto_server, "stepfunctions").validate_state_machine_definition(
        definition=definition
    )
    assert answer["result"] == "OK" and answer["diagnostics"] == []


def test_shim_lake_formation_revoke_of_nothing_is_an_error(moto_server: tfo.MotoServer) -> None:
    lf = _client(moto_server, "lakeformation")
    principal = {"DataLakePrincipalIdentifier": "arn:aws:iam::123456789012:role/shim-probe"}
    resource = {"Database": {"Name": "shim_probe_db"}}
    lf.grant_permissions(Principal=principal, Resource=resource, Permissions=["DESCRIBE"])
    lf.revoke_permissions(Principal=principal, Resource=resource, Permissions=["DESCRIBE"])
    with pytest.raises(ClientError) as error:
        lf.revoke_permissions(Principal=principal, Resource=resource, Permissions=["DESCRIBE"])
    assert error.value.response["Error"]["Code"] == "InvalidInputException"
    assert "No permissions revoked. Grantee has no" in error.value.response["Error"]["Message"]


def test_shim_athena_delete_named_query_deletes_it(moto_server: tfo.MotoServer) -> None:
    athena = _client(moto_server, "athena")
    athena.create_work_group(Name="shim-probe")
    query_id = athena.create_named_query(
        Name="probe", Database="db", QueryString="select 1", WorkGroup="shim-probe"
    )["NamedQueryId"]
    athena.delete_named_query(NamedQueryId=query_id)
    assert athena.list_named_queries(WorkGroup="shim-probe")["NamedQueryIds"] == []
    athena.delete_work_group(WorkGroup="shim-probe")


def test_shim_s3_delete_objects_removes_delete_marker_versions(moto_server: tfo.MotoServer) -> None:
    """What `terraform destroy` does to empty a versioned bucket with deleted objects
    (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html)."""
    s3 = _client(moto_server, "s3")
    bucket = "shim-probe-versions"
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": tfo.MOTO_REGION}
    )
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="a", Body=b"1")
    s3.delete_object(Bucket=bucket, Key="a")  # leaves a delete marker
    listed = s3.list_object_versions(Bucket=bucket)
    versions = [
        {"Key": v["Key"], "VersionId": v["VersionId"]}
        for v in listed.get("Versions", []) + listed.get("DeleteMarkers", [])
    ]
    answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": versions})
    assert not answer.get("Errors"), answer
    assert "Versions" not in s3.list_object_versions(Bucket=bucket)
    s3.delete_bucket(Bucket=bucket)


# ------------------------------------------------------------------ the applied stack
@pytest.fixture(scope="module")
def context(moto_stack: tfo.MotoStack) -> stack_checks.StackContext:
    return stack_checks.StackContext.from_stack(moto_stack)


def test_replan_reports_no_changes(moto_stack: tfo.MotoStack) -> None:
    code, output = moto_stack.plan_exit_code()
    assert code == 0, (
        f"terraform plan -detailed-exitcode exited {code} (2 = changes):\n{output[-6000:]}"
    )


@pytest.mark.parametrize("name", list(stack_checks.DEPLOYED_CHECKS))
def test_deployed(name: str, context: stack_checks.StackContext) -> None:
    stack_checks.DEPLOYED_CHECKS[name](context)


def test_first_deploy_verification_runs_against_the_stack(
    moto_server: tfo.MotoServer, moto_stack: tfo.MotoStack, tmp_path
) -> None:
    """terraform/README.md's verification command, as far as moto goes: every
    resource found, the date's execution started (twice: the same one) and described;
    it says what moto cannot show."""
    import os
    import subprocess
    import sys

    outputs = tmp_path / "outputs.json"
    outputs.write_text(moto_stack.terraform("output", "-json").stdout)
    env = dict(
        os.environ,
        AWS_ENDPOINT_URL=moto_server.url,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=tfo.MOTO_REGION,
    )
    command = [
        sys.executable,
        str(tfo.REPO_ROOT / "scripts" / "verify_deployment.py"),
        "--outputs",
        str(outputs),
        "--date",
        "2026-01-01",
        "--double",
        "moto",
    ]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert sum(line.startswith("ok ") for line in lines) >= 15, first.stdout
    assert not [line for line in lines if line.startswith("MISSING")]
    started = [line for line in lines if line.startswith("started")]
    assert started and started[0].endswith(":lakehouse-2026-01-01-verify"), first.stdout
    assert any(line.startswith("not shown by moto:") for line in lines)
    assert any(line.startswith("status ") for line in lines)
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert [line for line in again.stdout.splitlines() if line.startswith("started")] == started
    assert (
        "--date must be YYYY-MM-DD"
        in subprocess.run(
            [*command[:-4], "--date", "2026-1-1"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        ).stderr
    )


def _input_transformed(event: dict, transformer: dict) -> dict:
    """EventBridge's input transformer for a JSON template with placeholders outside
    quotes: each <name> becomes the JSON value at its InputPathsMap path (moto sends S3's
    events to targets untransformed, so the test applies the deployed transformer).
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html"""
    text = transformer["InputTemplate"]
    for name, path in transformer["InputPathsMap"].items():
        value = event
        for part in path.removeprefix("$.").split("."):
            value = value[part]
        text = text.replace(f"<{name}>", json.dumps(value))
    return json.loads(text)


def test_a_landing_marker_write_reaches_the_pipeline_with_the_input_it_reads(
    moto_server: tfo.MotoServer, context: stack_checks.StackContext
) -> None:
    """The raw bucket sends object events to EventBridge; the landing rule matches the
    `_COMPLETE` marker of an entity's day and nothing else written there (a landing
    file, a Spark `_SUCCESS` under bronze), and its target starts the state machine with
    {"landing_marker": {bucket, key, sequencer}}, the input the definition's
    ReadLandingMarker reads (docs/adr/0012).
    moto neither invokes Step Functions targets nor delivers to a rule's other targets
    once it met one (its ARN parse fails and S3's notification swallows the error), so
    the state-machine target is swapped for an SQS queue while the objects are written
    and put back after; the test applies the deployed input transformer itself.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html"""
    from lakehouse.layout import landing_marker_key, landing_prefixes

    events, s3, sqs = (_client(moto_server, s) for s in ("events", "s3", "sqs"))
    rule = f"{context.outputs['state_machine_name']}-landing-marker"
    (target,) = events.list_targets_by_rule(Rule=rule)["Targets"]
    assert target["Arn"] == context.outputs["state_machine_arn"]
    assert target["RoleArn"] == context.outputs["role_arns"]["landing_events"]
    queue_url = sqs.create_queue(QueueName="landing-rule-copy")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    raw = context.outputs["bucket_names"]["raw"]
    orders = next(p["prefix"] for p in landing_prefixes() if p["entity"] == "orders")
    marker = landing_marker_key(orders, "2026-01-05")
    written = [
        f"{orders}/ingest_date=2026-01-05/orders_2026-01-05_01.jsonl",
        "bronze/orders/ingest_date=2026-01-05/_SUCCESS",
        marker,
    ]
    events.remove_targets(Rule=rule, Ids=[target["Id"]])
    events.put_targets(Rule=rule, Targets=[{"Id": "copy", "Arn": queue_arn}])
    try:
        for key in written:
            s3.put_object(Bucket=raw, Key=key, Body=b"")
        received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        bodies = [json.loads(m["Body"]) for m in received.get("Messages", [])]
    finally:
        events.remove_targets(Rule=rule, Ids=["copy"])
        events.put_targets(Rule=rule, Targets=[target])
        sqs.delete_queue(QueueUrl=queue_url)
        for key in written:
            s3.delete_object(Bucket=raw, Key=key)
    assert events.list_targets_by_rule(Rule=rule)["Targets"] == [target]
    assert [b["detail"]["object"]["key"] for b in bodies] == [marker]
    started_with = _input_transformed(bodies[0], target["InputTransformer"])
    assert started_with == {
        "landing_marker": {
            "bucket": raw,
            "key": marker,
            "sequencer": bodies[0]["detail"]["object"]["sequencer"],
        }
    }


def test_shim_s3_bucket_notification_answers_its_eventbridge_configuration(
    moto_server: tfo.MotoServer,
) -> None:
    """S3 answers EventBridgeConfiguration once it is put; without shim 8 moto does not
    and Terraform plans `eventbridge = false -> true` forever."""
    s3 = _client(moto_server, "s3")
    s3.create_bucket(
        Bucket="shim-eventbridge", CreateBucketConfiguration={"LocationConstraint": tfo.MOTO_REGION}
    )
    try:
        assert "EventBridgeConfiguration" not in s3.get_bucket_notification_configuration(
            Bucket="shim-eventbridge"
        )
        s3.put_bucket_notification_configuration(
            Bucket="shim-eventbridge", NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
        answer = s3.get_bucket_notification_configuration(Bucket="shim-eventbridge")
        assert answer["EventBridgeConfiguration"] == {}
    finally:
        s3.delete_bucket(Bucket="shim-eventbridge")


def _lake_formation_admins(server: tfo.MotoServer) -> list[str]:
    settings = _client(server, "lakeformation").get_data_lake_settings()["DataLakeSettings"]
    return sorted(a["DataLakePrincipalIdentifier"] for a in settings["DataLakeAdmins"])


def test_two_environments_in_one_account_do_not_collide(
    moto_server: tfo.MotoServer,
    context: stack_checks.StackContext,
    moto_prod_stack: tfo.MotoStack,
) -> None:
    """dev and prod applied side by side on one server (one account): physical names
    are unique per environment (bucket names are global besides:
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), each
    has its own LF-tag keys (LF-tags are account-wide), and neither changed the
    account's Lake Formation settings (terraform/account/ owns them)."""
    prod = stack_checks.StackContext.from_stack(moto_prod_stack)
    for output in ("bucket_names", "database_names", "glue_job_names", "role_arns"):
        dev_names, prod_names = (
            set(context.outputs[output].values()),
            set(prod.outputs[output].values()),
        )
        assert not dev_names & prod_names, f"{output} shared: {dev_names & prod_names}"
    for output in ("state_machine_arn", "alerts_topic_arn", "athena_workgroup", "kms_key_arn"):
        assert context.outputs[output] != prod.outputs[output], output
    tags = {t["TagKey"] for t in context.client("lakeformation").list_lf_tags()["LFTags"]}
    assert set(context.lf_tag_keys.values()) | set(prod.lf_tag_keys.values()) <= tags
    assert not set(context.lf_tag_keys.values()) & set(prod.lf_tag_keys.values())
    account = tfo.ensure_account_stack(moto_server)
    assert _lake_formation_admins(moto_server) == sorted(
        account.outputs()["lakeformation_admin_arns"]
    )


def test_destroy_leaves_nothing(
    moto_server: tfo.MotoServer,
    moto_stack: tfo.MotoStack,
    context: stack_checks.StackContext,
    moto_prod_stack: tfo.MotoStack,
) -> None:
    """Destroying dev removes all of dev and nothing of prod, and leaves the
    account's Lake Formation administrators as they were (the provider's destroy of
    aws_lakeformation_data_lake_settings would have emptied them: no environment
    manages them)."""
    admins_before = _lake_formation_admins(moto_server)
    moto_stack.destroy()
    stack_checks.check_nothing_left(context)
    prod = stack_checks.StackContext.from_stack(moto_prod_stack)
    for name, check in stack_checks.DEPLOYED_CHECKS.items():
        failure = stack_checks.safe(check, prod)
        assert failure is None, f"prod after dev's destroy, {name}: {failure}"
    assert _lake_formation_admins(moto_server) == admins_before
    print(
        "moto wall times: "
        + ", ".join(f"{step} {secs} s" for step, secs in moto_stack.timings.items())
    )


def test_dev_is_recreated_after_destroy(
    moto_stack: tfo.MotoStack, context: stack_checks.StackContext
) -> None:
    """apply -> destroy -> apply. On AWS a secret scheduled for deletion keeps its name
    for its recovery window: creating it again fails ("You can't create this secret
    because a secret with this name is already scheduled for deletion",
    https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
    and API_CreateSecret.html). moto lets the name be reused at once, so this test
    checks the name is free, as AWS would require, before applying again."""
    assert moto_stack.destroyed, "runs after test_destroy_leaves_nothing"
    pending = [
        s["Name"]
        for s in context.client("secretsmanager").list_secrets(IncludePlannedDeletion=True)[
            "SecretList"
        ]
        if s["Name"].startswith(context.name_prefix) and "DeletedDate" in s
    ]
    assert not pending, f"secrets still holding their names after destroy: {pending}"
    moto_stack.destroyed = False
    moto_stack.apply()
    code, output = moto_stack.plan_exit_code()
    assert code == 0, output[-4000:]
    recreated = stack_checks.StackContext.from_stack(moto_stack)
    stack_checks.check_secret(recreated)
    stack_checks.check_buckets(recreated)
