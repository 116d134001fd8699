"""`make run`: a week of sample data through the real state machine, locally.

Generates 7 days (one with a burst of defects); for each day in order writes the
landing markers a producer would and delivers their events, which start the daily state
machine for the day (docs/adr/0012); prints what each layer did and what the validation gate decided, and
writes an HTML run report. Exits 0 when everything behaved as designed: the defective
day blocked by the gate, every other day published.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

DEFAULT_START = "2026-01-01"
BURST_OFFSET = 3  # the 4th day carries the defect burst
EXPECTED_BLOCKING_CHECK = "quarantine_rate"


def configure(parser: argparse.ArgumentParser) -> None:
    from lakehouse.local.run_cli import add_log_format

    parser.add_argument("--lake", default=".lake", help="local lake directory (default .lake)")
    parser.add_argument("--start", default=DEFAULT_START)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--orders-per-day", type=int, default=1500)
    parser.add_argument("--customers", type=int, default=600)
    parser.add_argument("--defect-rate", type=float, default=0.01)
    parser.add_argument(
        "--burst-rate", type=float, default=0.25, help="defect rate of the burst day"
    )
    parser.add_argument("--seed", type=int, default=7)
    add_log_format(parser)


def run(args: argparse.Namespace) -> int:
    from lakehouse.contracts import SOURCE_ENTITIES
    from lakehouse.generate import GeneratorConfig, generate
    from lakehouse.local.landing import deliver_new_markers, started_run, write_markers
    from lakehouse.local.report import console_table, summarise, write_report
    from lakehouse.local.run_cli import progress_printer, route_logs

    lake = Path(args.lake)
    if lake.exists():
        shutil.rmtree(lake)  # the demo always starts from a fresh lake
    start = date.fromisoformat(args.start)
    burst_day = start + timedelta(days=BURST_OFFSET)
    days = [(start + timedelta(days=i)).isoformat() for i in range(args.days)]
    lake.mkdir(parents=True)
    route_logs(str(lake), args.log_format)
    summary = generate(
        GeneratorConfig(
            out=lake,
            start=start,
            days=args.days,
            orders_per_day=args.orders_per_day,
            customers=args.customers,
            defect_rate=args.defect_rate,
            seed=args.seed,
            bursts={burst_day: args.burst_rate} if args.days > BURST_OFFSET else {},
        )
    )
    print(f"generated {summary}")
    print(
        f"{burst_day} carries a burst of defects ({args.burst_rate:.0%} of lines): the gate should block it.\n"
    )
    started = time.time()
    for day in days:
        # Each producer marks its entity's day complete; each marker's event reaches the
        # state machine as S3 -> EventBridge delivers it on AWS, and the event that
        # completes the set starts the day's run (docs/adr/0012).
        runs = []
        for entity in SOURCE_ENTITIES:
            write_markers(lake, day, entity)
            handovers = deliver_new_markers(lake, started_listener=progress_printer)
            runs += [name for name in map(started_run, handovers) if name]
        print(f"  {day} landing markers complete: started {', '.join(runs) or 'nothing'}")
    results = summarise(lake)
    print("\n" + console_table(results))
    report = write_report(lake)
    print(f"\nHTML run report: {report}")
    print(f"{len(days)} days in {time.time() - started:.0f}s. Query the published gold with e.g.")
    print(f'  .venv/bin/lakehouse query --lake {lake} "select * from gold.daily_sales limit 10"')
    return verdict(results, burst_day.isoformat())


def verdict(results, burst_day: str) -> int:
    """0 when the gate blocked exactly the burst day (for the expected reason) and every
    other day was published."""
    problems = []
    for day in results:
        if day.run_date == burst_day:
            if day.status != "BLOCKED":
                problems.append(f"{day.run_date}: expected BLOCKED, got {day.status}")
            elif EXPECTED_BLOCKING_CHECK not in {c["check_name"] for c in day.failed_checks}:
                problems.append(f"{day.run_date}: blocked, but not by {EXPECTED_BLOCKING_CHECK}")
        elif day.status != "PUBLISHED":
            problems.append(
                f"{day.run_date}: expected PUBLISHED, got {day.status} {day.error or ''}"
            )
    if problems:
        print("\nNOT as designed:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(
        f"\nAs designed: {burst_day} was BLOCKED by the validation gate ({EXPECTED_BLOCKING_CHECK}); "
        "readers still see the last good data. Every other day was published."
    )
    return 0
