"""PII protection before silver: emails become keyed tokens (HMAC-SHA256), phones are
masked. Built from Spark SQL functions only (no Python UDF), so it runs in the JVM."""

from __future__ import annotations

import hashlib

from pyspark.sql import Column
from pyspark.sql import functions as F

BLOCK_SIZE = 64  # SHA-256 block size in bytes (RFC 2104)
PHONE_VISIBLE_DIGITS = 2
EMAIL_REDACTED = "<redacted-email>"
PHONE_REDACTED = "<redacted-phone>"
EMAIL_PATTERN = r"[^\s@,;\"'{}:]+@[^\s@,;\"'{}:]+"
# International numbers (+<country> ...) and North-American style (555) 010-0100 /
# 555-010-0100. Dates and timestamps never start with "+" nor have 3-3-4 groups.
PHONE_PATTERNS = (r"\+\d[\d\s().-]{5,}\d", r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")


class PiiKeyError(ValueError):
    """The tokenisation key is missing or too weak."""


def _pads(key: str) -> tuple[bytes, bytes]:
    if len(key) < 16:
        raise PiiKeyError("the PII key must be at least 16 characters")
    raw = key.encode("utf-8")
    if len(raw) > BLOCK_SIZE:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(BLOCK_SIZE, b"\x00")
    inner = bytes(b ^ 0x36 for b in raw)
    outer = bytes(b ^ 0x5C for b in raw)
    return inner, outer


def hmac_sha256_hex(value: Column, key: str) -> Column:
    """HMAC-SHA256(key, value) as lowercase hex; equals Python's ``hmac`` output."""
    inner, outer = _pads(key)
    inner_hash = F.unhex(F.sha2(F.concat(F.lit(inner), F.encode(value, "UTF-8")), 256))
    return F.sha2(F.concat(F.lit(outer), inner_hash), 256)


def email_token(email: Column, key: str) -> Column:
    """Stable token: the same address (any case / surrounding spaces) -> same token."""
    normalised = F.lower(F.trim(email))
    return F.when(normalised.isNull() | (normalised == ""), F.lit(None)).otherwise(
        hmac_sha256_hex(normalised, key)
    )


def mask_phone(phone: Column) -> Column:
    """Keep only the last two digits: '+44 20 7946 0958' -> '******58'."""
    digits = F.regexp_replace(phone, r"[^0-9]", "")
    return F.when(F.length(digits) == 0, F.lit(None)).otherwise(
        F.concat(F.lit("******"), F.substring(digits, -PHONE_VISIBLE_DIGITS, PHONE_VISIBLE_DIGITS))
    )


def redact_text(text: Column, replacements: list[tuple[Column, str]]) -> Column:
    """Remove PII from free text (a raw record in quarantine): each of the row's parsed
    PII values verbatim, then anything that still looks like an email address or a
    phone number (a malformed line has no parsed values to rely on)."""
    out = text
    for value, placeholder in replacements:
        out = F.when(value.isNull() | (F.length(value) < 3), out).otherwise(
            F.replace(out, value, F.lit(placeholder))
        )
    out = F.regexp_replace(out, EMAIL_PATTERN, EMAIL_REDACTED)
    for pattern in PHONE_PATTERNS:
        out = F.regexp_replace(out, pattern, PHONE_REDACTED)
    return out


def shape_mask(text: Column) -> Column:
    """Keep a line's shape, not its content: upper-case letters -> ``X``, other
    letters -> ``x``, digits -> ``9``; punctuation, quotes, delimiters and spaces
    stay. For lines that did not parse (no field is known to be or not to be PII):
    ``I,C900121,"+44 7700`` -> ``X,X999999,"+99 9999``. The raw file keeps the
    original for people allowed to read the raw bucket."""
    upper = F.regexp_replace(text, r"\p{Lu}", "X")
    letters = F.regexp_replace(upper, r"(?!X)\p{L}", "x")
    return F.regexp_replace(letters, r"\p{N}", "9")
