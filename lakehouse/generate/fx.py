"""The fx_rates snapshot feed: one row per currency per day, USD value of one unit.

Rates follow a seeded multiplicative random walk (plain arithmetic, no libm calls,
so the digits are the same on every machine); USD is always 1.0.
"""

from __future__ import annotations

import random

from lakehouse import contracts
from lakehouse.generate.context import DayContext
from lakehouse.generate.determinism import day_rng, stable_hash

ENTITY = "fx_rates"
COLUMNS = tuple(contracts.load(ENTITY).column_names)
CURRENCIES = tuple(contracts.load(ENTITY).column("currency").allowed_values or ())
BASE_CURRENCY = "USD"
STARTING_USD_RATES = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "CAD": 0.73}
MAX_DAILY_MOVE = 0.006
DECIMALS = 8

if set(STARTING_USD_RATES) != set(CURRENCIES):
    raise contracts.ContractError(
        f"generator currencies {sorted(STARTING_USD_RATES)} differ from the fx_rates "
        f"contract's allowed values {sorted(CURRENCIES)}"
    )


class FxWalk:
    def __init__(self, seed: int):
        self.seed = seed
        self._rates = dict(STARTING_USD_RATES)

    def _step(self, rng: random.Random) -> None:
        for currency in CURRENCIES:
            if currency != BASE_CURRENCY:
                move = 1.0 + (2.0 * rng.random() - 1.0) * MAX_DAILY_MOVE
                self._rates[currency] = round(self._rates[currency] * move, DECIMALS)

    def write_day(self, context: DayContext) -> None:
        day = context.day
        rng = day_rng(self.seed, ENTITY, day.date)
        if day.index > 0:
            self._step(rng)
        missing = None
        if "fx_rate_missing" in context.file_kinds:
            others = [c for c in CURRENCIES if c != BASE_CURRENCY]
            missing = others[stable_hash(self.seed, "fx-missing", day.index) % len(others)]
        picker = context.picker(ENTITY, len(CURRENCIES))
        with context.files.open(ENTITY, ",".join(COLUMNS)) as raw_file:
            for currency in CURRENCIES:
                if currency == missing:
                    continue
                values = [day.iso, currency, f"{self._rates[currency]:.{DECIMALS}f}"]
                kind = picker.pick(is_insert=True)
                if kind is None:
                    raw_file.write(",".join(values))
                    continue
                kept = 1 + rng.randrange(len(values) - 1)  # malformed_csv_line: truncated
                line_number = raw_file.write(",".join(values[:kept]))
                key = f"{day.iso}|{currency}"
                context.log.record(kind, ENTITY, raw_file.relative_path, line_number, key)
        if missing is not None:
            key = f"{day.iso}|{missing}"
            context.log.record("fx_rate_missing", ENTITY, raw_file.relative_path, None, key)
        context.stats.add_file(ENTITY, raw_file.relative_path, raw_file.lines)
        context.stats.count_event(ENTITY, "rates", raw_file.lines)
