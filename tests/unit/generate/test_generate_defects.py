"""Every defect kind is injected faithfully, exactly where the manifest says, and
nothing else is wrong with the line it is on."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from lakehouse.generate import DEFECT_KINDS

# kind -> (entity or entities, expected layer, exact reason), as the README states it.
EXPECTED = {
    "malformed_csv_line": ({"customers", "fx_rates"}, "quarantine", "malformed_record"),
    "malformed_json_line": ({"orders"}, "quarantine", "malformed_record"),
    "wrong_type": ({"orders"}, "quarantine", "invalid_type:amount"),
    "missing_key": ({"orders"}, "quarantine", "missing_required:order_id"),
    "null_required_field": ({"customers"}, "quarantine", "missing_required:country"),
    "unknown_status": ({"orders"}, "quarantine", "not_allowed:status"),
    "negative_amount": ({"orders"}, "quarantine", "out_of_range:amount"),
    "absurd_amount": ({"orders"}, "quarantine", "out_of_range:amount"),
    "unknown_currency": ({"orders"}, "quarantine", "not_allowed:currency"),
    "fx_rate_missing": ({"fx_rates"}, "gold", None),
    "unknown_customer": ({"orders"}, "silver", None),
    "future_timestamp": ({"orders"}, "quarantine", "in_future:updated_at"),
    "duplicate_file": ({"customers", "orders"}, "bronze_only", None),
    "empty_file": ({"customers", "orders", "fx_rates"}, "none", None),
    "extra_column": ({"customers"}, "silver", None),
    "missing_column": ({"customers"}, "silver", None),
    "non_utf8": ({"customers"}, "quarantine", "invalid_encoding:email"),
}
FILE_LEVEL = {"fx_rate_missing", "duplicate_file", "empty_file", "extra_column", "missing_column"}
UNKNOWN_CUSTOMER_FLOOR = "C900000"


def _records_by_key(lake) -> dict[tuple[str, int], object]:
    return {
        r.key: r for entity in ("customers", "orders", "fx_rates") for r in lake.records(entity)
    }


def _line_defects(manifest: list[dict], file: str) -> list[tuple[str, int]]:
    return sorted((e["kind"], e["line"]) for e in manifest if e["file"] == file and e["line"])


def test_the_catalogue_matches_the_documented_table():
    assert set(DEFECT_KINDS) == set(EXPECTED)
    for name, kind in DEFECT_KINDS.items():
        entities, layer, reason = EXPECTED[name]
        assert set(kind.entities) == entities and kind.expected() == {
            "layer": layer,
            "reason": reason,
        }
        assert (kind.level == "file") == (name in FILE_LEVEL)


def test_a_default_run_contains_every_kind(default_lake):
    counts = collections.Counter(e["kind"] for e in default_lake.manifest())
    assert set(counts) == set(EXPECTED)
    assert default_lake.summary()["totals"]["defects"] == dict(sorted(counts.items()))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_kind_appears_in_any_seven_day_run(tmp_path, lake_factory, seed):
    lake = lake_factory(tmp_path, seed=seed, orders_per_day=300, customers=100)
    assert {e["kind"] for e in lake.manifest()} == set(EXPECTED)


def test_manifest_entries_have_the_documented_shape(default_lake):
    for entry in default_lake.manifest():
        assert list(entry) == ["kind", "entity", "file", "line", "business_key", "expected", "_day"]
        entities, layer, reason = EXPECTED[entry["kind"]]
        assert entry["entity"] in entities
        assert entry["expected"] == {"layer": layer, "reason": reason}
        assert entry["file"].split("/")[2] == f"ingest_date={entry['_day']}"
        assert (default_lake.raw_root / entry["file"]).is_file()
        assert (entry["line"] is None) == (entry["kind"] in FILE_LEVEL)


def test_each_line_defect_is_on_its_line_and_is_the_only_problem(default_lake):
    records = _records_by_key(default_lake)
    for entry in default_lake.manifest():
        if entry["line"] is None:
            continue
        key = (entry["file"], entry["line"])
        reason = entry["expected"]["reason"]
        assert default_lake.violations[key] == ([reason] if reason else []), entry
        record = records[key]
        key_column = "order_id" if record.entity == "orders" else "customer_id"
        if record.fields is not None and entry["kind"] != "missing_key":
            assert record.fields[key_column] == entry["business_key"]


def test_every_line_that_breaks_its_contract_is_in_the_manifest(default_lake):
    defective = default_lake.defective_lines()
    broken = [key for key, found in default_lake.violations.items() if found]
    assert broken
    assert set(broken) <= defective


def test_non_utf8_lines_carry_a_latin1_byte(default_lake):
    entries = [e for e in default_lake.manifest() if e["kind"] == "non_utf8"]
    for entry in entries:
        line = (default_lake.raw_root / entry["file"]).read_bytes().split(b"\n")[entry["line"]]
        assert b"\xe9" in line
        with pytest.raises(UnicodeDecodeError):
            line.decode("utf-8")


def test_unknown_customers_are_never_generated_and_stay_with_their_order(default_lake):
    flagged = {
        e["business_key"] for e in default_lake.manifest() if e["kind"] == "unknown_customer"
    }
    assert flagged
    generated = {r.fields["customer_id"] for r in default_lake.clean_records("customers")}
    assert max(generated) < UNKNOWN_CUSTOMER_FLOOR
    with_unknown = {
        r.fields.get("order_id")
        for r in default_lake.records("orders")
        if r.fields and r.fields.get("customer_id", "") >= UNKNOWN_CUSTOMER_FLOOR
    } - {None}
    assert with_unknown == flagged


def test_file_level_defects_are_what_they_say(default_lake):
    manifest = default_lake.manifest()
    by_kind = collections.defaultdict(list)
    for entry in manifest:
        by_kind[entry["kind"]].append(entry)
    for entry in by_kind["duplicate_file"]:
        copy = default_lake.raw_root / entry["file"]
        original = copy.with_name(copy.name.replace(copy.stem[-2:] + ".", "01."))
        assert copy != original and copy.read_bytes() == original.read_bytes()
        original_defects = _line_defects(manifest, default_lake.relative(original))
        assert original_defects == _line_defects(manifest, entry["file"])
        assert original_defects  # the copy's defective lines are recorded too
    for entry in by_kind["empty_file"]:
        text = (default_lake.raw_root / entry["file"]).read_text("utf-8")
        assert text.count("\n") == (0 if entry["entity"] == "orders" else 1)
    for kind, header_check in (
        ("extra_column", lambda header: header.endswith(",loyalty_tier")),
        ("missing_column", lambda header: ",phone," not in header),
    ):
        for entry in by_kind[kind]:
            lines = (default_lake.raw_root / entry["file"]).read_bytes().split(b"\n")
            assert header_check(lines[0].decode()) and len(lines) > 2
    for entry in by_kind["fx_rate_missing"]:
        day, currency = entry["business_key"].split("|")
        rows = [r for r in default_lake.records("fx_rates") if r.ingest_date == day]
        assert rows and currency not in {r.fields["currency"] for r in rows if r.fields}
        assert currency != "USD" and day != "2026-01-01"


def test_the_defect_rate_is_the_share_of_defective_lines(default_lake):
    lines = default_lake.summary()["totals"]["lines"]["orders"]
    order_defects = sum(1 for e in default_lake.manifest() if e["entity"] == "orders" and e["line"])
    assert 0.015 < order_defects / lines < 0.025


def test_a_burst_raises_the_rate_on_its_day_only(tmp_path, lake_factory):
    lake = lake_factory(
        tmp_path,
        days=3,
        orders_per_day=2000,
        customers=300,
        bursts={dt.date(2026, 1, 2): 0.3},
    )
    summary = lake.summary()["days"]
    for day, rate in (("2026-01-01", 0.02), ("2026-01-02", 0.3), ("2026-01-03", 0.02)):
        defects = sum(n for kind, n in summary[day]["defects"].items() if kind not in FILE_LEVEL)
        lines = sum(summary[day]["lines"].values())
        assert abs(defects / lines - rate) < 0.3 * rate, day


def test_no_defects_when_none_are_enabled(tmp_path, lake_factory, contract_violations):
    lake = lake_factory(tmp_path, orders_per_day=300, customers=100, defects=())
    assert lake.manifest() == []
    assert all(path.stem.endswith("_01") for path in lake.raw_files())
    for entity in ("customers", "orders", "fx_rates"):
        for record in lake.records(entity):
            assert contract_violations(entity, record.fields, record.ingest_date) == []


def test_only_the_enabled_kinds_are_injected(tmp_path, lake_factory):
    lake = lake_factory(
        tmp_path, orders_per_day=300, customers=100, defects=("wrong_type", "empty_file")
    )
    assert {e["kind"] for e in lake.manifest()} == {"wrong_type", "empty_file"}
