"""What happened per run date, from the lake itself (metrics, run manifests): the
console table of `lakehouse run`/`make run` and the HTML run report."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.layout import to_local_path
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.executions import is_handover, is_rollback, list_executions


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


def summarise(lake_dir: str | Path) -> list[DaySummary]:
    """One summary per run date that has an execution, from its latest run; a rollback
    that succeeded after that run makes the outcome ROLLED_BACK (a failed rollback
    changed nothing readers see and is left to its alert and `lakehouse status`)."""
    deployment = LocalDeployment.at(lake_dir)
    ops = to_local_path(deployment.roots.ops_root)
    latest: dict[str, Any] = {}
    rolled_back: dict[str, str] = {}
    for execution in list_executions(lake_dir):
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
        days.append(day)
    return days


def console_table(days: list[DaySummary]) -> str:
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
    return "\n".join(lines)


def _bars(title: str, labels: list[str], series: dict[str, list[int]], colours: list[str]) -> str:
    """A grouped bar chart as inline SVG (no plotting dependency)."""
    width, height, pad = 760, 240, 40
    top = max([1, *[v for values in series.values() for v in values]])
    group = (width - 2 * pad) / max(1, len(labels))
    bar = group / (len(series) + 1)
    parts = [
        f'<svg viewBox="0 0 {width} {height + 40}" role="img" aria-label="{html.escape(title)}">'
    ]
    for i, label in enumerate(labels):
        x0 = pad + i * group
        for j, (name, values) in enumerate(series.items()):
            h = (height - pad) * values[i] / top
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{height - h:.1f}" width="{bar * 0.9:.1f}" height="{h:.1f}" '
                f'fill="{colours[j % len(colours)]}"><title>{html.escape(name)} {label}: {values[i]}</title></rect>'
            )
        parts.append(
            f'<text x="{x0 + group / 2:.1f}" y="{height + 16}" font-size="11" text-anchor="middle">{label}</text>'
        )
    for j, name in enumerate(series):
        parts.append(
            f'<rect x="{pad + j * 150}" y="{height + 24}" width="10" height="10" fill="{colours[j % len(colours)]}"/>'
            f'<text x="{pad + j * 150 + 14}" y="{height + 33}" font-size="11">{html.escape(name)}</text>'
        )
    return "".join(parts) + "</svg>"


COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"]


def html_report(days: list[DaySummary]) -> str:
    labels = [d.run_date[5:] for d in days]
    layers = {
        "raw lines": [d.raw_lines for d in days],
        "bronze rows": [d.bronze_rows for d in days],
        "silver accepted": [d.silver_accepted for d in days],
        "quarantined": [d.quarantined for d in days],
        "gold rows staged": [d.gold_rows for d in days],
    }
    reasons = sorted({r for d in days for r in d.quarantine_reasons})
    by_reason = {r: [d.quarantine_reasons.get(r, 0) for d in days] for r in reasons}
    check_names = sorted({c["check_name"] for d in days for c in d.checks})
    cell = {"pass": "&#9989; pass", "warn": "&#9888;&#65039; warn", "fail": "&#10060; fail"}
    rows = []
    for name in check_names:
        tds = []
        for d in days:
            found = next((c for c in d.checks if c["check_name"] == name), None)
            tds.append(
                f'<td class="{found["verdict"]}" title="observed {html.escape(_value(found["observed"]))}, '
                f'threshold {html.escape(_value(found["threshold"]))}">{cell[found["verdict"]]}</td>'
                if found
                else "<td>-</td>"
            )
        rows.append(f"<tr><th>{html.escape(name)}</th>{''.join(tds)}</tr>")
    outcome = "".join(f'<td class="{d.status.lower()}">{d.status}</td>' for d in days)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lakehouse run report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:980px}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ddd;padding:4px 8px;font-size:13px}}.fail,.blocked,.failed{{background:#fde2e1}}.rolled_back{{background:#e8e4f8}}
.warn{{background:#fff5d6}}.pass,.published{{background:#e3f5e1}}pre{{background:#f6f6f6;padding:1rem;overflow:auto}}</style>
</head><body><h1>Daily runs</h1>
<p>{len(days)} run dates; {sum(d.status == "PUBLISHED" for d in days)} published,
{sum(d.status == "BLOCKED" for d in days)} blocked by the validation gate,
{sum(d.status == "FAILED" for d in days)} failed, {sum(d.status == "ROLLED_BACK" for d in days)} rolled back.</p>
<table><tr><th>run date</th>{"".join(f"<th>{d.run_date}</th>" for d in days)}</tr><tr><th>outcome</th>{outcome}</tr></table>
<h2>Rows per layer per day</h2>{_bars("rows per layer", labels, layers, COLOURS)}
<h2>Wall seconds per layer per day</h2>{_bars("seconds per layer", labels, {x: [round(d.layer_seconds.get(x, 0)) for d in days] for x in LAYERS[:-1]}, COLOURS)}
<h2>Quarantined rows by reason</h2>{_bars("quarantine reasons", labels, by_reason, COLOURS) if reasons else "<p>none</p>"}
<h2>Check results over time</h2><table><tr><th>check</th>{"".join(f"<th>{lbl}</th>" for lbl in labels)}</tr>{"".join(rows)}</table>
<h2>Per-day table</h2><pre>{html.escape(console_table(days))}</pre></body></html>"""


def write_report(lake_dir: str | Path, out: str | Path | None = None) -> Path:
    days = summarise(lake_dir)
    path = Path(out) if out else Path(lake_dir) / "_local" / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(days), "utf-8")
    return path.resolve()
