"""Session fixtures of the infra suite: one `terraform test` run, one moto server
and one applied stack per session, all through tests/support/terraform_offline.py
(the code `make tf-check` / `make tf-moto` run).

The moto apply starts in a background thread as soon as the first infra test runs,
so its idle waits (S3 lifecycle settles ~55 s by provider design) overlap the
static checks. Files run in name order: test_package_glue_lib, test_terraform_checks,
test_terraform_contracts, then test_terraform_on_moto (which waits for the apply
and ends with the destroy).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support import terraform_offline as tfo  # noqa: E402

MOTO_FIXTURES = {"moto_stack", "moto_server", "moto_prod_stack"}


class BackgroundStack:
    """Start moto and apply the dev stack, then the prod stack beside it (two
    environments in one account), in a thread; tests wait for what they need."""

    def __init__(self) -> None:
        self.server = tfo.MotoServer()
        self.stack = tfo.MotoStack(self.server, "dev")
        # prod keeps its buckets on destroy; the test server's copy may go with its data.
        self.prod = tfo.MotoStack(
            self.server, "prod", extra_variables=("-var=force_destroy_buckets=true",)
        )
        self.error: BaseException | None = None
        self.server_ready = threading.Event()
        self.dev_ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="moto-apply", daemon=True)

    def _run(self) -> None:
        try:
            self.server.start()
            self.server_ready.set()
            self.stack.apply()
            self.dev_ready.set()
            self.prod.apply()
        except BaseException as exc:  # reported by wait()
            self.error = exc
        finally:
            self.server_ready.set()
            self.dev_ready.set()

    def start(self) -> BackgroundStack:
        self.thread.start()
        return self

    def wait(self) -> tfo.MotoStack:
        self.dev_ready.wait()
        if self.error is not None and not self.stack.applied:
            raise self.error
        return self.stack

    def wait_prod(self) -> tfo.MotoStack:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.prod

    def close(self, keep_log: bool = False) -> None:
        self.thread.join()
        try:
            for stack in (self.stack, self.prod):
                if stack.applied and not stack.destroyed:
                    stack.destroy()
        finally:
            self.server.stop()
            if self.stack.destroyed and self.prod.destroyed and not keep_log:
                self.server.remove_log()
            self.stack.cleanup()
            self.prod.cleanup()
            tfo.release_account_stack(self.server)


@pytest.fixture(scope="session", autouse=True)
def _background_stack(request: pytest.FixtureRequest) -> Iterator[BackgroundStack | None]:
    wanted = any(MOTO_FIXTURES & set(item.fixturenames) for item in request.session.items)
    if not wanted:
        yield None
        return
    background = BackgroundStack().start()
    yield background
    # A session with failures keeps moto's request log (terraform/.build/moto/).
    background.close(keep_log=request.session.testsfailed > 0)


@pytest.fixture(scope="session")
def moto_server(_background_stack: BackgroundStack | None) -> tfo.MotoServer:
    assert _background_stack is not None
    _background_stack.server_ready.wait()
    if _background_stack.error is not None and _background_stack.server.process is None:
        raise _background_stack.error
    return _background_stack.server


@pytest.fixture(scope="session")
def moto_stack(_background_stack: BackgroundStack | None) -> tfo.MotoStack:
    assert _background_stack is not None
    return _background_stack.wait()


@pytest.fixture(scope="session")
def moto_prod_stack(_background_stack: BackgroundStack | None) -> tfo.MotoStack:
    """envs/prod.tfvars applied to the same moto server as dev: one account."""
    assert _background_stack is not None
    return _background_stack.wait_prod()


@pytest.fixture(scope="session")
def terraform_initialised() -> Iterator[dict[str, Any]]:
    """init -backend=false in terraform/ (own data dir) and the validate result."""
    tfo.package_library()
    tfo.init_check_dir()
    yield tfo.validate()
    tfo.remove_check_dir()


@pytest.fixture(scope="session")
def static_reports(terraform_initialised: dict[str, Any]) -> tfo.StaticReports:
    """terraform test (every env) and checkov, run concurrently once per session."""
    return tfo.static_checks()


@pytest.fixture(scope="session")
def terraform_test_report(static_reports: tfo.StaticReports) -> tfo.TerraformTestReport:
    return static_reports.dev


def _resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)


@pytest.fixture(scope="session")
def mocked_stack(terraform_test_report: tfo.TerraformTestReport) -> dict[str, Any]:
    """The whole stack as `terraform test` applied it (mocked provider, dev tfvars):
    {"resources": {address: values}, "outputs": {name: value}}."""
    state = terraform_test_report.states.get(tfo.STACK_TEST_RUN)
    assert state is not None, (
        f"no state for {tfo.STACK_TEST_RUN}; runs: {sorted(terraform_test_report.runs)}"
    )
    values = state.get("values", state)
    resources = {r["address"]: r["values"] for r in _resources(values["root_module"])}
    outputs = {name: o["value"] for name, o in values.get("outputs", {}).items()}
    return {"resources": resources, "outputs": outputs}
