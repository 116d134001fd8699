"""Shared fixtures: ONE local Spark session for the whole test run."""

from __future__ import annotations

import os
import sys

import pytest

# Spark workers must use this interpreter (the project venv), not whatever is on PATH.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


@pytest.fixture(scope="session")
def spark():
    from lakehouse.spark import local_session

    session = local_session("lakehouse-tests")
    yield session
    session.stop()
