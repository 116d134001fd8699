"""``lakehouse query``: Athena (Trino) SQL against the local lake.

    lakehouse query "select status, count(*) from daily_sales group by 1" --database gold
    lakehouse query @sql/checks/reconcile.sql --param "'2026-01-05'" --format json

Before running, the catalog is brought up to date the way a deployed lake is: tables
from the contracts, and partitions discovered for every layer jobs write in place.
Gold shows only what a run published. A failed query prints Athena's reason, exit 1.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from lakehouse.local.athena import AthenaError, LocalAthena
from lakehouse.local.catalog import bootstrap

NULL_DISPLAY = "NULL"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sql", help="the query, or @path/to/file.sql")
    parser.add_argument("--lake", default=".lake", help="local lake directory (default .lake)")
    parser.add_argument(
        "--database", default="gold", help="database for unqualified tables (default gold)"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        help="value for the next ? placeholder, as SQL literal text: \"'2026-01-05'\" or 42",
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _query_text(argument: str) -> str:
    from lakehouse.cli import CliError

    if not argument.startswith("@"):
        return argument
    path = Path(argument[1:])
    if not path.is_file():
        raise CliError(f"no query file {path}")
    return path.read_text(encoding="utf-8")


def _all_rows(athena: LocalAthena, execution_id: str) -> tuple[list[str], list[list[str | None]]]:
    rows: list[list[str | None]] = []
    token = None
    while True:
        request = {"QueryExecutionId": execution_id, **({"NextToken": token} if token else {})}
        page = athena.get_query_results(**request)
        rows += [
            [cell.get("VarCharValue") for cell in row["Data"]] for row in page["ResultSet"]["Rows"]
        ]
        token = page.get("NextToken")
        if not token:
            break
    header, *data = rows
    return [h or "" for h in header], data


def _print_table(header: list[str], rows: list[list[str | None]]) -> None:
    shown = [[NULL_DISPLAY if v is None else v for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in shown)]) for i, h in enumerate(header)]
    line = "+".join("-" * (w + 2) for w in widths)
    print(" " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in shown:
        print(" " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    print(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")


def run(args: argparse.Namespace) -> int:
    from lakehouse.local.deployment import existing_lake

    existing_lake(args.lake)  # Athena writes its results into the lake
    sql = _query_text(args.sql)
    catalog = bootstrap(args.lake)
    catalog.sync_all_partitions()
    athena = LocalAthena(args.lake, catalog)
    try:
        started = athena.start_query_execution(
            QueryString=sql,
            QueryExecutionContext={"Database": args.database, "Catalog": "AwsDataCatalog"},
            ExecutionParameters=args.param or None,
        )
    except AthenaError as exc:
        print(f"{exc.code}: {exc.message}", file=sys.stderr)
        return 1
    execution_id = started["QueryExecutionId"]
    status = athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]["Status"]
    if status["State"] != "SUCCEEDED":
        print(status.get("StateChangeReason", status["State"]), file=sys.stderr)
        return 1
    header, rows = _all_rows(athena, execution_id)
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([header, *[["" if v is None else v for v in row] for row in rows]])
    elif args.format == "json":
        print(json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2))
    else:
        _print_table(header, rows)
    return 0
