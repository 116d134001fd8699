"""Static checks of terraform/: fmt, validate, `terraform test` (mocked provider), checkov."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import terraform_offline as tfo

pytestmark = pytest.mark.infra


def test_terraform_is_formatted() -> None:
    assert tfo.fmt_check() == [], "run `terraform fmt -recursive terraform`"


def test_configuration_is_valid(terraform_initialised: dict[str, Any]) -> None:
    errors = [d for d in terraform_initialised.get("diagnostics", []) if d["severity"] == "error"]
    assert terraform_initialised["valid"], errors


def test_terraform_test_passes(terraform_test_report: tfo.TerraformTestReport) -> None:
    assert terraform_test_report.passed, "\n".join(terraform_test_report.failures())
    files = {f for f, _ in terraform_test_report.runs}
    assert files == {f for group in tfo.test_file_groups() for f in group}, (
        "a test file did not run"
    )
    assert tfo.STACK_TEST_RUN in terraform_test_report.states


@pytest.mark.parametrize("var_file", tfo.PROD_LIKE_VAR_FILES)
def test_other_environments_apply_on_the_mocked_provider(
    static_reports: tfo.StaticReports, var_file: str
) -> None:
    report = static_reports.environments[var_file]
    assert report.passed, "\n".join(report.failures())
    outputs = report.states[tfo.STACK_TEST_RUN]["outputs"]
    env = var_file.removeprefix("envs/").removesuffix(".tfvars")
    assert outputs["database_names"]["value"]["gold"].endswith(f"_{env}_gold")


def test_checkov_finds_nothing_and_every_skip_says_why(static_reports: tfo.StaticReports) -> None:
    report = static_reports.checkov
    print(f"failed checks: {len(report.failed)}")
    assert report.failed == [], "\n".join(report.describe_failures())
    assert report.parsing_errors == 0
    assert report.passed > 50, f"checkov evaluated only {report.passed} checks"
    for skip in report.skipped:
        reason = (skip.get("check_result") or {}).get("suppress_comment") or ""
        assert len(reason) > 40, (
            f"{skip['check_id']} on {skip['resource']} is skipped without a real reason: {reason!r}"
        )


def test_provider_mirror_is_detected_not_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """With no mirror anywhere, no CLI config is forced on terraform (registry is used)."""
    monkeypatch.setattr(tfo, "MIRROR_CANDIDATES", (tmp_path / "none",))
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(tmp_path / "missing"))
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(tmp_path / "does-not-exist.tfrc"))
    env = tfo.terraform_env()
    assert "TF_CLI_CONFIG_FILE" not in env

    mirror = tmp_path / "mirror"
    (mirror / "registry.terraform.io" / "hashicorp" / "aws").mkdir(parents=True)
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(mirror))
    env = tfo.terraform_env()
    config = tfo.write_cli_config(mirror)
    assert env["TF_CLI_CONFIG_FILE"] == str(config)
    assert f'path    = "{mirror}"' in config.read_text()
    config.unlink()
