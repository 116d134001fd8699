"""Where the generator writes: the lake's raw root (or an explicit one), one
partition per ingest date, files named <entity>_<D>_<nn>.<ext>, manifests outside
the buckets."""

from __future__ import annotations

import re

from lakehouse.layout import Roots, to_local_path

FILE_NAME = re.compile(
    r"^(?P<source>shop|finance)/(?P<entity>customers|orders|fx_rates)/ingest_date="
    r"(?P<day>\d{4}-\d{2}-\d{2})/(?P=entity)_(?P=day)_(?P<nn>\d{2})\.(?P<ext>csv|jsonl)$"
)
EXPECTED = {
    "customers": ("shop", "csv"),
    "orders": ("shop", "jsonl"),
    "fx_rates": ("finance", "csv"),
}


def test_files_go_under_the_lake_raw_root_with_contract_sources(default_lake):
    assert default_lake.raw_root == to_local_path(Roots.local(default_lake.out).raw_root)
    every_file = [p for p in default_lake.raw_root.rglob("*") if p.is_file()]
    assert every_file
    for path in every_file:
        match = FILE_NAME.match(default_lake.relative(path))
        assert match, path
        assert (match["source"], match["ext"]) == EXPECTED[match["entity"]]


def test_every_day_has_a_main_file_per_entity_numbered_01(default_lake):
    days = default_lake.summary()["days"]
    assert list(days) == [f"2026-01-0{d}" for d in range(1, 8)]
    for day in days:
        for entity, (source, ext) in EXPECTED.items():
            main = default_lake.raw_root / source / entity / f"ingest_date={day}"
            assert (main / f"{entity}_{day}_01.{ext}").is_file()


def test_no_temporary_files_are_left_behind(default_lake):
    assert not [p for p in default_lake.raw_root.rglob(".*")]


def test_manifests_and_summary_live_outside_the_buckets(default_lake):
    generator_dir = default_lake.out / "_generator"
    assert (generator_dir / "summary.json").is_file()
    for day in default_lake.summary()["days"]:
        assert (generator_dir / f"ingest_date={day}" / "defects.jsonl").is_file()
    assert not list(default_lake.raw_root.rglob("*.json"))


def test_summary_counts_match_the_files(default_lake):
    summary = default_lake.summary()
    for day, counts in summary["days"].items():
        for relative, described in counts["files"].items():
            assert relative.split("/")[2] == f"ingest_date={day}"
            records = [r for r in default_lake.records(described["entity"]) if r.file == relative]
            assert len(records) == described["lines"], relative
    written = {p for p in map(default_lake.relative, default_lake.raw_files())}
    described = {f for counts in summary["days"].values() for f in counts["files"]}
    assert written == described
    assert summary["totals"]["lines"] == default_lake.generation.lines
    assert summary["arguments"]["seed"] == 7 and summary["arguments"]["days"] == 7


def test_an_explicit_raw_root_url_is_honoured(tmp_path, lake_factory):
    elsewhere = tmp_path / "landing"
    lake = lake_factory(
        tmp_path / "lake", days=1, orders_per_day=50, customers=20, raw_root=elsewhere.as_uri()
    )
    assert lake.raw_root == elsewhere
    assert (elsewhere / "shop" / "orders" / "ingest_date=2026-01-01").is_dir()
    assert not (tmp_path / "lake" / "lakehouse-local-raw-000000000000-local").exists()
    assert (tmp_path / "lake" / "_generator" / "summary.json").is_file()
