"""Build the library zip that Glue jobs get as --extra-py-files.

    python scripts/package_glue_lib.py            # -> terraform/.build/lakehouse.zip

The zip holds the `lakehouse/` package (code and package data such as the
contract JSON files) and nothing of `lakehouse/local/`: the local runtime never
ships to Glue. The build is deterministic (sorted entries, fixed timestamps and
modes), so the same sources give the same bytes and Terraform's hash of the
file changes only when the library does. The file is rewritten only when its
content changes. Terraform uploads the prebuilt file; it cannot build it, as no
archive provider is used by the stack.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "lakehouse"
DEFAULT_OUTPUT = REPO_ROOT / "terraform" / ".build" / "lakehouse.zip"
# Subpackages that never ship to Glue (package-relative paths).
EXCLUDED_DIRS = ("local",)
EXCLUDED_NAMES = ("__pycache__",)
EXCLUDED_SUFFIXES = (".pyc", ".pyo")
# Zip timestamps cannot precede 1980; a constant keeps the bytes reproducible.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644 << 16


def shipped_files(source_root: Path = REPO_ROOT) -> list[Path]:
    """Package files to ship, as paths relative to `source_root`, sorted."""
    package_dir = source_root / PACKAGE
    if not (package_dir / "__init__.py").is_file():
        raise FileNotFoundError(f"no package at {package_dir} (expected {PACKAGE}/__init__.py)")
    files = []
    for path in package_dir.rglob("*"):
        relative = path.relative_to(package_dir)
        if not path.is_file() or path.suffix in EXCLUDED_SUFFIXES:
            continue
        if relative.parts[0] in EXCLUDED_DIRS or set(relative.parts) & set(EXCLUDED_NAMES):
            continue
        files.append(path.relative_to(source_root))
    return sorted(files, key=lambda p: p.as_posix())


def build_zip(source_root: Path = REPO_ROOT) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in shipped_files(source_root):
            info = zipfile.ZipInfo(relative.as_posix(), date_time=FIXED_DATE_TIME)
            info.external_attr = FILE_MODE
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever machine builds it
            archive.writestr(info, (source_root / relative).read_bytes(), compresslevel=9)
    return buffer.getvalue()


def write_zip(output: Path = DEFAULT_OUTPUT, source_root: Path = REPO_ROOT) -> tuple[Path, bool]:
    """Write the zip when its content changed; return (path, whether it was written)."""
    content = build_zip(source_root)
    if output.is_file() and output.read_bytes() == content:
        return output, False
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(
        f".{output.name}.{os.getpid()}.tmp"
    )  # concurrent builds never share it
    temporary.write_bytes(content)
    temporary.replace(output)
    return output, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    path, written = write_zip(args.output)
    digest = hashlib.md5(path.read_bytes()).hexdigest()  # same hash as Terraform's filemd5
    state = "written" if written else "unchanged"
    print(f"{path} {state} ({len(shipped_files())} files, md5 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
