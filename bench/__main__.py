"""The pipeline's benchmark: `make bench` (python -m bench --help).

One run, on one machine, in this order:
1. history: ``--days`` days of landing files at ``--orders-per-day`` run through the
   daily state machine (the path `lakehouse run` takes, gate included), then the next
   day as an incremental run, its silver inputs kept to replay the merge;
2. the silver merge of that day on Spark and on DuckDB (same inputs, equal outputs);
3. the full rebuild of the same silver and gold from all bronze (`lakehouse rebuild
   --from <day 1> --to <that day>`), and files per partition over everything written;
4. the cost curve: one day's wall time at 1x, 4x and 16x the volume (``--scales``);
5. peak RSS of this process (the driver) and of Spark's JVM, and wall time per layer.

Prints the summary lines the performance issue names and writes every figure to
``bench/results/<UTC timestamp>.json``. Not a test: compare numbers only between runs
on the same machine kind (bench/README.md has the last one).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
START = date(2026, 1, 1)
PARTITION_LIMIT_BYTES = 128 * 1024 * 1024


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--orders-per-day", type=int, default=20000, help="1x volume")
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument(
        "--days", type=int, default=30, help="days of history before the measured day"
    )
    parser.add_argument("--scales", default="1,4,16", help="cost-curve volumes, multiples of 1x")
    parser.add_argument(
        "--merge-runs", type=int, default=3, help="timed runs per merge engine (best counts)"
    )
    parser.add_argument("--seed", type=int, default=7)
    return parser


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _generate(lake: Path, days: int, orders: int, customers: int, seed: int) -> dict[str, Any]:
    from lakehouse.generate import GeneratorConfig, generate

    started = time.perf_counter()
    summary = generate(
        GeneratorConfig(
            out=lake, start=START, days=days, orders_per_day=orders, customers=customers, seed=seed
        )
    )
    seconds = time.perf_counter() - started
    return {"lines": summary.total_lines, "seconds": round(seconds, 1)}


def _run(lake: Path, run_date: str) -> dict[str, Any]:
    """One day through the local state machine: status, wall seconds, seconds per layer."""
    from lakehouse.local.executions import run_pipeline
    from lakehouse.local.report import layer_seconds

    started = time.perf_counter()
    execution = run_pipeline(lake, run_date)
    seconds = time.perf_counter() - started
    if execution.status != "SUCCEEDED" and execution.error != "ValidationGateFailed":
        raise SystemExit(
            f"bench: {run_date} {execution.status}: {execution.error}: {execution.cause}"
        )
    return {
        "date": run_date,
        "status": execution.status,
        "seconds": round(seconds, 1),
        "layers": layer_seconds(execution.history),
    }


def _rebuild(lake: Path, first: str, last: str) -> dict[str, Any]:
    """`lakehouse rebuild --from first --to last` (lakehouse.local.executions.rebuild_pipeline,
    what the command runs): silver and gold of the whole history rebuilt from bronze,
    through the gate. Status, wall seconds, seconds per layer."""
    from lakehouse.local.executions import rebuild_pipeline
    from lakehouse.local.report import layer_seconds

    started = time.perf_counter()
    execution = rebuild_pipeline(lake, first, last)
    seconds = time.perf_counter() - started
    if execution.status != "SUCCEEDED":
        raise SystemExit(
            f"bench: rebuild {first}..{last} {execution.status}: {execution.error}: "
            f"{execution.cause}"
        )
    return {
        "from": first,
        "to": last,
        "seconds": round(seconds, 1),
        "layers": layer_seconds(execution.history),
    }


def files_per_partition(lake: Path) -> dict[str, Any]:
    """Data files per partition folder (a folder holding data files, hidden ones and
    ``_local`` skipped) over the whole lake: the largest count, where, and sizes."""
    most, where, partitions, biggest = 0, "", 0, 0
    for parent, dirs, files in os.walk(lake):
        dirs[:] = [d for d in dirs if d[0] not in "._"]
        data = [f for f in files if f[0] not in "._" and f.endswith(".parquet")]
        if not data:
            continue
        partitions += 1
        biggest = max(biggest, *(os.path.getsize(os.path.join(parent, f)) for f in data))
        if len(data) > most:
            most, where = len(data), os.path.relpath(parent, lake)
    return {
        "max_files": most,
        "where": where,
        "partitions": partitions,
        "largest_file_mb": round(biggest / 1e6, 1),
        "all_below_128_mb": biggest < PARTITION_LIMIT_BYTES,
    }


def _silver_stats(lake: Path, run_date: str) -> dict[str, Any]:
    from lakehouse.local.daily import DayResult
    from lakehouse.local.deployment import LocalDeployment

    deployment = LocalDeployment.at(lake)
    metrics = DayResult(run_date=run_date, run_id="").metrics(deployment, "silver", "orders")
    return {
        "keys_in_batch": metrics["keys_in_batch"],
        "touched_partitions": len(metrics["touched_partitions"]),
        "live_rows_in_touched_partitions": metrics["live_rows_in_touched_partitions"],
    }


def merge_ratio(lake: Path, stored: Path, run_date: str, runs: int) -> dict[str, Any]:
    from bench import silver_merge
    from lakehouse.contracts import load as load_contract
    from lakehouse.local.deployment import LocalDeployment
    from lakehouse.spark import local_session

    spark = local_session("lakehouse-bench")
    contract = load_contract("orders")
    silver_root = LocalDeployment.at(lake).roots.silver_root
    with tempfile.TemporaryDirectory(prefix="bench-merge-") as scratch:
        out_spark, out_duck = Path(scratch, "spark"), Path(scratch, "duckdb")
        touched = silver_merge.spark_merge(
            spark, contract, silver_root, stored.as_uri(), run_date, out_spark
        )
        silver_merge.duckdb_merge(
            contract, silver_root, stored.as_uri(), run_date, touched, out_duck
        )
        spark_rows, duck_rows = silver_merge.rows_of(out_spark), silver_merge.rows_of(out_duck)
        if spark_rows != duck_rows:
            only = set(spark_rows) ^ set(duck_rows)
            raise SystemExit(
                f"bench: the DuckDB merge differs from Spark's on {len(only)} rows, e.g. "
                f"{sorted(only, key=repr)[:2]}"
            )
        spark_s = silver_merge.best_of(
            runs,
            lambda: silver_merge.spark_merge(
                spark, contract, silver_root, stored.as_uri(), run_date, out_spark
            ),
        )
        duck_s = silver_merge.best_of(
            runs,
            lambda: silver_merge.duckdb_merge(
                contract, silver_root, stored.as_uri(), run_date, touched, out_duck
            ),
        )
    return {
        "rows": len(spark_rows),
        "touched_partitions": len(touched),
        "spark_seconds": round(spark_s, 3),
        "duckdb_seconds": round(duck_s, 3),
        "ratio": round(spark_s / duck_s, 2),
    }


def cost_curve(args: argparse.Namespace, scales: list[int], scratch: Path) -> dict[str, Any]:
    """Per scale: a fresh lake of two days at ``scale`` x the volume; day one runs
    first (silver has state), day two is timed."""
    curve = {}
    for scale in scales:
        lake = scratch / f"scale-{scale}x"
        _generate(lake, 2, args.orders_per_day * scale, args.customers * scale, args.seed)
        _run(lake, _day(0))
        curve[f"{scale}x"] = _run(lake, _day(1))
    return curve


def peak_rss_mb() -> dict[str, float | None]:
    """Peak resident set (VmHWM) of this process and of the Spark JVM, in MB."""
    driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    jvm = None
    try:
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession()
        if session is not None:
            pid = session._jvm.java.lang.ProcessHandle.current().pid()
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    jvm = int(line.split()[1]) / 1024
    except (OSError, ImportError):
        pass
    return {"driver": round(driver), "jvm": round(jvm) if jvm is not None else None}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    load_before = os.getloadavg()
    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "args": vars(args),
    }
    with tempfile.TemporaryDirectory(prefix="lakehouse-bench-") as tmp:
        scratch = Path(tmp)
        lake = scratch / "history"
        results["generator"] = _generate(
            lake, args.days + 1, args.orders_per_day, args.customers, args.seed
        )
        print(
            f"history: {args.days} days + 1 at {args.orders_per_day} orders/day "
            f"({results['generator']['lines']} landing lines, generated in "
            f"{results['generator']['seconds']} s)",
            flush=True,
        )
        history = [_run(lake, _day(i)) for i in range(args.days)]
        results["history"] = history
        measured = _day(args.days)
        from bench import silver_merge
        from lakehouse.contracts import load as load_contract
        from lakehouse.local.deployment import LocalDeployment

        stored = silver_merge.snapshot_silver(
            LocalDeployment.at(lake).roots.silver_root, load_contract("orders"), scratch / "stored"
        )
        incremental = _run(lake, measured)
        incremental["orders"] = _silver_stats(lake, measured)
        results["incremental"] = incremental
        results["merge"] = merge_ratio(lake, stored, measured, args.merge_runs)
        results["rebuild"] = _rebuild(lake, _day(0), measured)
        results["files"] = files_per_partition(lake)  # the rebuild's writes included
        results["cost_curve"] = cost_curve(args, scales, scratch)
        results["peak_rss_mb"] = peak_rss_mb()
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    results["seconds"] = round(time.perf_counter() - started)

    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{results['when'].replace(':', '').replace('-', '')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")

    files, merge, rss = results["files"], results["merge"], results["peak_rss_mb"]
    orders = incremental["orders"]
    history_s = sorted(d["seconds"] for d in history)
    print(
        f"history days: median {history_s[len(history_s) // 2]} s, "
        f"{sum(d['status'] != 'SUCCEEDED' for d in history)} blocked by the gate"
    )
    print(
        f"day {args.days + 1} ({measured}): {incremental['seconds']} s; orders keys changed: "
        f"{orders['keys_in_batch']} ({orders['touched_partitions']} partitions touched, "
        f"{orders['live_rows_in_touched_partitions']} live rows in them)"
    )
    rebuild = results["rebuild"]
    print(
        f"incremental/full ratio: {incremental['seconds'] / rebuild['seconds']:.2f} "
        f"(day {args.days + 1} {incremental['seconds']} s; `lakehouse rebuild --from "
        f"{rebuild['from']} --to {rebuild['to']}` {rebuild['seconds']} s: "
        + " ".join(f"{k}={v}s" for k, v in rebuild["layers"].items())
        + ")"
    )
    print(
        f"max files per partition: {files['max_files']} (at {files['where']}; "
        f"{files['partitions']} partitions, largest file {files['largest_file_mb']} MB)"
    )
    print(
        f"spark/duckdb silver merge ratio: {merge['ratio']} (orders, {merge['rows']} rows out, "
        f"spark {merge['spark_seconds']} s, duckdb {merge['duckdb_seconds']} s, equal outputs)"
    )
    print(
        "cost curve: "
        + " ".join(f"{k}={v['seconds']}s" for k, v in results["cost_curve"].items())
        + f" (1x = {args.orders_per_day} orders/day)"
    )
    print(f"peak RSS: driver {rss['driver']} MB, jvm {rss['jvm']} MB")
    print(
        f"wall time per layer (day {args.days + 1}): "
        + " ".join(f"{k}={v}s" for k, v in incremental["layers"].items())
    )
    before, after = results["load_average"]["before"], results["load_average"]["after"]
    print(
        f"load average: {before[0]:.2f} before, {after[0]:.2f} after "
        f"({os.cpu_count()} CPUs); bench took {results['seconds']} s"
    )
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
