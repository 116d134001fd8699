"""Throughput of the generator and of the daily jobs on local Spark."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--orders-per-day", type=int, default=20000)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--days", type=int, default=2)
    args = parser.parse_args()

    from lakehouse.generate import GeneratorConfig, generate
    from lakehouse.local.daily import run_day
    from lakehouse.local.deployment import LocalDeployment

    start = date(2026, 1, 1)
    results: dict[str, object] = {"args": vars(args), "days": []}
    with tempfile.TemporaryDirectory(prefix="lakehouse-bench-") as lake:
        t0 = time.perf_counter()
        summary = generate(
            GeneratorConfig(
                out=Path(lake),
                start=start,
                days=args.days,
                orders_per_day=args.orders_per_day,
                customers=args.customers,
            )
        )
        gen_seconds = time.perf_counter() - t0
        results["generator"] = {
            "lines": summary.total_lines,
            "seconds": round(gen_seconds, 2),
            "lines_per_second": round(summary.total_lines / gen_seconds),
        }
        deployment = LocalDeployment.at(lake)
        for offset in range(args.days):
            day = (start + timedelta(days=offset)).isoformat()
            t0 = time.perf_counter()
            result = run_day(deployment, day)
            seconds = time.perf_counter() - t0
            per_job = {
                f"{r.job_name}:{r.arguments.get('--entity', '')}": r.execution_time
                for r in result.jobs
            }
            rows = sum(
                result.metrics(deployment, "bronze", e)["bronze_rows"]
                for e in ("customers", "orders", "fx_rates")
            )
            results["days"].append(
                {
                    "date": day,
                    "seconds": round(seconds, 1),
                    "bronze_rows": rows,
                    "rows_per_second": round(rows / seconds),
                    "jobs_seconds": per_job,
                }
            )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    gen = results["generator"]
    print(
        f"generator: {gen['lines']} lines in {gen['seconds']}s ({gen['lines_per_second']} lines/s)"
    )
    for d in results["days"]:
        print(
            f"{d['date']}: {d['bronze_rows']} rows in {d['seconds']}s ({d['rows_per_second']} rows/s end to end)"
        )
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
