"""Seeded, deterministic sample data for the shop domain (customers, orders, FX rates)
with injectable defects and a manifest of every injected defect.

    from lakehouse.generate import GeneratorConfig, generate
    summary = generate(GeneratorConfig(out=Path(".lake"), days=7, seed=7))

See README.md beside this module for formats, CDC behaviour and the defect table.
"""

from lakehouse.generate.config import GeneratorConfig, InvalidGeneratorConfigError, parse_burst
from lakehouse.generate.defects import DEFECT_KINDS, DefectKind, parse_defect_kinds
from lakehouse.generate.engine import GenerationSummary, generate

__all__ = [
    "DEFECT_KINDS",
    "DefectKind",
    "GenerationSummary",
    "GeneratorConfig",
    "InvalidGeneratorConfigError",
    "generate",
    "parse_burst",
    "parse_defect_kinds",
]
