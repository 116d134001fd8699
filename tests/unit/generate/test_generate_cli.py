"""`lakehouse generate` end to end through the project's CLI dispatcher."""

from __future__ import annotations

import json

import pytest

from lakehouse.cli import main


def test_generate_command_writes_a_lake(tmp_path, capsys):
    code = main([
        "generate", "--start", "2026-03-01", "--days", "2", "--orders-per-day", "200",
        "--customers", "50", "--defect-rate", "0.1", "--seed", "3", "--out", str(tmp_path),
        "--defects", "wrong_type,empty_file", "--burst", "2026-03-02:0.5",
    ])  # fmt: skip

    assert code == 0
    assert "2026-03-01..2026-03-02" in capsys.readouterr().out
    summary = json.loads((tmp_path / "_generator" / "summary.json").read_text())
    assert summary["arguments"]["defects"] == ["wrong_type", "empty_file"]
    assert summary["arguments"]["bursts"] == {"2026-03-02": 0.5}
    assert summary["days"]["2026-03-02"]["defect_rate"] == 0.5
    orders = (
        tmp_path / "lakehouse-local-raw-000000000000-local/raw/shop/orders/ingest_date=2026-03-01"
    )
    assert (orders / "orders_2026-03-01_01.jsonl").stat().st_size > 0
    kinds = {k for day in summary["days"].values() for k in day["defects"]}
    assert kinds <= {"wrong_type", "empty_file"} and "wrong_type" in kinds


def test_generate_command_writes_to_an_explicit_raw_root(tmp_path):
    landing = tmp_path / "landing"
    args = ["generate", "--days", "1", "--orders-per-day", "20", "--customers", "10"]
    assert main([*args, "--out", str(tmp_path / "lake"), "--raw-root", str(landing)]) == 0
    assert list(landing.glob("shop/customers/ingest_date=2026-01-01/customers_*.csv"))


@pytest.mark.parametrize(
    "bad",
    [["--defects", "no_such_kind"], ["--burst", "tomorrow"], ["--start", "01/01/2026"]],
)
def test_bad_arguments_are_usage_errors(tmp_path, capsys, bad):
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "--out", str(tmp_path), *bad])
    assert exit_info.value.code == 2
    assert "error" in capsys.readouterr().err


def test_arguments_that_cannot_produce_data_are_reported(tmp_path, capsys):
    code = main(["generate", "--out", str(tmp_path), "--days", "2", "--burst", "2027-01-01:0.5"])
    assert code == 2
    assert "outside the generated days" in capsys.readouterr().err
    assert not (tmp_path / "_generator").exists()
