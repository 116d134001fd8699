"""Every call each actor makes is allowed by the rendered policies, and what must not
happen is denied, decided as AWS decides it (tests/support/iam_evaluation.py: moto's
evaluator for actions and resources, the IAM reference for conditions and principals),
with the identity policy, the bucket / topic / key policy and explicit Denies together.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

moto applies none of these policies to the calls it serves, and `terraform test` only
renders them: without this file a missing action shows up on the first real run.
Policies are linted with parliament (unknown actions, resources that do not fit the
action: https://github.com/duo-labs/parliament).
"""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import pytest

from tests.support import iam_calls
from tests.support import stack_expectations as expect
from tests.support import terraform_offline as tfo
from tests.support.iam_evaluation import SERVICE_PREFIX, Decision, Request, decide

pytestmark = pytest.mark.infra

ACCOUNT = "123456789012"
REGION = "eu-west-1"
ROLE_POLICIES = {
    "glue_jobs": "glue",
    "state_machine": "state_machine",
    "airflow": "airflow",
    "analyst": "analyst",
    "lakeformation": "lakeformation",
}


@pytest.fixture(scope="module")
def stack(mocked_stack: dict[str, Any]) -> iam_calls.Stack:
    return iam_calls.Stack(ACCOUNT, REGION, mocked_stack["outputs"], mocked_stack["resources"])


def _policy(resources: dict[str, Any], address: str, attribute: str = "policy") -> dict[str, Any]:
    return json.loads(resources[address][attribute])


def _identity_policies(stack: iam_calls.Stack) -> dict[str, dict[str, Any]]:
    """Role ARN -> its inline policy."""
    return {
        stack.roles[actor]: _policy(stack.resources, f"module.iam.aws_iam_role_policy.{name}")
        for actor, name in ROLE_POLICIES.items()
    }


def _resource_policy(stack: iam_calls.Stack, request: Request) -> dict[str, Any] | None:
    """The bucket, topic or key policy that applies to the request's resource."""
    if request.action.startswith("kms:"):
        return _policy(stack.resources, "module.storage.aws_kms_key.this")
    if request.action.startswith("sns:"):
        return _policy(stack.resources, "module.alerts.aws_sns_topic_policy.this")
    if request.action.startswith("s3:"):
        bucket = request.resource.removeprefix("arn:aws:s3:::").split("/", 1)[0]
        role = {name: role for role, name in stack.outputs["bucket_names"].items()}[bucket]
        address = (
            "module.storage.aws_s3_bucket_policy.logs"
            if role == "logs"
            else f'module.storage.aws_s3_bucket_policy.data["{role}"]'
        )
        return _policy(stack.resources, address)
    return None


def _decide(
    stack: iam_calls.Stack, request: Request, identity: dict[str, Any] | None = None
) -> Decision:
    policies = _identity_policies(stack)
    own = identity if identity is not None else policies.get(request.principal)
    return decide(
        request,
        identity_policies=[own] if own else [],
        resource_policy=_resource_policy(stack, request),
        account_id=ACCOUNT,
    )


def _refused(
    stack: iam_calls.Stack, calls: list[Request], identity: dict[str, Any] | None = None
) -> list[str]:
    return [
        f"{c.action} on {c.resource} {dict(c.context)}: {decision.reason}"
        for c in calls
        if not (decision := _decide(stack, c, identity)).allowed
    ]


def _put_metric_data(principal: str, namespace: str | None) -> Request:
    """cloudwatch:PutMetricData has no resource type; the namespace it writes to is the
    cloudwatch:namespace condition key (absent when the call names none).
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html"""
    context = {} if namespace is None else {"cloudwatch:namespace": namespace}
    return Request(principal, "cloudwatch:PutMetricData", "*", context)


CALLS = {
    "state_machine": iam_calls.state_machine_calls,
    "glue_jobs": iam_calls.glue_calls,
    "airflow": iam_calls.airflow_calls,
    "analyst": iam_calls.analyst_calls,
    "lakeformation": iam_calls.lakeformation_calls,
    "aws_services": iam_calls.service_calls,
}


@pytest.mark.parametrize("actor", list(CALLS))
def test_every_call_the_actor_makes_is_allowed(stack: iam_calls.Stack, actor: str) -> None:
    calls = CALLS[actor](stack)
    assert len(calls) > 2, actor
    refused = _refused(stack, calls)
    assert not refused, f"{actor}: {len(refused)} of {len(calls)} calls refused:\n" + "\n".join(
        refused
    )


def test_the_landing_events_role_may_start_the_pipeline_and_nothing_else(
    stack: iam_calls.Stack,
) -> None:
    """The EventBridge rule on landing markers starts executions with this role
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html):
    StartExecution of the daily pipeline only."""
    policy = _policy(stack.resources, "module.iam.aws_iam_role_policy.events[0]")
    trust = _policy(stack.resources, "module.iam.aws_iam_role.events[0]", "assume_role_policy")
    assert trust["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    assert not _refused(stack, iam_calls.landing_events_calls(stack), policy)
    role = stack.roles["landing_events"]
    other = stack.outputs["state_machine_arn"] + "-other"
    for request in (
        Request(role, "states:StartExecution", other),
        Request(role, "states:StopExecution", stack.outputs["state_machine_arn"]),
        Request(role, "s3:GetObject", f"arn:aws:s3:::{stack.outputs['bucket_names']['raw']}/x"),
    ):
        assert not _decide(stack, request, policy).allowed, request


def test_the_scheduler_role_may_start_the_pipeline(
    stack: iam_calls.Stack, terraform_test_report: tfo.TerraformTestReport
) -> None:
    """The schedule is off in every env's tfvars; the iam module test renders its role."""
    state = terraform_test_report.states[("tests/iam.tftest.hcl", "roles")]
    values = state.get("values", state)["root_module"]["resources"]
    by_address = {r["address"]: r["values"] for r in values}
    role = by_address["aws_iam_role.scheduler[0]"]["arn"]
    policy = json.loads(by_address["aws_iam_role_policy.scheduler[0]"]["policy"])
    machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:lakehouse-dev-daily-pipeline"
    key = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    key_policy = _policy(stack.resources, "module.storage.aws_kms_key.this")
    for request, resource_policy in (
        (Request(role, "states:StartExecution", machine), None),
        (Request(role, "kms:Decrypt", key), key_policy),
    ):
        decision = decide(
            request, identity_policies=[policy], resource_policy=resource_policy, account_id=ACCOUNT
        )
        assert decision.allowed, (request, decision.reason)
    assert not decide(
        Request(role, "states:StartExecution", machine.replace("daily-pipeline", "other")),
        identity_policies=[policy],
        account_id=ACCOUNT,
    ).allowed


def _raw_object(stack: iam_calls.Stack) -> str:
    bucket, prefix = stack.root("raw_root")
    return f"arn:aws:s3:::{bucket}/{prefix}/shop/orders/ingest_date=2026-01-01/orders.jsonl"


def test_what_no_actor_may_do_is_denied(stack: iam_calls.Stack) -> None:
    """Least privilege, and the bucket policies' Deny statements doing their job."""
    https = iam_calls.HTTPS
    silver, silver_prefix = stack.root("silver_root")
    gold, gold_prefix = stack.root("gold_staging_root")
    key = stack.key
    denied = [
        # landing files are written by producers only
        Request(stack.roles["glue_jobs"], "s3:PutObject", _raw_object(stack), https),
        Request(stack.roles["state_machine"], "s3:DeleteObject", _raw_object(stack), https),
        # analysts read gold and ops, never silver (PII tokens) or bronze
        Request(
            stack.roles["analyst"],
            "s3:GetObject",
            f"arn:aws:s3:::{silver}/{silver_prefix}/customers/x.parquet",
            https,
        ),
        Request(
            stack.roles["analyst"],
            "glue:GetTable",
            stack.arn("glue", f"table/{stack.outputs['database_names']['silver']}/customers"),
        ),
        Request(
            stack.roles["analyst"],
            "s3:PutObject",
            f"arn:aws:s3:::{gold}/{gold_prefix}/daily_sales/x.parquet",
            https,
        ),
        # a request without TLS, and uploads encrypted any other way than with the key
        Request(
            stack.roles["glue_jobs"],
            "s3:GetObject",
            f"arn:aws:s3:::{gold}/{gold_prefix}/x",
            {"aws:SecureTransport": "false"},
        ),
        Request(
            stack.roles["glue_jobs"],
            "s3:PutObject",
            f"arn:aws:s3:::{gold}/{gold_prefix}/x",
            {**https, "s3:x-amz-server-side-encryption": "AES256"},
        ),
        Request(
            stack.roles["glue_jobs"],
            "s3:PutObject",
            f"arn:aws:s3:::{gold}/{gold_prefix}/x",
            {
                **https,
                "s3:x-amz-server-side-encryption": "aws:kms",
                "s3:x-amz-server-side-encryption-aws-kms-key-id": key.replace("1111", "9999"),
            },
        ),
        # Airflow starts this state machine only
        Request(
            stack.roles["airflow"],
            "states:StartExecution",
            stack.outputs["state_machine_arn"] + "-other",
        ),
        # the maintenance job is Airflow's to run, the pipeline's jobs the state machine's
        Request(
            stack.roles["state_machine"],
            "glue:StartJobRun",
            stack.arn("glue", f"job/{stack.outputs['glue_job_names']['maintenance']}"),
        ),
        Request(
            stack.roles["airflow"],
            "glue:StartJobRun",
            stack.arn("glue", f"job/{stack.outputs['glue_job_names']['gold_build']}"),
        ),
        # a service nobody named may not use the key
        Request(f"{SERVICE_PREFIX}sqs.amazonaws.com", "kms:Decrypt", key),
    ]
    allowed = [r for r in denied if _decide(stack, r).allowed]
    assert not allowed, "\n".join(f"{r.principal} {r.action} {r.resource}" for r in allowed)


def test_the_definition_sends_gate_metrics_the_role_allows(stack: iam_calls.Stack) -> None:
    """The state machine's putMetricData Tasks are decided with the namespace they name."""
    calls = [
        c for c in iam_calls.state_machine_calls(stack) if c.action == "cloudwatch:PutMetricData"
    ]
    assert len(calls) == 2, calls  # SendGatePassedMetrics, SendGateBlockedMetrics
    namespace = expect.metrics_contract()["namespace"]
    assert all(c.context == {"cloudwatch:namespace": namespace} for c in calls), calls
    assert not _refused(stack, calls)


def _metric_publishers(stack: iam_calls.Stack) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every role of the stack: actor -> (role ARN, inline policy)."""
    roles = {
        actor: (
            stack.roles[actor],
            _policy(stack.resources, f"module.iam.aws_iam_role_policy.{name}"),
        )
        for actor, name in ROLE_POLICIES.items()
    }
    if "landing_events" in stack.roles:
        roles["landing_events"] = (
            stack.roles["landing_events"],
            _policy(stack.resources, "module.iam.aws_iam_role_policy.events[0]"),
        )
    return roles


def test_metrics_go_only_to_their_namespaces(stack: iam_calls.Stack) -> None:
    """Glue jobs put metrics in Glue (their --enable-metrics) and the pipeline namespace;
    the state machine in the pipeline namespace only; no other role anywhere; a call
    that names no namespace is refused (the condition key is absent)."""
    namespace = expect.metrics_contract()["namespace"]
    allowed = {"glue_jobs": {"Glue", namespace}, "state_machine": {namespace}}
    tried = ["Glue", namespace, "Other", f"{namespace}Other", "AWS/States", None]
    wrong = []
    for actor, (role, policy) in _metric_publishers(stack).items():
        for target in tried:
            decision = _decide(stack, _put_metric_data(role, target), policy)
            if decision.allowed != (target in allowed.get(actor, set())):
                wrong.append(f"{actor} in {target!r}: {decision.allowed} ({decision.reason})")
    assert not wrong, "\n".join(wrong)


def test_the_namespace_condition_is_what_refuses_other_namespaces(
    stack: iam_calls.Stack,
) -> None:
    """Without its cloudwatch:namespace condition the state machine's statement would
    let it write any namespace, and the evaluator sees that (so the test above fails if
    the condition is dropped from terraform/modules/iam)."""
    role, policy = _metric_publishers(stack)["state_machine"]
    unconditioned = copy.deepcopy(policy)
    for statement in unconditioned["Statement"]:
        if "cloudwatch:PutMetricData" in statement["Action"]:
            assert statement["Condition"]["StringEquals"]["cloudwatch:namespace"]
            statement.pop("Condition")
    request = _put_metric_data(role, "Other")
    assert not _decide(stack, request, policy).allowed
    assert _decide(stack, request, unconditioned).allowed


def test_a_source_condition_on_the_key_would_drop_eventbridge_alerts(
    stack: iam_calls.Stack,
) -> None:
    """The regression this stack had: EventBridge's KMS calls for an encrypted topic
    carry no aws:SourceAccount (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services),
    so the old statement's condition refused them. The evaluator must see that."""
    key_policy = _policy(stack.resources, "module.storage.aws_kms_key.this")
    old = copy.deepcopy(key_policy)
    for statement in old["Statement"]:
        if statement["Sid"] == "AlertPublishersToEncryptedTopic":
            statement["Condition"] = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    request = Request(f"{SERVICE_PREFIX}events.amazonaws.com", "kms:GenerateDataKey", stack.key)
    assert decide(request, resource_policy=key_policy, account_id=ACCOUNT).allowed
    assert not decide(request, resource_policy=old, account_id=ACCOUNT).allowed


def _all_policies(stack: iam_calls.Stack) -> dict[str, dict[str, Any]]:
    policies = {
        f"role policy {actor}": _policy(stack.resources, f"module.iam.aws_iam_role_policy.{name}")
        for actor, name in ROLE_POLICIES.items()
    }
    for address, values in stack.resources.items():
        if address.startswith("module.storage.aws_s3_bucket_policy.") or address in (
            "module.alerts.aws_sns_topic_policy.this",
        ):
            policies[address] = json.loads(values["policy"])
    policies["key policy"] = _policy(stack.resources, "module.storage.aws_kms_key.this")
    return policies


# parliament findings that are the intended design, each with its reason.
ACCEPTED_FINDINGS = {
    # In a key policy "Resource": "*" means the key the policy is attached to.
    # https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
    ("key policy", "RESOURCE_STAR"),
    # The CloudWatch Logs guide's key policy condition, verbatim: ArnLike on the
    # encryption context with a log-group ARN pattern.
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    ("key policy", "MISMATCHED_TYPE"),
    # The S3 guide's condition on the key-id header takes the key ARN as its string.
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
    *(
        (f'module.storage.aws_s3_bucket_policy.data["{role}"]', "MISMATCHED_TYPE_BUT_USABLE")
        for role in ("raw", "curated", "analytics", "artifacts")
    ),
}


def _outdated_in_parliament(finding) -> bool:
    """parliament's action table lists only the express-execution ARN format for
    states:DescribeExecution; the Service Authorization Reference lists both
    (execution* and express*): https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html"""
    return finding.issue == "RESOURCE_MISMATCH" and all(
        d.get("action") == "states:DescribeExecution" for d in finding.detail
    )


def test_every_policy_passes_the_iam_linter(stack: iam_calls.Stack) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # parliament imports the deprecated pkg_resources
        from parliament import analyze_policy_string

    findings = []
    for name, policy in _all_policies(stack).items():
        analysed = analyze_policy_string(json.dumps(policy), include_community_auditors=False)
        findings += [
            f"{name}: {f.issue} {f.detail}"
            for f in analysed.findings
            if (name, f.issue) not in ACCEPTED_FINDINGS and not _outdated_in_parliament(f)
        ]
    assert not findings, "\n".join(findings)
