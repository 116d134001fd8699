"""The customers CDC feed: day 1 loads the existing customers, later days insert new
ones, update some (PII changes included) and delete a few (op D, last full image).

State is ints only: the live ids (in the order they are sampled from) and one
version number per id; images come from ``people.customer_image``.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterable, Iterator

from lakehouse import contracts
from lakehouse.generate import people
from lakehouse.generate.context import DayContext
from lakehouse.generate.defects import DEFECT_KINDS, QUARANTINE
from lakehouse.generate.determinism import SECONDS_PER_DAY, GenerationDay, day_rng, iso_timestamp
from lakehouse.generate.rawfiles import RawFile

ENTITY = "customers"
COLUMNS = tuple(contracts.load(ENTITY).column_names)
UPDATE_SHARE = 0.02
DELETE_SHARE = 0.002
# extra_column / missing_column files each take about this share of the day's rows.
VARIANT_FILE_SHARE = 0.15
EXTRA_COLUMN = "loyalty_tier"
LOYALTY_TIERS = ("bronze", "silver", "gold")
MISSING_COLUMN = "phone"
MAX_ORDERABLE_DRAWS = 20


def customer_key(customer_id: int) -> str:
    return f"C{customer_id:06d}"


class CustomerBook:
    """Every customer id ever generated, which are live, and at which version."""

    def __init__(self, seed: int, start_epoch: int, initial_count: int, new_per_day: int):
        self.seed = seed
        self.start_epoch = start_epoch
        self.initial_count = initial_count
        self.new_per_day = new_per_day
        self._versions = array("H", [0])  # indexed by customer id; id 0 unused
        self._home_countries = bytearray(1)  # index into people.COUNTRIES, by id
        self._live = array("l")
        self._orderable_count = 0  # live[:n] existed before today's inserts
        self._unorderable: set[int] = set()  # inserts that were quarantined

    def pick_orderable(self, rng: random.Random) -> int:
        """A live customer who existed before today and whose insert reached silver."""
        customer_id = 0
        for _ in range(MAX_ORDERABLE_DRAWS):
            customer_id = self._live[int(rng.random() * self._orderable_count)]
            if customer_id not in self._unorderable:
                break
        return customer_id

    def created_at(self, customer_id: int) -> int:
        if customer_id <= self.initial_count:
            return people.initial_created_at(self.seed, customer_id, self.start_epoch)[0]
        day_index = (customer_id - self.initial_count - 1) // self.new_per_day + 1
        day_start = self.start_epoch + day_index * SECONDS_PER_DAY
        return people.new_customer_created_at(self.seed, customer_id, day_start)

    def write_day(self, context: DayContext) -> None:
        day = context.day
        events: Iterable[tuple[str, int, int]]
        if day.index == 0:
            events, line_count = self._initial_load(day), self.initial_count
        else:
            events = self._day_changes(day, day_rng(self.seed, ENTITY, day.date))
            line_count = len(events)
        writer = _CustomerWriter(self, context)
        picker = context.picker(ENTITY, line_count)
        for op, customer_id, updated_at in events:
            kind = picker.pick(is_insert=op == "I")
            writer.write(op, customer_id, updated_at, kind)
            if op == "I" and kind is not None and DEFECT_KINDS[kind].layer == QUARANTINE:
                self._unorderable.add(customer_id)
            context.stats.count_event(ENTITY, op)
        writer.close()

    def _initial_load(self, day: GenerationDay) -> Iterator[tuple[str, int, int]]:
        for customer_id in range(1, self.initial_count + 1):
            self._add(customer_id)
            updated_at = people.initial_created_at(self.seed, customer_id, day.start_epoch)[1]
            yield "I", customer_id, updated_at
        self._orderable_count = len(self._live)  # they all signed up before the first day

    def _add(self, customer_id: int) -> None:
        self._versions.append(0)
        home_country = people.base_country(self.seed, customer_id)
        self._home_countries.append(people.COUNTRIES.index(home_country))
        self._live.append(customer_id)

    def home_country(self, customer_id: int) -> str:
        """The country the customer signed up in (moves later do not change it)."""
        return people.COUNTRIES[self._home_countries[customer_id]]

    def _day_changes(self, day: GenerationDay, rng: random.Random) -> list[tuple[str, int, int]]:
        live_count = len(self._live)
        updates = min(live_count, max(1, round(live_count * UPDATE_SHARE)))
        deletes = min(live_count - updates, max(1, round(live_count * DELETE_SHARE)))
        chosen = rng.sample(range(live_count), updates + deletes)
        events = []
        for position in chosen[:updates]:
            customer_id = self._live[position]
            self._versions[customer_id] += 1
            events.append(("U", customer_id, day.start_epoch + rng.randrange(SECONDS_PER_DAY)))
        for position in sorted(chosen[updates:], reverse=True):
            customer_id = self._live[position]
            self._live[position] = self._live[-1]
            self._live.pop()
            events.append(("D", customer_id, day.start_epoch + rng.randrange(SECONDS_PER_DAY)))
        self._orderable_count = len(self._live)
        first_new = self.initial_count + (day.index - 1) * self.new_per_day + 1
        for customer_id in range(first_new, first_new + self.new_per_day):
            self._add(customer_id)
            events.append(("I", customer_id, self.created_at(customer_id)))
        rng.shuffle(events)
        return events

    def version(self, customer_id: int) -> int:
        return self._versions[customer_id]


class _CustomerWriter:
    """Writes customer rows to the day's main file and, on days with extra_column or
    missing_column, to one extra file per such kind."""

    def __init__(self, book: CustomerBook, context: DayContext):
        self.book, self.log, self.stats = book, context.log, context.stats
        self.rng = day_rng(book.seed, f"routing/{ENTITY}", context.day.date)
        self.files = [(context.files.open(ENTITY, ",".join(COLUMNS)), COLUMNS)]
        for kind in ("extra_column", "missing_column"):
            if kind in context.file_kinds:
                columns = _variant_columns(kind)
                variant = context.files.open(ENTITY, ",".join(columns))
                self.log.record(kind, ENTITY, variant.relative_path, None, None)
                self.files.append((variant, columns))
        self._rows_written = 0

    def _route(self) -> tuple[RawFile, tuple[str, ...]]:
        variants = self.files[1:]
        self._rows_written += 1
        if self._rows_written <= len(variants):  # every variant file gets a row
            return variants[self._rows_written - 1]
        if variants and self.rng.random() < VARIANT_FILE_SHARE * len(variants):
            return variants[self.rng.randrange(len(variants))]
        return self.files[0]

    def write(self, op: str, customer_id: int, updated_at: int, kind: str | None) -> None:
        raw_file, columns = self._route()
        values = self._row_values(op, customer_id, updated_at)
        if kind is not None:
            line = _defective_line(kind, values, columns, self.rng)
        else:
            line = ",".join(values[c] for c in columns)
        line_number = raw_file.write(line)
        if kind is not None:
            key = customer_key(customer_id)
            self.log.record(kind, ENTITY, raw_file.relative_path, line_number, key)

    def _row_values(self, op: str, customer_id: int, updated_at: int) -> dict[str, str]:
        image = people.customer_image(self.book.seed, customer_id, self.book.version(customer_id))
        return {
            "op": op,
            "customer_id": customer_key(customer_id),
            "email": image.email,
            "phone": image.phone,
            "country": image.country,
            "segment": image.segment,
            "created_at": iso_timestamp(self.book.created_at(customer_id)),
            "updated_at": iso_timestamp(updated_at),
            EXTRA_COLUMN: LOYALTY_TIERS[customer_id % len(LOYALTY_TIERS)],
        }

    def close(self) -> None:
        for raw_file, _ in self.files:
            raw_file.close()
            self.stats.add_file(ENTITY, raw_file.relative_path, raw_file.lines)


def _variant_columns(kind: str) -> tuple[str, ...]:
    if kind == "extra_column":
        return (*COLUMNS, EXTRA_COLUMN)
    return tuple(c for c in COLUMNS if c != MISSING_COLUMN)


def _defective_line(
    kind: str, values: dict[str, str], columns: tuple[str, ...], rng: random.Random
) -> str:
    """The row with exactly one defect; everything else stays valid."""
    if kind == "malformed_csv_line":  # truncated: fewer fields than the header
        kept = rng.randrange(2, len(columns) - 1)
        return ",".join(values[c] for c in columns[:kept])
    if kind == "null_required_field":
        values = {**values, "country": ""}
    elif kind == "non_utf8":  # a Latin-1 e-acute (byte 0xE9) inside the local part
        email = values["email"]
        values = {**values, "email": email[0] + "\udce9" + email[1:]}
    else:
        raise ValueError(f"{kind} is not a customers line defect")
    return ",".join(values[c] for c in columns)
