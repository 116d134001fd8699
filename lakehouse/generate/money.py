"""Order currencies and amounts: mostly the customer's home currency, amounts skewed
towards small baskets, JPY in whole yen (large numbers, under the contract max)."""

from __future__ import annotations

import random

from lakehouse import contracts
from lakehouse.generate.people import HOME_CURRENCY

_AMOUNT = contracts.load("orders").column("amount")
CURRENCIES = tuple(contracts.load("orders").column("currency").allowed_values or ())
# Rough market rates, only to make amounts plausible in each currency.
UNITS_PER_USD = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "JPY": 150.0, "CAD": 1.36}
WHOLE_UNIT_CURRENCIES = frozenset({"JPY"})
HOME_CURRENCY_SHARE = 0.85
LARGE_ORDER_SHARE = 0.02
MIN_AMOUNT_CENTS = 100
# Keep clear of the contract's max so only the absurd_amount defect is out of range.
MAX_AMOUNT_CENTS = int((_AMOUNT.max or 100_000) * 0.9 * 100)

if set(UNITS_PER_USD) != set(CURRENCIES):
    raise contracts.ContractError(
        f"generator currencies {sorted(UNITS_PER_USD)} differ from the orders contract's "
        f"allowed values {sorted(CURRENCIES)}"
    )


def draw_currency(rng: random.Random, country: str) -> str:
    home = HOME_CURRENCY[country]
    if rng.random() < HOME_CURRENCY_SHARE:
        return home
    return CURRENCIES[rng.randrange(len(CURRENCIES))]


def draw_amount_cents(rng: random.Random, currency: str) -> int:
    """Amount in hundredths of the currency unit (whole yen for JPY)."""
    share = rng.random()
    usd = 3.0 + 597.0 * share * share * share  # median about 78 USD
    if rng.random() < LARGE_ORDER_SHARE:
        usd = 600.0 + 3400.0 * rng.random()
    cents = max(MIN_AMOUNT_CENTS, int(usd * UNITS_PER_USD[currency] * 100))
    if cents > MAX_AMOUNT_CENTS:
        cents = MAX_AMOUNT_CENTS - rng.randrange(MAX_AMOUNT_CENTS // 3)
    if currency in WHOLE_UNIT_CURRENCIES:
        cents -= cents % 1000  # whole tens of yen
    return cents


def format_amount(cents: int, currency: str) -> str:
    """As a JSON number: ``12480`` for JPY, ``123.40`` otherwise."""
    if currency in WHOLE_UNIT_CURRENCIES:
        return str(cents // 100)
    return f"{cents // 100}.{cents % 100:02d}"
