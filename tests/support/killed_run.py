"""Run one date of the daily pipeline in this process and kill the process (SIGKILL:
no handler, no cleanup, what an OOM kill or a lost host does) at a chosen point.

    python -m tests.support.killed_run <lake> <date> state:<StateName>
        killed as the execution leaves the first <StateName> (its writes done,
        nothing of the next state begun)
    python -m tests.support.killed_run <lake> <date> silver-mid-commit
        killed inside the first silver commit: the entity's merge is staged and
        journalled, its live partitions are overwritten, its tombstone partitions and
        the journal's "committed" mark are not written

Exits with the code of the run (0 or 1) if the point is never reached, so the caller
can tell a kill (-9) from a run that ended.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _die_inside_silver_commits() -> None:
    """The thread that runs the first silver commit dies after its first partition
    overwrite (other entities' jobs run in other threads and are killed wherever they
    are)."""
    from lakehouse import io, silver_commit

    overwrite, commit = io.overwrite_partitions, silver_commit.apply
    committing = threading.local()

    def overwrite_then_die(*args: Any, **kwargs: Any) -> Any:
        result = overwrite(*args, **kwargs)
        if getattr(committing, "active", False):
            _kill()
        return result

    def apply(*args: Any, **kwargs: Any) -> Any:
        committing.active = True
        return commit(*args, **kwargs)

    io.overwrite_partitions = overwrite_then_die
    silver_commit.apply = apply


def main(argv: list[str]) -> int:
    lake, run_date, point = Path(argv[0]), argv[1], argv[2]
    from lakehouse.local.executions import run_pipeline

    def listener(event: dict[str, Any]) -> None:
        if (
            point.startswith("state:")
            and event["type"].endswith("StateExited")
            and event["stateExitedEventDetails"]["name"] == point.removeprefix("state:")
        ):
            _kill()

    if point == "silver-mid-commit":
        _die_inside_silver_commits()
    execution = run_pipeline(lake, run_date, listener=listener)
    return 0 if execution.status == "SUCCEEDED" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
