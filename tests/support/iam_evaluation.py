"""Decide IAM requests against the stack's rendered policies, as AWS would.

Action and Resource matching (wildcards, NotAction) is moto's maintained evaluator,
``moto.iam.access_control.IAMPolicyStatement`` (in the lock file already). moto
evaluates only the ``StringEquals`` condition operator and treats every other one as
matching (moto/iam/policy_conditions.py: "If the evaluation operation is not
supported, ignore condition evaluation"), and it does not match service principals.
So this module supplies exactly those two parts, from the IAM reference:

- conditions: the operators the stack's policies use, with AWS's rule for a key
  that is absent from the request (false, except for ``...IfExists`` operators);
  an operator not listed here raises :class:`NotEvaluatedError` (never a silent pass).
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- principals of resource policies (``AWS`` ARNs, the account root, ``Service``, ``*``).
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html

The decision follows the policy evaluation logic for one account: an explicit Deny
in any policy wins; otherwise the identity policy or the resource policy must allow
it, except for KMS, where the key policy must allow it (directly, or by delegating
to IAM through the account root, and then the identity policy must allow it).
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html

Not evaluated (the stack uses none of them; a policy that did fails loudly): policy
variables, NotPrincipal, NotResource, numeric/date/IP operators, ForAllValues /
ForAnyValue set operators, permission boundaries, SCPs and session policies.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moto.iam.access_control import IAMPolicyStatement, PermissionResult

SERVICE_PREFIX = (
    "service:"  # request.principal for an AWS service, e.g. service:events.amazonaws.com
)


class NotEvaluatedError(ValueError):
    """A policy uses a construct this evaluator does not decide."""


@dataclass(frozen=True)
class Request:
    """One API call: who makes it, the IAM action, the resource ARN and the request
    context (condition keys, e.g. ``{"aws:SecureTransport": "true"}``)."""

    principal: str
    action: str
    resource: str
    context: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def _values(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _bool(value: str) -> str:
    return value.strip().lower()


# operator -> (test of one policy value against the request value)
_OPERATORS = {
    "StringEquals": lambda expected, actual: actual == expected,
    "StringNotEquals": lambda expected, actual: actual != expected,
    "StringLike": lambda expected, actual: fnmatch.fnmatchcase(actual, expected),
    "StringNotLike": lambda expected, actual: not fnmatch.fnmatchcase(actual, expected),
    "ArnEquals": lambda expected, actual: actual == expected,
    "ArnLike": lambda expected, actual: fnmatch.fnmatchcase(actual, expected),
    "Bool": lambda expected, actual: _bool(actual) == _bool(expected),
}
_NEGATED = {"StringNotEquals", "StringNotLike"}


def condition_holds(condition: Mapping[str, Mapping[str, Any]], context: Mapping[str, str]) -> bool:
    """Whether a statement's Condition block holds for ``context`` (all operators and
    keys must hold; several values of one key: any matches, or for negated operators,
    none matches). A key absent from the request makes the condition false, except
    for negated operators (StringNotEquals...) and ``...IfExists``, where it is true,
    and ``Null``, which tests exactly that (the IAM reference's rule)."""
    for raw_operator, keys in condition.items():
        if raw_operator == "Null":
            for key, expected in keys.items():
                if (key not in context) != (_bool(str(expected)) == "true"):
                    return False
            continue
        if_exists = raw_operator.endswith("IfExists")
        operator = raw_operator.removesuffix("IfExists")
        if operator not in _OPERATORS:
            raise NotEvaluatedError(f"condition operator {raw_operator} is not evaluated here")
        test = _OPERATORS[operator]
        for key, expected in keys.items():
            if "${" in key or any("${" in v for v in _values(expected)):
                raise NotEvaluatedError(f"policy variables in {key}: not evaluated here")
            if key not in context:
                if if_exists or operator in _NEGATED:
                    continue
                return False
            actual = context[key]
            if operator in _NEGATED:
                if not all(test(v, actual) for v in _values(expected)):
                    return False
            elif not any(test(v, actual) for v in _values(expected)):
                return False
    return True


def principal_matches(principal_element: Any, principal: str, account_id: str) -> bool:
    """Resource-policy Principal element against the caller."""
    if principal_element == "*":
        return True
    if not isinstance(principal_element, Mapping):
        raise NotEvaluatedError(f"Principal {principal_element!r} is not evaluated here")
    if principal.startswith(SERVICE_PREFIX):
        return principal[len(SERVICE_PREFIX) :] in _values(principal_element.get("Service", []))
    aws = _values(principal_element.get("AWS", []))
    return "*" in aws or principal in aws or f"arn:aws:iam::{account_id}:root" in aws


def _statements(policy: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = policy.get("Statement", [])
    return [statements] if isinstance(statements, Mapping) else list(statements)


def matching_effects(
    policy: Mapping[str, Any] | None,
    request: Request,
    *,
    account_id: str,
    resource_policy: bool,
) -> list[tuple[str, str]]:
    """(Effect, Sid) of every statement of ``policy`` that applies to ``request``."""
    found = []
    for statement in _statements(policy or {}):
        for unsupported in ("NotPrincipal", "NotResource"):
            if unsupported in statement:
                raise NotEvaluatedError(f"{unsupported} is not evaluated here")
        if resource_policy:
            if "Principal" not in statement:
                raise NotEvaluatedError("a resource policy statement without Principal")
            if not principal_matches(statement["Principal"], request.principal, account_id):
                continue
        # moto decides Action/NotAction and Resource; Principal and Condition are ours.
        bare = {k: v for k, v in statement.items() if k not in ("Principal", "Condition")}
        bare.setdefault("Resource", "*")
        result = IAMPolicyStatement(bare).is_action_permitted(request.action, request.resource)
        if result == PermissionResult.NEUTRAL:
            continue
        if not condition_holds(statement.get("Condition", {}), request.context):
            continue
        found.append((statement["Effect"], statement.get("Sid", "")))
    return found


def decide(
    request: Request,
    *,
    identity_policies: Iterable[Mapping[str, Any]] = (),
    resource_policy: Mapping[str, Any] | None = None,
    account_id: str,
) -> Decision:
    """Allow or deny ``request`` (see the module docstring for the logic)."""
    identity = [
        e
        for p in identity_policies
        for e in matching_effects(p, request, account_id=account_id, resource_policy=False)
    ]
    resource = matching_effects(
        resource_policy, request, account_id=account_id, resource_policy=True
    )
    denies = [sid for effect, sid in identity + resource if effect == "Deny"]
    if denies:
        return Decision(False, f"explicit Deny by {denies}")
    identity_allows = any(effect == "Allow" for effect, _ in identity)
    resource_allows = any(effect == "Allow" for effect, _ in resource)
    if request.action.startswith("kms:"):
        allows = [sid for effect, sid in resource if effect == "Allow"]
        through_iam = [
            sid for sid in allows if _is_root_statement(resource_policy, sid, account_id)
        ]
        direct = [sid for sid in allows if sid not in through_iam]
        if direct:
            return Decision(True, f"the key policy allows it ({direct})")
        if through_iam and identity_allows:
            return Decision(
                True, "the key policy delegates to IAM and the identity policy allows it"
            )
        return Decision(False, "the key policy does not allow it (directly or through IAM)")
    if identity_allows or resource_allows:
        return Decision(True, "allowed")
    return Decision(False, "implicit deny: no statement allows it")


def _principal_of(policy: Mapping[str, Any] | None, sid: str) -> Any:
    for statement in _statements(policy or {}):
        if statement.get("Sid", "") == sid:
            return statement.get("Principal")
    return None


def _is_root_statement(policy: Mapping[str, Any] | None, sid: str, account_id: str) -> bool:
    principal = _principal_of(policy, sid)
    return isinstance(principal, Mapping) and f"arn:aws:iam::{account_id}:root" in _values(
        principal.get("AWS", [])
    )
