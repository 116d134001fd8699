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


def test_destroy_leaves_nothing(
    moto_stack: tfo.MotoStack, context: stack_checks.StackContext
) -> None:
    moto_stack.destroy()
    stack_checks.check_nothing_left(context)
    print(
        "moto wall times: "
        + ", ".join(f"{step} {secs} s" for step, secs in moto_stack.timings.items())
    )
