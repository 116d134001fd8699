"""What happened per run date, from the lake itself (metrics, run manifests, the local
CloudWatch's metric data): the console table of `lakehouse run`/`make run` and the HTML
run report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.layout import to_local_path
from lakehouse.local.cloudwatch import datum_line, read_metric_data
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.executions import (
    LocalExecution,
    is_handover,
    is_rollback,
    list_executions,
)


@dataclass
class DaySummary:
    run_date: str
    execution: str | None = None
    status: str = "NOT RUN"  # PUBLISHED | BLOCKED | FAILED | ROLLED_BACK | NOT RUN
    raw_lines: int = 0
    bronze_rows: int = 0
    silver_accepted: int = 0
    quarantined: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    gold_rows: int = 0
    checks: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    layer_seconds: dict[str, float] = field(default_factory=dict)
    rolled_back_by: str | None = None  # the rollback execution, when the last one is
    # PutMetricData received while the execution ran, one line per datum (sorted):
    # RawRows{Environment=local,Layer=bronze,Entity=orders} 1234 Count
    metric_data: list[str] = field(default_factory=list)
    metric_namespaces: list[str] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[dict[str, Any]]:
        return [c for c in self.checks if c.get("verdict") == "fail"]

    @property
    def warned_checks(self) -> list[dict[str, Any]]:
        return [c for c in self.checks if c.get("verdict") == "warn"]


# The daily state machine's top-level states (step_functions/daily_pipeline.asl.json) and
# the layer each one's wall time is reported under; every other state is "orchestration"
# (run lock, catalog reads, run manifest, notifications).
STATE_LAYERS = {
    "Ingest": "bronze",
    "Refine": "silver",
    "BuildGold": "gold",
    "Validate": "gate",
    "Publish": "publish",
}
LAYERS = ("bronze", "silver", "gold", "gate", "publish", "orchestration", "total")


def _seconds_between(start: str, stop: str) -> float:
    """Seconds between two history timestamps (ISO 8601 UTC, ``...Z``)."""
    return (datetime.fromisoformat(stop) - datetime.fromisoformat(start)).total_seconds()


def layer_seconds(history: list[dict[str, Any]]) -> dict[str, float]:
    """Wall seconds per layer of one execution, from its history (GetExecutionHistory
    shapes: ``<Type>StateEntered``/``StateExited`` events with ``timestamp`` and the
    state's ``name``): ``{layer: seconds}`` for :data:`LAYERS`, rounded to 0.1 s; a
    layer whose state never ran is absent. ``total`` is the first to the last event."""
    if not history:
        return {}
    entered: dict[str, str] = {}
    out: dict[str, float] = {}
    for event in history:
        kind = event["type"]
        if kind.endswith(("StateEntered", "StateExited")):
            details = event.get("stateEnteredEventDetails") or event["stateExitedEventDetails"]
            layer = STATE_LAYERS.get(details["name"])
            if layer is None:
                continue
            if kind.endswith("StateEntered"):
                entered[layer] = event["timestamp"]
            elif layer in entered:
                seconds = _seconds_between(entered.pop(layer), event["timestamp"])
                out[layer] = out.get(layer, 0.0) + seconds
    total = _seconds_between(history[0]["timestamp"], history[-1]["timestamp"])
    out["orchestration"] = max(0.0, total - sum(out.values()))
    out["total"] = total
    return {layer: round(out[layer], 1) for layer in LAYERS if layer in out}


def _json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def _value(cell: Any) -> str:
    """An Athena cell as the state machine stored it ({"VarCharValue": ..} or {})."""
    return cell.get("VarCharValue", "NULL") if isinstance(cell, dict) else str(cell)


def _moment(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def execution_windows(
    executions: list[LocalExecution],
) -> dict[str, tuple[datetime, datetime | None]]:
    """{execution name: (start, end)} of the wall-clock time each execution ran. The end
    is its stop time, but never later than the next execution's start: an execution's
    clock runs ahead of the wall clock by the retry waits it skipped (time_scale=0),
    and runs of one lake never overlap. ``None``: still running (or killed)."""
    ordered = sorted(executions, key=lambda e: _moment(e.start_date))
    windows: dict[str, tuple[datetime, datetime | None]] = {}
    for i, execution in enumerate(ordered):
        start = _moment(execution.start_date)
        later = [_moment(e.start_date) for e in ordered[i + 1 :] if _moment(e.start_date) > start]
        ends = [_moment(execution.stop_date)] if execution.stop_date else []
        ends += later[:1]
        windows[execution.name] = (start, min(ends) if ends else None)
    return windows


def metric_data_between(
    requests: list[dict[str, Any]], start: datetime, end: datetime | None
) -> tuple[list[str], list[str]]:
    """(sorted datum lines, sorted namespaces) of the PutMetricData requests received
    from ``start`` up to ``end`` (open when None)."""
    lines: list[str] = []
    namespaces: set[str] = set()
    for request in requests:
        received = _moment(request["ReceivedAt"])
        if received >= start and (end is None or received <= end):
            namespaces.add(request["Namespace"])
            lines += [datum_line(d) for d in request["MetricData"]]
    return sorted(lines), sorted(namespaces)


def summarise(lake_dir: str | Path) -> list[DaySummary]:
    """One summary per run date that has an execution, from its latest run; a rollback
    that succeeded after that run makes the outcome ROLLED_BACK (a failed rollback
    changed nothing readers see and is left to its alert and `lakehouse status`)."""
    deployment = LocalDeployment.at(lake_dir)
    ops = to_local_path(deployment.roots.ops_root)
    latest: dict[str, Any] = {}
    rolled_back: dict[str, str] = {}
    executions = list_executions(lake_dir)
    windows = execution_windows(executions)
    requests = read_metric_data(lake_dir)
    for execution in executions:
        if is_handover(execution):
            continue  # the run it started is listed under its own name
        if not is_rollback(execution):
            latest[execution.run_date] = execution
            rolled_back.pop(execution.run_date, None)
        elif execution.status == "SUCCEEDED":
            rolled_back[execution.run_date] = execution.name
    days = []
    for run_date in sorted(latest):
        execution = latest[run_date]
        day = DaySummary(
            run_date=run_date,
            execution=execution.name,
            error=execution.error,
            layer_seconds=layer_seconds(execution.history),
        )
        manifest = (
            _json(ops / "run_manifest" / f"run_date={run_date}" / f"{execution.name}.json") or {}
        )
        day.status = {"PUBLISHED": "PUBLISHED", "BLOCKED": "BLOCKED"}.get(
            manifest.get("status"), "FAILED"
        )
        day.checks = manifest.get("checks", [])
        if run_date in rolled_back and day.status == "PUBLISHED":
            day.status, day.rolled_back_by = "ROLLED_BACK", rolled_back[run_date]
        for entity in SOURCE_ENTITIES:
            bronze = (
                _json(ops / "metrics" / "bronze" / entity / f"run_date={run_date}" / "metrics.json")
                or {}
            )
            silver = (
                _json(ops / "metrics" / "silver" / entity / f"run_date={run_date}" / "metrics.json")
                or {}
            )
            day.raw_lines += bronze.get("raw_data_lines", 0)
            day.bronze_rows += bronze.get("bronze_rows", 0)
            day.silver_accepted += silver.get("accepted", 0)
            day.quarantined += silver.get("quarantined", 0)
            for reason, count in silver.get("quarantine_reasons", {}).items():
                key = f"{entity}: {reason}"
                day.quarantine_reasons[key] = day.quarantine_reasons.get(key, 0) + count
        gold = (
            _json(ops / "metrics" / "gold" / "all" / f"run_date={run_date}" / "metrics.json") or {}
        )
        day.gold_rows = sum(gold.get("rows_staged", {}).values())
        day.metric_data, day.metric_namespaces = metric_data_between(
            requests, *windows[execution.name]
        )
        days.append(day)
    return days


def metric_data_lines(days: list[DaySummary]) -> list[str]:
    """The metric data section: per day, every datum received while its run ran."""
    sent = [d for d in days if d.metric_data]
    if not sent:
        return []
    namespaces = sorted({n for d in sent for n in d.metric_namespaces})
    lines = ["", f"CloudWatch metric data received during each run ({', '.join(namespaces)}):"]
    for d in sent:
        lines.append(f"  {d.run_date} ({d.execution}):")
        lines += [f"    {line}" for line in d.metric_data]
    return lines


def console_table(days: list[DaySummary], metric_data: bool = False) -> str:
    header = (
        f"{'date':<11} {'raw':>7} {'bronze':>7} {'silver':>7} {'quarant.':>8} {'gold':>6} "
        f"{'checks':>7}  {'outcome':<10} notes"
    )
    lines = [header, "-" * (len(header) + 30)]
    for d in days:
        passed = sum(1 for c in d.checks if c.get("verdict") == "pass")
        checks = f"{passed}/{len(d.checks)}" if d.checks else "-"
        if d.status == "BLOCKED":
            note = "gate blocked publish: " + ", ".join(
                f"{c['check_name']} observed {_value(c['observed'])} > {_value(c['threshold'])}"
                for c in d.failed_checks
            )
        elif d.status == "FAILED":
            note = f"run failed: {d.error}"
        elif d.status == "ROLLED_BACK":
            note = (
                f"readers pointed back at the publication before {d.execution} ({d.rolled_back_by})"
            )
        else:
            note = ", ".join(f"warning {c['check_name']}" for c in d.warned_checks)
        lines.append(
            f"{d.run_date:<11} {d.raw_lines:>7} {d.bronze_rows:>7} {d.silver_accepted:>7} "
            f"{d.quarantined:>8} {d.gold_rows:>6} {checks:>7}  {d.status:<10} {note}"
        )
    reasons = sorted({r for d in days for r in d.quarantine_reasons})
    if reasons:
        lines += ["", "quarantined rows by reason:"]
        for reason in reasons:
            per_day = "  ".join(
                f"{d.run_date[5:]}={d.quarantine_reasons.get(reason, 0)}" for d in days
            )
            lines.append(f"  {reason:<40} {per_day}")
    timed = [d for d in days if d.layer_seconds]
    if timed:
        lines += [
            "",
            "wall seconds per layer:",
            "  " + " ".join(f"{x:>8}" for x in ("date", *LAYERS)),
        ]
        for d in timed:
            cells = [
                f"{d.layer_seconds[x]:>8.1f}" if x in d.layer_seconds else f"{'-':>8}"
                for x in LAYERS
            ]
            lines.append(f"  {d.run_date[5:]:>8} " + " ".join(cells))
    if metric_data:
        lines += metric_data_lines(days)
    return "\n".join(lines)


def write_report(lake_dir: str | Path, out: str | Path | None = None) -> Path:
    days = summarise(lake_dir)
    path = Path(out) if out else Path(lake_dir) / "_local" / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(days), "utf-8")
    return path.resolve()


# The page itself (Plotly charts, HTML tables) lives in report_html; imported last, as
# it reads DaySummary and LAYERS from this module.
from lakehouse.local.report_html import html_report  # noqa: E402
