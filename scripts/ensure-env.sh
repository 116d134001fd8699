#!/usr/bin/env bash
# Create or refresh .venv from uv.lock (and .venv-checkov for the checkov group).
# Bootstraps uv into .tools/ when it is not on PATH; needs only python3.11 + Java 17.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.8
PYTHON=${PYTHON:-python3.11}
if command -v uv >/dev/null 2>&1; then
  UV=$(command -v uv)
else
  if [ ! -x .tools/bin/uv ]; then
    echo "bootstrapping uv $UV_VERSION into .tools/" >&2
    "$PYTHON" -m venv .tools
    .tools/bin/pip install --quiet "uv==$UV_VERSION"
  fi
  UV=.tools/bin/uv
fi
group=${1:-dev}
if [ "$group" = "checkov" ]; then
  UV_PROJECT_ENVIRONMENT=.venv-checkov "$UV" sync --frozen --quiet --no-default-groups --group checkov --python "$PYTHON"
else
  "$UV" sync --frozen --quiet --python "$PYTHON"
fi
