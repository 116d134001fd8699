"""Orders as JSON lines, clean or with exactly one injected defect.

Lines are formatted by hand (every value is an id, a fixed word, a number or a
timestamp, none needs escaping) because ``json.dumps`` per line would dominate the
generator's run time; tests parse every line back with ``json.loads``.
"""

from __future__ import annotations

from lakehouse import contracts
from lakehouse.generate.context import DayContext
from lakehouse.generate.customers import customer_key
from lakehouse.generate.determinism import SECONDS_PER_DAY, day_rng, iso_timestamp
from lakehouse.generate.lifecycle import OpenOrder
from lakehouse.generate.money import format_amount

ENTITY = "orders"
COLUMNS = tuple(contracts.load(ENTITY).column_names)
DAYS_INTO_THE_FUTURE = 365
ABSURD_AMOUNT = "50000000.00"  # 5e7, far above the contract max


def order_key(order_id: int) -> str:
    return f"O{order_id:09d}"


def json_fields(order: OpenOrder, op: str, status: str, updated_at: int) -> dict[str, str]:
    """Each contract column as JSON text, in contract order."""
    return {
        "op": f'"{op}"',
        "order_id": f'"{order_key(order.order_id)}"',
        "customer_id": f'"{customer_key(order.customer_id)}"',
        "status": f'"{status}"',
        "amount": format_amount(order.amount_cents, order.currency),
        "currency": f'"{order.currency}"',
        "ordered_at": f'"{iso_timestamp(order.ordered_at)}"',
        "updated_at": f'"{iso_timestamp(updated_at)}"',
    }


def join_fields(fields: dict[str, str]) -> str:
    return "{" + ",".join(f'"{name}":{value}' for name, value in fields.items()) + "}"


class OrderLineWriter:
    """Writes the day's orders file and records each defective line in the manifest."""

    def __init__(self, context: DayContext):
        self.context = context
        self.file = context.files.open(ENTITY, header=None)
        self.rng = day_rng(context.seed, f"mutations/{ENTITY}", context.day.date)
        self._order: OpenOrder | None = None
        self._keys_text = self._details_text = ""

    def _prepare(self, order: OpenOrder) -> None:
        """Text that is the same in every line of the order, built once per order."""
        self._order = order
        self._keys_text = (
            f'","order_id":"O{order.order_id:09d}","customer_id":"C{order.customer_id:06d}"'
        )
        self._details_text = (
            f',"amount":{format_amount(order.amount_cents, order.currency)}'
            f',"currency":"{order.currency}","ordered_at":"{iso_timestamp(order.ordered_at)}"'
        )

    def write(self, order: OpenOrder, op: str, status: str, updated_at: int, kind: str | None):
        if kind is None:
            if order is not self._order:
                self._prepare(order)
            self.file.write(
                f'{{"op":"{op}{self._keys_text},"status":"{status}"{self._details_text}'
                f',"updated_at":"{iso_timestamp(updated_at)}"}}'
            )
            return
        line = self._defective_line(kind, json_fields(order, op, status, updated_at))
        line_number = self.file.write(line)
        self.context.log.record(
            kind, ENTITY, self.file.relative_path, line_number, order_key(order.order_id)
        )

    def _defective_line(self, kind: str, fields: dict[str, str]) -> str:
        """The line with exactly one defect; everything else stays valid."""
        if kind == "malformed_json_line":
            text = join_fields(fields)
            return text[: self.rng.randrange(len(text) // 3, len(text) - 1)]
        if kind == "missing_key":
            del fields["order_id"]
        elif kind == "wrong_type":
            fields["amount"] = '"abc"'
        elif kind == "unknown_status":
            fields["status"] = '"LOST"'
        elif kind == "negative_amount":
            fields["amount"] = "-" + fields["amount"]
        elif kind == "absurd_amount":
            fields["amount"] = ABSURD_AMOUNT
        elif kind == "unknown_currency":
            fields["currency"] = '"XYZ"'
        elif kind == "future_timestamp":
            one_year_on = self.context.day.start_epoch + DAYS_INTO_THE_FUTURE * SECONDS_PER_DAY
            time_of_day = self.rng.randrange(SECONDS_PER_DAY)
            fields["updated_at"] = f'"{iso_timestamp(one_year_on + time_of_day)}"'
        elif kind != "unknown_customer":  # the order already carries the unknown id
            raise ValueError(f"{kind} is not an orders line defect")
        return join_fields(fields)

    def close(self) -> None:
        self.file.close()
        self.context.stats.add_file(ENTITY, self.file.relative_path, self.file.lines)
