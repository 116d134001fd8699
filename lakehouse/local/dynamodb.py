"""A local stand-in for the DynamoDB calls the state machine makes (the run lock):
``PutItem``, ``GetItem``, ``DeleteItem`` with the request and response shapes of the
DynamoDB API (attribute values typed as ``{"S": ...}``) and its condition semantics,
for the condition expressions the definition uses. Anything else fails loudly with
``DynamoDB.ValidationException`` naming what is not emulated.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
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
_NOT_EXISTS = re.compile(r"attribute_not_exists\((\w+)\)")
_EQUALS = re.compile(r"(\w+) = (:\w+)")


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
    def _holds(expression: str | None, item: dict | None, values: dict[str, Any]) -> bool:
        """Whether a condition holds for ``item`` (None: no such item)."""
        if not expression:
            return True
        outcomes = []
        for raw_term in expression.split(" OR "):
            term = raw_term.strip()
            if match := _NOT_EXISTS.fullmatch(term):
                outcomes.append(item is None or match.group(1) not in item)
            elif match := _EQUALS.fullmatch(term):
                if match.group(2) not in values:
                    raise TaskFailed(VALIDATION, f"no value for {match.group(2)}")
                outcomes.append(
                    item is not None and item.get(match.group(1)) == values[match.group(2)]
                )
            else:
                raise TaskFailed(
                    VALIDATION, f"condition {term!r} is not emulated by the local DynamoDB"
                )
        return any(outcomes)

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
