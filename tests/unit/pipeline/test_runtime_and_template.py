import json

import pytest

from lakehouse import statemachine
from lakehouse.local.statemachine_local import local_values
from lakehouse.runtime import JobArgumentError, check_run_date, resolve_args, source_contract


def test_run_date_must_be_a_real_iso_date():
    assert check_run_date("2026-02-28") == "2026-02-28"
    for bad in ("2026-2-1", "2026-02-30", "yesterday"):
        with pytest.raises((JobArgumentError, ValueError)):
            check_run_date(bad)


def test_unknown_entity_names_the_allowed_ones():
    with pytest.raises(JobArgumentError, match="customers, orders, fx_rates"):
        source_contract("invoices")


def test_missing_arguments_are_all_named():
    with pytest.raises(JobArgumentError, match="--run_id, --entity"):
        resolve_args(["script.py", "--run_date", "2026-01-01"], ["run_date", "run_id", "entity"])


def test_the_definition_renders_with_exactly_the_local_values():
    definition = statemachine.render(local_values())
    assert definition["StartAt"] == "StartedBySchedule?"
    rendered = json.dumps(definition)
    assert "${" not in rendered
    checks = definition["States"]["Configure"]["Parameters"]["checks"]
    assert sorted(c["name"] for c in checks) == sorted(
        p.stem for p in statemachine.CHECKS_DIR.glob("*.sql")
    )


def test_render_rejects_missing_and_unused_values():
    values = local_values()
    with pytest.raises(statemachine.TemplateError, match="no value for placeholders"):
        statemachine.render({k: v for k, v in values.items() if k != "ops_database"})
    with pytest.raises(statemachine.TemplateError, match="does not use"):
        statemachine.render({**values, "surprise": "1"})


def test_checks_config_and_files_must_match(tmp_path):
    (tmp_path / "a.sql").write_text("select 1")
    (tmp_path / "checks.json").write_text(
        json.dumps({"b": {"severity": "blocking", "threshold": 0}})
    )
    with pytest.raises(
        statemachine.TemplateError, match="files only \\['a'\\], config only \\['b'\\]"
    ):
        statemachine.load_checks(tmp_path)
