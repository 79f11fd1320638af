#!/usr/bin/env bash
# Runs the local S3-compatible server the S3 tests use (moto, see tests/servers/s3_server.py)
# in the foreground, for trying `s3://` table URIs by hand:
#
#   scripts/s3_server.sh [PORT] [BUCKET]        (defaults: 9000, lake)
#   AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
#     build/hashlake lake describe 's3://lake/posts?endpoint=http://127.0.0.1:9000&region=us-east-1'
#
# Needs moto[server] in the project venv (requirements-dev.txt).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${1:-9000}"
bucket="${2:-lake}"
exec "$root/.venv/bin/python" "$root/tests/servers/s3_server.py" --port "$port" --bucket "$bucket"
