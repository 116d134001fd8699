"""An order's life: PLACED -> PAID -> SHIPPED -> DELIVERED (-> RETURNED), or CANCELLED.

Only the next step of an open order is drawn, when the current one happens, so an
order costs memory only while it is open. Some orders are deleted (op D): test
orders soon after placement and a share of cancelled orders.
"""

from __future__ import annotations

import random

from lakehouse import contracts
from lakehouse.generate.determinism import SECONDS_PER_DAY

PLACED, PAID, SHIPPED, DELIVERED = "PLACED", "PAID", "SHIPPED", "DELIVERED"
CANCELLED, RETURNED = "CANCELLED", "RETURNED"
DELETE = "DELETE"  # not a status: the order is deleted (op D) with its last image
HOUR = 3600

ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PLACED: (PAID, CANCELLED),
    PAID: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED,),
    DELIVERED: (RETURNED,),
    CANCELLED: (),
    RETURNED: (),
}
# status -> [(cumulative probability, next step, earliest delay, latest delay)]; the
# remaining probability ends the order's life in this status.
_NEXT_STEPS: dict[str, list[tuple[float, str, int, int]]] = {
    PLACED: [
        (0.080, CANCELLED, HOUR // 2, 2 * SECONDS_PER_DAY),
        (0.085, DELETE, HOUR, 3 * SECONDS_PER_DAY),
        (1.000, PAID, 120, 8 * HOUR),
    ],
    PAID: [
        (0.030, CANCELLED, HOUR, SECONDS_PER_DAY),
        (1.000, SHIPPED, 6 * HOUR, 3 * SECONDS_PER_DAY),
    ],
    SHIPPED: [(1.000, DELIVERED, SECONDS_PER_DAY, 5 * SECONDS_PER_DAY)],
    DELIVERED: [(0.060, RETURNED, 3 * SECONDS_PER_DAY, 21 * SECONDS_PER_DAY)],
    CANCELLED: [(0.050, DELETE, HOUR, 3 * SECONDS_PER_DAY)],
    RETURNED: [],
}


def _check_against_contract() -> None:
    allowed = set(contracts.load("orders").column("status").allowed_values or ())
    if allowed != set(ALLOWED_TRANSITIONS):
        raise contracts.ContractError(
            f"generator statuses {sorted(ALLOWED_TRANSITIONS)} differ from the orders "
            f"contract's allowed values {sorted(allowed)}"
        )


_check_against_contract()


class OpenOrder:
    """An order that still has events to come, unpacked while it is being worked on.

    Fields never change except the customer (unknown_customer defect, at placement)
    and the lifecycle position."""

    __slots__ = (
        "amount_cents", "currency", "customer_id", "next_at", "next_status", "order_id",
        "ordered_at", "previous_status", "previous_updated_at", "status", "updated_at",
    )  # fmt: skip

    def __init__(
        self, order_id: int, customer_id: int, amount_cents: int, currency: str, ordered_at: int
    ):
        self.order_id = order_id
        self.customer_id = customer_id
        self.amount_cents = amount_cents
        self.currency = currency
        self.ordered_at = ordered_at
        self.status = PLACED
        self.updated_at = ordered_at
        self.previous_status: str | None = None
        self.previous_updated_at = 0
        self.next_status: str | None = None
        self.next_at = 0

    def plan_next_step(self, rng: random.Random) -> bool:
        """Draw the step after the current status; False when the order's life is over."""
        draw = rng.random()
        for cumulative, step, earliest, latest in _NEXT_STEPS[self.status]:
            if draw < cumulative:
                self.next_status = step
                self.next_at = self.updated_at + earliest + int(rng.random() * (latest - earliest))
                return True
        self.next_status = None
        return False

    def take_next_step(self) -> None:
        self.previous_status, self.previous_updated_at = self.status, self.updated_at
        self.status, self.updated_at = str(self.next_status), self.next_at


# Open orders wait in memory packed into one int each (about 60 bytes instead of
# about 400 for an object with its int fields): memory grows with open orders only,
# and packing keeps that small too. Bit widths: ids fit their contract patterns,
# amounts stay below the contract max, times are seconds after OrderPacker.base.
_STATES = (None, PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, RETURNED, DELETE)
_STATE_CODES = {state: code for code, state in enumerate(_STATES)}
_ORDER_ID_BITS, _CUSTOMER_BITS, _AMOUNT_BITS, _CODE_BITS, _TIME_BITS = 30, 20, 24, 3, 36
_TIME_MASK = (1 << _TIME_BITS) - 1
_CODE_MASK = (1 << _CODE_BITS) - 1
MAX_PACKED_AMOUNT_CENTS = (1 << _AMOUNT_BITS) - 1


class OrderPacker:
    """Packs an OpenOrder into one int and back. ``base`` is an epoch second before
    any time the run uses (orders placed before the first day included)."""

    def __init__(self, base: int, currencies: tuple[str, ...]):
        self.base = base
        self.currencies = currencies
        self._currency_codes = {c: code for code, c in enumerate(currencies)}

    def pack(self, order: OpenOrder) -> int:
        base = self.base
        packed = order.order_id
        packed = (packed << _CUSTOMER_BITS) | order.customer_id
        packed = (packed << _AMOUNT_BITS) | order.amount_cents
        packed = (packed << _CODE_BITS) | self._currency_codes[order.currency]
        packed = (packed << _CODE_BITS) | _STATE_CODES[order.status]
        packed = (packed << _CODE_BITS) | _STATE_CODES[order.previous_status]
        packed = (packed << _CODE_BITS) | _STATE_CODES[order.next_status]
        packed = (packed << _TIME_BITS) | (order.ordered_at - base)
        packed = (packed << _TIME_BITS) | (order.updated_at - base)
        packed = (packed << _TIME_BITS) | (max(order.previous_updated_at, base) - base)
        return (packed << _TIME_BITS) | (order.next_at - base)

    def unpack(self, packed: int) -> OpenOrder:
        base = self.base
        next_at = (packed & _TIME_MASK) + base
        packed >>= _TIME_BITS
        previous_updated_at = (packed & _TIME_MASK) + base
        packed >>= _TIME_BITS
        updated_at = (packed & _TIME_MASK) + base
        packed >>= _TIME_BITS
        ordered_at = (packed & _TIME_MASK) + base
        packed >>= _TIME_BITS
        next_status = _STATES[packed & _CODE_MASK]
        previous_status = _STATES[(packed >> _CODE_BITS) & _CODE_MASK]
        status = _STATES[(packed >> 2 * _CODE_BITS) & _CODE_MASK]
        currency = self.currencies[(packed >> 3 * _CODE_BITS) & _CODE_MASK]
        packed >>= 4 * _CODE_BITS
        amount_cents = packed & ((1 << _AMOUNT_BITS) - 1)
        packed >>= _AMOUNT_BITS
        order = OpenOrder(packed >> _CUSTOMER_BITS, packed & ((1 << _CUSTOMER_BITS) - 1),
                          amount_cents, currency, ordered_at)  # fmt: skip
        order.status, order.updated_at = str(status), updated_at
        order.previous_status = previous_status
        order.previous_updated_at = previous_updated_at if previous_status is not None else 0
        order.next_status, order.next_at = next_status, next_at
        return order
