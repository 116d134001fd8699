"""The local S3 task integrations answer like S3's API, or refuse loudly."""

from __future__ import annotations

import pytest

from lakehouse.local.asl import TaskFailed
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.integrations import LocalServices


@pytest.fixture
def services(tmp_path) -> LocalServices:
    return LocalServices(LocalDeployment.at(tmp_path))


def _put(services: LocalServices, key: str) -> None:
    path = services.lake / "raw-bucket" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")


def test_list_objects_v2_lists_keys_by_prefix_in_order_up_to_max_keys(services) -> None:
    """KeyCount counts the keys returned; IsTruncated says more matched.
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html"""
    for key in ("raw/b/ingest_date=1/_COMPLETE", "raw/a/x", "raw/a/y", "raw/ab", "other/a"):
        _put(services, key)
    listed = services.s3_list_objects_v2({"Bucket": "raw-bucket", "Prefix": "raw/a"}, None)
    assert [c["Key"] for c in listed["Contents"]] == ["raw/a/x", "raw/a/y", "raw/ab"]
    assert listed["KeyCount"] == 3 and listed["IsTruncated"] is False
    one = services.s3_list_objects_v2(
        {"Bucket": "raw-bucket", "Prefix": "raw/a", "MaxKeys": 1}, None
    )
    assert one["KeyCount"] == 1 and one["IsTruncated"] is True
    exact = services.s3_list_objects_v2(
        {"Bucket": "raw-bucket", "Prefix": "raw/b/ingest_date=1/_COMPLETE", "MaxKeys": 1}, None
    )
    assert exact["KeyCount"] == 1
    none = services.s3_list_objects_v2(
        {"Bucket": "raw-bucket", "Prefix": "raw/c/ingest_date=1/_COMPLETE"}, None
    )
    assert none["KeyCount"] == 0 and "Contents" not in none  # as S3 answers


def test_list_objects_v2_refuses_what_it_does_not_emulate(services) -> None:
    with pytest.raises(TaskFailed, match="Delimiter is not emulated locally"):
        services.s3_list_objects_v2({"Bucket": "raw-bucket", "Prefix": "", "Delimiter": "/"}, None)
