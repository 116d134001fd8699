"""The orders CDC feed (JSON lines).

Each day: new orders (op I, PLACED) interleaved with open orders whose next step is
due (op U; op D for deletes). Realistic CDC mess is part of the clean data:
several events for one order on the same day, sometimes written newest first;
stale replays (an order's previous event delivered again days after a newer one);
the identical line delivered twice; late updates for orders placed 10+ days before
(returns, and a backlog of orders placed before the first day).

Memory is the open orders only: they sit in per-day buckets keyed by the day their
next step is due and are dropped when their life ends.
"""

from __future__ import annotations

import random
from collections import Counter

from lakehouse.generate import money
from lakehouse.generate.config import MAX_GENERATED_CUSTOMER_ID
from lakehouse.generate.context import DayContext
from lakehouse.generate.customers import CustomerBook
from lakehouse.generate.determinism import SECONDS_PER_DAY, GenerationDay, day_rng, stable_hash
from lakehouse.generate.lifecycle import (
    DELETE,
    DELIVERED,
    PAID,
    PLACED,
    RETURNED,
    SHIPPED,
    OpenOrder,
    OrderPacker,
)
from lakehouse.generate.order_lines import OrderLineWriter

ENTITY = "orders"
DUPLICATE_EVENT_SHARE = 0.004
STALE_REPLAY_SHARE = 0.01
NEWEST_FIRST_SHARE = 0.05  # same-day events of one order written in reverse order
BACKLOG_SHARE = 0.04  # open orders placed before the first day, per orders_per_day
BACKLOG_MAX_AGE_DAYS = 25
LATE_UPDATE_AGE_DAYS = 10
PACKED_TIMES_START_DAYS_BEFORE = 64  # well before the oldest backlog order

# One event as written: (op, status, updated_at, defect kind or None, is a replay)
Event = tuple[str, str, int, str | None, bool]


class OrderBook:
    """The open orders, packed into ints and filed under the day index their next
    step is due."""

    def __init__(self, seed: int, customers: CustomerBook, orders_per_day: int):
        self.seed = seed
        self.customers = customers
        self.orders_per_day = orders_per_day
        self.first_day_epoch: int | None = None
        self._packer: OrderPacker | None = None
        self._due: dict[int, list[int]] = {}
        self._next_order_id = 1

    @property
    def open_order_count(self) -> int:
        return sum(len(bucket) for bucket in self._due.values())

    def write_day(self, context: DayContext) -> None:
        rng = day_rng(self.seed, ENTITY, context.day.date)
        if self._packer is None:
            self.first_day_epoch = context.day.start_epoch
            base = self.first_day_epoch - PACKED_TIMES_START_DAYS_BEFORE * SECONDS_PER_DAY
            self._packer = OrderPacker(base, money.CURRENCIES)
            self._open_backlog(context.day, rng)
        due = self._due.pop(context.day.index, [])
        _OrdersDay(self, context, rng).write(due, self._packer)

    def place(self, day_start_epoch: int, rng: random.Random) -> OpenOrder:
        customer_id = self.customers.pick_orderable(rng)
        currency = money.draw_currency(rng, self.customers.home_country(customer_id))
        order = OpenOrder(
            self._next_order_id,
            customer_id,
            money.draw_amount_cents(rng, currency),
            currency,
            day_start_epoch + int(rng.random() * SECONDS_PER_DAY),
        )
        self._next_order_id += 1
        order.plan_next_step(rng)
        return order

    def file_under_due_day(self, order: OpenOrder) -> None:
        assert self._packer is not None and self.first_day_epoch is not None
        due_day = (order.next_at - self.first_day_epoch) // SECONDS_PER_DAY
        self._due.setdefault(due_day, []).append(self._packer.pack(order))

    def _open_backlog(self, day: GenerationDay, rng: random.Random) -> None:
        """Orders placed 10-25 days before the first day, still shipping or returnable:
        their first event in the lake is an update (a late update)."""
        for _ in range(max(1, round(self.orders_per_day * BACKLOG_SHARE))):
            order = self.place(day.start_epoch, rng)
            days_before = rng.randrange(LATE_UPDATE_AGE_DAYS, BACKLOG_MAX_AGE_DAYS)
            order.ordered_at -= days_before * SECONDS_PER_DAY
            is_delivered = rng.random() < 0.7
            order.previous_status = SHIPPED if is_delivered else PAID
            order.status = DELIVERED if is_delivered else SHIPPED
            order.next_status = RETURNED if is_delivered else DELIVERED
            order.previous_updated_at = order.ordered_at + rng.randrange(SECONDS_PER_DAY)
            order.updated_at = order.previous_updated_at + rng.randrange(2, 8) * SECONDS_PER_DAY
            order.next_at = day.start_epoch + rng.randrange(10 * SECONDS_PER_DAY)
            self.file_under_due_day(order)


class _OrdersDay:
    """Writes one day's orders file."""

    def __init__(self, book: OrderBook, context: DayContext, rng: random.Random):
        self.book = book
        self.context = context
        self.day = context.day
        self.rng = rng
        self.picker = context.picker(ENTITY, book.orders_per_day)
        self.counts: Counter[str] = Counter()
        self.writer = OrderLineWriter(context)
        self.late_before = self.day.start_epoch - LATE_UPDATE_AGE_DAYS * SECONDS_PER_DAY

    def write(self, due: list[int], packer: OrderPacker) -> None:
        """New and due orders interleaved at random, as a real feed would mix them."""
        due.reverse()  # taken from the end, so a processed order is freed at once
        new_left = self.book.orders_per_day
        while new_left or due:
            if new_left and self.rng.random() * (new_left + len(due)) < new_left:
                new_left -= 1
                order, events = self._new_order()
            else:
                order = packer.unpack(due.pop())
                events = self._stale_replay(order)
            self._advance(order, events)
            self._write_events(order, events)
        self.writer.close()
        for what, amount in sorted(self.counts.items()):
            self.context.stats.count_event(ENTITY, what, amount)

    def _new_order(self) -> tuple[OpenOrder, list[Event]]:
        order = self.book.place(self.day.start_epoch, self.rng)
        kind = self.picker.pick(is_insert=True)
        if kind == "unknown_customer":
            order.customer_id = _unknown_customer_id(self.book.seed, order.order_id)
        return order, [("I", PLACED, order.ordered_at, kind, False)]

    def _stale_replay(self, order: OpenOrder) -> list[Event]:
        """The order's previous event delivered again, days after a newer one (both
        were delivered on earlier days of the run)."""
        delivered_on_earlier_days = (
            order.previous_status is not None
            and order.previous_updated_at >= int(self.book.first_day_epoch or 0)
            and order.updated_at < self.day.start_epoch
        )
        if not delivered_on_earlier_days or self.rng.random() >= STALE_REPLAY_SHARE:
            return []
        previous_status = str(order.previous_status)
        op = "I" if previous_status == PLACED else "U"
        return [(op, previous_status, order.previous_updated_at, None, True)]

    def _advance(self, order: OpenOrder, events: list[Event]) -> None:
        """Take every step due today, then file the order under its next due day."""
        while order.next_status is not None and order.next_at < self.day.end_epoch:
            if order.next_status == DELETE:
                events.append(("D", order.status, order.next_at, self.picker.pick(False), False))
                return
            order.take_next_step()
            events.append(("U", order.status, order.updated_at, self.picker.pick(False), False))
            order.plan_next_step(self.rng)
        if order.next_status is not None:
            self.book.file_under_due_day(order)

    def _write_events(self, order: OpenOrder, events: list[Event]) -> None:
        if len(events) - (events[0][4] if events else 0) > 1:  # a replay is never counted
            self.counts["orders_with_several_events_today"] += 1
        if len(events) > 1 and self.rng.random() < NEWEST_FIRST_SHARE:
            events.reverse()
            self.counts["written_newest_first"] += 1
        for op, status, updated_at, kind, is_replay in events:
            is_duplicate = self.rng.random() < DUPLICATE_EVENT_SHARE and not is_replay
            self.writer.write(order, op, status, updated_at, kind)
            self.counts[op] += 1
            if is_replay:
                self.counts["stale_replays"] += 1
            elif is_duplicate and kind is None:
                self.writer.write(order, op, status, updated_at, None)
                self.counts["duplicate_events"] += 1
            if op != "I" and order.ordered_at < self.late_before:
                self.counts["late_updates"] += 1


def _unknown_customer_id(seed: int, order_id: int) -> int:
    """An id in C900000-C999999, a range the generator never assigns to customers."""
    return MAX_GENERATED_CUSTOMER_ID + 1 + stable_hash(seed, "unknown-customer", order_id) % 100_000
