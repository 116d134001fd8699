"""`lakehouse ...` command line. Each subcommand lives in its own module exposing
``configure(parser)`` and ``run(args) -> int``; this file only lists them."""

from __future__ import annotations

import argparse
import importlib
import sys


class CliError(Exception):
    """Bad input at the command line: printed as one line, exit 2, nothing changed."""


# subcommand -> (module, one-line help). Modules are imported only when used, so
# `lakehouse --help` stays fast and a missing optional piece does not break others.
COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("lakehouse.generate.cli", "write seeded sample raw files into a lake"),
    "demo": ("lakehouse.local.demo", "generate sample days and run the daily pipeline (make run)"),
    "run": ("lakehouse.local.run_cli", "run the state machine locally for a date or range"),
    "rollback": (
        "lakehouse.local.run_cli",
        "point readers of a date back at what they saw before its last run",
    ),
    "rebuild": (
        "lakehouse.local.run_cli",
        "rebuild silver and gold from bronze for a range of dates, published through the gate",
    ),
    "watch": (
        "lakehouse.local.run_cli",
        "start each date's run when its landing markers are all there (S3 -> EventBridge, locally)",
    ),
    "maintain": (
        "lakehouse.local.run_cli",
        "compact published gold, expire unused gold staging, drop bronze beyond the rerun horizon",
    ),
    "status": ("lakehouse.local.run_cli", "show recent local executions"),
    "report": ("lakehouse.local.run_cli", "write the HTML run report"),
    "query": ("lakehouse.local.query_cli", "run Athena (Trino) SQL against the local lake"),
    "job": ("lakehouse.local.job_cli", "run one Glue entry script locally with Glue-style args"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lakehouse", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        build_parser().parse_args(argv)  # prints help / error and exits
        return 2
    name, rest = argv[0], argv[1:]
    module = importlib.import_module(COMMANDS[name][0])
    parser = argparse.ArgumentParser(prog=f"lakehouse {name}", description=COMMANDS[name][1])
    module.configure(parser, name) if _takes_name(module) else module.configure(parser)
    args = parser.parse_args(rest)
    args.command = name
    try:
        return int(module.run(args) or 0)
    except CliError as exc:
        print(f"lakehouse {name}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path that cannot be read or written: say which, no traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(f"lakehouse {name}: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2


def _takes_name(module: object) -> bool:
    configure = module.configure  # type: ignore[attr-defined]
    return configure.__code__.co_argcount >= 2


if __name__ == "__main__":
    # Run as `python -m lakehouse.cli`, this file is __main__: use the package's module
    # so that the CliError raised by the subcommands is the one caught here.
    from lakehouse.cli import main as package_main

    raise SystemExit(package_main())
