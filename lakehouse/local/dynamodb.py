"""A local stand-in for the DynamoDB calls the state machine makes (the run lock and the
landing markers' events): ``PutItem``, ``GetItem``, ``DeleteItem`` and ``UpdateItem``
(``ADD`` to a string set, ``SET`` of a value, ``ReturnValues`` ``ALL_NEW``) with the
request and response shapes of the
DynamoDB API (attribute values typed as ``{"S": ...}``) and its condition semantics,
for the condition expressions the definition uses. Anything else fails loudly with
``DynamoDB.ValidationException`` naming what is not emulated.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html

Items live in ``<lake>/_local/dynamodb/<table>.json``; every call holds an ``fcntl``
lock on that file, so a conditional write is atomic across processes, as on AWS.
"""

from __future__ import annotations

import fcntl
import json
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lakehouse.local.asl import TaskFailed

CONDITION_FAILED = "DynamoDB.ConditionalCheckFailedException"
VALIDATION = "DynamoDB.ValidationException"
_NOT_EXISTS = re.compile(r"attribute_not_exists\((#?\w+)\)")
_COMPARE = re.compile(r"(#?\w+) (=|<>) (:\w+)")
_ADD = re.compile(r"ADD (#?\w+) (:\w+)")
_SET = re.compile(r"SET (#?\w+) = (:\w+)")


class LocalDynamoDB:
    def __init__(self, lake_dir: Path) -> None:
        self.folder = Path(lake_dir) / "_local" / "dynamodb"

    @contextmanager
    def _table(self, name: str):
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.json"
        with (self.folder / f"{name}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            items = json.loads(path.read_text("utf-8")) if path.exists() else {}
            yield items
            path.write_text(json.dumps(items, indent=1, sort_keys=True), "utf-8")

    @staticmethod
    def _key(key: dict[str, Any]) -> str:
        return json.dumps(key, sort_keys=True)

    @staticmethod
    def _name(token: str, names: dict[str, str]) -> str:
        """An attribute name, or the name a ``#placeholder`` stands for."""
        if not token.startswith("#"):
            return token
        if token not in names:
            raise TaskFailed(VALIDATION, f"no ExpressionAttributeNames entry for {token}")
        return names[token]

    @staticmethod
    def _holds(
        expression: str | None,
        item: dict | None,
        values: dict[str, Any],
        names: dict[str, str] | None = None,
    ) -> bool:
        """Whether a condition holds for ``item`` (None: no such item)."""
        if not expression:
            return True
        names = names or {}
        terms = [raw.strip() for raw in expression.split(" OR ")]
        for term in terms:  # every term is one the stand-in knows, before any is evaluated
            if not (_NOT_EXISTS.fullmatch(term) or _COMPARE.fullmatch(term)):
                raise TaskFailed(
                    VALIDATION, f"condition {term!r} is not emulated by the local DynamoDB"
                )
        for term in terms:  # OR: the first term that holds decides
            if match := _NOT_EXISTS.fullmatch(term):
                name = LocalDynamoDB._name(match.group(1), names)
                holds = item is None or name not in item
            else:
                match = _COMPARE.fullmatch(term)
                name = LocalDynamoDB._name(match.group(1), names)
                if match.group(3) not in values:
                    raise TaskFailed(VALIDATION, f"no value for {match.group(3)}")
                if match.group(2) == "=":
                    holds = item is not None and item.get(name) == values[match.group(3)]
                elif item is None or name not in item:
                    raise TaskFailed(
                        VALIDATION,
                        f"{term!r} on a missing attribute is not emulated by the local DynamoDB "
                        "(guard it with attribute_not_exists(...) OR first)",
                    )
                else:
                    holds = item[name] != values[match.group(3)]
            if holds:
                return True
        return False

    def _refuse(self) -> None:
        raise TaskFailed(
            CONDITION_FAILED,
            "The conditional request failed (Service: DynamoDb, Status Code: 400, "
            "Request ID: local)",
        )

    def put_item(self, params: dict[str, Any], key_name: str = "lock_id") -> dict:
        item = params["Item"]
        with self._table(params["TableName"]) as items:
            key = self._key({key_name: item[key_name]})
            values = params.get("ExpressionAttributeValues", {})
            if not self._holds(params.get("ConditionExpression"), items.get(key), values):
                self._refuse()
            items[key] = item
        return {}

    def get_item(self, params: dict[str, Any]) -> dict:
        with self._table(params["TableName"]) as items:
            found = items.get(self._key(params["Key"]))
        return {"Item": found} if found is not None else {}

    def delete_item(self, params: dict[str, Any]) -> dict:
        with self._table(params["TableName"]) as items:
            key = self._key(params["Key"])
            values = params.get("ExpressionAttributeValues", {})
            if not self._holds(params.get("ConditionExpression"), items.get(key), values):
                self._refuse()
            items.pop(key, None)
        return {}

    def update_item(self, params: dict[str, Any]) -> dict:
        """``UpdateItem`` with an UpdateExpression of ``ADD <set> :v`` and/or
        ``SET <attr> = :v`` clauses (an ADD to a string set takes the union; the item is
        created when missing, its key attributes from ``Key``). ``ReturnValues``
        ``ALL_NEW`` returns the whole item as ``Attributes``; ``NONE`` (the default)
        nothing. Any other expression or option fails naming what is not emulated."""
        names = params.get("ExpressionAttributeNames", {})
        values = params.get("ExpressionAttributeValues", {})
        returns = params.get("ReturnValues", "NONE")
        if returns not in ("NONE", "ALL_NEW"):
            raise TaskFailed(
                VALIDATION, f"ReturnValues {returns} is not emulated by the local DynamoDB"
            )
        clauses = _clauses(params.get("UpdateExpression", ""))
        with self._table(params["TableName"]) as items:
            key = self._key(params["Key"])
            current = items.get(key)
            if not self._holds(params.get("ConditionExpression"), current, values, names):
                self._refuse()
            item = dict(current) if current is not None else dict(params["Key"])
            for action, token, placeholder in clauses:
                if placeholder not in values:
                    raise TaskFailed(VALIDATION, f"no value for {placeholder}")
                name, value = self._name(token, names), values[placeholder]
                if action == "SET":
                    item[name] = value
                elif set(value) != {"SS"} or (name in item and set(item[name]) != {"SS"}):
                    raise TaskFailed(
                        VALIDATION,
                        f"ADD of {value} to {item.get(name)} is not emulated (string sets only)",
                    )
                else:
                    item[name] = {
                        "SS": sorted(set(item.get(name, {"SS": []})["SS"]) | set(value["SS"]))
                    }
            items[key] = item
        return {"Attributes": item} if returns == "ALL_NEW" else {}


def _clauses(expression: str) -> list[tuple[str, str, str]]:
    """(ADD|SET, attribute token, value placeholder) of each clause of an UpdateExpression."""
    found: list[tuple[str, str, str]] = []
    rest = expression.strip()
    while rest:
        match = _ADD.match(rest) or _SET.match(rest)
        if match is None:
            raise TaskFailed(
                VALIDATION,
                f"update expression {expression!r} is not emulated by the local DynamoDB",
            )
        found.append((rest[:3], match.group(1), match.group(2)))
        rest = rest[match.end() :].strip()
    return found
