"""Runners for Parallel and (inline) Map states.

Both run sequentially: branches in definition order, iterations in item order,
whatever ``MaxConcurrency`` says. Results are therefore always in branch/item
order, which is also what AWS guarantees. The first failing branch or iteration
fails the whole state with its own error and cause, and the states after it do not
run (on AWS the others would be stopped).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from lakehouse.local.asl.errors import StatesError, runtime_error
from lakehouse.local.asl.payload import excerpt
from lakehouse.local.asl.specs import MapSpec, ParallelSpec

if TYPE_CHECKING:
    from lakehouse.local.asl.runtime import Runtime

Transition = tuple[str | None, Any]


def run_parallel(rt: Runtime, spec: ParallelSpec, raw_input: Any) -> Transition:
    def attempt(context: dict[str, Any]) -> Any:
        branch_input = rt.select_input(spec, raw_input, context)
        if spec.parameters is not None:
            branch_input = spec.parameters.evaluate(branch_input, context, rt.rng)
        rt.history.record("ParallelStateStarted")
        outputs = []
        for branch in spec.branches:
            try:
                outputs.append(rt.run_program(branch, branch_input))
            except StatesError:
                rt.history.record("ParallelStateFailed")
                raise
        rt.history.record("ParallelStateSucceeded")
        return rt.build_output(spec, raw_input, outputs, context)

    return rt.run_recoverable(spec, raw_input, attempt)


def run_map(rt: Runtime, spec: MapSpec, raw_input: Any) -> Transition:
    def attempt(context: dict[str, Any]) -> Any:
        effective = rt.select_input(spec, raw_input, context)
        items = rt.read(spec.items_path, effective, context, "ItemsPath")
        if not isinstance(items, list):
            raise runtime_error(
                f"ItemsPath '{spec.items_path.text}' must select an array, got '{excerpt(items)}'"
            )
        if spec.max_concurrency_path is not None:
            _check_concurrency(
                rt.read(spec.max_concurrency_path, effective, context, "MaxConcurrencyPath")
            )
        rt.history.record("MapStateStarted", {"length": len(items)})
        results = _run_iterations(rt, spec, items, (effective, context))
        rt.history.record("MapStateSucceeded")
        return rt.build_output(spec, raw_input, results, context)

    return rt.run_recoverable(spec, raw_input, attempt)


def _run_iterations(
    rt: Runtime, spec: MapSpec, items: list[Any], source: tuple[Any, dict[str, Any]]
) -> list[Any]:
    """Results in item order. Concurrently (threads, at most MaxConcurrency; 0 means no
    limit) when the execution asked for it; a failure fails the state with the error of
    the lowest failing index, so the outcome does not depend on thread timing."""
    workers = len(items) if spec.max_concurrency == 0 else min(spec.max_concurrency, len(items))
    if not rt.concurrent_map or workers <= 1:
        return [
            _run_iteration(rt, spec, index=i, item=item, source=source)
            for i, item in enumerate(items)
        ]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_run_iteration, rt, spec, index=i, item=item, source=source)
            for i, item in enumerate(items)
        ]
        wait(futures)
    return [future.result() for future in futures]


def _run_iteration(
    rt: Runtime, spec: MapSpec, *, index: int, item: Any, source: tuple[Any, dict[str, Any]]
) -> Any:
    effective, context = source
    iteration = {"name": spec.name, "index": index}
    rt.history.record("MapIterationStarted", iteration)
    try:
        iteration_input = item
        if spec.item_selector is not None:
            # $$.Map.Item is only visible while the selector builds this item's input.
            item_context = {**context, "Map": {"Item": {"Index": index, "Value": item}}}
            iteration_input = spec.item_selector.evaluate(effective, item_context, rt.rng)
        output = rt.run_program(spec.processor, iteration_input)
    except StatesError:
        rt.history.record("MapIterationFailed", iteration)
        rt.history.record("MapStateFailed")
        raise
    rt.history.record("MapIterationSucceeded", iteration)
    return output


def _check_concurrency(value: Any) -> None:
    # Read for parity with AWS (a bad value fails there too); iterations stay sequential.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise runtime_error(f"MaxConcurrencyPath must select an integer >= 0, got {value!r}")
