"""The local stand-in for the landing rule sees what the Terraform rule matches: each
entity's marker, or the files its contract lists in `landing.expected_files`."""

from __future__ import annotations

from lakehouse.layout import (
    LANDING_MARKER,
    PREFIXES,
    landing_object,
    landing_objects,
    local_bucket_name,
)
from lakehouse.local import landing


def test_expected_files_are_landing_objects_and_get_no_marker(tmp_path, monkeypatch):
    orders = next(o for o in landing_objects() if o["entity"] == "orders")
    expected = [
        landing_object("orders", orders["prefix"], "orders_{ingest_date}_01.jsonl"),
        landing_object("orders", orders["prefix"], "manifest.txt"),
    ]
    objects = [o for o in landing_objects() if o["entity"] != "orders"] + expected
    monkeypatch.setattr(landing, "landing_objects", lambda: objects)
    raw = tmp_path / local_bucket_name(PREFIXES["raw_root"][0])
    day = raw / orders["prefix"] / "ingest_date=2026-01-02"
    day.mkdir(parents=True)
    for name in ("orders_2026-01-02_01.jsonl", "orders_2026-01-01_01.jsonl", "other.txt"):
        (day / name).write_text("{}\n", "utf-8")

    written = landing.write_markers(tmp_path, "2026-01-02")

    assert sorted(p.parent.parent.name for p in written) == ["customers", "fx_rates"]
    assert all(p.name == LANDING_MARKER for p in written)
    found = landing.markers(tmp_path)
    orders_keys = sorted(k for k in found if "/orders/" in k)
    # the dated name of its own date only; not another date's file, not an unlisted one
    assert orders_keys == [f"{orders['prefix']}/ingest_date=2026-01-02/orders_2026-01-02_01.jsonl"]
    (day / "manifest.txt").write_text("", "utf-8")
    assert len([k for k in landing.markers(tmp_path) if "/orders/" in k]) == 2
    assert not (day / LANDING_MARKER).exists()
