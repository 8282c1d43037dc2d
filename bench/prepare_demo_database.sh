#!/usr/bin/env bash
# Shared by bench/run_load.sh and bench/run_pages.sh: make the database DATABASE_URL names (creating
# it first on PostgreSQL, whose throwaway server starts with none), migrate, collect static files and
# load the demo data, under the settings the caller exported. Logs go to the folder given ($1).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$1"
BIN=.venv/bin
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  "$BIN/python" - <<'PY'
import os
from urllib.parse import urlparse

import psycopg

url = urlparse(os.environ["DATABASE_URL"])
with psycopg.connect(host=url.hostname, port=url.port, user=url.username, dbname="postgres", autocommit=True) as c:
    c.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
PY
fi
"$BIN/python" manage.py migrate --no-input -v 0
"$BIN/python" manage.py collectstatic --no-input -v 0
"$BIN/python" manage.py load_demo_data --allow-production -v 0 >"$OUT/load_demo_data.log"
