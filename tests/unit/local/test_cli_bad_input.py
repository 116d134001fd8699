"""Bad input at the command line: one line on stderr saying what is wrong, a non-zero
exit, no traceback, and nothing changed on disk (issue 9). A typo in --lake must not
create a lake: only `generate` and `demo` create lakes."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from lakehouse.cli import main
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local.job_cli import default_run_id

TRIED: list[str] = []


def listing(folder: Path) -> list[tuple[str, int]]:
    return sorted(
        (str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1)
        for p in folder.rglob("*")
    )


def refused(argv: list[str], capsys, folder: Path) -> str:
    """Run the CLI; assert exit 2, exactly one stderr line, disk unchanged."""
    before = listing(folder)
    code = main(argv)  # an uncaught exception (a traceback) fails the test here
    err = capsys.readouterr().err.strip().splitlines()
    TRIED.append(" ".join(argv))
    assert code == 2, (argv, code, err)
    assert len(err) == 1, err
    assert listing(folder) == before, argv
    return err[0]


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    """A generated lake (raw files only; no run needed for these commands)."""
    folder = tmp_path_factory.mktemp("cli") / "lake"
    generate(
        GeneratorConfig(
            out=folder,
            start=dt.date(2026, 1, 1),
            days=1,
            orders_per_day=5,
            customers=5,
            defect_rate=0.0,
            seed=3,
        )
    )
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--date", "2026-01-01"],
        ["rollback", "--date", "2026-01-01"],
        ["rebuild", "--from", "2026-01-01", "--to", "2026-01-01"],
        ["watch", "--once"],
        ["status"],
        ["report"],
        ["query", "select 1"],
        ["job", "bronze_ingest", "--date", "2026-01-01", "--entity", "orders"],
    ],
)
def test_a_missing_lake_is_named_and_not_created(command, tmp_path, capsys) -> None:
    typo = tmp_path / "lkae"
    message = refused([*command, "--lake", str(typo)], capsys, tmp_path)
    assert message.startswith(f"lakehouse {command[0]}: no lake at {typo}")
    assert "lakehouse generate --out" in message
    assert not typo.exists()


def test_a_file_or_a_folder_without_a_lake_is_refused(tmp_path, capsys) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    assert "is a file" in refused(
        ["run", "--lake", str(afile), "--date", "2026-01-01"], capsys, tmp_path
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "holds no lake" in refused(["query", "select 1", "--lake", str(empty)], capsys, tmp_path)


def test_a_read_only_lake_is_refused(lake, capsys, monkeypatch) -> None:
    """As root (as in CI) permission bits do not stop writes, so the read-only
    filesystem is what os.access reports here."""
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == lake else real_access(p, mode)
    )
    message = refused(["run", "--lake", str(lake), "--date", "2026-01-01"], capsys, lake)
    assert "read-only" in message


@pytest.mark.parametrize(
    ("flags", "wrong"),
    [
        (["--date", "2026-13-01"], "--date"),
        (["--date", "2026-1-1"], "--date"),
        (["--date", "yesterday"], "--date"),
        (["--date", "20260101"], "--date"),
        (["--date", "2026-02-30"], "--date"),
        (["--date", "2026-01-02", "--through", "2026-01-01"], "--through"),
        (["--date", "2026-01-01", "--through", "2026-01-0x"], "--through"),
    ],
)
def test_a_malformed_date_is_refused_before_anything_runs(lake, flags, wrong, capsys) -> None:
    message = refused(["run", "--lake", str(lake), *flags], capsys, lake)
    assert message.startswith(f"lakehouse run: {wrong}"), message


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-02-30"])
def test_a_malformed_rollback_date_is_refused_before_anything_runs(lake, value, capsys) -> None:
    message = refused(["rollback", "--lake", str(lake), "--date", value], capsys, lake)
    assert message.startswith("lakehouse rollback: --date must be a date YYYY-MM-DD"), message


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--from", "2026-13-01", "--to", "2026-01-01"], "--from must be a date YYYY-MM-DD"),
        (["--from", "2026-01-01", "--to", "yesterday"], "--to must be a date YYYY-MM-DD"),
        (["--from", "2026-01-02", "--to", "2026-01-01"], "--to 2026-01-01 is before --from"),
    ],
)
def test_a_malformed_rebuild_range_is_refused_before_anything_runs(
    lake, flags, expected, capsys
) -> None:
    message = refused(["rebuild", "--lake", str(lake), *flags], capsys, lake)
    assert message.startswith(f"lakehouse rebuild: {expected}"), message


@pytest.mark.parametrize("interval", ["0", "-5"])
def test_a_watch_interval_that_is_not_positive_is_refused(lake, interval, capsys) -> None:
    message = refused(["watch", "--lake", str(lake), "--interval", interval], capsys, lake)
    assert message.startswith("lakehouse watch: --interval must be a positive number"), message


def test_a_malformed_job_date_is_refused(lake, capsys) -> None:
    message = refused(
        ["job", "bronze_ingest", "--lake", str(lake), "--date", "2026/01/01"], capsys, lake
    )
    assert "--date must be a date YYYY-MM-DD" in message


def test_a_missing_query_file_is_named(lake, capsys) -> None:
    message = refused(["query", "@no/such.sql", "--lake", str(lake)], capsys, lake)
    assert message == "lakehouse query: no query file no/such.sql"


def test_generate_into_a_file_is_one_line(tmp_path, capsys) -> None:
    afile = tmp_path / "lake"
    afile.write_text("x")
    message = refused(["generate", "--out", str(afile), "--days", "1"], capsys, tmp_path)
    assert str(afile) in message


@pytest.mark.parametrize("output", ["table", "csv", "json"])
def test_a_query_with_no_rows_prints_the_header_and_succeeds(lake, output, capsys) -> None:
    code = main(
        [
            "query",
            "select 1 as n from (values 1) as t (x) where x > 1",
            "--lake",
            str(lake),
            "--format",
            output,
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    expected = {"table": "(0 rows)", "csv": "n", "json": "[]"}[output]
    assert expected in out


def test_lakehouse_job_never_reuses_a_run_id() -> None:
    """Gold stages under the run id; a reused one would overwrite an earlier run's."""
    first, second = default_run_id("2026-01-01"), default_run_id("2026-01-01")
    assert first != second
    assert re.fullmatch(r"manual-2026-01-01-\d{8}T\d{6}-[0-9a-f]{6}", first)


def test_count_of_bad_inputs_tried(figure) -> None:
    """Runs last in this module: prints how many bad inputs were tried (0 tracebacks:
    every one of them returned instead of raising)."""
    figure(f"bad command-line inputs tried: {len(TRIED)}; tracebacks: 0")
    assert len(TRIED) >= 15
