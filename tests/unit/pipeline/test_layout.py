"""Physical names: one bucket naming rule for Terraform and the local lake.

S3 bucket names are global across every account
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): a name
without the account and region (``lakehouse-dev-raw``) is someone else's already, and
the first apply fails with BucketAlreadyExists. Names are at most 63 characters.
"""

from __future__ import annotations

import pytest

from lakehouse.contracts import layers
from lakehouse.layout import (
    BUCKET_ROLES,
    BucketNameError,
    Roots,
    bucket_name,
    local_bucket_name,
)


def test_bucket_names_carry_the_account_and_region() -> None:
    assert (
        bucket_name("acme", "dev", "raw", "123456789012", "eu-west-1")
        == "acme-dev-raw-123456789012-eu-west-1"
    )


def test_the_longest_allowed_names_fit_in_63_characters() -> None:
    """Terraform's validations (project <= 16, env <= 8, region <= 14) admit exactly
    the names that fit (terraform/variables.tf)."""
    longest_role = max(BUCKET_ROLES, key=len)
    name = bucket_name("p" * 16, "e" * 8, longest_role, "1" * 12, "ap-southeast-2")
    assert len(name) == 63


def test_a_name_s3_would_refuse_is_refused_here() -> None:
    with pytest.raises(BucketNameError, match="63"):
        bucket_name("p" * 17, "e" * 8, "analytics", "1" * 12, "ap-southeast-2")
    with pytest.raises(BucketNameError):
        bucket_name("Acme", "dev", "raw", "123456789012", "eu-west-1")
    with pytest.raises(ValueError, match="unknown bucket role"):
        bucket_name("acme", "dev", "archive", "123456789012", "eu-west-1")


def test_the_local_lake_uses_the_same_rule() -> None:
    local = layers()["bucket_naming"]["local"]
    assert local_bucket_name("raw") == bucket_name(role="raw", **local)
    roots = Roots.local("/lake")
    assert roots.raw_root == f"file:///lake/{local_bucket_name('raw')}/raw"


def test_a_contract_may_name_the_files_that_complete_its_landing_instead_of_the_marker():
    """contracts/<entity>.json "landing": {"expected_files": [...]} (docs/adr/0012): file
    names in the day's landing folder, "{ingest_date}" standing for the date."""
    from lakehouse.contracts import ContractError, _landing_files
    from lakehouse.layout import landing_object, landing_object_key

    assert _landing_files("orders", None) == ()
    files = {"expected_files": ["orders_{ingest_date}_01.jsonl", "manifest.txt"]}
    assert _landing_files("orders", files) == ("orders_{ingest_date}_01.jsonl", "manifest.txt")
    dated = landing_object("orders", "raw/shop/orders", "orders_{ingest_date}_01.jsonl")
    assert dated == {
        "entity": "orders",
        "prefix": "raw/shop/orders",
        "head": "orders_",
        "dated": 1,
        "tail": "_01.jsonl",
    }
    assert (
        landing_object_key(dated, "2026-01-02")
        == "raw/shop/orders/ingest_date=2026-01-02/orders_2026-01-02_01.jsonl"
    )
    plain = landing_object("orders", "raw/shop/orders", "manifest.txt")
    assert (
        landing_object_key(plain, "2026-01-02")
        == "raw/shop/orders/ingest_date=2026-01-02/manifest.txt"
    )
    for bad in (
        {"expected_files": []},
        {"expected_files": "a.csv"},
        {"expected_files": ["day/a.csv"]},
        {"expected_files": ["a_{ingest_date}_{ingest_date}.csv"]},
        {"expected_files": ["a_{date}.csv"]},
        {"expected_files": ["a*.csv"]},
        {"expected_files": ["a.csv", "a.csv"]},
        {"expected_files": ["a.csv"], "marker": "_DONE"},
    ):
        with pytest.raises(ContractError, match="orders.json: landing"):
            _landing_files("orders", bad)
