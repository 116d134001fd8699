"""The HTML run report as a reader sees it: a report rendered from five realistic days
(one blocked by the gate, long quarantine reasons, wall times, CloudWatch metric data) is
opened in headless Chromium (tests/dags/ui_run.py). A script injected into a copy of the
page measures, after Plotly has drawn, the charts' tick labels, axis titles, legend
entries and hover labels, and writes its findings as JSON into the page, read back from
--dump-dom. Saves the page as docs/run-report.png."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from lakehouse.local.report import DaySummary
from lakehouse.local.report_html import html_report
from tests.dags.airflow_helpers import REPO_ROOT
from tests.dags.ui_run import chromium

pytestmark = pytest.mark.browser

SCREENSHOT = REPO_ROOT / "docs" / "run-report.png"
SCREENSHOT_WINDOW = "--window-size=1400,2600"
FINDINGS_ID = "layout-findings"
VERDICT_WORDS = {"PASS", "FAIL", "WARN", "PUBLISHED", "BLOCKED", "FAILED", "ROLLED BACK"}
CHECKS = {
    "raw_to_bronze_reconciliation": "blocking",
    "bronze_to_silver_reconciliation": "blocking",
    "quarantine_rate": "blocking",
    "silver_key_uniqueness": "blocking",
    "unknown_customer_rate": "warning",
    "fx_rate_coverage": "blocking",
    "gold_reconciles_with_silver": "blocking",
}
REASONS = [
    "orders: amount_local is outside the allowed range [0, 1000000] for the order currency",
    "customers: email does not match the contract pattern for e-mail addresses",
    "orders: order_ts is in the future relative to the ingest time (more than 15 minutes)",
    "fx_rates: currency is not in the allowed ISO 4217 list of the contract",
    "orders: customer_id is required but missing or blank",
    "customers: country not allowed",
]
BLOCKED_DAY = 2

# Runs once Plotly has drawn (load, then a timer in Chromium's virtual time).
MEASURE = """
<script>
(function () {
  function box(el) {
    var r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  }
  function overlap(a, b) {  // more than a pixel of common area
    return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  }
  function labels(root, kind, selector) {
    return Array.from(root.querySelectorAll(selector))
      .filter(function (e) { return e.textContent.trim(); })
      .map(function (e) { return {kind: kind, text: e.textContent, box: box(e)}; });
  }
  function pairs(items) {
    var found = [];
    for (var i = 0; i < items.length; i++)
      for (var j = i + 1; j < items.length; j++)
        if (overlap(items[i].box, items[j].box))
          found.push([items[i].kind + ": " + items[i].text, items[j].kind + ": " + items[j].text]);
    return found;
  }
  function chart(div) {
    var frame = box(div);
    var texts = [].concat(
      labels(div, "xtick", ".xaxislayer-above .xtick text"),
      labels(div, "ytick", ".yaxislayer-above .ytick text"),
      labels(div, "xtitle", ".g-xtitle text"),
      labels(div, "ytitle", ".g-ytitle text"),
      labels(div, "legend", ".legend .traces .legendtext"),
      labels(div, "legendtitle", ".legend .legendtitletext"));
    var entries = labels(div, "entry", ".legend .traces");
    Plotly.Fx.hover(div, [{curveNumber: 0, pointNumber: 0}]);
    var hover = div.querySelector(".hoverlayer");
    var of = function (kind) {
      return texts.filter(function (t) { return t.kind === kind; })
        .map(function (t) { return t.text; });
    };
    return {
      id: div.id,
      xticks: of("xtick"), yticks: of("ytick"), xtitle: of("xtitle"), ytitle: of("ytitle"),
      legend: of("legend"),
      overlapping: pairs(texts).concat(pairs(entries)),
      outside: texts.concat(entries).filter(function (t) {
        return t.box.left < frame.left - 1 || t.box.right > frame.right + 1 ||
          t.box.top < frame.top - 1 || t.box.bottom > frame.bottom + 1;
      }).map(function (t) { return t.kind + ": " + t.text; }),
      hover: hover ? hover.textContent : ""
    };
  }
  function measure() {
    var findings = {
      charts: Array.from(document.querySelectorAll(".js-plotly-plot")).map(chart),
      marks: Array.from(document.querySelectorAll(".badge")).map(function (e) {
        return e.textContent;
      }),
      pre: document.querySelectorAll("pre").length,
      tables: document.querySelectorAll("table").length,
      resources: performance.getEntriesByType("resource").map(function (r) { return r.name; }),
      text: document.body.innerText
    };
    var out = document.createElement("output");
    out.id = "FINDINGS_ID";
    out.textContent = JSON.stringify(findings);
    document.body.appendChild(out);
  }
  window.addEventListener("load", function () { setTimeout(measure, 1000); });
})();
</script>
""".replace("FINDINGS_ID", FINDINGS_ID)


def cell(value: object) -> dict[str, str]:
    return {"VarCharValue": str(value)}


def check(name: str, verdict: str, observed: str, details: str = "") -> dict:
    return {
        "check_name": name,
        "severity": CHECKS[name],
        "verdict": verdict,
        "observed": cell(observed),
        "threshold": cell("0.05" if name.endswith("rate") else "0"),
        "details": cell(details),
        "query_execution_id": f"q-{name}",
    }


def datum(name: str, layer: str, entity: str, value: float, unit: str) -> dict:
    dims = {"Environment": "local", "Layer": layer, "Entity": entity}
    return {
        "MetricName": name,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
        "Value": value,
        "Unit": unit,
    }


def five_days() -> list[DaySummary]:
    days = []
    for i in range(5):
        run_date = f"2026-01-0{i + 1}"
        blocked = i == BLOCKED_DAY
        checks = [check(name, "pass", "0") for name in CHECKS]
        if blocked:
            checks[2] = check("quarantine_rate", "fail", "0.4050", "orders=0.61, customers=0.12")
        if i == 3:
            checks[4] = check("unknown_customer_rate", "warn", "0.031", "62 of 2000 orders")
        reasons = {
            reason: (40 * (j + 1) if blocked else j + i + 1)
            for j, reason in enumerate(REASONS)
            if blocked or (i + j) % 2 == 0
        }
        raw = 2000 + 37 * i
        seconds = {"bronze": 12.3 + i, "silver": 20.1, "gold": 15.5, "gate": 8.2}
        seconds |= {} if blocked else {"publish": 0.4}
        seconds |= {"orchestration": 2.1, "total": round(sum(seconds.values()) + 2.1, 1)}
        day = DaySummary(
            run_date=run_date,
            execution=f"lakehouse-{run_date}",
            status="BLOCKED" if blocked else "PUBLISHED",
            raw_lines=raw,
            bronze_rows=raw,
            silver_accepted=raw - sum(reasons.values()),
            quarantined=sum(reasons.values()),
            quarantine_reasons=reasons,
            gold_rows=0 if blocked else 850 + i,
            checks=checks,
            layer_seconds=seconds,
        )
        entities = ("orders", "customers", "fx_rates")
        day.metric_data = [datum("RawRows", "bronze", e, raw // 3, "Count") for e in entities]
        day.metric_data += [datum("JobDuration", "gold", "all", 15.5, "Seconds")]
        day.metric_namespaces = ["Lakehouse"]
        days.append(day)
    return days


def findings_of(dom: str) -> dict:
    found = re.search(f'<output id="{FINDINGS_ID}">(.*?)</output>', dom, re.S)
    assert found, "the measuring script wrote no findings:\n" + dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("run-report") / "report.html"
    path.write_text(html_report(five_days()), "utf-8")
    return path


@pytest.fixture(scope="module")
def findings(report: Path) -> dict:
    measured = report.with_name("measured.html")
    page = report.read_text("utf-8")
    measured.write_text(page.replace("</body>", MEASURE + "</body>"), "utf-8")
    return findings_of(chromium(report.parent / "profile-dom", "--dump-dom", measured.as_uri()))


def test_every_chart_has_labelled_ticks_and_titles_on_both_axes(findings):
    charts = findings["charts"]
    assert len(charts) == 3, [c["id"] for c in charts]
    for chart in charts:
        assert len(chart["xticks"]) >= 2, chart
        assert len(chart["yticks"]) >= 2, chart
        assert chart["xtitle"] and chart["ytitle"], chart
    rows, reasons, seconds = charts
    assert rows["xticks"] == [f"2026-01-0{i}" for i in range(1, 6)]
    assert rows["ytitle"] == ["rows (count)"] and seconds["ytitle"] == ["wall time (seconds)"]
    assert reasons["xtitle"] == ["quarantined rows (count)"]
    assert len(reasons["yticks"]) == len(REASONS)  # every reason named on its axis


def test_no_legend_entry_or_label_overlaps_another_or_leaves_its_chart(findings):
    for chart in findings["charts"]:
        assert chart["legend"], chart["id"]
        assert chart["overlapping"] == [], chart["id"]
        assert chart["outside"] == [], chart["id"]


def test_hovering_a_bar_shows_its_value_and_unit(findings):
    rows, reasons, seconds = (c["hover"] for c in findings["charts"])
    assert "raw lines" in rows and "2026-01-01: 2,000 rows" in rows, rows
    assert "2026-01-01:" in reasons and "rows" in reasons, reasons
    assert "bronze" in seconds and "2026-01-01: 12.3 s" in seconds, seconds


def test_marks_are_words_in_latin_1_and_tables_are_real(findings):
    marks = findings["marks"]
    assert set(marks) <= VERDICT_WORDS, set(marks) - VERDICT_WORDS
    assert {"PASS", "FAIL", "WARN", "PUBLISHED", "BLOCKED"} <= set(marks)
    assert all(ord(c) < 256 for c in "".join(marks))
    outside_latin_1 = sorted({c for c in findings["text"] if ord(c) > 255})
    assert outside_latin_1 == [], outside_latin_1
    assert findings["pre"] == 0
    assert findings["resources"] == []  # one self-contained file: nothing fetched
    # summary, checks over time, and per day checks, reasons, timings, metric data
    assert findings["tables"] == 2 + 4 * 5


def test_the_page_is_saved_as_the_docs_screenshot(report, tmp_path):
    screenshot = tmp_path / "run-report.png"
    chromium(
        tmp_path / "profile-shot", SCREENSHOT_WINDOW, f"--screenshot={screenshot}", report.as_uri()
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 50_000  # a drawn page, not a blank one
    shutil.copyfile(screenshot, SCREENSHOT)
