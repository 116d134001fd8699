"""Local AWS Step Functions interpreter (Amazon States Language, JSONPath).

Runs the project's real state machine definition on this machine; AWS services
are reached only through handlers registered by key (see ``integrations``)::

    machine = StateMachine(definition, name="daily-pipeline")
    execution = machine.execute(
        {"run_date": "2024-01-01"},
        integrations={"glue:startJobRun.sync": run_glue_job},
        execution_name="2024-01-01",
        time_scale=0,
    )
    execution.status, execution.output, execution.history

See README.md in this folder for what is supported and how it differs from AWS.
"""

from lakehouse.local.asl.errors import DefinitionError, StatesError, TaskFailed, TaskTimedOut
from lakehouse.local.asl.history import Execution
from lakehouse.local.asl.integrations import Handler, TaskContext, resource_key
from lakehouse.local.asl.machine import StateMachine
from lakehouse.local.asl.timing import Clock, FakeClock, SystemClock

__all__ = [
    "Clock",
    "DefinitionError",
    "Execution",
    "FakeClock",
    "Handler",
    "StateMachine",
    "StatesError",
    "SystemClock",
    "TaskContext",
    "TaskFailed",
    "TaskTimedOut",
    "resource_key",
]
