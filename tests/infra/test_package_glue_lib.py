"""scripts/package_glue_lib.py: the library zip Glue jobs load (--extra-py-files)."""

from __future__ import annotations

import hashlib
import importlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.infra

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "package_glue_lib.py"


def _load_packager():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        return importlib.import_module("package_glue_lib")
    finally:
        sys.path.remove(str(SCRIPT.parent))


packager = _load_packager()


def test_zip_ships_the_package_without_the_local_runtime(tmp_path: Path) -> None:
    output = tmp_path / "lakehouse.zip"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)], check=True, cwd=REPO_ROOT
    )

    names = zipfile.ZipFile(output).namelist()
    expected = {
        p.relative_to(REPO_ROOT).as_posix()
        for p in (REPO_ROOT / "lakehouse").rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix not in {".pyc", ".pyo"}
        and p.relative_to(REPO_ROOT / "lakehouse").parts[0] != "local"
    }
    assert set(names) == expected
    assert "lakehouse/__init__.py" in names
    assert "lakehouse/contracts/_layers.json" in names
    assert not [n for n in names if n.startswith("lakehouse/local/")], (
        "the local runtime must not ship"
    )
    assert names == sorted(names), "entries are sorted (deterministic order)"


def test_same_sources_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    packager.write_zip(first)
    packager.write_zip(second)
    assert first.read_bytes() == second.read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(first).infolist()} == {packager.FIXED_DATE_TIME}


def test_unchanged_zip_is_not_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "lakehouse.zip"
    _, written = packager.write_zip(output)
    mtime = output.stat().st_mtime_ns
    _, rewritten = packager.write_zip(output)
    assert written and not rewritten
    assert output.stat().st_mtime_ns == mtime


def test_a_changed_source_changes_the_hash(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        REPO_ROOT / "lakehouse", source / "lakehouse", ignore=shutil.ignore_patterns("__pycache__")
    )
    before = hashlib.md5(packager.build_zip(source)).hexdigest()
    (source / "lakehouse" / "layout.py").write_text("# changed\n", encoding="utf-8")
    after = hashlib.md5(packager.build_zip(source)).hexdigest()
    assert before != after


def test_contracts_load_from_the_zip(tmp_path: Path) -> None:
    """Glue imports the library from the zip: package data must be readable there."""
    output = tmp_path / "lakehouse.zip"
    packager.write_zip(output)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import lakehouse.contracts as c, lakehouse.contracts.catalog as cat;"
        "assert c.__file__.startswith(sys.argv[1]), c.__file__;"
        "print(len(cat.table_definitions()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(output)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert int(result.stdout) > 0
