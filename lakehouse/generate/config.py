"""What to generate: the arguments of one generator run, validated up front."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.generate.defects import DEFECT_KINDS, parse_defect_kinds
from lakehouse.layout import Roots, to_local_path

# Customer ids C900000-C999999 are never generated; unknown_customer draws from them.
MAX_GENERATED_CUSTOMER_ID = 899_999
MAX_ORDER_ID = 999_999_999
# New customers per day as a share of the initial customer count (at least one).
NEW_CUSTOMER_SHARE = 0.01


class InvalidGeneratorConfigError(ValueError):
    """Generator arguments that cannot produce valid data."""


@dataclass(frozen=True)
class GeneratorConfig:
    """Arguments of one run. ``out`` is the lake directory: raw files go under its
    local raw root (unless ``raw_root`` says otherwise) and the defect manifest and
    summary under ``<out>/_generator``."""

    out: Path
    start: dt.date = dt.date(2026, 1, 1)
    days: int = 7
    orders_per_day: int = 5000
    customers: int = 2000
    defect_rate: float = 0.02
    seed: int = 7
    defects: tuple[str, ...] = tuple(DEFECT_KINDS)
    bursts: dict[dt.date, float] = field(default_factory=dict)
    raw_root: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "out", Path(self.out))
        self._validate()

    def _validate(self) -> None:
        problems = []
        if self.days < 1:
            problems.append(f"days must be >= 1, got {self.days}")
        if self.orders_per_day < 1:
            problems.append(f"orders_per_day must be >= 1, got {self.orders_per_day}")
        if self.customers < 1:
            problems.append(f"customers must be >= 1, got {self.customers}")
        if self.max_customer_id > MAX_GENERATED_CUSTOMER_ID:
            problems.append(
                f"{self.customers} customers over {self.days} days would reach customer id "
                f"{self.max_customer_id}; at most {MAX_GENERATED_CUSTOMER_ID} fit the C+6 "
                "digit pattern (ids above it are reserved for unknown_customer)"
            )
        if self.orders_per_day * (self.days + 1) > MAX_ORDER_ID:
            problems.append(f"order ids would exceed {MAX_ORDER_ID} (O + 9 digits)")
        for name, rate in [("defect_rate", self.defect_rate), *self._burst_items()]:
            if not 0.0 <= rate <= 1.0:
                problems.append(f"{name} must be within [0, 1], got {rate}")
        unknown = sorted(set(self.defects) - DEFECT_KINDS.keys())
        if unknown:
            problems.append(f"unknown defect kinds {unknown}")
        if self.raw_root is not None and _is_remote(self.raw_root):
            problems.append(
                f"raw_root must be a local path or file:// URL, got {self.raw_root!r} "
                "(the generator writes local files; copy them to S3 afterwards)"
            )
        outside = sorted(d.isoformat() for d in self.bursts if d not in set(self.dates))
        if outside:
            problems.append(f"burst dates {outside} are outside the generated days")
        if problems:
            raise InvalidGeneratorConfigError("; ".join(problems))

    def _burst_items(self) -> list[tuple[str, float]]:
        return [(f"burst {day.isoformat()}", rate) for day, rate in sorted(self.bursts.items())]

    @property
    def new_customers_per_day(self) -> int:
        return max(1, round(self.customers * NEW_CUSTOMER_SHARE))

    @property
    def max_customer_id(self) -> int:
        return self.customers + self.new_customers_per_day * (self.days - 1)

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def defect_rate_on(self, day: dt.date) -> float:
        return self.bursts.get(day, self.defect_rate)

    @property
    def raw_root_path(self) -> Path:
        """Local directory the raw files go to (file:// URLs and plain paths only)."""
        if self.raw_root is None:
            return to_local_path(Roots.local(self.out).raw_root)
        return to_local_path(self.raw_root)

    @property
    def generator_dir(self) -> Path:
        return self.out / "_generator"

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "days": self.days,
            "orders_per_day": self.orders_per_day,
            "customers": self.customers,
            "defect_rate": self.defect_rate,
            "seed": self.seed,
            "defects": list(self.defects),
            "bursts": {day.isoformat(): rate for day, rate in sorted(self.bursts.items())},
            "raw_root": str(self.raw_root_path),
        }


def _is_remote(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


def parse_burst(text: str) -> tuple[dt.date, float]:
    """``2026-01-04:0.3`` -> (date(2026, 1, 4), 0.3)."""
    day_text, sep, rate_text = text.partition(":")
    try:
        if not sep:
            raise ValueError("missing ':'")
        return dt.date.fromisoformat(day_text), float(rate_text)
    except ValueError as exc:
        raise InvalidGeneratorConfigError(
            f"burst must look like YYYY-MM-DD:rate (e.g. 2026-01-04:0.3), got {text!r}"
        ) from exc


__all__ = ["GeneratorConfig", "InvalidGeneratorConfigError", "parse_burst", "parse_defect_kinds"]
