"""The HTML run report's page (lakehouse/local/report_html.py): real tables, Plotly's
JavaScript inlined once, every text escaped, marks as words. How it looks in a browser is
tests/browser/test_run_report.py."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

from lakehouse.local.report import DaySummary
from lakehouse.local.report_html import charts, html_report, metric_rows

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


class Page(HTMLParser):
    """Tables as lists of rows of cell texts, badge texts, scripts and tags seen."""

    def __init__(self, page: str):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.badges: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._badge: list[str] | None = None
        self._script: tuple[dict, list[str]] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "span" and "badge" in (attributes.get("class") or ""):
            self._badge = []
        elif tag == "script":
            self._script = (attributes, [])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "span" and self._badge is not None:
            self.badges.append("".join(self._badge))
            self._badge = None
        elif tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data):
        for part in (self._cell, self._badge, self._script and self._script[1]):
            if part is not None:
                part.append(data)


def check(name: str, verdict: str, observed: str = "0", details: str = "") -> dict:
    return {
        "check_name": name,
        "severity": "blocking",
        "verdict": verdict,
        "observed": {"VarCharValue": observed},
        "threshold": {"VarCharValue": "0.05"},
        "details": {"VarCharValue": details},
    }


def datum(name: str, value: float, unit: str, **dims: str) -> dict:
    dimensions = [{"Name": k, "Value": v} for k, v in dims.items()]
    return {"MetricName": name, "Dimensions": dimensions, "Value": value, "Unit": unit}


def sample_days() -> list[DaySummary]:
    published = DaySummary(
        run_date="2026-01-01",
        execution="lakehouse-2026-01-01",
        status="PUBLISHED",
        raw_lines=1200,
        bronze_rows=1200,
        silver_accepted=1190,
        quarantined=10,
        quarantine_reasons={"orders: amount_local out of range": 10},
        gold_rows=300,
        checks=[check("quarantine_rate", "pass"), check("unknown_customer_rate", "warn")],
        layer_seconds={"bronze": 3.2, "silver": 5.0, "gate": 1.1, "total": 9.9},
    )
    published.metric_data = [datum("RawRows", 1200, "Count", Environment="local", Layer="bronze")]
    blocked = DaySummary(
        run_date="2026-01-02",
        execution="lakehouse-2026-01-02",
        status="BLOCKED",
        raw_lines=900,
        bronze_rows=900,
        silver_accepted=500,
        quarantined=400,
        quarantine_reasons={"orders: amount_local out of range": 150, HOSTILE: 250},
        checks=[check("quarantine_rate", "fail", "0.44", HOSTILE)],
        layer_seconds={"bronze": 2.0, "gate": 1.0, "total": 3.5},
    )
    blocked.metric_data = [datum("JobDuration", 7.5, "Seconds", Entity=HOSTILE)]
    failed = DaySummary(run_date="2026-01-03", execution="lakehouse-2026-01-03", status="FAILED")
    failed.error = HOSTILE
    return [published, blocked, failed]


def test_the_summary_is_a_real_table_with_a_row_per_day_and_no_preformatted_block():
    page = html_report(sample_days())
    parsed = Page(page)
    assert "pre" not in parsed.tags
    summary = parsed.tables[0]
    assert summary[0][:5] == ["run date", "outcome", "raw lines", "bronze rows", "silver accepted"]
    assert summary[0][5:10] == [
        "quarantined",
        "gold rows staged",
        "checks passed",
        "failed",
        "warned",
    ]
    assert [row[0] for row in summary[1:]] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert summary[1][1:8] == ["PUBLISHED", "1,200", "1,200", "1,190", "10", "300", "1"]
    assert summary[2][1] == "BLOCKED" and summary[2][9] == "0"  # failed 1, warned 0
    assert summary[2][8] == "1"
    assert "quarantine_rate observed 0.44 > threshold 0.05" in summary[2][10]


def test_plotly_is_inlined_once_and_nothing_is_loaded_from_the_network():
    page = html_report(sample_days())
    parsed = Page(page)
    assert all("src" not in attributes for attributes, _ in parsed.scripts)
    bundles = [body for _, body in parsed.scripts if "plotly.js v" in body[:200]]
    assert len(bundles) == 1 and len(bundles[0]) > 1_000_000
    assert page.count("plotly.js v") == 1
    assert page.count("Plotly.newPlot(") == 3  # rows, quarantine reasons, seconds
    outside_scripts = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", outside_scripts)
    assert "<link" not in outside_scripts and "@import" not in outside_scripts


def test_every_text_is_escaped_in_the_page_and_in_the_charts():
    page = html_report(sample_days())
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold" in page
    parsed = Page(page)
    details = [
        row for table in parsed.tables for row in table if row and row[0] == "quarantine_rate"
    ]
    assert any(HOSTILE in row for row in details)  # read back as the text it was
    assert any(HOSTILE in row for table in parsed.tables for row in table)  # the reason
    # Plotly reads tags in labels: the reason reaches it with its tags as entities
    reasons = charts(sample_days())[1][1]
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;' in "".join(
        reasons["data"][0]["y"]
    ).replace("<br>", " ")


def test_marks_are_plain_words():
    parsed = Page(html_report(sample_days()))
    assert set(parsed.badges) == {"PASS", "WARN", "FAIL", "PUBLISHED", "BLOCKED", "FAILED"}
    assert all(badge.isascii() for badge in parsed.badges)
    outside_scripts = re.sub(r"<script>.*?</script>", "", html_report(sample_days()), flags=re.S)
    assert outside_scripts.isascii()


def test_each_day_has_its_checks_timings_and_metric_data_tables():
    parsed = Page(html_report(sample_days()))
    headers = [table[0] for table in parsed.tables]
    assert headers.count(["check", "severity", "verdict", "observed", "threshold", "details"]) == 2
    assert headers.count(["layer", "wall seconds"]) == 2
    assert headers.count(["metric", "dimensions", "value", "unit"]) == 2
    metrics = next(t for t in parsed.tables if t[0] == ["metric", "dimensions", "value", "unit"])
    assert metrics[1] == ["RawRows", "Environment=local, Layer=bronze", "1200", "Count"]
    timings = next(t for t in parsed.tables if t[0] == ["layer", "wall seconds"])
    assert timings[1:] == [["bronze", "3.2"], ["silver", "5.0"], ["gate", "1.1"], ["total", "9.9"]]


def test_metric_data_as_datum_dicts_or_summary_lines():
    line = "RawRows{Environment=local,Layer=bronze,Entity=orders} 1234 Count"
    assert metric_rows([line]) == [
        ["RawRows", "Environment=local, Layer=bronze, Entity=orders", "1234", "Count"]
    ]
    assert metric_rows([datum("GateChecksFailed", 1, "Count")]) == [
        ["GateChecksFailed", "", "1", "Count"]
    ]


def test_a_day_without_metric_data_renders_without_its_table():
    day = sample_days()[0]
    del day.metric_data  # the field may be named otherwise: read with getattr
    page = html_report([day])
    assert "No metric data received." in page
    assert ["metric", "dimensions", "value", "unit"] not in [t[0] for t in Page(page).tables]


def test_charts_have_titled_axes_with_units_and_hover_values():
    figures = dict(charts(sample_days()))
    assert list(figures) == [
        "Rows per layer per day",
        "Quarantined rows by reason",
        "Wall seconds per layer per day",
    ]
    rows = figures["Rows per layer per day"]["layout"]
    assert rows["yaxis"]["title"]["text"] == "rows (count)"
    assert rows["xaxis"]["title"]["text"] == "run date"
    seconds = figures["Wall seconds per layer per day"]
    assert seconds["layout"]["yaxis"]["title"]["text"] == "wall time (seconds)"
    assert "total" not in [t["name"] for t in seconds["data"]]  # the stack adds up to it
    for figure in figures.values():
        assert figure["layout"]["legend"]["orientation"] == "h"
        assert all("%{" in trace["hovertemplate"] for trace in figure["data"])


def test_no_days_and_no_quarantine_give_a_page_without_empty_charts():
    assert "Plotly.newPlot(" not in html_report([])
    day = sample_days()[0]
    day.quarantine_reasons = {}
    assert [heading for heading, _ in charts([day])] == [
        "Rows per layer per day",
        "Wall seconds per layer per day",
    ]


def test_the_module_imports_before_report_py():
    """report.py imports html_report from this module: importing this one first must
    not go round the cycle."""
    code = (
        "import lakehouse.local.report_html as h\n"
        "from lakehouse.local.report import DaySummary\n"
        "assert 'Plotly.newPlot(' in h.html_report([DaySummary('2026-01-01')])\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
