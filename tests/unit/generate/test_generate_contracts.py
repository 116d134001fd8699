"""Every line without an injected defect satisfies its dataset contract; ids,
timestamps and amounts look like the README says."""

from __future__ import annotations

import json
import re

import pytest

from lakehouse import contracts

ENTITIES = ("customers", "orders", "fx_rates")
AMOUNT_TEXT = re.compile(r'"amount":(?P<amount>[^,]+),')


@pytest.mark.parametrize("entity", ENTITIES)
def test_clean_lines_satisfy_the_contract(default_lake, entity):
    clean = default_lake.clean_records(entity)
    assert clean
    for record in clean:
        assert default_lake.violations[record.key] == [], record


@pytest.mark.parametrize("entity", ["customers", "fx_rates"])
def test_csv_headers_follow_contract_column_order(default_lake, entity):
    expected = ",".join(contracts.load(entity).column_names)
    headers = set()
    for path in default_lake.raw_files(entity):
        first_line = path.read_text("utf-8", errors="surrogateescape").split("\n", 1)[0]
        headers.add(first_line)
    assert expected in headers
    variants = headers - {expected}
    assert variants <= {f"{expected},loyalty_tier", expected.replace(",phone", "")}


def test_order_lines_are_compact_json_in_contract_column_order(default_lake):
    columns = contracts.load("orders").column_names
    for record in default_lake.clean_records("orders")[:5000]:
        assert list(record.fields) == columns
        amount_text = AMOUNT_TEXT.search(record.raw)["amount"]
        expected = {**record.fields, "amount": "AMOUNT"}
        assert record.raw == json.dumps(expected, separators=(",", ":")).replace(
            '"AMOUNT"', amount_text
        )
        assert isinstance(record.fields["amount"], int | float)
        if record.fields["currency"] != "JPY":
            assert re.fullmatch(r"\d+\.\d{2}", amount_text), record.raw  # cents, always 2 digits


def test_jpy_amounts_are_whole_large_numbers_under_the_max(default_lake):
    maximum = contracts.load("orders").column("amount").max
    orders = default_lake.clean_records("orders")
    yen = [r.fields["amount"] for r in orders if r.fields["currency"] == "JPY"]
    assert yen
    assert all(isinstance(amount, int) and 0 < amount <= maximum for amount in yen)
    assert sorted(yen)[len(yen) // 2] > 1000  # median in the thousands of yen


def test_every_currency_appears_and_fx_rates_cover_all_currencies(default_lake):
    allowed = set(contracts.load("orders").column("currency").allowed_values)
    seen = {r.fields["currency"] for r in default_lake.clean_records("orders")}
    assert seen == allowed
    first_day = [r for r in default_lake.records("fx_rates") if r.ingest_date == "2026-01-01"]
    assert {r.fields["currency"] for r in first_day} == allowed
    rates = default_lake.clean_records("fx_rates")
    usd = [r.fields["usd_rate"] for r in rates if r.fields["currency"] == "USD"]
    assert set(usd) == {"1.00000000"}


def test_fx_rates_walk_from_day_to_day(default_lake):
    rows = [r for r in default_lake.clean_records("fx_rates") if r.fields["currency"] == "EUR"]
    eur = {r.ingest_date: float(r.fields["usd_rate"]) for r in rows}
    assert len(set(eur.values())) > 3
    for rate in eur.values():
        assert 0.9 < rate < 1.3


def test_fx_rate_date_is_the_ingest_date(default_lake):
    for record in default_lake.clean_records("fx_rates"):
        assert record.fields["rate_date"] == record.ingest_date


def test_clean_lines_happen_no_later_than_their_ingest_date(default_lake):
    for record in default_lake.clean_records("orders"):
        assert record.fields["updated_at"][:10] <= record.ingest_date
        assert record.fields["ordered_at"] <= record.fields["updated_at"]
