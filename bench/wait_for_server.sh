#!/usr/bin/env bash
# Shared by bench/run_load.sh and bench/run_pages.sh: wait up to 30 s for the server on 127.0.0.1:$1
# to answer /healthz, and fail if it never does.
set -euo pipefail
for _try in $(seq 60); do
  curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && exit 0
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null
