"""Small pieces with exact expectations: packing open orders, parsing arguments,
the defect schedule, timestamps."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from lakehouse.generate import InvalidGeneratorConfigError, parse_burst, parse_defect_kinds
from lakehouse.generate.config import GeneratorConfig
from lakehouse.generate.defects import FILE_KINDS, LINE_KINDS, UnknownDefectKindError
from lakehouse.generate.determinism import day_rng, iso_timestamp, stable_hash
from lakehouse.generate.injection import BLOCK_DAYS, DefectSchedule
from lakehouse.generate.lifecycle import DELETE, SHIPPED, OpenOrder, OrderPacker
from lakehouse.generate.money import CURRENCIES, MAX_AMOUNT_CENTS


def test_an_open_order_survives_packing_unchanged():
    base = 1_760_000_000
    packer = OrderPacker(base, CURRENCIES)
    order = OpenOrder(999_999_999, 999_999, MAX_AMOUNT_CENTS, "JPY", base + 12_345)
    order.status, order.updated_at = SHIPPED, base + 99_999
    order.previous_status, order.previous_updated_at = "PAID", base + 50_000
    order.next_status, order.next_at = DELETE, base + 10**9

    again = packer.unpack(packer.pack(order))

    assert {s: getattr(again, s) for s in OpenOrder.__slots__} == {
        s: getattr(order, s) for s in OpenOrder.__slots__
    }


def test_a_new_order_survives_packing_unchanged():
    packer = OrderPacker(0, CURRENCIES)
    order = OpenOrder(1, 1, 100, "USD", 5)
    again = packer.unpack(packer.pack(order))
    assert {s: getattr(again, s) for s in OpenOrder.__slots__} == {
        s: getattr(order, s) for s in OpenOrder.__slots__
    }


def test_timestamps_match_strftime():
    for seconds in (0, 1_767_225_600, 1_767_311_999, 1_798_761_600 + 86_399, -86_400):
        assert iso_timestamp(seconds) == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def test_random_streams_are_pinned():
    """Changing these changes every generated file; do it only on purpose."""
    assert stable_hash(7, "customer", 1) == 0x53E925B06E5264FF
    assert stable_hash(8, "customer", 1) != stable_hash(7, "customer", 1)
    assert day_rng(7, "orders", dt.date(2026, 1, 1)).random() == 0.7722901113909758


def test_defect_kinds_parse():
    assert set(parse_defect_kinds("all")) == set(LINE_KINDS) | set(FILE_KINDS)
    assert parse_defect_kinds("none") == ()
    assert parse_defect_kinds("empty_file, wrong_type") == ("wrong_type", "empty_file")
    with pytest.raises(UnknownDefectKindError, match="nope"):
        parse_defect_kinds("wrong_type,nope")


def test_bursts_parse():
    assert parse_burst("2026-01-04:0.3") == (dt.date(2026, 1, 4), 0.3)
    for bad in ("2026-01-04", "2026-01-04:x", "x:0.3"):
        with pytest.raises(InvalidGeneratorConfigError):
            parse_burst(bad)


@pytest.mark.parametrize(
    "arguments",
    [{"days": 0}, {"defect_rate": 1.5}, {"customers": 800_000, "days": 30},
     {"bursts": {dt.date(2025, 1, 1): 0.1}}, {"defects": ("bogus",)},
     {"raw_root": "s3://acme-dev-raw/raw"}],
)  # fmt: skip
def test_impossible_configurations_are_refused(tmp_path, arguments):
    with pytest.raises(InvalidGeneratorConfigError):
        GeneratorConfig(out=tmp_path, **arguments)


def test_each_file_kind_fires_once_per_seven_day_block():
    schedule = DefectSchedule(seed=7, enabled=FILE_KINDS)
    for block in range(3):
        days = range(block * BLOCK_DAYS, (block + 1) * BLOCK_DAYS)
        fired = [kind for day in days for kind in schedule.file_kinds_on(day, rate=0.02)]
        assert sorted(fired) == sorted(FILE_KINDS)
        assert "fx_rate_missing" not in schedule.file_kinds_on(block * BLOCK_DAYS, 0.02)


def test_a_zero_rate_day_has_no_defects():
    schedule = DefectSchedule(seed=7, enabled=FILE_KINDS + LINE_KINDS)
    assert all(schedule.file_kinds_on(day, rate=0.0) == () for day in range(7))
    assert all(schedule.forced_line_kinds_on(day, 0.0, "orders") == [] for day in range(7))
