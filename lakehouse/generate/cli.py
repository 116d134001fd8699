"""``lakehouse generate``: write seeded sample raw files into a lake directory."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lakehouse.generate.config import (
    GeneratorConfig,
    InvalidGeneratorConfigError,
    parse_burst,
    parse_defect_kinds,
)
from lakehouse.generate.engine import generate

T = TypeVar("T")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from exc


def _as_argument_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """argparse reports ArgumentTypeError nicely; our parsers raise ValueError."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc

    return convert


def configure(parser: argparse.ArgumentParser) -> None:
    defaults = GeneratorConfig(out=Path(".lake"))
    add = parser.add_argument
    add("--start", type=_date, default=defaults.start, help="first ingest date (YYYY-MM-DD)")
    add("--days", type=int, default=defaults.days, help="number of ingest dates")
    add("--orders-per-day", type=int, default=defaults.orders_per_day, help="new orders a day")
    add("--customers", type=int, default=defaults.customers, help="customers on the first day")
    add(
        "--defect-rate",
        type=float,
        default=defaults.defect_rate,
        help="share of lines carrying a defect",
    )
    add("--seed", type=int, default=defaults.seed)
    add("--out", type=Path, default=defaults.out, help="lake directory (default .lake)")
    add(
        "--raw-root",
        default=None,
        help="write raw files here (path or file:// URL) instead of the lake's raw root",
    )
    add(
        "--defects",
        type=_as_argument_type(parse_defect_kinds),
        default=defaults.defects,
        help="'all' (default), 'none' or comma-separated defect kinds",
    )
    add(
        "--burst",
        type=_as_argument_type(parse_burst),
        action="append",
        default=[],
        metavar="DATE:RATE",
        help="defect rate for one day, e.g. 2026-01-04:0.3 (repeatable)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        config = GeneratorConfig(
            out=args.out,
            start=args.start,
            days=args.days,
            orders_per_day=args.orders_per_day,
            customers=args.customers,
            defect_rate=args.defect_rate,
            seed=args.seed,
            defects=args.defects,
            bursts=dict(args.burst),
            raw_root=args.raw_root,
        )
    except InvalidGeneratorConfigError as exc:
        print(f"lakehouse generate: {exc}", file=sys.stderr)
        return 2
    summary = generate(config)
    print(f"generated {summary} (raw files under {summary.raw_root})")
    return 0
