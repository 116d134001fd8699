import hashlib
import hmac

import pytest
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse import pii

KEY = "0123456789abcdef-test-key"


def test_hmac_matches_python_hmac(spark):
    values = ["ann@example.com", "ünïcode@example.com", ""]
    df = spark.createDataFrame([(v,) for v in values], "v string")
    actual = [r.h for r in df.select(pii.hmac_sha256_hex(F.col("v"), KEY).alias("h")).collect()]
    expected = [hmac.new(KEY.encode(), v.encode(), hashlib.sha256).hexdigest() for v in values]
    assert actual == expected


def test_long_key_is_hashed_first_like_rfc2104(spark):
    key = "k" * 100
    df = spark.createDataFrame([("x",)], "v string")
    actual = df.select(pii.hmac_sha256_hex(F.col("v"), key).alias("h")).first().h
    assert actual == hmac.new(key.encode(), b"x", hashlib.sha256).hexdigest()


def test_email_token_normalises_case_and_spaces(spark):
    df = spark.createDataFrame(
        [(" Ann@Example.COM ",), ("ann@example.com",), (None,), ("",)], "e string"
    )
    tokens = [r.t for r in df.select(pii.email_token(F.col("e"), KEY).alias("t")).collect()]
    assert (
        tokens[0]
        == tokens[1]
        == hmac.new(KEY.encode(), b"ann@example.com", hashlib.sha256).hexdigest()
    )
    assert tokens[2] is None and tokens[3] is None


def test_phone_keeps_last_two_digits_only(spark):
    schema = T.StructType([T.StructField("p", T.StringType())])
    df = spark.createDataFrame([("+44 20 7946 0958",), ("555-0100",), ("n/a",), (None,)], schema)
    assert [r.m for r in df.select(pii.mask_phone(F.col("p")).alias("m")).collect()] == [
        "******58",
        "******00",
        None,
        None,
    ]


def test_weak_key_is_rejected():
    with pytest.raises(pii.PiiKeyError, match="at least 16"):
        pii.hmac_sha256_hex(F.col("v"), "short")


def test_redact_text_removes_known_values_and_any_email(spark):
    df = spark.createDataFrame(
        [("I,C1,ann@x.io,+1 555 0100,US", "ann@x.io", "+1 555 0100")],
        "raw string, e string, p string",
    )
    out = (
        df.select(
            pii.redact_text(
                F.col("raw"), [(F.col("e"), pii.EMAIL_REDACTED), (F.col("p"), pii.PHONE_REDACTED)]
            ).alias("r")
        )
        .first()
        .r
    )
    assert out == "I,C1,<redacted-email>,<redacted-phone>,US"
    loose = spark.createDataFrame([('{"email":"bob@y.org"',)], "raw string")
    assert (
        loose.select(pii.redact_text(F.col("raw"), []).alias("r")).first().r
        == '{"email":"<redacted-email>"'
    )


def test_redact_text_catches_phones_in_unparsed_lines_but_not_timestamps(spark):
    raw = "I,C1,+49 151 61242422,(555) 010-0100,2026-01-01T09:00:00Z,O000000001"
    df = spark.createDataFrame([(raw,)], "raw string")
    out = df.select(pii.redact_text(F.col("raw"), []).alias("r")).first().r
    assert out == "I,C1,<redacted-phone>,<redacted-phone>,2026-01-01T09:00:00Z,O000000001"
