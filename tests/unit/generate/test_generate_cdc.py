"""The CDC feeds look like real ones: lifecycles along allowed edges only, several
events per order per day, late and out-of-order updates, deletes with the last
full image, duplicated events; customers inserted, updated (PII too) and deleted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

# The lifecycle as the README states it, written out independently of the generator.
ALLOWED_NEXT = {
    "PLACED": {"PAID", "CANCELLED"},
    "PAID": {"SHIPPED", "CANCELLED"},
    "SHIPPED": {"DELIVERED"},
    "DELIVERED": {"RETURNED"},
    "CANCELLED": set(),
    "RETURNED": set(),
}
ORDER_FACTS = ("customer_id", "amount", "currency", "ordered_at")
CUSTOMER_IMAGE = ("email", "phone", "country", "segment", "created_at")


def _orders_by_id(lake) -> dict[str, list]:
    events = defaultdict(list)
    for record in lake.clean_records("orders"):
        events[record.fields["order_id"]].append(record)
    return events


@pytest.fixture(scope="module")
def clean_orders(clean_lake):
    return _orders_by_id(clean_lake)


def test_lifecycles_follow_allowed_edges_only(clean_orders):
    checked_transitions = 0
    for order_id, records in clean_orders.items():
        distinct = {r.raw: r.fields for r in records}  # duplicates and replays collapse
        events = sorted(distinct.values(), key=lambda f: f["updated_at"])
        for fact in ORDER_FACTS:
            assert len({e[fact] for e in events}) == 1, (order_id, fact)
        if events[0]["op"] == "I":
            assert events[0]["status"] == "PLACED", order_id
        for previous, current in zip(events, events[1:], strict=False):
            if current["op"] == "D":
                assert current is events[-1] and current["status"] == previous["status"]
            else:
                assert current["op"] == "U", order_id
                assert current["status"] in ALLOWED_NEXT[previous["status"]], order_id
                checked_transitions += 1
    assert checked_transitions > 10_000


def test_every_outcome_of_the_lifecycle_happens(clean_orders):
    statuses = {r.fields["status"] for records in clean_orders.values() for r in records}
    assert statuses == set(ALLOWED_NEXT)


def test_several_events_for_one_order_in_one_file(clean_orders):
    placed_and_paid_same_file = 0
    for records in clean_orders.values():
        by_file = defaultdict(set)
        for record in records:
            by_file[record.file].add(record.fields["status"])
        placed_and_paid_same_file += any({"PLACED", "PAID"} <= s for s in by_file.values())
    assert placed_and_paid_same_file > 1000


def test_events_within_a_file_are_not_sorted_by_updated_at(clean_orders):
    newest_first = 0
    for records in clean_orders.values():
        for earlier, later in zip(records, records[1:], strict=False):
            same_file = earlier.file == later.file and earlier.line < later.line
            if same_file and earlier.fields["updated_at"] > later.fields["updated_at"]:
                newest_first += 1
    assert newest_first > 50


def test_stale_replays_arrive_after_newer_events(clean_orders):
    stale = 0
    for records in clean_orders.values():
        newest_delivered_before: dict[str, str] = {}
        for record in sorted(records, key=lambda r: r.ingest_date):
            newest = max(
                (u for day, u in newest_delivered_before.items() if day < record.ingest_date),
                default="",
            )
            stale += record.fields["updated_at"] < newest
            day = record.ingest_date
            newest_delivered_before[day] = max(
                newest_delivered_before.get(day, ""), record.fields["updated_at"]
            )
    assert stale > 50


def days_between(later: str, earlier: str) -> int:
    return (dt.date.fromisoformat(later[:10]) - dt.date.fromisoformat(earlier[:10])).days


def test_late_updates_for_orders_placed_ten_or_more_days_earlier(clean_orders):
    late = [
        record
        for records in clean_orders.values()
        for record in records
        if record.fields["op"] == "U"
        and days_between(record.ingest_date, record.fields["ordered_at"]) >= 10
    ]
    assert len(late) > 20
    inserted_in_lake = {
        i for i, rs in clean_orders.items() if any(r.fields["op"] == "I" for r in rs)
    }
    assert any(r.fields["order_id"] in inserted_in_lake for r in late)  # returns
    assert any(r.fields["order_id"] not in inserted_in_lake for r in late)  # pre-lake backlog


def test_identical_lines_are_delivered_twice(clean_orders):
    duplicated = 0
    for records in clean_orders.values():
        seen = set()
        for record in records:
            duplicated += (record.file, record.raw) in seen
            seen.add((record.file, record.raw))
    assert duplicated > 10


def test_deletes_carry_the_last_full_image(clean_orders):
    deletes = 0
    for records in clean_orders.values():
        events = sorted({r.raw: r.fields for r in records}.values(), key=lambda f: f["updated_at"])
        if events[-1]["op"] == "D" and len(events) > 1:
            last, before = events[-1], events[-2]
            assert {k: v for k, v in last.items() if k not in ("op", "updated_at")} == {
                k: v for k, v in before.items() if k not in ("op", "updated_at")
            }
            deletes += 1
    assert deletes > 10


def test_customers_are_loaded_then_inserted_updated_and_deleted(clean_lake):
    records = clean_lake.clean_records("customers")
    first_day = [r for r in records if r.ingest_date == "2026-01-01"]
    assert len(first_day) == 400 and {r.fields["op"] for r in first_day} == {"I"}
    later_ops = {r.fields["op"] for r in records if r.ingest_date != "2026-01-01"}
    assert later_ops == {"I", "U", "D"}
    inserted = [r.fields["customer_id"] for r in records if r.fields["op"] == "I"]
    assert len(inserted) == len(set(inserted))
    for record in records:
        assert record.fields["created_at"] <= record.fields["updated_at"]


def test_customer_updates_change_pii_and_deletes_keep_the_last_image(clean_lake):
    last_image: dict[str, dict] = {}
    email_changes = phone_changes = deletes = 0
    for record in sorted(
        clean_lake.clean_records("customers"), key=lambda r: r.fields["updated_at"]
    ):
        fields, key = record.fields, record.fields["customer_id"]
        image = {c: fields[c] for c in CUSTOMER_IMAGE}
        if fields["op"] == "U":
            email_changes += image["email"] != last_image[key]["email"]
            phone_changes += image["phone"] != last_image[key]["phone"]
        if fields["op"] == "D":
            assert image == last_image[key], key
            deletes += 1
        last_image[key] = image
    assert email_changes > 10 and phone_changes > 10 and deletes > 10


def test_orders_reference_customers_inserted_earlier(clean_lake, clean_orders):
    inserts = [r for r in clean_lake.clean_records("customers") if r.fields["op"] == "I"]
    inserted_on = {r.fields["customer_id"]: r.ingest_date for r in inserts}
    for records in clean_orders.values():
        for record in records:
            assert inserted_on[record.fields["customer_id"]] <= record.ingest_date
