"""Assertions on the stack deployed to moto, through boto3.

Each check takes a StackContext and raises AssertionError with what was expected
and what was found. `make tf-moto` runs them all; tests/infra runs each as a test.
Expected values come from stack_expectations (Python, from the repository's
sources), not from Terraform, so the checks hold the HCL to an independent
reference.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support import stack_expectations as expect

if TYPE_CHECKING:
    from tests.support.terraform_offline import MotoStack


@dataclass(frozen=True)
class StackContext:
    endpoint: str
    region: str
    project: str
    env: str
    outputs: dict[str, Any]

    @classmethod
    def from_stack(cls, stack: MotoStack) -> StackContext:
        from tests.support.terraform_offline import MOTO_REGION

        return cls(stack.server.url, MOTO_REGION, stack.project, stack.env, stack.outputs())

    @property
    def name_prefix(self) -> str:
        return f"{self.project}-{self.env}"

    @property
    def db_prefix(self) -> str:
        return f"{self.project}_{self.env}"

    def client(self, service: str) -> Any:
        return _client(self.endpoint, self.region, service)

    @property
    def account_id(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])

    @property
    def lf_tag_keys(self) -> dict[str, str]:
        """The environment's LF-tag keys (the default prefix is <project>_<env>_)."""
        return {name: f"{self.db_prefix}_{name}" for name in ("layer", "pii")}


@cache
def _client(endpoint: str, region: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
    )


def _s3_object_bytes(ctx: StackContext, uri: str) -> bytes:
    assert uri.startswith("s3://"), f"expected an s3:// URI, found {uri!r}"
    bucket, key = uri[len("s3://") :].split("/", 1)
    return ctx.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()


# ------------------------------------------------------------------ storage
def check_buckets(ctx: StackContext) -> None:
    s3 = ctx.client("s3")
    buckets = ctx.outputs["bucket_names"]
    key_arn = ctx.outputs["kms_key_arn"]
    from lakehouse.layout import BUCKET_ROLES, bucket_name

    expected = {
        role: bucket_name(ctx.project, ctx.env, role, ctx.account_id, ctx.region)
        for role in BUCKET_ROLES
    }
    assert buckets == expected, buckets
    existing = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert set(buckets.values()) <= existing, f"missing buckets: {set(buckets.values()) - existing}"
    for role, bucket in buckets.items():
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"][
            "Rules"
        ][0]
        default = rule["ApplyServerSideEncryptionByDefault"]
        if role == "logs":
            assert default["SSEAlgorithm"] == "AES256", (
                f"{bucket}: access-log bucket must use SSE-S3, found {default}"
            )
        else:
            assert default["SSEAlgorithm"] == "aws:kms", (
                f"{bucket}: expected SSE-KMS, found {default}"
            )
            assert default["KMSMasterKeyID"] == key_arn, (
                f"{bucket}: encrypted with {default['KMSMasterKeyID']}, not {key_arn}"
            )
            assert rule.get("BucketKeyEnabled") is True, f"{bucket}: bucket key not enabled"
            target = s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]
            assert target["TargetBucket"] == buckets["logs"], f"{bucket} logs to {target}"
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4, (
            f"{bucket}: public access not fully blocked: {block}"
        )
        ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"][0]
        assert ownership["ObjectOwnership"] == "BucketOwnerEnforced", f"{bucket}: {ownership}"
        assert s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled", (
            f"{bucket}: versioning off"
        )
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        assert any("AbortIncompleteMultipartUpload" in r for r in rules), f"{bucket}: no abort rule"
        assert any("NoncurrentVersionExpiration" in r for r in rules), (
            f"{bucket}: no noncurrent rule"
        )
    raw_rules = s3.get_bucket_lifecycle_configuration(Bucket=buckets["raw"])["Rules"]
    archive = [r for r in raw_rules if r.get("Transitions")]
    assert archive, "raw bucket: no transition rule for the landing files"
    classes = {t["StorageClass"] for t in archive[0]["Transitions"]}
    assert classes == {"STANDARD_IA", "GLACIER"}, f"landing files transition to {classes}"
    key = ctx.client("kms").describe_key(KeyId=key_arn)["KeyMetadata"]
    assert key["KeyState"] == "Enabled" and key["KeyManager"] == "CUSTOMER", key
    assert ctx.client("kms").get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True


# ------------------------------------------------------------------ Glue jobs
def check_glue_jobs(ctx: StackContext) -> None:
    glue = ctx.client("glue")
    scripts = expect.glue_entry_scripts()
    job_names = ctx.outputs["glue_job_names"]
    assert set(job_names) == set(scripts), (
        f"jobs {sorted(job_names)} != entry scripts {sorted(scripts)}"
    )
    deployed = {
        j["Name"] for j in glue.get_jobs()["Jobs"] if j["Name"].startswith(f"{ctx.name_prefix}-")
    }
    assert deployed == set(job_names.values()), (
        f"deployed jobs {sorted(deployed)} != {sorted(job_names.values())}"
    )
    root_args = expect.expected_root_arguments(ctx.project, ctx.env, ctx.account_id, ctx.region)
    library = expect.LIBRARY_ZIP.read_bytes()
    for stem, path in scripts.items():
        job = glue.get_job(JobName=job_names[stem])["Job"]
        location = job["Command"]["ScriptLocation"]
        expected_location = f"s3://{ctx.outputs['bucket_names']['artifacts']}/glue/scripts/{expect.md5(path)}/{stem}.py"
        assert location == expected_location, (
            f"{stem}: script at {location}, expected {expected_location}"
        )
        assert _s3_object_bytes(ctx, location) == path.read_bytes(), (
            f"{stem}: uploaded script differs from {path}"
        )
        assert job["GlueVersion"] == "5.1", f"{stem}: Glue {job['GlueVersion']}"
        assert job.get("ExecutionClass") == "STANDARD", (
            f"{stem}: execution class {job.get('ExecutionClass')}"
        )
        runs = job["ExecutionProperty"]["MaxConcurrentRuns"]
        assert runs == expect.expected_max_concurrent_runs(stem), (
            f"{stem}: max concurrent runs {runs}"
        )
        args = job["DefaultArguments"]
        for name, value in root_args.items():
            assert args.get(name) == value, (
                f"{stem}: {name} = {args.get(name)!r}, expected {value!r}"
            )
        assert args["--pii_key_secret_id"] == ctx.outputs["pii_key_secret_id"], args[
            "--pii_key_secret_id"
        ]
        assert args.get("--environment") == ctx.env, (
            f"{stem}: --environment = {args.get('--environment')!r}, expected {ctx.env!r}"
        )
        assert args["--extra-py-files"] == ctx.outputs["glue_library_s3_uri"], args[
            "--extra-py-files"
        ]
        assert _s3_object_bytes(ctx, args["--extra-py-files"]) == library, (
            "uploaded library differs from the local zip"
        )
        for flag in (
            "--enable-metrics",
            "--enable-continuous-cloudwatch-log",
            "--enable-auto-scaling",
        ):
            assert args.get(flag) == "true", f"{stem}: {flag} = {args.get(flag)!r}"
        config = glue.get_security_configuration(Name=job["SecurityConfiguration"])[
            "SecurityConfiguration"
        ]
        encryption = config["EncryptionConfiguration"]
        assert encryption["S3Encryption"][0]["S3EncryptionMode"] == "SSE-KMS", encryption
        assert encryption["CloudWatchEncryption"]["CloudWatchEncryptionMode"] == "SSE-KMS", (
            encryption
        )
        assert encryption["JobBookmarksEncryption"]["JobBookmarksEncryptionMode"] == "CSE-KMS", (
            encryption
        )
        assert job["Role"] == ctx.outputs["role_arns"]["glue_jobs"], job["Role"]


# ------------------------------------------------------------------ state machine
def expected_definition(ctx: StackContext) -> dict[str, Any]:
    return expect.render_definition(
        expect.expected_definition_values(ctx.outputs, ctx.db_prefix, ctx.env)
    )


def check_state_machine(ctx: StackContext) -> None:
    sfn = ctx.client("stepfunctions")
    machine = sfn.describe_state_machine(stateMachineArn=ctx.outputs["state_machine_arn"])
    assert json.loads(machine["definition"]) == expected_definition(ctx), (
        f"deployed definition differs from the rendered template:\n{machine['definition']}"
    )
    assert machine["roleArn"] == ctx.outputs["role_arns"]["state_machine"], machine["roleArn"]
    assert machine["tracingConfiguration"]["enabled"] is True, machine["tracingConfiguration"]
    logging = machine["loggingConfiguration"]
    assert logging["level"] == "ALL" and logging["destinations"], logging
    group = logging["destinations"][0]["cloudWatchLogsLogGroup"]["logGroupArn"]
    groups = ctx.client("logs").describe_log_groups(logGroupNamePrefix="/aws/vendedlogs/states/")[
        "logGroups"
    ]
    matching = [g for g in groups if group.startswith(g["arn"].rstrip("*").rstrip(":"))]
    assert matching and matching[0].get("kmsKeyId") == ctx.outputs["kms_key_arn"], (
        f"log group {group}: {matching}"
    )
    assert matching[0].get("retentionInDays"), f"log group {group} keeps logs forever"


def check_run_lock(ctx: StackContext) -> None:
    """The run lock the definition acquires: an on-demand table keyed by lock_id (a
    string), with point-in-time recovery; what DynamoDB's conditional PutItem needs.
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html"""
    dynamodb = ctx.client("dynamodb")
    name = ctx.outputs["run_lock_table"]
    assert name == f"{ctx.name_prefix}-run-lock", name
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["KeySchema"] == [{"AttributeName": "lock_id", "KeyType": "HASH"}], table
    assert table["AttributeDefinitions"] == [{"AttributeName": "lock_id", "AttributeType": "S"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST", table
    backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    pitr = backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
    assert pitr == "ENABLED", backups


# ------------------------------------------------------------------ catalog + Lake Formation
def check_catalog(ctx: StackContext) -> None:
    from lakehouse.contracts import layers
    from lakehouse.contracts.catalog import LAYER_DATABASES, table_definitions

    glue = ctx.client("glue")
    assert ctx.outputs["database_names"] == {
        layer: f"{ctx.db_prefix}_{layer}" for layer in LAYER_DATABASES
    }
    roots = layers()["roots"]
    expected_tables = table_definitions()
    for layer in LAYER_DATABASES:
        database = f"{ctx.db_prefix}_{layer}"
        found = {t["Name"] for t in glue.get_tables(DatabaseName=database)["TableList"]}
        wanted = {t.name for t in expected_tables if t.database == layer}
        assert found == wanted, f"{database}: tables {sorted(found)}, expected {sorted(wanted)}"
    for table in expected_tables:
        database = f"{ctx.db_prefix}_{table.database}"
        found = glue.get_table(DatabaseName=database, Name=table.name)["Table"]
        if table.kind == "view":
            from lakehouse.contracts.catalog import decode_presto_view

            assert found["TableType"] == "VIRTUAL_VIEW", f"{database}.{table.name}"
            spec = decode_presto_view(found["ViewOriginalText"])
            assert spec["originalSql"] == expect.physical_sql(table.view_sql, ctx.db_prefix)
            continue
        descriptor = found["StorageDescriptor"]
        columns = tuple((c["Name"], c["Type"]) for c in descriptor["Columns"])
        assert columns == table.columns, (
            f"{database}.{table.name}: columns {columns}, expected {table.columns}"
        )
        partitions = tuple((c["Name"], c["Type"]) for c in found["PartitionKeys"])
        assert partitions == table.partition_keys, (
            f"{database}.{table.name}: partitions {partitions}"
        )
        root = roots[table.root_key]
        location = (
            f"s3://{ctx.outputs['bucket_names'][root['bucket']]}/{root['prefix']}/{table.dataset}/"
        )
        assert descriptor["Location"] == location, (
            f"{database}.{table.name}: at {descriptor['Location']}, expected {location}"
        )
        serde = descriptor["SerdeInfo"]["SerializationLibrary"]
        assert serde == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", serde


def _permissions(ctx: StackContext, principal: str) -> list[dict[str, Any]]:
    # ListPermissions takes a Principal only together with a Resource: filter here.
    granted = ctx.client("lakeformation").list_permissions()["PrincipalResourcePermissions"]
    return [p for p in granted if p["Principal"]["DataLakePrincipalIdentifier"] == principal]


def check_lake_formation(ctx: StackContext) -> None:
    from lakehouse.contracts.catalog import LAYER_DATABASES, table_definitions

    lf = ctx.client("lakeformation")
    roles = ctx.outputs["role_arns"]
    databases = ctx.outputs["database_names"]

    glue_grants = _permissions(ctx, roles["glue_jobs"])
    for layer in LAYER_DATABASES:
        on_db = [
            p
            for p in glue_grants
            if p["Resource"].get("Database", {}).get("Name") == databases[layer]
        ]
        assert on_db and "CREATE_TABLE" in on_db[0]["Permissions"], (
            f"glue jobs: no CREATE_TABLE on {databases[layer]}"
        )
        on_tables = [
            p
            for p in glue_grants
            if p["Resource"].get("Table", {}).get("DatabaseName") == databases[layer]
        ]
        assert on_tables and {"SELECT", "INSERT"} <= set(on_tables[0]["Permissions"]), (
            f"glue jobs on {layer} tables: {on_tables}"
        )
    assert any("DataLocation" in p["Resource"] for p in glue_grants), (
        "glue jobs: no data location access"
    )

    analyst = _permissions(ctx, roles["analyst"])
    reached = {
        p["Resource"].get("Table", p["Resource"].get("Database", {})).get("DatabaseName")
        or p["Resource"].get("Database", {}).get("Name")
        for p in analyst
    }
    assert reached == {databases["gold"], databases["ops"]}, (
        f"analyst reaches {reached}, expected only {databases['gold']} and {databases['ops']}"
    )
    gold_tables = [p for p in analyst if "Table" in p["Resource"]]
    assert gold_tables and "SELECT" in gold_tables[0]["Permissions"], (
        f"analyst cannot select gold: {analyst}"
    )

    machine = _permissions(ctx, roles["state_machine"])
    selectable = {
        p["Resource"]["Table"]["DatabaseName"]
        for p in machine
        if "Table" in p["Resource"] and "SELECT" in p["Permissions"]
    }
    assert selectable == set(databases.values()), f"state machine can select {selectable}"

    registered = {r["ResourceArn"] for r in lf.list_resources()["ResourceInfoList"]}
    expected_locations = {
        f"arn:aws:s3:::{url[len('s3://') :]}"
        for key, url in ctx.outputs["dataset_roots"].items()
        if key not in ("raw_root", "athena_results_root")
    }
    assert expected_locations <= registered, (
        f"registered {sorted(registered)}, expected {sorted(expected_locations)}"
    )

    admins = lf.get_data_lake_settings()["DataLakeSettings"]["DataLakeAdmins"]
    assert admins, "no Lake Formation administrator"

    for table in table_definitions():
        tags = lf.get_resource_lf_tags(
            Resource={
                "Table": {"DatabaseName": f"{ctx.db_prefix}_{table.database}", "Name": table.name}
            }
        ).get("LFTagsOnTable", [])
        values = {t["TagKey"]: t["TagValues"] for t in tags}
        assert values.get(ctx.lf_tag_keys["layer"]) == [table.database], (
            f"{table.database}.{table.name}: layer tag {values}"
        )
        expected_pii = "true" if table.has_pii else "false"
        assert values.get(ctx.lf_tag_keys["pii"]) == [expected_pii], (
            f"{table.database}.{table.name}: pii tag {values}, expected {expected_pii}"
        )


# ------------------------------------------------------------------ the rest
def check_secret(ctx: StackContext) -> None:
    secrets = ctx.client("secretsmanager")
    described = secrets.describe_secret(SecretId=ctx.outputs["pii_key_secret_id"])
    assert described.get("KmsKeyId") == ctx.outputs["kms_key_arn"], (
        f"secret key {described.get('KmsKeyId')}"
    )
    value = secrets.get_secret_value(SecretId=ctx.outputs["pii_key_secret_id"])["SecretString"]
    assert len(value) == 64, f"PII hashing key has {len(value)} characters, expected 64"


def check_alerts(ctx: StackContext) -> None:
    topic = ctx.outputs["alerts_topic_arn"]
    attributes = ctx.client("sns").get_topic_attributes(TopicArn=topic)["Attributes"]
    assert attributes.get("KmsMasterKeyId") == ctx.outputs["kms_key_arn"], (
        f"topic key {attributes.get('KmsMasterKeyId')}"
    )
    events = ctx.client("events")
    for suffix in ("execution-failed", "glue-job-failed"):
        rule = f"{ctx.name_prefix}-{suffix}"
        targets = events.list_targets_by_rule(Rule=rule)["Targets"]
        assert [t["Arn"] for t in targets] == [topic], f"rule {rule} targets {targets}"
    pattern = json.loads(
        events.describe_rule(Name=f"{ctx.name_prefix}-execution-failed")["EventPattern"]
    )
    assert set(pattern["detail"]["status"]) == {"FAILED", "TIMED_OUT", "ABORTED"}, pattern
    assert pattern["detail"]["stateMachineArn"] == [ctx.outputs["state_machine_arn"]], pattern
    alarms = ctx.client("cloudwatch").describe_alarms(AlarmNamePrefix=ctx.name_prefix)[
        "MetricAlarms"
    ]
    failures = [
        a
        for a in alarms
        if a["AlarmName"]
        in (f"{ctx.name_prefix}-executions-failed", f"{ctx.name_prefix}-glue-jobs-failed")
    ]
    assert {a.get("MetricName") for a in failures} == {"ExecutionsFailed", "TriggeredRules"}, [
        a["AlarmName"] for a in alarms
    ]
    assert all(a["AlarmActions"] == [topic] for a in alarms), [a["AlarmActions"] for a in alarms]


def _dashboard_metric_names(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (namespace, name) for namespace, name, _ in expect.dashboard_metrics(body)
    } | expect.dashboard_searched_metrics(body)


def check_monitoring(ctx: StackContext) -> None:
    """The pipeline dashboard shows every metric of _metrics.json, one quarantine-rate
    alarm per source entity (metric math, the check's threshold) and the no-run alarm,
    all notifying the alerts topic."""
    from lakehouse.contracts import SOURCE_ENTITIES

    cloudwatch = ctx.client("cloudwatch")
    contract = expect.metrics_contract()
    namespace = contract["namespace"]
    name = f"{ctx.name_prefix}-pipeline"
    body = json.loads(cloudwatch.get_dashboard(DashboardName=name)["DashboardBody"])
    shown = _dashboard_metric_names(body)
    missing = [
        m
        for m in expect.job_metric_names() + expect.gate_metric_names()
        if (namespace, m) not in shown
    ]
    assert not missing, f"dashboard {name} lacks {missing}"
    topic = ctx.outputs["alerts_topic_arn"]
    alarms = {
        a["AlarmName"]: a
        for a in cloudwatch.describe_alarms(AlarmNamePrefix=ctx.name_prefix)["MetricAlarms"]
    }
    for entity in SOURCE_ENTITIES:
        alarm = alarms.get(f"{ctx.name_prefix}-quarantine-rate-{entity}")
        assert alarm is not None, f"no quarantine-rate alarm for {entity}: {sorted(alarms)}"
        assert alarm["Threshold"] == expect.quarantine_rate_threshold(), alarm["Threshold"]
        assert alarm["TreatMissingData"] == "notBreaching", alarm
        assert alarm["AlarmActions"] == [topic], alarm["AlarmActions"]
        stats = {
            q["MetricStat"]["Metric"]["MetricName"]: q["MetricStat"]
            for q in alarm["Metrics"]
            if "MetricStat" in q
        }
        for stat in stats.values():
            dimensions = {d["Name"]: d["Value"] for d in stat["Metric"]["Dimensions"]}
            assert stat["Metric"]["Namespace"] == namespace, stat
            assert dimensions.get("Entity") == entity and dimensions.get("Environment") == ctx.env
            assert stat["Period"] == 86400 and stat["Stat"] == "Sum", stat
        assert [q for q in alarm["Metrics"] if q.get("ReturnData")], alarm["Metrics"]
    no_run = alarms.get(f"{ctx.name_prefix}-no-validated-run")
    assert no_run is not None, sorted(alarms)
    assert (no_run["Namespace"], no_run["MetricName"]) == (namespace, "RunsValidated"), no_run
    assert no_run["Period"] == 86400 and no_run["TreatMissingData"] == "breaching", no_run
    assert no_run["AlarmActions"] == [topic], no_run["AlarmActions"]


def check_athena(ctx: StackContext) -> None:
    athena = ctx.client("athena")
    config = athena.get_work_group(WorkGroup=ctx.outputs["athena_workgroup"])["WorkGroup"][
        "Configuration"
    ]
    assert config["EnforceWorkGroupConfiguration"] is True, config
    results = config["ResultConfiguration"]
    assert results["OutputLocation"] == ctx.outputs["dataset_roots"]["athena_results_root"] + "/", (
        results
    )
    assert results["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_KMS",
        "KmsKey": ctx.outputs["kms_key_arn"],
    }, results
    assert config.get("BytesScannedCutoffPerQuery", 0) > 0, config
    ids = athena.list_named_queries(WorkGroup=ctx.outputs["athena_workgroup"])["NamedQueryIds"]
    found = {}
    for query_id in ids:
        query = athena.get_named_query(NamedQueryId=query_id)["NamedQuery"]
        found[query["Name"]] = query["QueryString"]
    assert found == expect.expected_named_queries(ctx.db_prefix), f"named queries {sorted(found)}"


def check_roles(ctx: StackContext) -> None:
    iam = ctx.client("iam")
    for actor, arn in ctx.outputs["role_arns"].items():
        name = arn.rsplit("/", 1)[1]
        role = iam.get_role(RoleName=name)["Role"]
        assert role["Arn"] == arn, f"{actor}: {role['Arn']} != {arn}"
        policies = iam.list_role_policies(RoleName=name)["PolicyNames"]
        assert len(policies) == 1, f"{actor}: inline policies {policies}"
        assert not iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"], (
            f"{actor} has managed policies"
        )


DEPLOYED_CHECKS: dict[str, Callable[[StackContext], None]] = {
    "buckets": check_buckets,
    "glue_jobs": check_glue_jobs,
    "state_machine": check_state_machine,
    "run_lock": check_run_lock,
    "catalog": check_catalog,
    "lake_formation": check_lake_formation,
    "secret": check_secret,
    "alerts": check_alerts,
    "monitoring": check_monitoring,
    "athena": check_athena,
    "roles": check_roles,
}


# ------------------------------------------------------------------ after destroy
def check_nothing_left(ctx: StackContext) -> None:
    prefix, db_prefix = ctx.name_prefix, ctx.db_prefix
    leftovers: list[str] = []
    leftovers += [
        b["Name"]
        for b in ctx.client("s3").list_buckets()["Buckets"]
        if b["Name"].startswith(prefix)
    ]
    glue = ctx.client("glue")
    leftovers += [
        d["Name"] for d in glue.get_databases()["DatabaseList"] if d["Name"].startswith(db_prefix)
    ]
    leftovers += [j["Name"] for j in glue.get_jobs()["Jobs"] if j["Name"].startswith(prefix)]
    leftovers += [
        c["Name"]
        for c in glue.get_security_configurations()["SecurityConfigurations"]
        if c["Name"].startswith(prefix)
    ]
    leftovers += [
        m["name"]
        for m in ctx.client("stepfunctions").list_state_machines()["stateMachines"]
        if m["name"].startswith(prefix)
    ]
    leftovers += [
        r["RoleName"]
        for r in ctx.client("iam").list_roles()["Roles"]
        if r["RoleName"].startswith(prefix)
    ]
    leftovers += [
        t["TopicArn"] for t in ctx.client("sns").list_topics()["Topics"] if prefix in t["TopicArn"]
    ]
    leftovers += [r["Name"] for r in ctx.client("events").list_rules(NamePrefix=prefix)["Rules"]]
    leftovers += [
        t for t in ctx.client("dynamodb").list_tables()["TableNames"] if t.startswith(prefix)
    ]
    leftovers += [
        a["AlarmName"]
        for a in ctx.client("cloudwatch").describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]
    ]
    leftovers += [
        d["DashboardName"]
        for d in ctx.client("cloudwatch").list_dashboards(DashboardNamePrefix=prefix)[
            "DashboardEntries"
        ]
    ]
    leftovers += [
        g["logGroupName"]
        for g in ctx.client("logs").describe_log_groups()["logGroups"]
        if prefix in g["logGroupName"]
    ]
    leftovers += [
        w["Name"]
        for w in ctx.client("athena").list_work_groups()["WorkGroups"]
        if w["Name"] == ctx.outputs["athena_workgroup"]
    ]
    leftovers += [
        r["ResourceArn"]
        for r in ctx.client("lakeformation").list_resources()["ResourceInfoList"]
        if prefix in r["ResourceArn"]
    ]
    leftovers += [
        t["TagKey"]
        for t in ctx.client("lakeformation").list_lf_tags()["LFTags"]
        if t["TagKey"] in ctx.lf_tag_keys.values()
    ]
    leftovers += [
        f"LF grant to {p['Principal']['DataLakePrincipalIdentifier']}"
        for p in ctx.client("lakeformation").list_permissions()["PrincipalResourcePermissions"]
        if prefix in p["Principal"]["DataLakePrincipalIdentifier"]
    ]
    # Secrets and keys have waiting periods on AWS too: they must be scheduled for deletion.
    for secret in ctx.client("secretsmanager").list_secrets(IncludePlannedDeletion=True)[
        "SecretList"
    ]:
        if secret["Name"].startswith(prefix) and "DeletedDate" not in secret:
            leftovers.append(secret["Name"])
    metadata = ctx.client("kms").describe_key(KeyId=ctx.outputs["kms_key_arn"])["KeyMetadata"]
    if metadata["KeyState"] != "PendingDeletion":
        leftovers.append(f"KMS key {metadata['KeyId']} ({metadata['KeyState']})")
    assert not leftovers, f"left after destroy: {leftovers}"


def safe(check_fn: Callable[[StackContext], None], ctx: StackContext) -> str | None:
    """Run a check; return its failure message or None (for reports)."""
    try:
        check_fn(ctx)
    except AssertionError as exc:
        return str(exc)
    except ClientError as exc:
        return f"AWS error: {exc}"
    return None
