"""Where every dataset lives, defined once for AWS and for the local lake.

A deployment has five buckets (raw, curated, analytics, artifacts, logs). Prefixes
inside them are fixed here; Terraform passes bucket URLs to the jobs as *roots*
(``--raw_root s3://acme-dev-raw/raw``) and jobs only ever join entity and
partition names onto the roots they were given. The local lake (``.lake/``) has
one directory per bucket laid out identically, so a path in a log means the same
thing in both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lakehouse.contracts import layers

# Raw holds the immutable landing files plus bronze (nothing dropped); curated holds
# silver and quarantine; analytics holds gold (staged per run, published by pointing
# the catalog at a validated staging location) plus ops data. The map lives in
# contracts/_layers.json so Terraform reads the same one.
PREFIXES = {
    key: (v["bucket"], v["prefix"]) for key, v in layers()["roots"].items() if key != "description"
}
BUCKET_ROLES = tuple(layers()["bucket_roles"])
BUCKET_NAMING = layers()["bucket_naming"]
LOCAL_NAMING = BUCKET_NAMING["local"]
# S3 general purpose bucket naming rules (the subset a generated name can break):
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_S3_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")


class BucketNameError(ValueError):
    """A generated bucket name that S3 would refuse."""


def bucket_name(project: str, env: str, role: str, account_id: str, region: str) -> str:
    """Physical bucket name by the one rule in contracts/_layers.json ``bucket_naming``
    (``{project}-{env}-{role}-{account_id}-{region}``), the rule Terraform applies.

    Raises ``ValueError`` for an unknown role and :class:`BucketNameError` for a name
    longer than 63 characters or outside S3's allowed characters."""
    if role not in BUCKET_ROLES:
        raise ValueError(f"unknown bucket role {role!r}; expected one of {BUCKET_ROLES}")
    name = BUCKET_NAMING["pattern"].format(
        project=project, env=env, role=role, account_id=account_id, region=region
    )
    if len(name) > BUCKET_NAMING["max_length"] or not _S3_BUCKET_NAME.match(name):
        raise BucketNameError(
            f"bucket name {name!r} breaks S3's rules (3-{BUCKET_NAMING['max_length']} "
            "lowercase letters, digits and hyphens, starting and ending with a letter or digit)"
        )
    return name


def local_bucket_name(role: str) -> str:
    """The bucket folder of ``role`` in a local lake (the rule with the local account)."""
    return bucket_name(role=role, **LOCAL_NAMING)


def join(root: str, *parts: str) -> str:
    """Join path parts onto a root URL (s3://... or file:///...) with single slashes."""
    out = root.rstrip("/")
    for part in parts:
        out = f"{out}/{part.strip('/')}"
    return out


def partition_path(root: str, dataset: str, column: str, value: str) -> str:
    return join(root, dataset, f"{column}={value}")


def raw_entity_root(raw_root: str, source: str, entity: str) -> str:
    return join(raw_root, source, entity)


@dataclass(frozen=True)
class Roots:
    """The dataset roots one deployment hands to its jobs."""

    raw_root: str
    bronze_root: str
    silver_root: str
    quarantine_root: str
    gold_staging_root: str
    ops_root: str
    athena_results_root: str

    @classmethod
    def for_buckets(cls, bucket_urls: dict[str, str]) -> Roots:
        """Roots from bucket URLs keyed by role, e.g. {"raw": "s3://acme-dev-raw"}."""
        return cls(
            **{key: join(bucket_urls[role], prefix) for key, (role, prefix) in PREFIXES.items()}
        )

    @classmethod
    def local(cls, lake_dir: str | Path) -> Roots:
        base = Path(lake_dir).resolve()
        urls = {role: base.joinpath(local_bucket_name(role)).as_uri() for role in BUCKET_ROLES}
        return cls.for_buckets(urls)

    def as_args(self) -> dict[str, str]:
        return {f"--{k}": v for k, v in self.__dict__.items()}


def to_local_path(url: str) -> Path:
    """A file:// URL (or plain path) as a Path; anything else is an error here."""
    if url.startswith("file://"):
        return Path(url[len("file://") :])
    if "://" in url:
        raise ValueError(f"not a local location: {url}")
    return Path(url)


# A producer marks one entity's day complete with this object in the day's landing
# prefix (contracts/_layers.json "landing"; docs/adr/0012).
LANDING_MARKER = layers()["landing"]["marker"]


def landing_prefixes() -> list[dict[str, str]]:
    """Every source entity's landing key prefix in the raw bucket, sorted by entity:
    [{"entity": "customers", "prefix": "raw/shop/customers"}, ...]. The marker of day D is
    ``<prefix>/ingest_date=<D>/<LANDING_MARKER>``. Terraform derives the same list
    (module contracts, output landing_prefixes)."""
    from lakehouse.contracts import SOURCE_ENTITIES, load

    raw_prefix = PREFIXES["raw_root"][1]
    return [
        {"entity": entity, "prefix": raw_entity_root(raw_prefix, load(entity).source, entity)}
        for entity in sorted(SOURCE_ENTITIES)
    ]


def landing_marker_key(prefix: str, run_date: str) -> str:
    return f"{prefix}/ingest_date={run_date}/{LANDING_MARKER}"


def landing_object(entity: str, prefix: str, name: str) -> dict[str, Any]:
    """One object a date's landing awaits, in the shape the state machine reads it:
    ``name`` split at its ``{ingest_date}`` into ``head`` and ``tail``, ``dated`` 1 when it
    has one (the definition puts the date between them), else 0 and ``tail`` ""."""
    from lakehouse.contracts import LANDING_DATE_PLACEHOLDER

    head, _, tail = name.partition(LANDING_DATE_PLACEHOLDER)
    dated = int(LANDING_DATE_PLACEHOLDER in name)
    return {"entity": entity, "prefix": prefix, "head": head, "dated": dated, "tail": tail}


def landing_objects() -> list[dict[str, Any]]:
    """Every object whose presence completes a date's landing, entity by entity (sorted):
    the marker, or the files a source contract lists in ``landing.expected_files``
    (docs/adr/0012). A date is complete when all exist. Terraform derives the same list
    (module contracts, output landing_objects)."""
    from lakehouse.contracts import load

    return [
        landing_object(p["entity"], p["prefix"], name)
        for p in landing_prefixes()
        for name in (load(p["entity"]).landing_files or (LANDING_MARKER,))
    ]


def landing_object_key(landing: dict[str, Any], run_date: str) -> str:
    """The object's key for ``run_date``: ``<prefix>/ingest_date=<D>/<head>[<D>]<tail>``."""
    name = f"{landing['head']}{run_date if landing['dated'] else ''}{landing['tail']}"
    return f"{landing['prefix']}/ingest_date={run_date}/{name}"
