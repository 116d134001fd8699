"""The HTML run report: one self-contained page (no network: Plotly's JavaScript is
inlined once) with a summary table, charts with titled axes, units and hover values, the
checks over time and, per day, its checks, quarantine reasons, wall time per layer and
the CloudWatch metric data its run sent.

Every text put in the page is escaped; chart labels too, since Plotly reads a few HTML
tags in them (``<b>``, ``<br>``) and turns entities back into characters. Verdicts and
outcomes are words in coloured badges (ASCII), never emoji or symbol glyphs a font may
lack."""

from __future__ import annotations

import html
import re
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # report.py imports this module: no import of it at load time
    from lakehouse.local.report import DaySummary

OUTCOME_CLASS = {"PUBLISHED": "pass", "BLOCKED": "fail", "FAILED": "fail", "ROLLED_BACK": "warn"}
REASON_WRAP = 44  # characters per line of a quarantine reason on the chart's axis
CHART_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
# A datum as report.py's summarise keeps it: ``RawRows{Environment=local,Layer=bronze} 12 Count``
DATUM_LINE = re.compile(r"^(?P<name>[^{]+)\{(?P<dims>[^}]*)\} (?P<value>\S+) (?P<unit>\S+)$")

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 margin:2rem auto;max-width:1240px;padding:0 1rem;color:#1f2328;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
h3{font-size:1.05rem}.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem}caption{text-align:left;font-weight:600;white-space:nowrap}
th,td{border:1px solid #d0d7de;padding:4px 8px;font-size:13px;text-align:left;vertical-align:top}
thead th{background:#f6f8fa}td:first-child{white-space:nowrap}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;
 letter-spacing:.02em;white-space:nowrap;border:1px solid transparent}
.badge-pass{background:#dafbe1;color:#116329;border-color:#4ac26b}
.badge-fail{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.badge-warn{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
.badge-none{background:#f6f8fa;color:#57606a;border-color:#d0d7de}
.chart{min-height:320px}details{margin:.5rem 0;border:1px solid #d0d7de;border-radius:6px;padding:.25rem .75rem}
summary{cursor:pointer;font-weight:600;padding:.25rem 0}.note{color:#57606a}
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _plot_text(value: str) -> str:
    """A label for Plotly: its HTML-like tags and entities read as plain text."""
    return html.escape(value, quote=False)


def _cell(cell: Any) -> str:
    """An Athena cell as the state machine stored it ({"VarCharValue": ..} or {})."""
    return cell.get("VarCharValue", "NULL") if isinstance(cell, dict) else str(cell)


def badge(word: str, kind: str) -> str:
    return f'<span class="badge badge-{kind}">{_e(word)}</span>'


def verdict_badge(verdict: str) -> str:
    kind = verdict if verdict in ("pass", "fail", "warn") else "none"
    return badge(verdict.upper(), kind)


def outcome_badge(status: str) -> str:
    return badge(status.replace("_", " "), OUTCOME_CLASS.get(status, "none"))


def _table(
    head: list[str],
    rows: list[list[str]],
    numeric: set[int] = frozenset(),
    caption: str = "",
    table_id: str = "",
) -> str:
    """A table of already-escaped cells; columns in ``numeric`` are right-aligned."""

    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    ths = "".join(f'<th scope="col"{cls(i)}>{h}</th>' for i, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{caption}</caption>" if caption else ""
    table_id = f' id="{table_id}"' if table_id else ""
    return f'<div class="scroll"><table{table_id}>{cap}<thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table></div>'


def day_note(day: DaySummary) -> str:
    if day.status == "BLOCKED":
        return "gate blocked publish: " + "; ".join(
            f"{c['check_name']} observed {_cell(c.get('observed'))} > threshold "
            f"{_cell(c.get('threshold'))}"
            for c in day.failed_checks
        )
    if day.status == "FAILED":
        return f"run failed: {day.error}"
    if day.status == "ROLLED_BACK":
        return f"rolled back by {day.rolled_back_by}: readers see the publication before {day.execution}"
    return "; ".join(f"warning: {c['check_name']}" for c in day.warned_checks)


def summary_table(days: list[DaySummary]) -> str:
    rows = []
    for d in days:
        passed = sum(c.get("verdict") == "pass" for c in d.checks)
        rows.append(
            [
                f'<a href="#day-{_e(d.run_date)}">{_e(d.run_date)}</a>',
                outcome_badge(d.status),
                *(f"{n:,}" for n in (d.raw_lines, d.bronze_rows, d.silver_accepted)),
                *(f"{n:,}" for n in (d.quarantined, d.gold_rows, passed)),
                f"{len(d.failed_checks)}",
                f"{len(d.warned_checks)}",
                _e(day_note(d)),
            ]
        )
    head = ["run date", "outcome", "raw lines", "bronze rows", "silver accepted"]
    head += ["quarantined", "gold rows staged", "checks passed", "failed", "warned", "notes"]
    return _table(head, rows, numeric=set(range(2, 10)))


def checks_over_time(days: list[DaySummary]) -> str:
    names = sorted({c["check_name"] for d in days for c in d.checks})
    if not names:
        return '<p class="note">No check ran.</p>'
    rows = []
    for name in names:
        cells = [_e(name)]
        for d in days:
            found = next((c for c in d.checks if c["check_name"] == name), None)
            cells.append(verdict_badge(found.get("verdict", "?")) if found else "-")
        rows.append(cells)
    return _table(["check", *(_e(d.run_date) for d in days)], rows)


def metric_rows(data: list[Any]) -> list[list[str]]:
    """(metric, dimensions, value, unit) per datum: PutMetricData MetricDatum dicts, or
    the ``Name{Dim=Value,...} value unit`` lines of report.summarise."""
    rows = []
    for datum in data:
        if isinstance(datum, dict):
            dims = ", ".join(f"{x['Name']}={x['Value']}" for x in datum.get("Dimensions", []))
            value = datum.get("Value", datum.get("Values", datum.get("StatisticValues", "")))
            row = [datum.get("MetricName", ""), dims, value, datum.get("Unit", "None")]
        elif match := DATUM_LINE.match(str(datum)):
            dims = match["dims"].replace(",", ", ")
            row = [match["name"], dims, match["value"], match["unit"]]
        else:
            row = [datum, "", "", ""]
        rows.append([_e(cell) for cell in row])
    return rows


def day_details(day: DaySummary) -> str:
    parts = [f"<p>execution {_e(day.execution or '-')}"]
    if day.error:
        parts.append(f"; error: {_e(day.error)}")
    parts.append("</p>")
    if day.checks:
        rows = [
            [
                _e(c["check_name"]),
                _e(c.get("severity", "")),
                verdict_badge(c.get("verdict", "?")),
                _e(_cell(c.get("observed", {}))),
                _e(_cell(c.get("threshold", {}))),
                _e(_cell(c.get("details", {}))),
            ]
            for c in day.checks
        ]
        head = ["check", "severity", "verdict", "observed", "threshold", "details"]
        parts.append(_table(head, rows, {3, 4}, caption="Validation checks"))
    if day.quarantine_reasons:
        reasons = sorted(day.quarantine_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        rows = [[_e(reason), f"{count:,}"] for reason, count in reasons]
        parts.append(_table(["reason", "rows"], rows, {1}, caption="Quarantined rows by reason"))
    if day.layer_seconds:
        rows = [[_e(layer), f"{s:.1f}"] for layer, s in day.layer_seconds.items()]
        parts.append(_table(["layer", "wall seconds"], rows, {1}, caption="Wall time per layer"))
    data = getattr(day, "metric_data", None) or []
    if data:
        namespaces = ", ".join(getattr(day, "metric_namespaces", None) or [])
        caption = "CloudWatch metric data received during the run" + (
            f" (namespace {_e(namespaces)})" if namespaces else ""
        )
        head = ["metric", "dimensions", "value", "unit"]
        table_id = f"metrics-{_e(day.run_date)}"
        parts.append(_table(head, metric_rows(data), {2}, caption=caption, table_id=table_id))
    opened = " open" if day.status != "PUBLISHED" else ""
    return (
        f'<details id="day-{_e(day.run_date)}"{opened}><summary>{_e(day.run_date)} '
        f"{outcome_badge(day.status)} {_e(day_note(day))}</summary>{''.join(parts)}</details>"
    )


def _layout(x_title: str, y_title: str, height: int, legend_title: str) -> dict[str, Any]:
    """Titled axes, and the legend in a row under the plot that wraps rather than overlaps
    (in container coordinates, so Plotly grows the bottom margin to hold it)."""
    return {
        "template": "plotly_white",
        "height": height,
        "font": {"family": CHART_FONT, "size": 13},
        "margin": {"l": 10, "r": 20, "t": 30, "b": 10},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True},
        "legend": {
            "orientation": "h",
            "title": {"text": legend_title},
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "traceorder": "normal",  # stacked bars would list the traces bottom-up
        },
        "hoverlabel": {"namelength": -1},
    }


def charts(days: list[DaySummary]) -> list[tuple[str, dict[str, Any]]]:
    """(heading, Plotly figure dict) per chart; a chart with nothing to show is left out."""
    figures = [
        ("Rows per layer per day", rows_chart(days)),
        ("Quarantined rows by reason", reasons_chart(days)),
        ("Wall seconds per layer per day", seconds_chart(days)),
    ]
    return [(heading, figure) for heading, figure in figures if figure]


def rows_chart(days: list[DaySummary]) -> dict[str, Any]:
    per_layer = {
        "raw lines": [d.raw_lines for d in days],
        "bronze rows": [d.bronze_rows for d in days],
        "silver accepted": [d.silver_accepted for d in days],
        "quarantined": [d.quarantined for d in days],
        "gold rows staged": [d.gold_rows for d in days],
    }
    layout = _layout("run date", "rows (count)", 420, "layer")
    layout["xaxis"]["type"] = "category"
    layout["yaxis"]["tickformat"] = ","
    hover = "%{fullData.name}<br>%{x}: %{y:,} rows<extra></extra>"
    dates = [_plot_text(d.run_date) for d in days]
    traces = [
        {"type": "bar", "name": name, "x": dates, "y": values, "hovertemplate": hover}
        for name, values in per_layer.items()
    ]
    return {"data": traces, "layout": layout}


def reasons_chart(days: list[DaySummary]) -> dict[str, Any] | None:
    """Reasons on the vertical axis (wrapped), most rows first, a bar segment per day: the
    legend holds only the dates, however long the reasons are."""
    totals: dict[str, int] = {}
    for d in days:
        for reason, count in d.quarantine_reasons.items():
            totals[reason] = totals.get(reason, 0) + count
    reasons = sorted(totals, key=lambda r: (-totals[r], r))
    if not reasons:
        return None
    labels = [
        "<br>".join(_plot_text(line) for line in textwrap.wrap(r, REASON_WRAP)) for r in reasons
    ]
    lines = sum(label.count("<br>") + 1 for label in labels)
    height = 200 + 22 * lines + 10 * len(reasons)
    layout = _layout("quarantined rows (count)", "reason", height, "run date")
    layout["barmode"] = "stack"
    layout["yaxis"].update(type="category", autorange="reversed")
    layout["xaxis"]["tickformat"] = ","
    hover = "%{y}<br>%{fullData.name}: %{x:,} rows<extra></extra>"
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": _plot_text(d.run_date),
            "y": labels,
            "x": [d.quarantine_reasons.get(r, 0) for r in reasons],
            "hovertemplate": hover,
        }
        for d in days
    ]
    return {"data": traces, "layout": layout}


def seconds_chart(days: list[DaySummary]) -> dict[str, Any] | None:
    """The layers stacked per day: a bar's height is the run's total wall time."""
    layers = [x for x in _layers() if x != "total" and any(x in d.layer_seconds for d in days)]
    if not layers:
        return None
    layout = _layout("run date", "wall time (seconds)", 420, "layer")
    layout["barmode"] = "stack"
    layout["xaxis"]["type"] = "category"
    hover = "%{fullData.name}<br>%{x}: %{y:.1f} s<extra></extra>"
    dates = [_plot_text(d.run_date) for d in days]
    traces = [
        {
            "type": "bar",
            "name": layer,
            "x": dates,
            "y": [d.layer_seconds.get(layer, 0.0) for d in days],
            "hovertemplate": hover,
        }
        for layer in layers
    ]
    return {"data": traces, "layout": layout}


def _layers() -> tuple[str, ...]:
    from lakehouse.local.report import LAYERS  # at call time: report.py imports this module

    return LAYERS


def _chart_html(figures: list[tuple[str, dict[str, Any]]]) -> str:
    """Plotly's JavaScript once, then one div + newPlot script per chart."""
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    config = {"displaylogo": False, "responsive": True}
    parts = [f"<script>{get_plotlyjs()}</script>"]
    for i, (heading, figure) in enumerate(figures):
        div = go.Figure(figure).to_html(
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            div_id=f"chart-{i}",
            config=config,
        )
        parts.append(f'<h2>{_e(heading)}</h2><figure class="chart">{div}</figure>')
    return "".join(parts)


def html_report(days: list[DaySummary]) -> str:
    counts = {s: sum(d.status == s for d in days) for s in OUTCOME_CLASS}
    overview = (
        f"{len(days)} run dates: {counts['PUBLISHED']} published, {counts['BLOCKED']} blocked "
        f"by the validation gate, {counts['FAILED']} failed, {counts['ROLLED_BACK']} rolled back."
    )
    metric_days = [d for d in days if getattr(d, "metric_data", None)]
    metrics = (
        "<ul>"
        + "".join(
            f'<li><a href="#metrics-{_e(d.run_date)}">{_e(d.run_date)}</a>: '
            f"{len(d.metric_data)} data points received during {_e(d.execution)}</li>"
            for d in metric_days
        )
        + "</ul>"
        if metric_days
        else '<p class="note">No metric data received.</p>'
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lakehouse run report</title><style>{STYLE}</style></head>
<body><h1>lakehouse run report</h1><p>{_e(overview)}</p>
<h2>Daily runs</h2>{summary_table(days)}
{_chart_html(charts(days)) if days else ""}
<h2>Check results over time</h2>{checks_over_time(days)}
<h2>CloudWatch metric data per day</h2>{metrics}
<h2>Per-day details</h2>{"".join(day_details(d) for d in days)}
</body></html>
"""
