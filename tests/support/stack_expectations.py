"""What the Terraform stack must contain, derived in Python from the same sources
(glue_jobs/, step_functions/, sql/, lakehouse/contracts) independently of the HCL.

Used by the contract tests (against the mocked `terraform test` state) and by the
moto checks (against the deployed stack), so both hold the HCL to one reference.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
GLUE_JOBS_DIR = REPO_ROOT / "glue_jobs"
ASL_TEMPLATE = REPO_ROOT / "step_functions" / "daily_pipeline.asl.json"
CHECKS_DIR = REPO_ROOT / "sql" / "checks"
METRICS_CONTRACT = REPO_ROOT / "lakehouse" / "contracts" / "_metrics.json"
ANALYTICS_DIR = REPO_ROOT / "sql" / "analytics"
LIBRARY_ZIP = REPO_ROOT / "terraform" / ".build" / "lakehouse.zip"

# templatefile() placeholders: ${name}; "$${" is an escaped literal.
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Jobs the state machine fans out per source entity (see terraform/main.tf).
PER_ENTITY_JOBS = ("bronze_ingest", "silver_merge")
# ASL placeholder -> the Glue entry script whose job fills it (as in terraform/main.tf
# and lakehouse/local/statemachine_local.py).
JOB_PLACEHOLDERS = {
    "bronze_job_name": "bronze_ingest",
    "silver_job_name": "silver_merge",
    "gold_job_name": "gold_build",
}
DEFAULT_CHECK_SEVERITY = "blocking"


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ CloudWatch metrics
def metrics_contract() -> dict[str, Any]:
    """lakehouse/contracts/_metrics.json: namespace, dimensions, job and gate metrics."""
    return json.loads(METRICS_CONTRACT.read_text())


def job_metric_names() -> list[str]:
    return [m["name"] for m in metrics_contract()["job_metrics"]]


def gate_metric_names() -> list[str]:
    return [m["name"] for m in metrics_contract()["gate_metrics"]]


def quarantine_rate_threshold() -> float:
    """The quarantine_rate check's threshold (a fraction), which its alarms use too."""
    return float(checks_config()["quarantine_rate"]["threshold"])


# Dashboard body: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
# A metric is [namespace, name, dim1, value1, ..., {options}] ("..." repeats the
# previous item's value, which the stack never uses); an expression is [{expression, id}].
SEARCH_EXPRESSION = re.compile(r"SEARCH\(\s*'\{([^}]*)\}([^']*)'")


def metric_widgets(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [w["properties"] for w in body.get("widgets", []) if w.get("type") == "metric"]


def dashboard_metrics(
    body: dict[str, Any],
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(namespace, metric name, dimensions) of every metric the dashboard's metric
    widgets name directly."""
    for widget in metric_widgets(body):
        for item in widget.get("metrics", []):
            fields = [f for f in item if isinstance(f, str)]
            if len(fields) >= 2:
                if "..." in fields or "." in fields:
                    raise ValueError(f"shorthand metric items are not read here: {item}")
                yield fields[0], fields[1], dict(zip(fields[2::2], fields[3::2], strict=True))


def dashboard_searched_metrics(body: dict[str, Any]) -> set[tuple[str, str]]:
    """(namespace, metric name) of every SEARCH expression naming one MetricName."""
    found = set()
    for widget in metric_widgets(body):
        for item in widget.get("metrics", []):
            for options in (f for f in item if isinstance(f, dict)):
                for schema, terms in SEARCH_EXPRESSION.findall(options.get("expression", "")):
                    names = re.findall(r'MetricName="([^"]+)"', terms)
                    found |= {(schema.split(",")[0].strip(), name) for name in names}
    return found


# ------------------------------------------------------------------ Glue jobs
def glue_entry_scripts() -> dict[str, Path]:
    """Entry scripts by stem: glue_jobs/*.py except private helpers (_*.py)."""
    return {p.stem: p for p in sorted(GLUE_JOBS_DIR.glob("*.py")) if not p.name.startswith("_")}


def expected_max_concurrent_runs(stem: str) -> int:
    from lakehouse.contracts import SOURCE_ENTITIES

    return len(SOURCE_ENTITIES) if stem in PER_ENTITY_JOBS else 1


def expected_root_arguments(project: str, env: str, account_id: str, region: str) -> dict[str, str]:
    """--<root> = s3://<bucket>/<prefix> for every root of _layers.json, the bucket
    named by lakehouse.layout.bucket_name (the rule Terraform applies too)."""
    from lakehouse.contracts import layers
    from lakehouse.layout import bucket_name

    return {
        f"--{key}": f"s3://{bucket_name(project, env, root['bucket'], account_id, region)}/{root['prefix']}"
        for key, root in layers()["roots"].items()
        if key != "description"
    }


# ------------------------------------------------------------------ SQL + state machine
def physical_sql(sql: str, db_prefix: str) -> str:
    """Logical layer names (bronze., gold., ...) -> <project>_<env>_<layer>."""
    from lakehouse.contracts.catalog import LAYER_DATABASES

    pattern = rf"(^|[^A-Za-z0-9_])({'|'.join(LAYER_DATABASES)})\."
    return re.sub(pattern, rf"\g<1>{db_prefix}_\g<2>.", sql)


def checks_config() -> dict[str, dict[str, Any]]:
    path = CHECKS_DIR / "checks.json"
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text())
    if isinstance(raw, list):
        return {item["name"]: item for item in raw}
    return raw


def expected_checks(db_prefix: str) -> list[dict[str, Any]]:
    config = checks_config()
    return [
        {
            "name": path.stem,
            "severity": config.get(path.stem, {}).get("severity", DEFAULT_CHECK_SEVERITY),
            "threshold": config.get(path.stem, {}).get("threshold"),
            # as lakehouse/statemachine.py sends them: trimmed, no trailing semicolons
            "query": physical_sql(path.read_text().strip().rstrip(";"), db_prefix),
        }
        for path in sorted(CHECKS_DIR.glob("*.sql"))
    ]


def expected_definition_values(outputs: dict[str, Any], db_prefix: str, env: str) -> dict[str, str]:
    """Placeholder values the deployed definition must be rendered with, from the
    stack's outputs (names), the environment and the repository (checks, entities,
    roots, the metrics namespace)."""
    from lakehouse.contracts import SOURCE_ENTITIES, layers
    from lakehouse.contracts.catalog import PUBLICATION_TABLE
    from lakehouse.layout import LANDING_MARKER, landing_objects

    ops = layers()["roots"]["ops_root"]
    values = {
        placeholder: outputs["glue_job_names"][stem]
        for placeholder, stem in JOB_PLACEHOLDERS.items()
    }
    values.update(
        athena_workgroup=outputs["athena_workgroup"],
        publication_table=PUBLICATION_TABLE,
        run_lock_table=outputs["run_lock_table"],
        ops_database=outputs["database_names"]["ops"],
        ops_bucket=outputs["bucket_names"][ops["bucket"]],
        ops_prefix=ops["prefix"],
        alerts_topic_arn=outputs["alerts_topic_arn"],
        checks_json=json.dumps(expected_checks(db_prefix)),
        entities_json=json.dumps(sorted(SOURCE_ENTITIES)),
        raw_bucket=outputs["bucket_names"][layers()["roots"]["raw_root"]["bucket"]],
        landing_marker=LANDING_MARKER,
        landing_json=json.dumps(landing_objects()),
        metrics_namespace=metrics_contract()["namespace"],
        environment=env,
    )
    return values


def expected_named_queries(db_prefix: str) -> dict[str, str]:
    return {
        p.stem: physical_sql(p.read_text(), db_prefix) for p in sorted(ANALYTICS_DIR.glob("*.sql"))
    }


def asl_placeholders(template: str | None = None) -> set[str]:
    text = ASL_TEMPLATE.read_text() if template is None else template
    return set(PLACEHOLDER.findall(text))


def render_definition(values: dict[str, str], template: str | None = None) -> dict[str, Any]:
    """templatefile() in Python: substitute ${name}, parse the JSON."""
    text = ASL_TEMPLATE.read_text() if template is None else template
    missing = asl_placeholders(text) - set(values)
    if missing:
        raise KeyError(f"no value for placeholders {sorted(missing)}")
    rendered = PLACEHOLDER.sub(lambda m: values[m.group(1)], text).replace("$${", "${")
    return json.loads(rendered)


# ------------------------------------------------------------------ ASL -> IAM
# Optimised integrations: resource suffix after arn:aws:states::: -> IAM actions
# the execution role needs (AWS Step Functions developer guide, IAM policies for
# integrated services).
INTEGRATION_ACTIONS: dict[str, tuple[str, ...]] = {
    "glue:startJobRun": ("glue:StartJobRun",),
    "glue:startJobRun.sync": (
        "glue:StartJobRun",
        "glue:GetJobRun",
        "glue:GetJobRuns",
        "glue:BatchStopJobRun",
    ),
    "athena:startQueryExecution": ("athena:StartQueryExecution",),
    # https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html
    "athena:startQueryExecution.sync": (
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:StopQueryExecution",
        "athena:GetDataCatalog",
        "athena:GetWorkGroup",
    ),
    "athena:getQueryExecution": ("athena:GetQueryExecution",),
    "athena:getQueryResults": ("athena:GetQueryResults",),
    "athena:stopQueryExecution": ("athena:StopQueryExecution",),
    "sns:publish": ("sns:Publish",),
    # https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html
    "states:startExecution": ("states:StartExecution",),
}
# aws-sdk:<service>:<action> service names that differ from the IAM prefix.
SDK_IAM_PREFIX = {"sfn": "states", "eventbridge": "events", "cloudwatchlogs": "logs"}
# SDK actions authorised by an IAM action of another name
# (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html: "you must have
# READ access to the bucket", i.e. s3:ListBucket)
SDK_IAM_ACTION = {"s3:ListObjectsV2": "s3:ListBucket"}
# Condition keys an SDK call sets from its parameters, which the policies condition on:
# IAM action -> {condition key: request parameter}. PutMetricData has no resource type;
# the namespace it writes to is the cloudwatch:namespace key
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html).
SDK_CONDITION_KEYS = {"cloudwatch:PutMetricData": {"cloudwatch:namespace": "Namespace"}}
STATES_ARN = re.compile(r"^arn:aws[a-z-]*:states:::(.+)$")


def iter_task_states(states: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every Task state, including those inside Parallel branches and Map iterators."""
    for name, state in states.items():
        if state.get("Type") == "Task":
            yield name, state
        for branch in state.get("Branches", []):
            yield from iter_task_states(branch.get("States", {}))
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                yield from iter_task_states(state[key].get("States", {}))


def required_actions(definition: dict[str, Any]) -> dict[str, set[str]]:
    """IAM actions each Task's Resource needs, keyed by state name."""
    required: dict[str, set[str]] = {}
    for name, state in iter_task_states(definition.get("States", {})):
        required[name] = actions_for_resource(state["Resource"])
    return required


def actions_for_resource(resource: str) -> set[str]:
    match = STATES_ARN.match(resource)
    if not match:
        raise ValueError(f"Task Resource {resource!r} is not a Step Functions service integration")
    integration = match.group(1)
    if integration.startswith("aws-sdk:"):
        _, service, action = integration.split(":", 2)
        action = action.split(".")[0]
        prefix = SDK_IAM_PREFIX.get(service, service)
        named = f"{prefix}:{action[0].upper()}{action[1:]}"
        return {SDK_IAM_ACTION.get(named, named)}
    if integration not in INTEGRATION_ACTIONS:
        raise ValueError(
            f"unknown integration {integration!r}: add its IAM actions to INTEGRATION_ACTIONS"
        )
    return set(INTEGRATION_ACTIONS[integration])


def request_context(task: dict[str, Any]) -> dict[str, str]:
    """The condition keys a Task's call carries (SDK_CONDITION_KEYS), from its
    Parameters; a parameter given by path (``Namespace.$``) has no static value and is
    left out, so a policy conditioned on it refuses the call here."""
    params = task.get("Parameters", {})
    context: dict[str, str] = {}
    for action in actions_for_resource(task["Resource"]):
        for key, parameter in SDK_CONDITION_KEYS.get(action, {}).items():
            if isinstance(params.get(parameter), str):
                context[key] = params[parameter]
    return context


# Condition keys policy_allows evaluates without a resource: those whose value is the
# call's own parameter (request_context), not the resource or the connection.
EVALUATED_WITHOUT_RESOURCE = frozenset(key for keys in SDK_CONDITION_KEYS.values() for key in keys)


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _evaluated_conditions(condition: dict[str, Any]) -> dict[str, Any]:
    """The part of a Condition block on EVALUATED_WITHOUT_RESOURCE keys."""
    kept = {
        operator: {k: v for k, v in keys.items() if k in EVALUATED_WITHOUT_RESOURCE}
        for operator, keys in condition.items()
    }
    return {operator: keys for operator, keys in kept.items() if keys}


def policy_allows(
    policy: dict[str, Any],
    action: str,
    resource: str | None = None,
    context: dict[str, str] | None = None,
) -> bool:
    """Whether an identity policy allows the action (on the resource, if given, with
    the request's condition keys in ``context``), decided by
    tests/support/iam_evaluation.py (moto's evaluator + IAM conditions).
    Without a resource: whether some Allow statement grants the action at all
    (tests/infra/test_iam_evaluation.py decides every call with its real resource);
    conditions on the resource or the connection are left out then, but those on the
    call's own parameters (EVALUATED_WITHOUT_RESOURCE: cloudwatch:namespace) are
    evaluated against ``context``: a call that does not name its namespace is refused."""
    from tests.support.iam_evaluation import Request, decide

    if resource is None:
        statements = policy.get("Statement", [])
        statements = [statements] if isinstance(statements, dict) else statements
        # conditions narrow an Allow to some requests (prefixes, TLS): decided per call
        # with the real resource and context there, left out here, except the keys
        # the call's parameters set
        policy = {
            "Statement": [
                {
                    **{k: v for k, v in s.items() if k != "Condition"},
                    "Resource": "*",
                    **(
                        {"Condition": evaluated}
                        if (evaluated := _evaluated_conditions(s.get("Condition", {})))
                        else {}
                    ),
                }
                for s in statements
                if s["Effect"] == "Allow"
            ]
        }
    request = Request(
        "arn:aws:iam::123456789012:role/caller", action, resource or "*", dict(context or {})
    )
    return decide(request, identity_policies=[policy], account_id="123456789012").allowed
