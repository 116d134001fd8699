"""The state machine definition and the values of its placeholders.

``step_functions/daily_pipeline.asl.json`` is a template with ``${name}`` placeholders
filled by Terraform's ``templatefile()`` on AWS and by :func:`render` locally. The
checks come from ``sql/checks/*.sql`` and ``sql/checks/checks.json`` (severity,
threshold) the same way on both sides.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFINITION = REPO_ROOT / "step_functions" / "daily_pipeline.asl.json"
CHECKS_DIR = REPO_ROOT / "sql" / "checks"
CHECKS_CONFIG = CHECKS_DIR / "checks.json"
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
SEVERITIES = ("blocking", "warning")


class TemplateError(ValueError):
    """A placeholder without a value, a value without a placeholder, or bad checks."""


def placeholders(template: str | None = None) -> set[str]:
    return set(
        PLACEHOLDER.findall(template if template is not None else DEFINITION.read_text("utf-8"))
    )


def render(values: dict[str, str], template: str | None = None) -> dict[str, Any]:
    """Fill every placeholder (values are inserted verbatim, like templatefile())."""
    text = template if template is not None else DEFINITION.read_text("utf-8")
    wanted = placeholders(text)
    if missing := wanted - set(values):
        raise TemplateError(f"no value for placeholders: {sorted(missing)}")
    if extra := set(values) - wanted:
        raise TemplateError(f"values for placeholders the definition does not use: {sorted(extra)}")
    return json.loads(PLACEHOLDER.sub(lambda m: values[m.group(1)], text))


def load_checks(checks_dir: Path = CHECKS_DIR) -> list[dict[str, Any]]:
    """Every check: name (file stem), severity, threshold, query (the file's SQL)."""
    config = json.loads((checks_dir / "checks.json").read_text("utf-8"))
    files = {p.stem: p for p in sorted(checks_dir.glob("*.sql"))}
    if set(files) != set(config):
        raise TemplateError(
            f"sql/checks/*.sql and checks.json disagree: files only {sorted(set(files) - set(config))}, "
            f"config only {sorted(set(config) - set(files))}"
        )
    checks = []
    for name, path in files.items():
        entry = config[name]
        if entry.get("severity") not in SEVERITIES:
            raise TemplateError(f"check {name}: severity must be one of {SEVERITIES}")
        checks.append(
            {
                "name": name,
                "severity": entry["severity"],
                "threshold": entry["threshold"],
                "query": path.read_text("utf-8").strip().rstrip(";"),
            }
        )
    return checks
