"""Who the customers are: every attribute is recomputed from (seed, id, version).

Customer images are never stored. Version 0 is the image at insert; each update
bumps the version and ``customer_image`` replays the seeded changes up to it, so the
generator keeps only an int per customer however many customers there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from lakehouse import contracts
from lakehouse.generate.determinism import SECONDS_PER_DAY, stable_hash

FIRST_NAMES = (
    "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda",
    "oliver", "amelia", "harry", "isla", "lukas", "hannah", "felix", "lea", "jules",
    "camille", "louis", "chloe", "yuki", "haruto", "sakura", "ren", "liam", "emma",
    "noah", "olivia", "ethan", "mia", "lucas", "sofia",
)  # fmt: skip
LAST_NAMES = (
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
    "taylor", "wilson", "evans", "muller", "schmidt", "schneider", "fischer", "weber",
    "martin", "bernard", "dubois", "thomas", "robert", "sato", "suzuki", "takahashi",
    "tanaka", "watanabe", "tremblay", "roy", "gagnon", "cote", "clark", "lewis",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "mail.example", "inbox.example", "post.example", "web.example")
COUNTRY_WEIGHTS = {"US": 35, "GB": 15, "DE": 15, "FR": 12, "JP": 10, "CA": 13}
HOME_CURRENCY = {"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR", "JP": "JPY", "CA": "CAD"}
BUSINESS_SEGMENT_PERCENT = 15
NO_PHONE_PERCENT = 8
INITIAL_CUSTOMER_MAX_AGE_DAYS = 730


def _check_against_contract() -> tuple[str, ...]:
    allowed = contracts.load("customers").column("country").allowed_values or ()
    if set(COUNTRY_WEIGHTS) != set(allowed):
        raise contracts.ContractError(
            f"generator countries {sorted(COUNTRY_WEIGHTS)} differ from the customers "
            f"contract's allowed values {sorted(allowed)}"
        )
    return tuple(allowed)


COUNTRIES = _check_against_contract()
_COUNTRY_TICKETS = tuple(c for c in COUNTRIES for _ in range(COUNTRY_WEIGHTS[c]))


@dataclass(frozen=True)
class CustomerImage:
    email: str
    phone: str  # "" when the customer gave no phone number
    country: str
    segment: str


def base_country(seed: int, customer_id: int) -> str:
    return _COUNTRY_TICKETS[
        (stable_hash(seed, "customer", customer_id) >> 32) % len(_COUNTRY_TICKETS)
    ]


def customer_image(seed: int, customer_id: int, version: int) -> CustomerImage:
    base = stable_hash(seed, "customer", customer_id)
    first = FIRST_NAMES[base % len(FIRST_NAMES)]
    last = LAST_NAMES[(base >> 16) % len(LAST_NAMES)]
    country = _COUNTRY_TICKETS[(base >> 32) % len(_COUNTRY_TICKETS)]
    is_business = (base >> 48) % 100 < BUSINESS_SEGMENT_PERCENT
    email_generation = phone_generation = 0
    for change in range(1, version + 1):
        draw = stable_hash(seed, "customer-change", customer_id, change)
        what = draw % 100
        if what < 35:
            email_generation = change
        elif what < 65:
            phone_generation = change
        elif what < 78:
            is_business = not is_business
        elif what < 88:  # moved abroad: new country, new phone number
            others = [c for c in COUNTRIES if c != country]
            country = others[(draw >> 8) % len(others)]
            phone_generation = change
        else:
            email_generation = phone_generation = change
    return CustomerImage(
        email=_email(seed, customer_id, email_generation, first, last),
        phone=_phone(seed, customer_id, phone_generation, country),
        country=country,
        segment="business" if is_business else "consumer",
    )


def _email(seed: int, customer_id: int, generation: int, first: str, last: str) -> str:
    draw = stable_hash(seed, "email", customer_id, generation)
    suffix = "" if draw % 4 == 0 else str((draw >> 4) % 1000)
    domain = EMAIL_DOMAINS[(draw >> 16) % len(EMAIL_DOMAINS)]
    return f"{first}.{last}{suffix}@{domain}"


def _phone(seed: int, customer_id: int, generation: int, country: str) -> str:
    draw = stable_hash(seed, "phone", customer_id, generation)
    if draw % 100 < NO_PHONE_PERCENT:
        return ""
    digits = f"{(draw >> 8) % 10**9:09d}"
    if country in {"US", "CA"}:
        return f"+1 {digits[:3]}-555-{digits[3:7]}"
    if country == "GB":
        return f"+44 7700 {digits[:6]}"
    if country == "DE":
        return f"+49 151 {digits[:8]}"
    if country == "FR":
        return f"+33 6 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:8]}"
    return f"+81 90-{digits[:4]}-{digits[4:8]}"


def initial_created_at(seed: int, customer_id: int, start_epoch: int) -> tuple[int, int]:
    """(created_at, updated_at) of a customer that existed before the first day."""
    draw = stable_hash(seed, "created", customer_id)
    age_days = 1 + draw % INITIAL_CUSTOMER_MAX_AGE_DAYS
    created_at = start_epoch - age_days * SECONDS_PER_DAY + (draw >> 20) % SECONDS_PER_DAY
    updated_at = created_at + (draw >> 40) % (start_epoch - created_at)
    return created_at, updated_at


def new_customer_created_at(seed: int, customer_id: int, day_start_epoch: int) -> int:
    return day_start_epoch + stable_hash(seed, "created", customer_id) % SECONDS_PER_DAY
