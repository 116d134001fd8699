"""Map iterations in threads (``concurrent_map=True``, how the local runtime runs the
daily definition): AWS's ordering and failure semantics must survive concurrency."""

from __future__ import annotations

import threading
import time

from lakehouse.local.asl import TaskFailed

MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 3,
            "ItemProcessor": {
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::glue:startJobRun.sync",
                        "End": True,
                    }
                },
            },
            "End": True,
        }
    },
}


def test_results_keep_item_order_and_iterations_overlap(run_asl):
    active, peak, lock = [0], [0], threading.Lock()

    def work(params, context):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05 * (5 - params))  # the first item finishes last
        with lock:
            active[0] -= 1
        return params * 10

    execution = run_asl(
        MAP, {"items": [0, 1, 2, 3, 4]}, {"glue:startJobRun.sync": work}, concurrent_map=True
    )
    assert execution.status == "SUCCEEDED"
    assert execution.output == [0, 10, 20, 30, 40]
    assert 1 < peak[0] <= 3  # concurrent, and never beyond MaxConcurrency


def test_the_lowest_failing_index_decides_the_error(run_asl):
    def work(params, context):
        if params == 1:
            time.sleep(0.05)  # fails later in time than item 3
            raise TaskFailed("First.Error", "item 1")
        if params == 3:
            raise TaskFailed("Second.Error", "item 3")
        return params

    execution = run_asl(
        MAP, {"items": [0, 1, 2, 3]}, {"glue:startJobRun.sync": work}, concurrent_map=True
    )
    assert (execution.status, execution.error, execution.cause) == (
        "FAILED",
        "First.Error",
        "item 1",
    )


def test_sequential_by_default(run_asl):
    seen = []
    execution = run_asl(
        MAP, {"items": [2, 0, 1]}, {"glue:startJobRun.sync": lambda p, c: seen.append(p) or p}
    )
    assert seen == [2, 0, 1] and execution.output == [2, 0, 1]
