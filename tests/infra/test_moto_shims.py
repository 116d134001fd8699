"""The moto launcher's shims (tests/support/moto_launcher.py) keep moto's answers
as AWS gives them; each shim here is checked against the defect it papers over."""

from __future__ import annotations

import pytest
from moto.lakeformation.models import Permission, PermissionCatalog

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
