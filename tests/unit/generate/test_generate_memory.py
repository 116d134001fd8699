"""Memory is bounded by the open orders (and customer ids), never by rows written."""

from __future__ import annotations

import tracemalloc

from lakehouse.generate import GeneratorConfig, generate

VOLUME = {"orders_per_day": 600, "customers": 200}
# An open order waits packed into one int (about 64 bytes with its list slot); an
# order line is about 190 bytes of text, so keeping rows (or unpacked order objects
# at about 400 bytes each) breaks these bounds.
MAX_BYTES_PER_OPEN_ORDER = 150
MAX_BYTES_PER_ROW_WRITTEN = 20


def _peak_memory(out, days: int, **volume) -> tuple[int, object]:
    tracemalloc.start()
    try:
        summary = generate(GeneratorConfig(out=out, days=days, **(volume or VOLUME)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, summary


def test_peak_memory_is_bounded_by_open_orders_not_rows(tmp_path):
    # Fixed costs (contracts, customers, per-day counts, caches) come from a run of the
    # same length and customers with next to no orders; the first run warms caches.
    almost_no_orders = {"orders_per_day": 5, "customers": VOLUME["customers"]}
    _peak_memory(tmp_path / "warm-up", days=12, **almost_no_orders)
    fixed, _ = _peak_memory(tmp_path / "fixed", days=12, **almost_no_orders)
    _, six_days = _peak_memory(tmp_path / "six", days=6)
    peak, twelve_days = _peak_memory(tmp_path / "twelve", days=12)

    grown = peak - fixed
    assert grown < MAX_BYTES_PER_OPEN_ORDER * twelve_days.peak_open_orders, grown
    assert grown < MAX_BYTES_PER_ROW_WRITTEN * twelve_days.total_lines, grown
    # ... and open orders level off while rows keep coming.
    assert twelve_days.total_lines > 2 * six_days.total_lines
    assert twelve_days.peak_open_orders < 1.3 * six_days.peak_open_orders
