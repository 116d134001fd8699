"""Offline proof of the Terraform stack: one implementation for the make targets
and for tests/infra.

    python -m tests.support.terraform_offline check   # make tf-check
    python -m tests.support.terraform_offline moto    # make tf-moto

check: terraform fmt -check, init -backend=false + validate, `terraform test` with
a mocked AWS provider, checkov (offline). moto: start moto_server on a free
loopback port (tests/support/moto_launcher.py), apply the dev environment to it
through a moto override file, re-plan (must be "no changes"), assert the deployed
resources through boto3 (tests/support/stack_checks.py), destroy, assert nothing
is left, stop the server by its PID.

Provider installation: a filesystem mirror holding registry.terraform.io/hashicorp/aws
is detected (TF_PROVIDER_MIRROR, then common places) and used through a generated
CLI config; without one, Terraform uses the public registry as usual.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
TF_DIR = REPO_ROOT / "terraform"
BUILD_DIR = TF_DIR / ".build"
# Per process: a concurrent `make tf-check` and pytest must not init into one dir.
CHECK_DATA_DIR = BUILD_DIR / "tf-data" / f"check-{os.getpid()}"
VENV_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
CHECKOV = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"
MOTO_LAUNCHER = Path(__file__).with_name("moto_launcher.py")
PACKAGE_SCRIPT = REPO_ROOT / "scripts" / "package_glue_lib.py"

PROVIDER_PATH = Path("registry.terraform.io") / "hashicorp" / "aws"
MIRROR_CANDIDATES = (
    Path("/opt/tf-plugins"),
    Path.home() / ".terraform.d" / "plugins",
    Path.home() / ".local" / "share" / "terraform" / "plugins",
    Path("/usr/local/share/terraform/plugins"),
    Path("/usr/share/terraform/plugins"),
)
# Every service the stack uses: the moto override points each endpoint at moto.
MOTO_SERVICES = (
    "athena",
    "cloudwatch",
    "dynamodb",
    "events",
    "glue",
    "iam",
    "kms",
    "lakeformation",
    "logs",
    "s3",
    "scheduler",
    "secretsmanager",
    "sfn",
    "sns",
    "sts",
)
MOTO_REGION = "eu-west-1"
STACK_TEST_RUN = ("tests/stack.tftest.hcl", "stack")
# Environments other than dev (which runs every test file): the stack test with their tfvars.
PROD_LIKE_VAR_FILES = tuple(
    f"envs/{p.name}" for p in sorted((TF_DIR / "envs").glob("*.tfvars")) if p.name != "dev.tfvars"
)


class OfflineCheckError(RuntimeError):
    """A step of the offline proof failed; the message says which and why."""


# ------------------------------------------------------------------ environment
def find_provider_mirror() -> Path | None:
    """Root of a filesystem mirror holding hashicorp/aws, or None (use the registry)."""
    configured = os.environ.get("TF_PROVIDER_MIRROR")
    candidates = [Path(configured)] if configured else []
    for root in [*candidates, *MIRROR_CANDIDATES]:
        if (root / PROVIDER_PATH).is_dir():
            return root
    if configured:
        print(f"TF_PROVIDER_MIRROR={configured} holds no {PROVIDER_PATH}; trying defaults")
    return None


def write_cli_config(mirror: Path) -> Path:
    """CLI config installing hashicorp/* from the mirror (git-ignored, one per mirror)."""
    config = BUILD_DIR / f"terraformrc-{hashlib.sha1(str(mirror).encode()).hexdigest()[:10]}"
    text = (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        '    include = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "}\n"
    )
    if not config.is_file() or config.read_text() != text:
        temporary = config.with_name(f"{config.name}.{os.getpid()}.tmp")
        temporary.write_text(text)
        temporary.replace(config)  # atomic: concurrent terraform runs read a whole file
    return config


def terraform_env() -> dict[str, str]:
    """Environment for terraform: mirror CLI config when found, shared plugin cache."""
    env = dict(os.environ)
    env.update(
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",  # no version check call to HashiCorp
        TF_PLUGIN_CACHE_DIR=str(BUILD_DIR / "plugin-cache"),
        # Fresh work dirs have no lock file; the cache is still the same provider.
        TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE="true",
    )
    (BUILD_DIR / "plugin-cache").mkdir(parents=True, exist_ok=True)
    mirror = find_provider_mirror()
    if mirror is not None:
        env["TF_CLI_CONFIG_FILE"] = str(write_cli_config(mirror))
    elif env.get("TF_CLI_CONFIG_FILE") and not Path(env["TF_CLI_CONFIG_FILE"]).is_file():
        env.pop("TF_CLI_CONFIG_FILE")  # a dangling setting only produces warnings
    return env


def run(
    args: list[str],
    *,
    cwd: Path = TF_DIR,
    env: dict[str, str] | None = None,
    check: bool = True,
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args,
        cwd=cwd,
        env=env if env is not None else terraform_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise OfflineCheckError(
            f"`{' '.join(args)}` (in {cwd}) exited {result.returncode}\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
        )
    return result


def package_library() -> Path:
    """Build terraform/.build/lakehouse.zip (the stack uploads it)."""
    run([str(VENV_PYTHON), str(PACKAGE_SCRIPT)], cwd=REPO_ROOT, env=dict(os.environ))
    return BUILD_DIR / "lakehouse.zip"


@contextlib.contextmanager
def timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        timings[step] = round(time.monotonic() - start, 1)


# ------------------------------------------------------------------ static checks
def fmt_check() -> list[str]:
    """Files terraform fmt would change (empty: formatted)."""
    result = run(["terraform", "fmt", "-check", "-recursive", "-list=true", "."], check=False)
    if result.returncode not in (0, 3):
        raise OfflineCheckError(f"terraform fmt failed:\n{result.stderr}")
    return [line for line in result.stdout.splitlines() if line.strip()]


def check_env() -> dict[str, str]:
    env = terraform_env()
    env["TF_DATA_DIR"] = str(CHECK_DATA_DIR)
    return env


def init_check_dir() -> None:
    """terraform init -backend=false in terraform/ (own data dir: a user's real
    `terraform init` with a backend stays untouched)."""
    run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], env=check_env())


def validate() -> dict[str, Any]:
    result = run(["terraform", "validate", "-json", "-no-color"], env=check_env(), check=False)
    return json.loads(result.stdout)


@dataclass
class TerraformTestReport:
    runs: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, run) -> status
    diagnostics: list[str] = field(default_factory=list)
    states: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def merge(self, other: TerraformTestReport) -> TerraformTestReport:
        self.runs.update(other.runs)
        self.diagnostics += other.diagnostics
        self.states.update(other.states)
        return self

    @property
    def passed(self) -> bool:
        return bool(self.runs) and all(s == "pass" for s in self.runs.values())

    def failures(self) -> list[str]:
        bad = [f"{f}::{r} {s}" for (f, r), s in sorted(self.runs.items()) if s != "pass"]
        return bad + self.diagnostics


def terraform_test(var_file: str = "envs/dev.tfvars", *test_files: str) -> TerraformTestReport:
    """`terraform test` (mocked provider) with an environment's tfvars, all test files
    or the given ones; keeps every run's state (-json -verbose) for the contract tests."""
    if not (BUILD_DIR / "lakehouse.zip").is_file():
        package_library()
    filters = [f"-filter={name}" for name in test_files]
    result = run(
        ["terraform", "test", "-json", "-verbose", f"-var-file={var_file}", "-no-color", *filters],
        env=check_env(),
        check=False,
    )
    report = TerraformTestReport()
    for line in result.stdout.splitlines():
        message = json.loads(line)
        kind = message.get("type")
        key = (message.get("@testfile", ""), message.get("@testrun", ""))
        if kind == "test_run" and message["test_run"].get("progress") == "complete":
            report.runs[key] = message["test_run"]["status"]
        elif kind == "test_state":
            report.states[key] = message["test_state"]
        elif kind == "diagnostic" and message["diagnostic"]["severity"] == "error":
            diag = message["diagnostic"]
            report.diagnostics.append(
                f"{key[0]}::{key[1]} {diag['summary']}: {diag.get('detail', '')}"
            )
        elif kind == "test_summary":
            report.summary = message["test_summary"]
    if not report.runs:
        raise OfflineCheckError(
            f"terraform test reported no runs:\n{result.stdout[-4000:]}\n{result.stderr}"
        )
    return report


@dataclass
class CheckovReport:
    passed: int
    failed: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    parsing_errors: int = 0

    def describe_failures(self) -> list[str]:
        return [
            f"{c['check_id']} {c['check_name']} - {c['resource']} "
            f"({c['file_path']}:{c['file_line_range'][0]})"
            for c in self.failed
        ]


def ensure_checkov() -> Path:
    """checkov lives in its own venv (its pins conflict with Airflow's)."""
    if not CHECKOV.exists():
        run(["scripts/ensure-env.sh", "checkov"], cwd=REPO_ROOT, env=dict(os.environ), timeout=1800)
    return CHECKOV


def checkov() -> CheckovReport:
    """checkov on terraform/, offline: no download of its vendor's mappings."""
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
    result = run(
        [
            str(ensure_checkov()),
            "--directory",
            ".",
            "--framework",
            "terraform",
            "--skip-download",
            "--skip-path",
            r"\.build",
            "--skip-path",
            r"\.terraform",
            "--output",
            "json",
            "--compact",
        ],
        env=env,
        check=False,
        timeout=600,
    )
    if result.returncode not in (0, 1):
        raise OfflineCheckError(
            f"checkov failed to run:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    data = json.loads(result.stdout)
    reports = data if isinstance(data, list) else [data]
    report = CheckovReport(passed=0, failed=[], skipped=[])
    for part in reports:
        results = part.get("results", {})
        report.passed += len(results.get("passed_checks", []))
        report.failed += results.get("failed_checks", [])
        report.skipped += results.get("skipped_checks", [])
        report.parsing_errors += part.get("summary", {}).get("parsing_errors", 0)
    if report.passed == 0:
        raise OfflineCheckError(
            f"checkov evaluated nothing:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return report


def test_file_groups() -> list[list[str]]:
    """tests/*.tftest.hcl in three groups of similar cost: the whole-stack file alone,
    the module files split in two. Groups run as parallel `terraform test` processes."""
    files = sorted(
        p.relative_to(TF_DIR).as_posix() for p in (TF_DIR / "tests").glob("*.tftest.hcl")
    )
    modules = [f for f in files if f != STACK_TEST_RUN[0]]
    return [[STACK_TEST_RUN[0]], modules[0::2], modules[1::2]]


@dataclass
class StaticReports:
    dev: TerraformTestReport  # every test file with envs/dev.tfvars
    environments: dict[str, TerraformTestReport]  # the stack test with each other env's tfvars
    checkov: CheckovReport


def static_checks() -> StaticReports:
    """`terraform test` (dev: every file; other envs: the stack file) and checkov, run
    concurrently: each is mostly one single-threaded process. Needs init_check_dir()."""
    package_library()
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        dev = [
            pool.submit(terraform_test, "envs/dev.tfvars", *group)
            for group in test_file_groups()
            if group
        ]
        environments = {
            var_file: pool.submit(terraform_test, var_file, STACK_TEST_RUN[0])
            for var_file in PROD_LIKE_VAR_FILES
        }
        checkov_report = pool.submit(checkov)
        merged = TerraformTestReport()
        for future in dev:
            merged.merge(future.result())
        return StaticReports(
            dev=merged,
            environments={v: f.result() for v, f in environments.items()},
            checkov=checkov_report.result(),
        )


def check(timings: dict[str, float] | None = None) -> int:
    """make tf-check: every static step; prints `failed checks: N`."""
    timings = {} if timings is None else timings
    problems: list[str] = []
    with timed(timings, "fmt"):
        unformatted = fmt_check()
    problems += [f"terraform fmt would change {path}" for path in unformatted]
    print(f"terraform fmt -check: {unformatted if unformatted else 'ok'}")

    with timed(timings, "init+validate"):
        package_library()
        init_check_dir()
        validation = validate()
    problems += [
        f"validate: {d['summary']}: {d.get('detail', '')}"
        for d in validation.get("diagnostics", [])
        if d["severity"] == "error"
    ]
    print(f"terraform validate: {'ok' if validation.get('valid') else 'INVALID'}")

    with timed(timings, "terraform test + checkov (parallel)"):
        reports = static_checks()
    passed = sum(status == "pass" for status in reports.dev.runs.values())
    print(f"terraform test (dev tfvars): {passed}/{len(reports.dev.runs)} runs passed")
    problems += reports.dev.failures()
    # The other environments: the whole stack, mocked, with their tfvars (validations included).
    for var_file, report in reports.environments.items():
        print(f"terraform test ({var_file}): {'ok' if report.passed else 'FAILED'}")
        problems += [f"{var_file}: {failure}" for failure in report.failures()]

    ck = reports.checkov
    print(f"checkov: {ck.passed} passed, {len(ck.skipped)} skipped (inline, with reasons)")
    for failure in ck.describe_failures():
        print(f"  FAILED {failure}")
    print(f"failed checks: {len(ck.failed)}")
    problems += [f"checkov: {f}" for f in ck.describe_failures()]
    if ck.parsing_errors:
        problems.append(f"checkov could not parse {ck.parsing_errors} file(s)")

    print("wall times: " + ", ".join(f"{step} {secs} s" for step, secs in timings.items()))
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    remove_check_dir()
    return 1 if problems else 0


def remove_check_dir() -> None:
    shutil.rmtree(CHECK_DATA_DIR, ignore_errors=True)


# ------------------------------------------------------------------ moto
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MotoServer:
    """moto_server (with the launcher's shims) on a free loopback port; stopped by PID."""

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = BUILD_DIR / "moto" / f"moto-{os.getpid()}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, attempts: int = 3) -> MotoServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(attempts):
            self.port = free_port()
            env = dict(
                os.environ,
                MOTO_PORT=str(self.port),
                MOTO_IAM_LOAD_MANAGED_POLICIES="true",
                PYTHONUNBUFFERED="1",
            )
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    [str(VENV_PYTHON), str(MOTO_LAUNCHER), "--port", str(self.port)],
                    cwd=REPO_ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_ready():
                return self
            self.stop()
        raise OfflineCheckError(f"moto_server did not start; see {self.log_path}")

    def _wait_ready(self, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=2),
            ):
                return True
            time.sleep(0.3)
        return False

    def remove_log(self) -> None:
        """Drop the request log of a run that passed (failed runs keep theirs)."""
        self.log_path.unlink(missing_ok=True)

    def stop(self) -> None:
        """Stop the server this object started (by its PID only)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


def moto_override(endpoint: str) -> str:
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in MOTO_SERVICES)
    return f"""# Generated by tests/support/terraform_offline.py for the offline moto run.
provider "aws" {{
  region                      = "{MOTO_REGION}"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  # false: the account id comes from moto's STS (true gives ARNs without an account
  # and a diff on every plan)
  skip_requesting_account_id = false
  s3_use_path_style          = true
  # moto's threaded server can answer HTTP 500 under a parallel destroy (seen once on
  # RemoveLFTagsFromResource with 2 attempts); the provider retries 5xx with backoff as
  # against AWS (default 25 attempts), 4xx answers are not retried
  max_retries = 5

  endpoints {{
{endpoints}
  }}
}}
"""


def tfvars_string(path: Path, name: str) -> str:
    """A top-level `name = "value"` assignment of a tfvars file."""
    match = re.search(rf'^\s*{name}\s*=\s*"([^"]*)"', path.read_text(), re.MULTILINE)
    if not match:
        raise OfflineCheckError(f"{path} sets no {name}")
    return match.group(1)


class MotoStack:
    """A root module applied to moto from a private copy.

    The copy (terraform/.build/moto/run-<pid>-<name>/terraform/) holds the root's *.tf
    files plus the generated moto_override.tf, with modules/, envs/ and the repository
    folders the stack reads linked in: the real terraform/ never carries the override,
    so a concurrent plan against AWS can never pick it up. Each copy has its own state,
    so several environments can be applied side by side to one server.

    ``env_name`` picks envs/<env_name>.tfvars. Before the first environment of a server
    is applied, the account stack (terraform/account/) is applied to it once, as a
    first deploy on a real account needs (it makes the deployer a Lake Formation
    administrator, keeping the account's existing ones).
    """

    root_dir = TF_DIR

    def __init__(
        self, server: MotoServer, env_name: str = "dev", extra_variables: tuple[str, ...] = ()
    ) -> None:
        self.server = server
        self.env_name = env_name
        self.workspace = BUILD_DIR / "moto" / f"run-{os.getpid()}-{env_name}"
        self.workdir = self.workspace / "terraform"
        # terraform output of the latest run, kept
        self.log_dir = BUILD_DIR / "moto" / "last-run" / env_name
        self.var_file = TF_DIR / "envs" / f"{env_name}.tfvars"
        self.project = tfvars_string(self.var_file, "project") if self.var_file.exists() else ""
        self.env = tfvars_string(self.var_file, "env") if self.var_file.exists() else ""
        self.extra_variables = extra_variables
        self.timings: dict[str, float] = {}
        self.applied = False
        self.destroyed = False

    # moto treats any Deny with a Condition as matching (the TLS-only Deny would
    # block uploads): the one setting that differs from a real dev deployment.
    @property
    def variables(self) -> list[str]:
        return [
            f"-var-file={self.var_file}",
            "-var=bucket_deny_statements=false",
            *self.extra_variables,
        ]

    def tf_env(self) -> dict[str, str]:
        env = terraform_env()
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
            env.pop(name, None)
        env.update(
            AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_EC2_METADATA_DISABLED="true"
        )
        return env

    def terraform(
        self, *args: str, check: bool = True, timeout: float = 900
    ) -> subprocess.CompletedProcess[str]:
        try:
            result = run(
                ["terraform", *args],
                cwd=self.workdir,
                env=self.tf_env(),
                check=False,
                timeout=timeout,
            )
        finally:
            self.log_dir.mkdir(parents=True, exist_ok=True)
        (self.log_dir / f"{args[0]}.log").write_text(result.stdout + result.stderr)
        if check and result.returncode != 0:
            raise OfflineCheckError(
                f"terraform {args[0]} exited {result.returncode} "
                f"(log: {self.log_dir / args[0]}.log)\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def prepare(self) -> None:
        if self.workspace.exists():
            shutil.rmtree(self.workspace)
        self.workdir.mkdir(parents=True)
        for entry in REPO_ROOT.iterdir():
            if entry.name != "terraform" and not entry.name.startswith("."):
                (self.workspace / entry.name).symlink_to(entry)
        for entry in self.root_dir.iterdir():
            if entry.suffix == ".tf":
                shutil.copy2(entry, self.workdir / entry.name)
            elif entry.name in ("modules", "envs", ".build"):
                (self.workdir / entry.name).symlink_to(entry)
        (self.workdir / "moto_override.tf").write_text(moto_override(self.server.url))

    def apply(self) -> None:
        package_library()
        ensure_account_stack(self.server)
        self.prepare()
        with timed(self.timings, "init"):
            self.terraform("init", "-input=false", "-no-color")
        with timed(self.timings, "apply"):
            self.terraform(
                "apply",
                "-auto-approve",
                "-input=false",
                "-no-color",
                "-parallelism=20",
                *self.variables,
            )
        self.applied = True

    def plan_exit_code(self) -> tuple[int, str]:
        """terraform plan -detailed-exitcode: 0 = no changes, 2 = changes."""
        with timed(self.timings, "plan"):
            result = self.terraform(
                "plan",
                "-detailed-exitcode",
                "-input=false",
                "-no-color",
                "-parallelism=20",
                *self.variables,
                check=False,
            )
        return result.returncode, result.stdout + result.stderr

    def outputs(self) -> dict[str, Any]:
        raw = json.loads(self.terraform("output", "-json").stdout)
        return {name: value["value"] for name, value in raw.items()}

    def destroy(self) -> None:
        # No refresh: the state was just re-planned clean, and what is left afterwards
        # is checked through boto3 (stack_checks.check_nothing_left).
        with timed(self.timings, "destroy"):
            self.terraform(
                "destroy",
                "-auto-approve",
                "-input=false",
                "-no-color",
                "-refresh=false",
                "-parallelism=20",
                *self.variables,
            )
        self.destroyed = True

    def cleanup(self) -> None:
        if self.destroyed and self.workspace.exists():
            shutil.rmtree(self.workspace)


class AccountStack(MotoStack):
    """terraform/account/ on moto: the account-level settings, applied once per server
    and never destroyed (its settings resource has prevent_destroy, as on AWS)."""

    root_dir = TF_DIR / "account"

    def __init__(self, server: MotoServer) -> None:
        super().__init__(server, env_name="account")

    @property
    def variables(self) -> list[str]:
        return [f"-var=aws_region={MOTO_REGION}"]

    def apply(self) -> None:
        self.prepare()
        with timed(self.timings, "init"):
            self.terraform("init", "-input=false", "-no-color")
        with timed(self.timings, "apply"):
            self.terraform("apply", "-auto-approve", "-input=false", "-no-color", *self.variables)
        self.applied = True

    def cleanup(self) -> None:
        if self.workspace.exists():
            shutil.rmtree(self.workspace)


_ACCOUNT_STACKS: dict[str, AccountStack] = {}
_ACCOUNT_LOCK = threading.Lock()


def ensure_account_stack(server: MotoServer) -> AccountStack:
    """Apply terraform/account/ to ``server`` once (thread-safe)."""
    with _ACCOUNT_LOCK:
        stack = _ACCOUNT_STACKS.get(server.url)
        if stack is None:
            stack = AccountStack(server)
            stack.apply()
            _ACCOUNT_STACKS[server.url] = stack
        return stack


def release_account_stack(server: MotoServer) -> None:
    """Forget (and remove the working copy of) the account stack of a stopped server."""
    with _ACCOUNT_LOCK:
        stack = _ACCOUNT_STACKS.pop(server.url, None)
    if stack is not None:
        stack.cleanup()


def moto(timings: dict[str, float] | None = None) -> int:
    """make tf-moto: apply, re-plan, assert, destroy, assert nothing is left."""
    from tests.support import stack_checks

    timings = {} if timings is None else timings
    problems: list[str] = []
    server = MotoServer()
    with timed(timings, "moto start"):
        server.start()
    print(f"moto_server pid {server.process.pid if server.process else '?'} on {server.url}")
    stack = MotoStack(server)
    try:
        stack.apply()
        print(f"apply: ok ({stack.timings['apply']} s)")
        code, plan_output = stack.plan_exit_code()
        if code != 0:
            problems.append(f"re-plan is not clean (exit {code}):\n{plan_output[-6000:]}")
        print(f"re-plan: {'no changes' if code == 0 else f'exit {code}'}")
        context = stack_checks.StackContext.from_stack(stack)
        for name, check_fn in stack_checks.DEPLOYED_CHECKS.items():
            failure = stack_checks.safe(check_fn, context)
            print(f"deployed {name}: {'ok' if failure is None else f'FAILED {failure}'}")
            if failure is not None:
                problems.append(f"deployed {name}: {failure}")
        stack.destroy()
        failure = stack_checks.safe(stack_checks.check_nothing_left, context)
        print(f"destroy: {'nothing left' if failure is None else f'FAILED {failure}'}")
        if failure is not None:
            problems.append(f"destroy: {failure}")
    finally:
        if stack.applied and not stack.destroyed:
            with contextlib.suppress(OfflineCheckError):
                stack.destroy()
        server.stop()
        stack.cleanup()
        release_account_stack(server)
    if not problems:
        server.remove_log()
    timings.update(stack.timings)
    print("wall times: " + ", ".join(f"{step} {secs} s" for step, secs in timings.items()))
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["check", "moto", "package"])
    args = parser.parse_args(argv)
    if args.step == "package":
        print(package_library())
        return 0
    start = time.monotonic()
    timings: dict[str, float] = {}
    code = check(timings) if args.step == "check" else moto(timings)
    print(f"tf-{args.step} total wall time: {time.monotonic() - start:.1f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
