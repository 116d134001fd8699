"""Fixtures for the local ASL interpreter tests: run a definition deterministically."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from lakehouse.local.asl import Execution, FakeClock, StateMachine

Run = Callable[..., Execution]


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def run_asl(fake_clock: FakeClock) -> Run:
    """``run_asl(definition, input, {key: handler}, **execute_kwargs)`` on a fake clock,
    with no real waiting and a seeded RNG unless the test passes its own."""

    def run(
        definition: dict[str, Any],
        state_input: Any,
        integrations: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Execution:
        kwargs.setdefault("clock", fake_clock)
        kwargs.setdefault("time_scale", 0)
        kwargs.setdefault("rng", random.Random(7))
        kwargs.setdefault("execution_name", "test-execution")
        machine = StateMachine(definition, name="test-machine")
        return machine.execute(state_input, integrations=integrations or {}, **kwargs)

    return run


@pytest.fixture
def one_state() -> Callable[..., dict[str, Any]]:
    """A definition holding ``state`` (ended) plus any ``extra`` states."""

    def build(state: dict[str, Any], name: str = "S", **extra: dict[str, Any]) -> dict[str, Any]:
        return {"StartAt": name, "States": {name: state, **extra}}

    return build
