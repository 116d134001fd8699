#!/usr/bin/env bash
# The Hadoop S3A connector for local Spark (pyspark ships none), for the suite that runs
# the jobs on s3:// against a moto server (tests/infra/test_jobs_on_s3.py).
# Taken from the sagemaker-pyspark 1.4.5 sdist on PyPI (pinned by hash): hadoop-aws
# 3.3.1 and aws-java-sdk-bundle 1.11.901 only; its Python package and its pyspark==3.3.0
# requirement are never installed. Maven Central is not reachable here.
# Usage: scripts/fetch-s3-connector.sh [dest]  (default .tools/s3-connector); idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=${1:-.tools/s3-connector}
VERSION=1.4.5
SHA256=05ca2d5081d7138ce29a8fb0a9cba077f28c825288ed07aed46a82e63c0bf1fb
JARS=(hadoop-aws-3.3.1.jar aws-java-sdk-bundle-1.11.901.jar)
if [ -f "$DEST/${JARS[0]}" ] && [ -f "$DEST/${JARS[1]}" ]; then
  exit 0
fi
PYTHON=${PYTHON:-python3.11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching the S3A connector jars (sagemaker-pyspark $VERSION sdist, ~180 MB)" >&2
echo "sagemaker-pyspark==$VERSION --hash=sha256:$SHA256" > "$work/requirements.txt"
"$PYTHON" -m pip download --quiet --no-deps --no-binary :all: --require-hashes \
  -r "$work/requirements.txt" -d "$work" 2> >(grep -v "is ignored: it is neither" >&2)
mkdir -p "$DEST"
for jar in "${JARS[@]}"; do
  tar -xzf "$work/sagemaker_pyspark-$VERSION.tar.gz" -C "$work" "sagemaker_pyspark-$VERSION/deps/jars/$jar"
  mv "$work/sagemaker_pyspark-$VERSION/deps/jars/$jar" "$DEST/$jar"
done
echo "S3A connector in $DEST" >&2
