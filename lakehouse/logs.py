"""Structured (JSON lines) logs: one object per event, so CloudWatch Logs Insights and
a local `grep` read the same fields.

On Glue they go to stderr (the job's CloudWatch log stream). The local command line
sends them to a file under the lake (:func:`log_to_file`) so the terminal shows the
progress lines and the summary only, or to stderr with ``--log-format json``.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOGGER = logging.getLogger("lakehouse")


def _ensure_handler() -> None:
    if not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False


def log_to_file(path: str | Path) -> Path:
    """Append every later event to ``path`` (JSON lines) instead of stderr."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(target, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    _replace_handlers(handler)
    return target


def log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    _replace_handlers(handler)


def _replace_handlers(handler: logging.Handler) -> None:
    for old in list(LOGGER.handlers):
        LOGGER.removeHandler(old)
        old.close()
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False


def log_event(event: str, **fields: Any) -> None:
    _ensure_handler()
    LOGGER.info(json.dumps({"ts": round(time.time(), 3), "event": event, **fields}, default=str))


@contextmanager
def timed(stage: str, **fields: Any) -> Iterator[None]:
    """Log how long ``stage`` took (at DEBUG unless LAKEHOUSE_LOG_STAGES is set)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        _ensure_handler()
        if LOGGER.isEnabledFor(logging.DEBUG):
            LOGGER.debug(
                json.dumps(
                    {
                        "event": "stage",
                        "stage": stage,
                        "seconds": round(time.perf_counter() - started, 2),
                        **fields,
                    }
                )
            )
