"""The moto launcher's shims (tests/support/moto_launcher.py) keep moto's answers
as AWS gives them; each shim here is checked against the defect it papers over."""

from __future__ import annotations

import json

import pytest
from moto.lakeformation.models import Permission, PermissionCatalog
from werkzeug.test import Client, TestResponse

from tests.support import moto_launcher

pytestmark = pytest.mark.infra


def _permission(*permissions: str) -> Permission:
    return Permission(
        principal={"DataLakePrincipalIdentifier": "arn:aws:iam::123456789012:role/glue"},
        resource={"Database": {"Name": "lakehouse_dev_gold"}},
        permissions=list(permissions),
        permissions_with_grant_options=[],
    )


def test_revoke_after_merged_grants_revokes_exactly_what_was_granted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two grants to one principal on one resource merge into one entry (as Lake
    Formation lists them: one entry per principal and resource); revoking them one
    by one must leave nothing. Unshimmed moto raises KeyError (HTTP 500) on the
    first revoke because the merge changed the entry's hash inside its set, which
    made `terraform destroy` of the stack fail.
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RevokePermissions.html"""
    monkeypatch.setattr(PermissionCatalog, "add_permission", PermissionCatalog.add_permission)
    monkeypatch.setattr(PermissionCatalog, "remove_permission", PermissionCatalog.remove_permission)
    moto_launcher._serialised_permission_catalog()
    catalog = PermissionCatalog()
    catalog.add_permission(_permission("DESCRIBE"))
    catalog.add_permission(_permission("ALTER", "DESCRIBE"))
    assert [sorted(p.permissions) for p in catalog.permissions] == [["ALTER", "DESCRIBE"]]

    catalog.remove_permission(_permission("ALTER"))
    assert [p.permissions for p in catalog.permissions] == [["DESCRIBE"]]
    catalog.remove_permission(_permission("DESCRIBE"))
    assert catalog.permissions == set()


def _tag(key: str, value: str) -> dict[str, object]:
    return {"CatalogId": "123456789012", "TagKey": key, "TagValues": [value]}


def test_resource_lf_tags_attach_by_key_and_a_missing_one_is_a_failure_not_a_500(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """AddLFTagsToResource attaches the given tags next to the ones the resource
    carries (one value per key); RemoveLFTagsFromResource reports a tag the resource
    does not carry in `Failures` (LFTagError). Unshimmed moto replaces the whole list
    on add and raises ValueError (HTTP 500) on such a remove, which made
    `terraform destroy` fail in CI.
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_AddLFTagsToResource.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RemoveLFTagsFromResource.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_LFTagError.html"""
    from moto.lakeformation.models import LakeFormationBackend
    from moto.lakeformation.responses import LakeFormationResponse

    for name in ("add_lf_tags_to_resource", "remove_lf_tags_from_resource", "delete_lf_tag"):
        monkeypatch.setattr(LakeFormationBackend, name, getattr(LakeFormationBackend, name))
    monkeypatch.setattr(
        LakeFormationResponse,
        "remove_lf_tags_from_resource",
        LakeFormationResponse.remove_lf_tags_from_resource,
    )
    backend = LakeFormationBackend("eu-west-1", "123456789012")
    for key, values in {"layer": ["silver", "gold"], "pii": ["true", "false"]}.items():
        backend.create_lf_tag("123456789012", key, values)
    table = {"Table": {"DatabaseName": "lakehouse_dev_silver", "Name": "customers"}}

    unshimmed_add = LakeFormationBackend.add_lf_tags_to_resource
    unshimmed_add(backend, "123456789012", table, [_tag("layer", "silver")])
    unshimmed_add(backend, "123456789012", table, [_tag("pii", "true")])
    with pytest.raises(ValueError):  # the defect: the first tag was dropped by the second add
        backend.remove_lf_tags_from_resource("123456789012", table, [_tag("layer", "silver")])

    moto_launcher._resource_lf_tags_as_aws()
    backend.add_lf_tags_to_resource("123456789012", table, [_tag("layer", "silver")])
    backend.add_lf_tags_to_resource("123456789012", table, [_tag("layer", "gold")])
    _, on_table, _ = backend.get_resource_lf_tags("123456789012", table)
    assert sorted((t["TagKey"], t["TagValues"]) for t in on_table) == [
        ("layer", ["gold"]),
        ("pii", ["true"]),
    ]

    failures = backend.remove_lf_tags_from_resource(
        "123456789012", table, [_tag("pii", "true"), _tag("layer", "silver")]
    )
    assert [f["LFTag"]["TagKey"] for f in failures] == ["layer"]
    assert failures[0]["Error"]["ErrorCode"] == "EntityNotFoundException"
    _, on_table, _ = backend.get_resource_lf_tags("123456789012", table)
    assert [t["TagKey"] for t in on_table] == ["layer"]


def _glue_call(
    client: Client, target: str, body: dict[str, object], invocation: str, attempt: int
) -> TestResponse:
    return client.post(
        "/",
        data=json.dumps(body),
        headers={
            "X-Amz-Target": f"AWSGlue.{target}",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20261204/eu-west-1/glue/"
            "aws4_request, SignedHeaders=host, Signature=x",
            "amz-sdk-invocation-id": invocation,
            "amz-sdk-request": f"attempt={attempt}; max=5",
        },
    )


def test_a_retried_invocation_gets_its_first_answer_and_a_new_one_still_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The SDKs retry an operation whose response was lost with the same
    `amz-sdk-invocation-id` and `attempt=N+1`
    (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). When
    moto had already created the table, unshimmed moto answers the retry with
    AlreadyExistsException, which failed Terraform's re-apply in CI. The shim replays the
    first answer to that retry only: a CreateTable of the same name under a new
    invocation is still AlreadyExists, as on AWS
    (https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTable.html)."""
    from moto import mock_aws
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    monkeypatch.setattr(
        DomainDispatcherApplication, "__call__", DomainDispatcherApplication.__call__
    )
    table = {"DatabaseName": "db", "TableInput": {"Name": "daily_sales"}}
    with mock_aws():
        unshimmed = Client(DomainDispatcherApplication(create_backend_app))
        _glue_call(unshimmed, "CreateDatabase", {"DatabaseInput": {"Name": "db"}}, "i-0", 1)
        assert _glue_call(unshimmed, "CreateTable", table, "i-1", 1).status_code == 200
        retried = _glue_call(unshimmed, "CreateTable", table, "i-1", 2)
        assert retried.status_code == 400
        assert "AlreadyExists" in retried.get_data(as_text=True)

    moto_launcher._replay_retried_invocations()
    with mock_aws():
        client = Client(DomainDispatcherApplication(create_backend_app))
        _glue_call(client, "CreateDatabase", {"DatabaseInput": {"Name": "db"}}, "j-0", 1)
        first = _glue_call(client, "CreateTable", table, "j-1", 1)
        assert first.status_code == 200
        retried = _glue_call(client, "CreateTable", table, "j-1", 2)
        assert (retried.status_code, retried.get_data()) == (200, first.get_data())
        again = _glue_call(client, "CreateTable", table, "j-2", 1)
        assert again.status_code == 400
        assert "AlreadyExists" in again.get_data(as_text=True)
