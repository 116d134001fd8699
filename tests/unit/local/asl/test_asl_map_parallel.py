"""Map (inline) and Parallel states, from the developer guide pages
https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html (and the
legacy ``Iterator`` form), https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemspath.html,
https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
and https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html."""

from __future__ import annotations

import pytest

from lakehouse.local.asl import TaskFailed

SHIPMENT = {
    "ship-date": "2016-03-14T01:59:00Z",
    "detail": {
        "delivery-partner": "UQS",
        "shipped": [
            {"prod": "R31", "dest-code": 9511, "quantity": 1344},
            {"prod": "S39", "dest-code": 9511, "quantity": 40},
            {"prod": "R31", "dest-code": 9833, "quantity": 12},
            {"prod": "R40", "dest-code": 9860, "quantity": 887},
            {"prod": "R40", "dest-code": 9511, "quantity": 1220},
        ],
    },
}
SHIP_VAL = "arn:aws:states:::lambda:invoke"  # the page's ship-val Lambda, as a local handler


def validate_all(**fields):
    body = {
        "StartAt": "Validate",
        "States": {"Validate": {"Type": "Task", "Resource": SHIP_VAL, "End": True}},
    }
    state = {
        "Type": "Map",
        "InputPath": "$.detail",
        "ItemsPath": "$.shipped",
        "MaxConcurrency": 0,
        "ItemProcessor": body,
        "ResultPath": "$.detail.shipped",
        "End": True,
        **fields,
    }
    return {"StartAt": "Validate-All", "States": {"Validate-All": state}}


def test_map_runs_once_per_item_and_keeps_item_order(run_asl):
    """Map example: ``ship-val`` runs once per ``shipped`` item; the output is an array of
    the iterations' outputs, in item order, written at ``$.detail.shipped``."""
    seen = []

    def ship_val(parcel, _context):
        seen.append(parcel)
        return {"prod": parcel["prod"], "valid": parcel["quantity"] < 1000}

    execution = run_asl(validate_all(), SHIPMENT, {"lambda:invoke": ship_val})
    shipped = SHIPMENT["detail"]["shipped"]
    assert seen == shipped
    assert execution.output["detail"]["shipped"] == [
        {"prod": item["prod"], "valid": item["quantity"] < 1000} for item in shipped
    ]
    assert execution.output["detail"]["delivery-partner"] == "UQS"


@pytest.mark.parametrize("selector_field", ["ItemSelector", "Parameters"])
def test_map_item_selector_with_context_value(run_asl, selector_field):
    """ "Map state example with Parameters": each iteration gets the item from
    ``$$.Map.Item.Value`` plus the courier from the Map's input (``ItemSelector`` is the
    current name of the legacy ``Parameters`` field)."""
    seen = []
    selector = {"parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner"}
    definition = validate_all(**{selector_field: selector})

    def ship_val(parameters, _context):
        seen.append(parameters)
        return "ok"

    execution = run_asl(definition, SHIPMENT, {"lambda:invoke": ship_val})
    assert seen[0] == {
        "parcel": {"prod": "R31", "dest-code": 9511, "quantity": 1344},
        "courier": "UQS",
    }
    assert [item["parcel"] for item in seen] == SHIPMENT["detail"]["shipped"]
    assert execution.output["detail"]["shipped"] == ["ok"] * 5


def test_map_context_index_and_value_with_legacy_iterator(run_asl):
    """Context object "Map" example: ``ContextIndex``/``ContextValue`` for bob, meg, joe,
    using the legacy ``Iterator`` and ``Parameters`` fields."""
    definition = {
        "StartAt": "ExampleMapState",
        "States": {
            "ExampleMapState": {
                "Type": "Map",
                "Parameters": {
                    "ContextIndex.$": "$$.Map.Item.Index",
                    "ContextValue.$": "$$.Map.Item.Value",
                },
                "Iterator": {
                    "StartAt": "TestPass",
                    "States": {"TestPass": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    execution = run_asl(definition, [{"who": "bob"}, {"who": "meg"}, {"who": "joe"}])
    assert execution.output == [
        {"ContextValue": {"who": "bob"}, "ContextIndex": 0},
        {"ContextValue": {"who": "meg"}, "ContextIndex": 1},
        {"ContextValue": {"who": "joe"}, "ContextIndex": 2},
    ]


def test_items_path_selects_the_array(run_asl):
    """ItemsPath example: ``"ItemsPath": "$.ThingsPiratesSay"`` iterates only that array."""
    state_input = {
        "ThingsPiratesSay": [{"say": "Avast!"}, {"say": "Yar!"}, {"say": "Walk the Plank!"}],
        "ThingsGiantsSay": [{"say": "Fee!"}, {"say": "Fi!"}, {"say": "Fo!"}, {"say": "Fum!"}],
    }
    body = {
        "StartAt": "Say",
        "States": {"Say": {"Type": "Pass", "OutputPath": "$.say", "End": True}},
    }
    definition = {
        "StartAt": "Pirates",
        "States": {
            "Pirates": {
                "Type": "Map",
                "ItemsPath": "$.ThingsPiratesSay",
                "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **body},
                "End": True,
            }
        },
    }
    execution = run_asl(definition, state_input)
    assert execution.output == ["Avast!", "Yar!", "Walk the Plank!"]


def test_map_failure_fails_the_state_with_the_iteration_error(run_asl):
    """ "If any iteration fails, entire Map state fails": the Map's catcher sees the
    iteration's own error, and later items are not processed."""
    seen = []

    def ship_val(parcel, _context):
        seen.append(parcel["prod"])
        if parcel["prod"] == "S39":
            raise TaskFailed("ShipmentInvalid", "S39 has no destination")
        return "ok"

    definition = validate_all(
        Catch=[{"ErrorEquals": ["ShipmentInvalid"], "ResultPath": "$.error", "Next": "Alert"}]
    )
    definition["States"]["Validate-All"].pop("End")
    definition["States"]["Validate-All"]["Next"] = "Done"
    definition["States"]["Done"] = {"Type": "Succeed"}
    definition["States"]["Alert"] = {"Type": "Pass", "End": True}
    execution = run_asl(definition, SHIPMENT, {"lambda:invoke": ship_val})
    assert seen == ["R31", "S39"]
    assert execution.output["error"] == {
        "Error": "ShipmentInvalid",
        "Cause": "S39 has no destination",
    }
    types = [event["type"] for event in execution.history]
    assert types.count("MapIterationSucceeded") == 1
    assert "MapIterationFailed" in types and "MapStateFailed" in types


def test_map_items_path_must_select_an_array(run_asl):
    """An ItemsPath that selects a non-array fails with States.Runtime."""
    definition = validate_all(ItemsPath="$.delivery-partner")
    execution = run_asl(definition, SHIPMENT, {"lambda:invoke": lambda p, c: p})
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")


def test_parallel_output_is_one_element_per_branch(run_asl):
    """Parallel "input and output processing" example: ``[3, 2]`` into Add and Subtract
    gives ``[5, 1]`` (the page's SWF activities are local handlers here)."""

    def branch(name, resource):
        task = {"Type": "Task", "Resource": resource, "End": True}
        return {"StartAt": name, "States": {name: task}}

    definition = {
        "Comment": "Parallel Example.",
        "StartAt": "FunWithMath",
        "States": {
            "FunWithMath": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    branch("Add", "arn:aws:states:::math:add"),
                    branch("Subtract", "arn:aws:states:::math:subtract"),
                ],
            }
        },
    }
    handlers = {"math:add": lambda p, c: p[0] + p[1], "math:subtract": lambda p, c: p[0] - p[1]}
    execution = run_asl(definition, [3, 2], handlers)
    assert execution.output == [5, 1]
    types = [event["type"] for event in execution.history]
    assert types[:3] == ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"]
    assert types[-3:] == ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"]


def test_parallel_branch_failure_fails_the_state(run_asl):
    """ "If any branch fails ... the entire Parallel state is considered to have failed";
    a Fail state's error reaches the Parallel state's Retry and Catch unchanged."""
    definition = {
        "StartAt": "LookupCustomerInfo",
        "States": {
            "LookupCustomerInfo": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "LookupAddress",
                        "States": {"LookupAddress": {"Type": "Pass", "End": True}},
                    },
                    {
                        "StartAt": "LookupPhone",
                        "States": {
                            "LookupPhone": {
                                "Type": "Fail",
                                "Error": "PhoneMissing",
                                "Cause": "none",
                            }
                        },
                    },
                ],
                "Retry": [{"ErrorEquals": ["PhoneMissing"], "MaxAttempts": 1}],
                "Catch": [
                    {"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Fallback"}
                ],
                "End": True,
            },
            "Fallback": {"Type": "Pass", "End": True},
        },
    }
    execution = run_asl(definition, {"customer": 1})
    assert execution.output == {
        "customer": 1,
        "failure": {"Error": "PhoneMissing", "Cause": "none"},
    }
    assert [d["state"] for d in execution.delays] == ["LookupCustomerInfo"]
    assert [e["type"] for e in execution.history].count("ParallelStateFailed") == 2


def test_parallel_parameters_and_result_selector(run_asl):
    """Parallel supports Parameters and ResultSelector; ``$[*][*]`` flattens an array of
    arrays, as the "Using JSONPath paths" page shows for Parallel and Map results."""
    branch = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "InputPath": "$.values", "End": True}},
    }
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Parameters": {"values.$": "$.numbers"},
                "Branches": [branch, branch],
                "ResultSelector": {"flat.$": "$[*][*]"},
                "End": True,
            }
        },
    }
    execution = run_asl(definition, {"numbers": [1, 2]})
    assert execution.output == {"flat": [1, 2, 1, 2]}
