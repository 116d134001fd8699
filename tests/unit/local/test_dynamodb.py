"""The local DynamoDB stand-in answers the calls the state machine makes as DynamoDB does,
and refuses loudly what it does not emulate.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html"""

from __future__ import annotations

import pytest

from lakehouse.local.asl import TaskFailed
from lakehouse.local.dynamodb import CONDITION_FAILED, VALIDATION, LocalDynamoDB

TABLE = "lakehouse-local-run-lock"


def _event(entity: str, sequencer: str) -> dict:
    """The state machine's RecordMarkerEvent request."""
    return {
        "TableName": TABLE,
        "Key": {"lock_id": {"S": "landing-2026-01-05"}},
        "UpdateExpression": "ADD entities :entity SET #sequencer = :sequencer",
        "ConditionExpression": "attribute_not_exists(#sequencer) OR #sequencer <> :sequencer",
        "ExpressionAttributeNames": {"#sequencer": f"sequencer_{entity}"},
        "ExpressionAttributeValues": {":entity": {"SS": [entity]}, ":sequencer": {"S": sequencer}},
        "ReturnValues": "ALL_NEW",
    }


def test_update_item_creates_the_item_adds_to_the_set_and_returns_all_new(tmp_path) -> None:
    db = LocalDynamoDB(tmp_path)
    first = db.update_item(_event("orders", "A1"))
    assert first == {
        "Attributes": {
            "lock_id": {"S": "landing-2026-01-05"},
            "entities": {"SS": ["orders"]},
            "sequencer_orders": {"S": "A1"},
        }
    }
    second = db.update_item(_event("customers", "B1"))["Attributes"]
    assert second["entities"] == {"SS": ["customers", "orders"]}
    # a new version of a marker: the set is unchanged, the sequencer replaced
    third = db.update_item(_event("orders", "A2"))["Attributes"]
    assert third["entities"] == {"SS": ["customers", "orders"]}
    assert third["sequencer_orders"] == {"S": "A2"}
    assert (
        db.get_item({"TableName": TABLE, "Key": {"lock_id": {"S": "landing-2026-01-05"}}})["Item"]
        == third
    )


def test_the_same_event_again_fails_the_condition(tmp_path) -> None:
    db = LocalDynamoDB(tmp_path)
    db.update_item(_event("orders", "A1"))
    with pytest.raises(TaskFailed) as failed:
        db.update_item(_event("orders", "A1"))
    assert failed.value.error == CONDITION_FAILED


def test_return_values_none_returns_nothing(tmp_path) -> None:
    request = {**_event("orders", "A1"), "ReturnValues": "NONE"}
    assert LocalDynamoDB(tmp_path).update_item(request) == {}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"UpdateExpression": "REMOVE entities"}, "REMOVE entities"),
        ({"ReturnValues": "UPDATED_OLD"}, "UPDATED_OLD"),
        ({"ConditionExpression": "size(entities) < :n"}, "size(entities) < :n"),
        ({"ExpressionAttributeNames": {}}, "#sequencer"),
        (
            {"ConditionExpression": "#sequencer <> :sequencer"},
            "on a missing attribute is not emulated",
        ),
        (
            {"ExpressionAttributeValues": {":entity": {"S": "x"}, ":sequencer": {"S": "A"}}},
            "string sets only",
        ),
    ],
)
def test_what_is_not_emulated_fails_naming_it(tmp_path, change: dict, named: str) -> None:
    with pytest.raises(TaskFailed) as failed:
        LocalDynamoDB(tmp_path).update_item({**_event("orders", "A1"), **change})
    assert failed.value.error == VALIDATION
    assert named in str(failed.value)
