#!/usr/bin/env bash
# Issue 18's page table measured as the issue measured it: one gunicorn server with the production
# settings, medians of sequential requests over HTTP, each page's ratio to the bare home page `/`.
#
#   bench/run_pages.sh             # SQLite (a throwaway file) and PostgreSQL (a throwaway server)
#   DATABASES_TO_RUN=sqlite bench/run_pages.sh
#   RUNS=50 bench/run_pages.sh     # requests per page (30)
#
# For each database: migrate, load the demo data, serve with gunicorn (one sync worker, so the
# requests are sequential and nothing else shares the process) under config.settings.production
# with a freshly generated secret key, then bench/bench_pages.py --http signs the demo people in
# (sessions created in the same database) and prints the table. bench/bench_pages.py without
# --http measures the same pages through Django's test client instead (no server, no network).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
RUNS="${RUNS:-30}"
PORT="${PORT:-8766}"
OUT="var/bench-pages"
mkdir -p "$OUT"

random_secret() { "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))'; }

if [ "${BENCH_PAGES_INSIDE:-}" = "1" ]; then
  export DJANGO_SETTINGS_MODULE=config.settings.production
  export DJANGO_SECRET_KEY="$(random_secret)"
  export HAMKORI_CODE_PEPPER="$(random_secret)"
  export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
  export DJANGO_SECURE_SSL_REDIRECT=false
  export DJANGO_LOG_LEVEL=WARNING
  export DJANGO_MEDIA_ROOT="$OUT/media"
  bench/prepare_demo_database.sh "$OUT"
  "$BIN/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers 1 --keep-alive 75 \
    --log-level warning --error-logfile "$OUT/gunicorn.log" &
  GUNICORN_PID=$!
  trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
  bench/wait_for_server.sh "$PORT"
  "$BIN/python" bench/bench_pages.py "$RUNS" --http "http://127.0.0.1:$PORT"
  exit 0
fi

for database in ${DATABASES_TO_RUN:-sqlite postgresql}; do
  echo "== $database"
  if [ "$database" = "sqlite" ]; then
    file="$(mktemp -d)/bench-pages.sqlite3"
    DATABASE_URL="sqlite:///$file" BENCH_PAGES_INSIDE=1 "$0"
    rm -rf "$(dirname "$file")"
  else
    BENCH_PAGES_INSIDE=1 scripts/with_postgres.sh "$0"
  fi
done
