#!/usr/bin/env bash
# `make run`'s last step: the development server and, beside it, the background worker that runs
# queued jobs (bulk certificates, large exports, report rebuilds; docs/scaling.md). Ctrl+C, or the
# end of the server for any other reason, stops the worker too.
#   scripts/run_dev.sh 127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
address=${1:-127.0.0.1:8000}
python=.venv/bin/python

# --no-reload: runserver already restarts on code changes; a worker that reloads itself would
# leave a second process for the trap below to miss.
"$python" manage.py db_worker --backend background --no-reload --interval 2 &
worker=$!
stop_worker() {
  if kill -0 "$worker" 2>/dev/null; then
    kill -TERM "$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "Background worker started (process $worker); it stops with the server."
"$python" manage.py runserver "$address"
