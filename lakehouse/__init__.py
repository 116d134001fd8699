"""Lakehouse: the library shipped to Glue (contracts, transforms, quality rules, I/O,
runtime adapter) plus the local runtime (``lakehouse.local``, never shipped)."""

__version__ = "0.1.0"
