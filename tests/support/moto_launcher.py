"""Start moto's server with the responses moto 5.2 lacks or gets wrong for this stack.

Usage: python tests/support/moto_launcher.py --port 43210

Each shim below papers over a *moto gap* (a call real AWS answers and moto does
not, or answers differently); none of them relaxes what the tests assert:

1. Step Functions ``ValidateStateMachineDefinition`` is not implemented. The AWS
   provider calls it before creating a state machine and retries the
   NotImplemented answer for 10+ minutes. The shim answers ``OK`` with no
   diagnostics; the definition itself is still compared byte-for-byte with the
   rendered template by the tests.
2. Step Functions ``ListStateMachineVersions`` is not implemented (the provider
   reads it after create). The stack never publishes versions, so the shim answers
   with an empty list, which is what AWS answers for such a state machine.
3. Athena ``DeleteNamedQuery`` is not implemented (needed to destroy named
   queries). The shim deletes the query from moto's backend, as AWS does.
4. Lake Formation ``RevokePermissions`` answers 200 even when nothing was
   revoked. The provider's delete revokes, then revokes again until AWS answers
   ``InvalidInputException: No permissions revoked. Grantee has no ...``; with
   moto's 200 it loops until its timeout. The shim raises that exception when the
   request matches no granted permission, and otherwise revokes as moto does.
5. Lake Formation's permission store is a ``set`` of mutable objects: a grant that
   merges into an existing entry changes that entry's hash in place, and the
   threaded server lets concurrent grants/revokes (Terraform runs 10-20 calls at
   once) iterate the set while another call changes it. A later revoke then fails
   with ``KeyError`` (HTTP 500) and ``terraform destroy`` fails, nondeterministically.
   The shim serialises the store's updates and removes entries by identity; what is
   granted and revoked is unchanged.
6. S3 ``DeleteObjects`` naming a delete marker's version fails with HTTP 500
   (``'FakeDeleteMarker' object has no attribute 'dispose'``), so ``terraform destroy``
   cannot empty a versioned bucket in which objects were deleted (every Spark job's
   commit deletes its temporary files). Delete markers hold no data: the shim gives
   them a no-op ``dispose``, and the version is removed as on AWS.
7. Lake Formation resource LF-tags: ``RemoveLFTagsFromResource`` naming a tag the
   resource does not carry raises ``ValueError`` (HTTP 500) where AWS reports the tag
   in the response's ``Failures`` (LFTagError: "an error related to a TagResource or
   UnTagResource operation"); the SDK retries the 500 and ``terraform destroy`` failed
   nondeterministically under its 20 parallel calls (CI, stop 17). ``AddLFTagsToResource``
   replaces the resource's whole tag list where AWS attaches the given tags (one value
   per key). The shim serialises the tag store's updates, merges added tags by key,
   and reports a tag that is not attached as a failure, printing it to the server log.
   https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RemoveLFTagsFromResource.html
   https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_LFTagError.html
8. S3 ``GetBucketNotificationConfiguration`` leaves out ``EventBridgeConfiguration``
   after it was put (moto stores it and sends the events), so Terraform plans
   ``eventbridge = false -> true`` after every apply. The shim adds the empty element to
   the answer when it is set, as S3 answers.
   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
9. A retried request is answered as its first attempt was. The AWS SDKs send one
   ``amz-sdk-invocation-id`` for all attempts of an operation and count them in
   ``amz-sdk-request: attempt=N``; they retry when a response is lost on the way (a reset
   or closed connection). The Werkzeug server under CI load loses some responses after
   moto has acted on the request: Terraform's retried ``CreateTable`` of a view then got
   ``AlreadyExistsException`` for the table its own first attempt created (CI, stops 17
   and 18, re-apply after destroy). AWS would have delivered the first answer. The shim
   keeps each mutating request's successful answer by invocation id and replays it to a
   later attempt of the same invocation (printing the replay to the server log); a new
   invocation, as a second ``terraform apply`` or any test makes, is answered by moto
   as before, so AlreadyExists stays an error for a table created twice.
   https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

# Attaching AWS-managed policies fails unless moto loads them at start-up; read by
# moto when its IAM backend is created, so it must be set before moto is imported.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

NO_PERMISSIONS_REVOKED = (
    "No permissions revoked. Grantee has no {permissions} permission and no grantable "
    "permission on resource"
)


def _validate_state_machine_definition(self: Any) -> Any:
    from moto.core.responses import ActionResult

    return ActionResult({"result": "OK", "diagnostics": [], "truncated": False})


def _list_state_machine_versions(self: Any) -> Any:
    from moto.core.responses import ActionResult

    return ActionResult({"stateMachineVersions": []})


def _delete_named_query(self: Any) -> str:
    query_id = self._get_param("NamedQueryId")
    self.athena_backend.named_queries.pop(query_id, None)
    return "{}"


def _revoke_permissions_or_fail(original: Any) -> Any:
    """RevokePermissions (the single call; BatchRevokePermissions is left as is)."""

    def revoke_permissions(self: Any) -> Any:
        from moto.lakeformation.exceptions import InvalidInput

        catalog_id = self._get_param("CatalogId") or self.current_account
        principal = self._get_param("Principal")
        resource = self._get_param("Resource")
        wanted = set(self._get_param("Permissions") or []) | set(
            self._get_param("PermissionsWithGrantOption") or []
        )
        granted: set[str] = set()
        catalog = self.lakeformation_backend.grants.get(catalog_id)
        for permission in catalog.permissions if catalog else ():
            if permission.principal == principal and permission.resource == resource:
                granted |= set(permission.permissions or [])
                granted |= set(permission.permissions_with_grant_options or [])
        if not wanted & granted:
            raise InvalidInput(NO_PERMISSIONS_REVOKED.format(permissions=",".join(sorted(wanted))))
        return original(self)

    return revoke_permissions


def _serialised_permission_catalog() -> None:
    """Shim 5: PermissionCatalog updates under one lock, entries removed by identity."""
    import threading

    from moto.lakeformation.models import PermissionCatalog

    lock = threading.RLock()

    def add_permission(self: Any, permission: Any) -> None:
        with lock:
            for existing in list(self.permissions):
                if permission.equal_principal_and_resouce(existing):
                    existing.merge(permission)
                    self.permissions = set(self.permissions)  # re-hash the merged entry
                    return
            self.permissions = self.permissions | {permission}

    def remove_permission(self: Any, permission: Any) -> None:
        with lock:
            for existing in list(self.permissions):
                if permission.equal_principal_and_resouce(existing):
                    existing.diff(permission)
                    kept = [p for p in self.permissions if p is not existing]
                    if not existing.is_empty():
                        kept.append(existing)
                    self.permissions = set(kept)
                    return

    PermissionCatalog.add_permission = add_permission
    PermissionCatalog.remove_permission = remove_permission


def _dispose_delete_markers() -> None:
    """Shim 6: a delete marker has nothing to release when its version is deleted."""
    from moto.s3.models import FakeDeleteMarker

    if not hasattr(FakeDeleteMarker, "dispose"):
        FakeDeleteMarker.dispose = lambda self, garbage=False: None


def _resource_tag_keys(
    backend: Any, resource: dict[str, Any]
) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    """The (store, key) pairs of moto's LF-tag store that a Resource names."""
    account = backend.account_id
    if "Database" in resource:
        database = resource["Database"]
        return [(backend.lf_database_tags, (database.get("CatalogId", account), database["Name"]))]
    if "Table" in resource:
        table = resource["Table"]
        return [
            (
                backend.lf_table_tags,
                (table.get("CatalogId", account), table["DatabaseName"], table["Name"]),
            )
        ]
    if "TableWithColumns" in resource:
        table = resource["TableWithColumns"]
        prefix = (table.get("CatalogId", account), table["DatabaseName"], table["Name"])
        return [(backend.lf_columns_tags, (*prefix, column)) for column in table["ColumnNames"]]
    return []


def _resource_lf_tags_as_aws() -> None:
    """Shim 7: resource LF-tag updates under one lock; add merges by key; removing a
    tag that is not attached is a Failures entry, not an HTTP 500."""
    import threading

    from moto.lakeformation.models import LakeFormationBackend
    from moto.lakeformation.responses import LakeFormationResponse

    lock = threading.RLock()
    original_add = LakeFormationBackend.add_lf_tags_to_resource
    original_delete_tag = LakeFormationBackend.delete_lf_tag

    def add_lf_tags_to_resource(
        self: Any, catalog_id: str, resource: dict[str, Any], tags: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        with lock:
            before = [
                (store, key, list(store.get(key, [])))
                for store, key in _resource_tag_keys(self, resource)
            ]
            failures = original_add(self, catalog_id, resource, tags)
            if failures:
                return failures
            for store, key, attached in before:
                added = {tag["TagKey"] for tag in tags}
                # moto stored one list object for every column: each key gets its own
                store[key] = [t for t in attached if t["TagKey"] not in added] + [
                    dict(tag) for tag in tags
                ]
            return failures

    def remove_lf_tags_from_resource(
        self: Any, catalog_id: str, resource: dict[str, Any], tags: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        failures: list[dict[str, Any]] = []
        with lock:
            for tag in tags:
                tag.setdefault("CatalogId", catalog_id)
            for store, key in _resource_tag_keys(self, resource):
                attached = store.get(key, [])
                for tag in tags:
                    if tag in attached:
                        attached.remove(tag)
                        continue
                    print(f"shim 7: LF-tag {tag} is not attached to {key}", file=sys.stderr)
                    failures.append(
                        {
                            "LFTag": tag,
                            "Error": {
                                "ErrorCode": "EntityNotFoundException",
                                "ErrorMessage": "The LF-tag is not attached to the resource.",
                            },
                        }
                    )
        return failures

    def delete_lf_tag(self: Any, catalog_id: str, key: str) -> None:
        with lock:
            original_delete_tag(self, catalog_id, key)

    def remove_response(self: Any) -> str:
        import json

        failures = self.lakeformation_backend.remove_lf_tags_from_resource(
            self._get_param("CatalogId") or self.current_account,
            self._get_param("Resource"),
            self._get_param("LFTags"),
        )
        return json.dumps({"Failures": failures})

    LakeFormationBackend.add_lf_tags_to_resource = add_lf_tags_to_resource
    LakeFormationBackend.remove_lf_tags_from_resource = remove_lf_tags_from_resource
    LakeFormationBackend.delete_lf_tag = delete_lf_tag
    LakeFormationResponse.remove_lf_tags_from_resource = remove_response


def _bucket_notification_with_eventbridge() -> None:
    """Shim 8: GetBucketNotificationConfiguration answers EventBridgeConfiguration."""
    from moto.s3.responses import S3Response

    original = S3Response.get_bucket_notification

    def get_bucket_notification(self: Any) -> Any:
        response = original(self)
        configuration = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if configuration is None or configuration.event_bridge is None:
            return response
        status, headers, body = response
        text = body.decode() if isinstance(body, bytes) else body
        closing = "</NotificationConfiguration>"
        if "<EventBridgeConfiguration" not in text and closing in text:
            text = text.replace(closing, f"<EventBridgeConfiguration/>{closing}")
        elif closing not in text:  # nothing else configured: an empty result was sent
            text = (
                '<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration '
                'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><EventBridgeConfiguration/>'
                "</NotificationConfiguration>"
            )
        return status, headers, text

    S3Response.get_bucket_notification = get_bucket_notification


REPLAYED_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
REPLAY_CACHE_SIZE = 4096


def _replay_retried_invocations() -> None:
    """Shim 9: a later attempt of an SDK invocation gets the first attempt's 2xx answer."""
    import collections
    import threading

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__
    answered: collections.OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = (
        collections.OrderedDict()
    )
    lock = threading.Lock()

    def __call__(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if not invocation or environ.get("REQUEST_METHOD") not in REPLAYED_METHODS:
            return original(self, environ, start_response)
        with lock:
            kept = answered.get(invocation)
        if kept is not None:
            status, headers, body = kept
            print(
                f"moto_launcher: replayed the answer to invocation {invocation} "
                f"({environ.get('HTTP_AMZ_SDK_REQUEST', 'attempt=?')}, "
                f"{environ.get('HTTP_X_AMZ_TARGET') or environ.get('PATH_INFO')}): {status}",
                flush=True,
            )
            start_response(status, headers)
            return [body]
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, list(headers)
            return start_response(status, headers, exc_info)

        answer = original(self, environ, capture)
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        if str(captured.get("status", "")).startswith("2"):
            with lock:
                answered[invocation] = (captured["status"], captured["headers"], body)
                while len(answered) > REPLAY_CACHE_SIZE:
                    answered.popitem(last=False)
        return [body]

    DomainDispatcherApplication.__call__ = __call__


def install_shims() -> None:
    """Add the missing responses to moto's classes (before the server starts)."""
    from moto.athena.responses import AthenaResponse
    from moto.lakeformation.responses import LakeFormationResponse
    from moto.stepfunctions.responses import StepFunctionResponse

    StepFunctionResponse.validate_state_machine_definition = _validate_state_machine_definition
    StepFunctionResponse.list_state_machine_versions = _list_state_machine_versions
    AthenaResponse.delete_named_query = _delete_named_query
    LakeFormationResponse.revoke_permissions = _revoke_permissions_or_fail(
        LakeFormationResponse.revoke_permissions
    )
    _serialised_permission_catalog()
    _dispose_delete_markers()
    _resource_lf_tags_as_aws()
    _bucket_notification_with_eventbridge()
    _replay_retried_invocations()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    # moto builds some URLs (and presigned links) from MOTO_PORT: it must be the
    # port this server really listens on.
    os.environ["MOTO_PORT"] = str(args.port)
    install_shims()
    from moto.server import main as moto_main

    moto_main(["--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
