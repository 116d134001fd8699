"""A local "deployment": what `terraform apply` gives the jobs on AWS, for a lake
directory on this machine — dataset roots, the PII key secret, the default job
arguments, job names."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from lakehouse.layout import Roots

REPO_ROOT = Path(__file__).resolve().parents[2]
GLUE_JOBS_DIR = REPO_ROOT / "glue_jobs"
PII_SECRET_ID = "lakehouse-local/pii-hash-key"
LOCAL_ENVIRONMENT = "local"  # the --environment of local jobs (dev, prod on AWS)


def glue_job_names() -> list[str]:
    """Job names = entry-script stems, exactly as Terraform derives them."""
    return sorted(p.stem for p in GLUE_JOBS_DIR.glob("*.py") if not p.name.startswith("_"))


@dataclass(frozen=True)
class LocalDeployment:
    lake_dir: Path

    @classmethod
    def at(cls, lake_dir: str | Path) -> LocalDeployment:
        deployment = cls(Path(lake_dir).resolve())
        deployment.lake_dir.mkdir(parents=True, exist_ok=True)
        deployment._ensure_secrets()
        return deployment

    @property
    def roots(self) -> Roots:
        return Roots.local(self.lake_dir)

    @property
    def local_dir(self) -> Path:
        """Local-only state (secrets, executions, outbox): not part of any bucket."""
        return self.lake_dir / "_local"

    @property
    def secrets_file(self) -> Path:
        return self.local_dir / "secrets.json"

    @property
    def metrics_file(self) -> Path:
        """The local CloudWatch's PutMetricData requests (lakehouse/local/cloudwatch.py)."""
        from lakehouse.local.cloudwatch import metrics_file

        return metrics_file(self.lake_dir)

    def _ensure_secrets(self) -> None:
        # Like the Terraform-generated secret: random once per lake, then stable, so
        # tokens stay joinable across runs.
        if not self.secrets_file.exists():
            self.local_dir.mkdir(parents=True, exist_ok=True)
            self.secrets_file.write_text(
                json.dumps({PII_SECRET_ID: secrets.token_hex(32)}), "utf-8"
            )
            self.secrets_file.chmod(0o600)

    def default_arguments(self) -> dict[str, str]:
        """The arguments every Glue job gets from Terraform's default_arguments."""
        return {
            **self.roots.as_args(),
            "--pii_key_secret_id": PII_SECRET_ID,
            "--environment": LOCAL_ENVIRONMENT,
        }

    def script(self, job_name: str) -> Path:
        path = GLUE_JOBS_DIR / f"{job_name}.py"
        if not path.exists():
            raise FileNotFoundError(f"no Glue entry script {path}; jobs are {glue_job_names()}")
        return path


def existing_lake(path: str | Path, *, writes: bool = True) -> Path:
    """The lake folder ``path`` for a command that uses an existing lake (``run``,
    ``status``, ``report``, ``query``, ``job``): a typo must not create a new lake, so
    a missing path, a file, a folder that holds no lake, or (when the command writes)
    a read-only folder raises :class:`lakehouse.cli.CliError` and creates nothing.
    ``generate`` and ``demo`` create lakes. A lake is a folder with the raw landing
    bucket folder (what ``generate`` writes) or the local runtime's ``_local``."""
    import os

    from lakehouse.cli import CliError
    from lakehouse.layout import local_bucket_name

    folder = Path(path)
    create = (
        f"create one with `lakehouse generate --out {path}` (or `lakehouse demo --lake {path}`)"
    )
    if not folder.exists():
        raise CliError(f"no lake at {path}: {create}")
    if not folder.is_dir():
        raise CliError(f"{path} is a file, not a lake folder")
    if not ((folder / local_bucket_name("raw")).is_dir() or (folder / "_local").is_dir()):
        raise CliError(f"{path} holds no lake: {create}")
    if writes and not os.access(folder, os.W_OK | os.X_OK):
        raise CliError(f"{path} is read-only: the local runtime writes its records there")
    return folder
