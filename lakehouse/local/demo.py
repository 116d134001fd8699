"""`make run`: generate sample days into a local lake and run the daily pipeline for
each day in order, then print per-day counts per layer and quarantine reasons."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from lakehouse.contracts import SOURCE_ENTITIES

DEFAULT_START = "2026-01-01"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lake", default=".lake", help="local lake directory (default .lake)")
    parser.add_argument("--start", default=DEFAULT_START)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--orders-per-day", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=800)
    parser.add_argument("--defect-rate", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", action="store_true", help="keep an existing lake instead of starting fresh"
    )


def run(args: argparse.Namespace) -> int:
    from lakehouse.generate import GeneratorConfig, generate
    from lakehouse.local.daily import run_day
    from lakehouse.local.deployment import LocalDeployment

    lake = Path(args.lake)
    if lake.exists() and not args.keep:
        shutil.rmtree(lake)
    config = GeneratorConfig(
        out=lake,
        start=date.fromisoformat(args.start),
        days=args.days,
        orders_per_day=args.orders_per_day,
        customers=args.customers,
        defect_rate=args.defect_rate,
        seed=args.seed,
    )
    summary = generate(config)
    print(f"generated {args.days} days of sample data into {lake}/ ({summary})")
    deployment = LocalDeployment.at(lake)
    started = time.time()
    results = []
    for offset in range(args.days):
        day = (date.fromisoformat(args.start) + timedelta(days=offset)).isoformat()
        t0 = time.time()
        results.append(run_day(deployment, day))
        print(f"  {day}: done in {time.time() - t0:.0f}s", file=sys.stderr)
    print_table(deployment, results)
    print(f"\n{len(results)} days in {time.time() - started:.0f}s; lake at {lake.resolve()}")
    return 0


def print_table(deployment, results) -> None:
    header = f"{'date':<11} {'entity':<10} {'raw':>7} {'bronze':>7} {'silver ok':>9} {'quarant.':>8} {'dupes':>6}  quarantine reasons"
    print("\n" + header + "\n" + "-" * len(header))
    for result in results:
        for entity in SOURCE_ENTITIES:
            b = result.metrics(deployment, "bronze", entity)
            s = result.metrics(deployment, "silver", entity)
            reasons = ", ".join(f"{k}={v}" for k, v in s["quarantine_reasons"].items()) or "-"
            print(
                f"{result.run_date:<11} {entity:<10} {b['raw_data_lines']:>7} {b['bronze_rows']:>7} "
                f"{s['accepted']:>9} {s['quarantined']:>8} {s['duplicate_events']:>6}  {reasons}"
            )
        g = result.metrics(deployment, "gold", "all")
        staged = ", ".join(f"{k}={v}" for k, v in g["rows_staged"].items())
        print(f"{result.run_date:<11} {'gold':<10} staged rows: {staged}")
