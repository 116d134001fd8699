"""Contracts between terraform/ and the rest of the repository, checked on the
stack `terraform test` applies with a mocked provider (dev tfvars): no AWS, no
moto. Expected values are derived in Python (tests/support/stack_expectations.py)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from tests.support import stack_expectations as expect
from tests.support.terraform_offline import REPO_ROOT

pytestmark = pytest.mark.infra

PROJECT, ENV = "lakehouse", "dev"  # terraform/envs/dev.tfvars, used by the mocked run
DB_PREFIX = f"{PROJECT}_{ENV}"


def _instances(stack: dict[str, Any], address: str) -> dict[str, dict[str, Any]]:
    """Instances of a for_each resource, keyed by their key."""
    prefix = f"{address}["
    return {
        key[len(prefix) + 1 : -2]: values
        for key, values in stack["resources"].items()
        if key.startswith(prefix)
    }


def test_every_entry_script_has_exactly_one_glue_job(mocked_stack: dict[str, Any]) -> None:
    scripts = expect.glue_entry_scripts()
    jobs = _instances(mocked_stack, "module.glue_jobs.aws_glue_job.this")
    assert set(jobs) == set(scripts), f"jobs {sorted(jobs)} vs entry scripts {sorted(scripts)}"
    locations = [job["command"][0]["script_location"] for job in jobs.values()]
    assert len(set(locations)) == len(locations), "two jobs share a script"
    for stem, job in jobs.items():
        location = job["command"][0]["script_location"]
        assert location.endswith(f"/glue/scripts/{expect.md5(scripts[stem])}/{stem}.py"), location
        assert job["execution_property"][0][
            "max_concurrent_runs"
        ] == expect.expected_max_concurrent_runs(stem)
        assert job["glue_version"] == "5.1"


def test_jobs_get_every_root_and_the_secret_id(mocked_stack: dict[str, Any]) -> None:
    roots = expect.expected_root_arguments(PROJECT, ENV, "123456789012", "eu-west-1")
    for stem, job in _instances(mocked_stack, "module.glue_jobs.aws_glue_job.this").items():
        arguments = job["default_arguments"]
        assert {k: arguments.get(k) for k in roots} == roots, stem
        assert arguments["--pii_key_secret_id"] == mocked_stack["outputs"]["pii_key_secret_id"]
        assert arguments["--extra-py-files"] == mocked_stack["outputs"]["glue_library_s3_uri"]
        # the Environment dimension of the metrics the job sends (lakehouse/contracts/_metrics.json)
        assert arguments["--environment"] == ENV, stem


def test_glue_tables_equal_the_contracts(mocked_stack: dict[str, Any]) -> None:
    from lakehouse.contracts import layers
    from lakehouse.contracts.catalog import decode_presto_view, presto_type, table_definitions

    tables = {
        **_instances(mocked_stack, "module.catalog.aws_glue_catalog_table.this"),
        **_instances(mocked_stack, "module.catalog.aws_glue_catalog_table.pointer"),
    }
    views = _instances(mocked_stack, "module.catalog.aws_glue_catalog_table.view")
    expected = {f"{t.database}.{t.name}": t for t in table_definitions()}
    assert set(tables) | set(views) == set(expected)
    for key, view in views.items():
        reference = expected[key]
        assert reference.kind == "view" and view["table_type"] == "VIRTUAL_VIEW", key
        spec = decode_presto_view(view["view_original_text"])
        assert spec["originalSql"] == expect.physical_sql(reference.view_sql, DB_PREFIX), key
        assert spec["schema"] == f"{DB_PREFIX}_{reference.database}"
        assert [(c["name"], c["type"]) for c in spec["columns"]] == [
            (n, presto_type(t)) for n, t in reference.columns
        ], key
    roots = layers()["roots"]
    for key, table in tables.items():
        reference = expected[key]
        assert reference.kind in ("table", "pointer"), key
        descriptor = table["storage_descriptor"][0]
        assert table["database_name"] == f"{DB_PREFIX}_{reference.database}"
        assert table["name"] == reference.name
        assert tuple((c["name"], c["type"]) for c in descriptor["columns"]) == reference.columns, (
            key
        )
        assert (
            tuple((c["name"], c["type"]) for c in table["partition_keys"])
            == reference.partition_keys
        ), key
        root = roots[reference.root_key]
        assert (
            descriptor["location"]
            == f"s3://{mocked_stack['outputs']['bucket_names'][root['bucket']]}/{root['prefix']}/{reference.dataset}/"
        )
        assert descriptor["ser_de_info"][0]["serialization_library"].endswith("ParquetHiveSerDe")


def test_layer_databases_and_pii_tags_follow_the_contracts(mocked_stack: dict[str, Any]) -> None:
    from lakehouse.contracts.catalog import LAYER_DATABASES, table_definitions

    databases = _instances(mocked_stack, "module.catalog.aws_glue_catalog_database.this")
    assert {k: v["name"] for k, v in databases.items()} == {
        layer: f"{DB_PREFIX}_{layer}" for layer in LAYER_DATABASES
    }
    tags = _instances(mocked_stack, "module.governance.aws_lakeformation_resource_lf_tags.table")
    for table in table_definitions():
        assigned = {t["key"]: t["value"] for t in tags[f"{table.database}.{table.name}"]["lf_tag"]}
        assert assigned == {
            f"{DB_PREFIX}_layer": table.database,
            f"{DB_PREFIX}_pii": str(table.has_pii).lower(),
        }, table.name
    assert any(t.has_pii for t in table_definitions()), (
        "bronze of a PII dataset must carry pii=true"
    )


def test_asl_placeholders_equal_the_template_variables(mocked_stack: dict[str, Any]) -> None:
    variables = set(mocked_stack["outputs"]["state_machine_definition_variables"])
    placeholders = expect.asl_placeholders()
    assert placeholders == variables, (
        f"in the ASL only: {sorted(placeholders - variables)}; "
        f"in terraform only: {sorted(variables - placeholders)}"
    )
    assert set(expect.JOB_PLACEHOLDERS) <= placeholders


def test_deployed_definition_is_the_rendered_template(mocked_stack: dict[str, Any]) -> None:
    machine = mocked_stack["resources"]["module.orchestration.aws_sfn_state_machine.this"]
    values = expect.expected_definition_values(mocked_stack["outputs"], DB_PREFIX, ENV)
    assert json.loads(machine["definition"]) == expect.render_definition(values)


def _state_machine_policy(mocked_stack: dict[str, Any]) -> dict[str, Any]:
    return json.loads(
        mocked_stack["resources"]["module.iam.aws_iam_role_policy.state_machine"]["policy"]
    )


def test_state_machine_role_allows_every_action_the_asl_calls(mocked_stack: dict[str, Any]) -> None:
    machine = mocked_stack["resources"]["module.orchestration.aws_sfn_state_machine.this"]
    definition = json.loads(machine["definition"])
    policy = _state_machine_policy(mocked_stack)
    job_names = set(mocked_stack["outputs"]["glue_job_names"].values())
    for state, task in expect.iter_task_states(definition.get("States", {})):
        context = expect.request_context(task)
        for action in sorted(expect.actions_for_resource(task["Resource"])):
            assert expect.policy_allows(policy, action, context=context), (
                f"state {state!r} calls {action} {context}, not allowed by the role"
            )
    for state, task in expect.iter_task_states(definition.get("States", {})):
        job = task.get("Parameters", {}).get("JobName")
        if job is not None:
            assert job in job_names, f"state {state!r} runs {job!r}, not a job of this stack"
            arn = f"arn:aws:glue:eu-west-1:123456789012:job/{job}"
            assert expect.policy_allows(policy, "glue:StartJobRun", arn), f"cannot start {job}"


# The integrations the daily pipeline is designed around (DESIGN.md): Glue .sync
# jobs fanned out per entity, the Athena gate, catalog publish, run records, alerts.
DESIGNED_PIPELINE = {
    "StartAt": "Bronze",
    "States": {
        "Bronze": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "RunBronze",
                "States": {
                    "RunBronze": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::glue:startJobRun.sync",
                        "End": True,
                    }
                },
            },
            "Next": "Gate",
        },
        "Gate": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "RunCheck",
                    "States": {
                        "RunCheck": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::athena:startQueryExecution.sync",
                            "Next": "Results",
                        },
                        "Results": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::athena:getQueryResults",
                            "End": True,
                        },
                    },
                }
            ],
            "Next": "Publish",
        },
        "Publish": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:glue:batchCreatePartition",
            "Next": "Update",
        },
        "Update": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:glue:updatePartition",
            "Next": "Record",
        },
        "Record": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
            "Next": "GateMetrics",
        },
        "GateMetrics": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:cloudwatch:putMetricData",
            "Parameters": {"Namespace": "Lakehouse", "MetricData": []},
            "Next": "Alert",
        },
        "Alert": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True},
    },
}


def test_action_derivation_covers_nested_states_and_sdk_calls() -> None:
    required = expect.required_actions(DESIGNED_PIPELINE)
    assert required["RunBronze"] == {
        "glue:StartJobRun",
        "glue:GetJobRun",
        "glue:GetJobRuns",
        "glue:BatchStopJobRun",
    }
    assert required["RunCheck"] == {
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:StopQueryExecution",
        "athena:GetDataCatalog",
        "athena:GetWorkGroup",
    }
    assert required["Results"] == {"athena:GetQueryResults"}
    assert required["Publish"] == {"glue:BatchCreatePartition"}
    assert required["Record"] == {"s3:PutObject"}
    assert required["GateMetrics"] == {"cloudwatch:PutMetricData"}
    assert required["Alert"] == {"sns:Publish"}
    gate_metrics = DESIGNED_PIPELINE["States"]["GateMetrics"]
    assert expect.request_context(gate_metrics) == {"cloudwatch:namespace": "Lakehouse"}
    with pytest.raises(ValueError, match="unknown integration"):
        expect.actions_for_resource("arn:aws:states:::lambda:invoke")


def test_state_machine_role_covers_the_designed_pipeline(mocked_stack: dict[str, Any]) -> None:
    """The role already allows what the real definition (being written) will call."""
    policy = _state_machine_policy(mocked_stack)
    missing = sorted(
        action
        for _, task in expect.iter_task_states(DESIGNED_PIPELINE["States"])
        for action in expect.actions_for_resource(task["Resource"])
        if not expect.policy_allows(policy, action, context=expect.request_context(task))
    )
    assert not missing, f"the state machine role lacks {missing}"
    buckets = mocked_stack["outputs"]["bucket_names"]
    assert expect.policy_allows(
        policy, "s3:PutObject", f"arn:aws:s3:::{buckets['analytics']}/ops/run=1/manifest.json"
    )
    assert not expect.policy_allows(
        policy, "s3:PutObject", f"arn:aws:s3:::{buckets['raw']}/raw/shop/orders/x.json"
    )


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select * from gold.daily_sales", f"select * from {DB_PREFIX}_gold.daily_sales"),
        (
            "bronze.orders b join silver.orders s",
            f"{DB_PREFIX}_bronze.orders b join {DB_PREFIX}_silver.orders s",
        ),
        (
            "from\n  quarantine.customers,ops.runs",
            f"from\n  {DB_PREFIX}_quarantine.customers,{DB_PREFIX}_ops.runs",
        ),
        (
            "select s.gold_total, xgold.a, gold_staging.b",
            "select s.gold_total, xgold.a, gold_staging.b",
        ),
    ],
)
def test_logical_layer_names_map_to_physical_databases(sql: str, expected: str) -> None:
    """Same rule as terraform/main.tf (asserted on the HCL in tests/stack.tftest.hcl)."""
    assert expect.physical_sql(sql, DB_PREFIX) == expected


def test_the_landing_markers_terraform_awaits_are_the_local_runtimes(
    mocked_stack: dict[str, Any],
) -> None:
    """One source (contracts/_layers.json and the source contracts): the landing objects
    (markers, expected files) in the deployed definition, the landing rule's pattern and
    the keys the state machine may list are lakehouse.layout's."""
    from lakehouse.layout import landing_objects

    resources = mocked_stack["resources"]
    machine = resources["module.orchestration.aws_sfn_state_machine.this"]
    states = json.loads(machine["definition"])["States"]
    assert states["ReadLandingMarker"]["Parameters"]["landing_objects"] == landing_objects()
    assert states["ReadScheduledDate"]["Parameters"]["landing_objects"] == landing_objects()
    patterns = [
        f"{o['prefix']}/ingest_date=*/{o['head']}{'*' if o['dated'] else ''}{o['tail']}"
        for o in landing_objects()
    ]
    rule = json.loads(
        resources["module.orchestration.aws_cloudwatch_event_rule.landing[0]"]["event_pattern"]
    )
    assert rule["detail"]["object"]["key"] == [{"wildcard": p} for p in patterns]
    assert rule["detail"]["bucket"]["name"] == [mocked_stack["outputs"]["bucket_names"]["raw"]]


def test_expected_files_in_a_contract_become_landing_objects_in_terraform_as_in_python(
    tmp_path,
) -> None:
    """The contracts module's HCL for a source that lists `landing.expected_files` (no
    shipped contract does): evaluated by `terraform console` over a copy of the contracts
    where orders lists two files, it gives lakehouse.layout's objects and one wildcard
    per object (the date as `*`: EventBridge wildcard matching,
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html)."""
    import os
    import shutil
    import subprocess

    from lakehouse.layout import LANDING_MARKER, landing_object, landing_prefixes

    contracts = tmp_path / "contracts"
    shutil.copytree(REPO_ROOT / "lakehouse" / "contracts", contracts)
    files = ["orders_{ingest_date}_01.jsonl", "manifest.txt"]
    orders = json.loads((contracts / "orders.json").read_text("utf-8"))
    orders["landing"] = {"expected_files": files}
    (contracts / "orders.json").write_text(json.dumps(orders), "utf-8")
    module = REPO_ROOT / "terraform" / "modules" / "contracts"
    (tmp_path / "main.tf").write_text(
        f'module "c" {{\n  source = "{module}"\n  contracts_dir = "{contracts}"\n}}\n', "utf-8"
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null", "TF_IN_AUTOMATION": "1"}

    def terraform(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            ["terraform", *args],
            cwd=tmp_path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    terraform("init", "-backend=false", "-input=false")
    printed = terraform(
        "console",
        stdin="jsonencode({o = module.c.landing_objects, k = module.c.landing_key_patterns})",
    )
    evaluated = json.loads(json.loads(printed.strip()))

    expected = [
        landing_object(p["entity"], p["prefix"], name)
        for p in landing_prefixes()
        for name in (files if p["entity"] == "orders" else [LANDING_MARKER])
    ]
    assert evaluated["o"] == expected
    orders_prefix = next(p["prefix"] for p in landing_prefixes() if p["entity"] == "orders")
    assert f"{orders_prefix}/ingest_date=*/orders_*_01.jsonl" in evaluated["k"]
    assert f"{orders_prefix}/ingest_date=*/manifest.txt" in evaluated["k"]
    assert len(evaluated["k"]) == len(expected)


def test_role_arns_are_handed_out_only_once_their_policies_exist() -> None:
    """Step Functions checks the role when a state machine is created, and a Glue job or
    schedule created with a role that cannot yet do its work fails its first run; Terraform
    orders creation only along references and depends_on
    (https://developer.hashicorp.com/terraform/language/meta-arguments/depends_on), and a
    role's ARN exists before its inline policy. So every role ARN output of the iam module
    that a service is created with depends on that role's policy."""
    outputs = (REPO_ROOT / "terraform" / "modules" / "iam" / "outputs.tf").read_text("utf-8")
    blocks = dict(re.findall(r'output "(\w+)" \{(.*?)\n\}', outputs, flags=re.S))
    for output, policy in {
        "glue_role_arn": "aws_iam_role_policy.glue",
        "state_machine_role_arn": "aws_iam_role_policy.state_machine",
        "lakeformation_role_arn": "aws_iam_role_policy.lakeformation",
        "scheduler_role_arn": "aws_iam_role_policy.scheduler",
        "events_role_arn": "aws_iam_role_policy.events",
    }.items():
        depends = re.search(r"depends_on\s*=\s*\[([^\]]*)\]", blocks[output])
        assert depends and policy in depends.group(1), (output, blocks[output])


# ------------------------------------------------------------------ metrics, dashboard, alarms
NAMESPACE_KEY = "cloudwatch:namespace"


def _metric_statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for s in policy["Statement"]
        if "cloudwatch:PutMetricData"
        in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]


def test_policy_allows_evaluates_the_metric_namespace_condition(
    mocked_stack: dict[str, Any],
) -> None:
    """policy_allows leaves out conditions on resources and connections, but decides
    cloudwatch:namespace (the call's own parameter): the state machine may put its gate
    metrics in the pipeline namespace only, and a call naming no namespace is refused.
    Without the condition the same helper would allow any namespace, so these
    assertions fail if the condition is removed from terraform/modules/iam."""
    namespace = expect.metrics_contract()["namespace"]
    policy = _state_machine_policy(mocked_stack)
    action = "cloudwatch:PutMetricData"
    assert expect.policy_allows(policy, action, context={NAMESPACE_KEY: namespace})
    for other in ("Glue", "Other", f"{namespace}2", "AWS/States"):
        assert not expect.policy_allows(policy, action, context={NAMESPACE_KEY: other}), other
    assert not expect.policy_allows(policy, action)
    unconditioned = copy.deepcopy(policy)
    for statement in _metric_statements(unconditioned):
        statement.pop("Condition")
    assert expect.policy_allows(unconditioned, action, context={NAMESPACE_KEY: "Other"}), (
        "the helper must decide the condition, not the statement's mere presence"
    )


def test_the_gate_metrics_the_asl_sends_are_in_the_pipeline_namespace(
    mocked_stack: dict[str, Any],
) -> None:
    """Every cloudwatch:putMetricData Task of the deployed definition names the
    namespace of _metrics.json, sends only gate metrics, with the gate dimensions."""
    machine = mocked_stack["resources"]["module.orchestration.aws_sfn_state_machine.this"]
    contract = expect.metrics_contract()
    tasks = [
        (name, task)
        for name, task in expect.iter_task_states(json.loads(machine["definition"])["States"])
        if task["Resource"].endswith(":aws-sdk:cloudwatch:putMetricData")
    ]
    assert [name for name, _ in tasks] == ["SendGatePassedMetrics", "SendGateBlockedMetrics"]
    for name, task in tasks:
        assert task["Parameters"]["Namespace"] == contract["namespace"], name
        for datum in task["Parameters"]["MetricData"]:
            assert datum["MetricName"] in expect.gate_metric_names(), (name, datum)
            assert {d["Name"]: d["Value"] for d in datum["Dimensions"]} == {
                contract["gate_dimensions"][0]: ENV
            }, (name, datum)


def _dashboard(mocked_stack: dict[str, Any]) -> dict[str, Any]:
    dashboard = mocked_stack["resources"]["module.monitoring.aws_cloudwatch_dashboard.pipeline"]
    assert dashboard["dashboard_name"] == f"{PROJECT}-{ENV}-pipeline"
    assert mocked_stack["outputs"]["dashboard_name"] == dashboard["dashboard_name"]
    return json.loads(dashboard["dashboard_body"])


def test_the_dashboard_shows_every_metric_of_the_contract(mocked_stack: dict[str, Any]) -> None:
    """https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html"""
    body = _dashboard(mocked_stack)
    namespace = expect.metrics_contract()["namespace"]
    shown = {(ns, name) for ns, name, _ in expect.dashboard_metrics(body)}
    shown |= expect.dashboard_searched_metrics(body)
    missing = [
        name
        for name in expect.job_metric_names() + expect.gate_metric_names()
        if (namespace, name) not in shown
    ]
    assert not missing, f"not on the dashboard: {missing}"
    assert ("AWS/States", "ExecutionTime") in shown
    for ns, name, dimensions in expect.dashboard_metrics(body):
        if ns == namespace:
            assert dimensions["Environment"] == ENV, (name, dimensions)
        else:
            assert dimensions == {
                "StateMachineArn": mocked_stack["outputs"]["state_machine_arn"]
            }, (ns, name, dimensions)
    for widget in expect.metric_widgets(body):
        assert widget["region"] == "eu-west-1" and widget["period"] == 86400, widget["title"]
    for layout in body["widgets"]:
        assert layout["x"] + layout["width"] <= 24, layout


def test_the_dashboard_counts_rows_per_layer_entity_and_gold_table(
    mocked_stack: dict[str, Any],
) -> None:
    from lakehouse.contracts import GOLD_TABLES, SOURCE_ENTITIES

    body = _dashboard(mocked_stack)
    contract = expect.metrics_contract()
    by_name = {m["name"]: m for m in contract["job_metrics"]}
    plotted = {
        (name, d["Layer"], d["Entity"])
        for ns, name, d in expect.dashboard_metrics(body)
        if ns == contract["namespace"] and "Entity" in d
    }
    for name in ("RawRows", "BronzeRows", "AcceptedRows", "QuarantinedRows"):
        for entity in SOURCE_ENTITIES:
            assert (name, by_name[name]["layer"], entity) in plotted, (name, entity)
    for table in GOLD_TABLES:
        assert ("GoldRows", by_name["GoldRows"]["layer"], table) in plotted, table
    daily_sums = [w for w in expect.metric_widgets(body) if w["title"].startswith("Rows per layer")]
    assert len(daily_sums) == len(SOURCE_ENTITIES)
    assert all(w["stat"] == "Sum" and w["period"] == 86400 for w in daily_sums)
    gate = [w for w in expect.metric_widgets(body) if w["title"] == "Gate outcomes per day"]
    assert len(gate) == 1 and gate[0]["stat"] == "Sum", gate


def _evaluate(expression: str, values: dict[str, float]) -> float:
    """A metric math expression of + - * / and parentheses, with ids replaced by values."""
    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: repr(values[m.group(0)]), expression)
    assert re.fullmatch(r"[0-9.eE+\-*/() ]+", text), expression
    return float(eval(text))  # noqa: S307 - digits and operators only (checked above)


def test_the_dashboard_shows_the_quarantine_rate_of_every_source_entity(
    mocked_stack: dict[str, Any],
) -> None:
    from lakehouse.contracts import SOURCE_ENTITIES

    body = _dashboard(mocked_stack)
    (widget,) = [w for w in expect.metric_widgets(body) if w["title"].startswith("Quarantine rate")]
    ids = {}
    for item in widget["metrics"]:
        options = next((f for f in item if isinstance(f, dict)), {})
        fields = [f for f in item if isinstance(f, str)]
        if fields:
            ids[options["id"]] = (fields[1], dict(zip(fields[2::2], fields[3::2], strict=True)))
    rates = {
        options["label"]: options["expression"]
        for item in widget["metrics"]
        for options in item
        if isinstance(options, dict) and "expression" in options
    }
    assert set(rates) == set(SOURCE_ENTITIES)
    for entity, expression in rates.items():
        used = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression))
        named = {ids[i][0]: i for i in used}
        assert set(named) == {"AcceptedRows", "QuarantinedRows"}, expression
        assert all(ids[i][1]["Entity"] == entity for i in used), expression
        values = {named["QuarantinedRows"]: 5.0, named["AcceptedRows"]: 95.0}
        assert _evaluate(expression, values) == pytest.approx(5.0), expression


def test_one_quarantine_rate_alarm_per_source_entity_at_the_checks_threshold(
    mocked_stack: dict[str, Any],
) -> None:
    """Metric math alarms (metric_query blocks), missing data not breaching.
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html"""
    from lakehouse.contracts import SOURCE_ENTITIES

    contract = expect.metrics_contract()
    topic = mocked_stack["outputs"]["alerts_topic_arn"]
    alarms = _instances(
        mocked_stack, "module.monitoring.aws_cloudwatch_metric_alarm.quarantine_rate"
    )
    assert set(alarms) == set(SOURCE_ENTITIES)
    assert expect.quarantine_rate_threshold() == 0.05  # sql/checks/checks.json, a fraction
    for entity, alarm in alarms.items():
        assert alarm["threshold"] == expect.quarantine_rate_threshold(), entity
        assert alarm["comparison_operator"] == "GreaterThanThreshold", entity
        assert alarm["treat_missing_data"] == "notBreaching", entity
        assert alarm["alarm_actions"] == [topic] and alarm["ok_actions"] == [topic], entity
        assert not alarm["metric_name"] and not alarm["namespace"], "math alarm: no single metric"
        queries = {q["id"]: q for q in alarm["metric_query"]}
        (result,) = [q for q in queries.values() if q["return_data"]]
        metrics = {
            q["id"]: q["metric"][0] for q in queries.values() if q["metric"] and not q["expression"]
        }
        assert {m["metric_name"] for m in metrics.values()} == {"AcceptedRows", "QuarantinedRows"}
        for metric in metrics.values():
            assert metric["namespace"] == contract["namespace"]
            assert metric["period"] == 86400 and metric["stat"] == "Sum", metric
            layer = next(
                m["layer"] for m in contract["job_metrics"] if m["name"] == metric["metric_name"]
            )
            assert metric["dimensions"] == {"Environment": ENV, "Layer": layer, "Entity": entity}
        by_name = {m["metric_name"]: i for i, m in metrics.items()}
        rate = _evaluate(
            result["expression"], {by_name["QuarantinedRows"]: 5.0, by_name["AcceptedRows"]: 95.0}
        )
        assert rate == pytest.approx(0.05), result["expression"]


def test_a_day_without_a_run_at_the_gate_alarms(mocked_stack: dict[str, Any]) -> None:
    """RunsValidated Sum over a day below 1; no datum at all breaches."""
    alarm = mocked_stack["resources"]["module.monitoring.aws_cloudwatch_metric_alarm.no_run"]
    assert alarm["alarm_name"] == f"{PROJECT}-{ENV}-no-validated-run"
    assert (alarm["namespace"], alarm["metric_name"]) == (
        expect.metrics_contract()["namespace"],
        "RunsValidated",
    )
    assert "RunsValidated" in expect.gate_metric_names()
    assert alarm["dimensions"] == {"Environment": ENV}
    assert alarm["period"] == 86400 and alarm["evaluation_periods"] == 1
    assert alarm["statistic"] == "Sum"
    assert (alarm["comparison_operator"], alarm["threshold"]) == ("LessThanThreshold", 1)
    assert alarm["treat_missing_data"] == "breaching"
    topic = mocked_stack["outputs"]["alerts_topic_arn"]
    assert alarm["alarm_actions"] == [topic] and alarm["ok_actions"] == [topic]


def test_no_metric_name_is_typed_twice_in_the_hcl() -> None:
    """The contracts module reads _metrics.json; the HCL names a metric at most once
    (the roles the monitoring module needs by name)."""
    sources = "\n".join(
        p.read_text("utf-8")
        for p in sorted((REPO_ROOT / "terraform").rglob("*.tf"))
        if ".build" not in p.parts and ".terraform" not in p.parts
    )
    typed = {
        name: len(re.findall(rf'"{re.escape(name)}"', sources))
        for name in expect.job_metric_names() + expect.gate_metric_names()
    }
    assert all(count <= 1 for count in typed.values()), typed
