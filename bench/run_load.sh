#!/usr/bin/env bash
# The load test of issue 18 against gunicorn + PostgreSQL with production settings.
#
#   bench/run_load.sh                      # 50, then 100 simulated users, 60 s each
#   USERS="10" RUN_TIME=20 bench/run_load.sh   # a quick check
#
# Starts a throwaway PostgreSQL (scripts/with_postgres.sh), migrates, loads the demo data and the
# bench data (bench/load_data.py), serves with gunicorn (gthread) under
# config.settings.production with a freshly generated DJANGO_SECRET_KEY and HAMKORI_CODE_PEPPER,
# runs locust headless (bench/locustfile.py) once per number in USERS, prints p50/p95 per endpoint
# and the errors, then where the CPU went (bench/cpu_use.py: the server's, PostgreSQL's and the load
# generator's seconds, the CPU per request and the most requests a second the cores could serve),
# and exits non-zero if any request failed. CSV files and logs: var/bench-load/.
#
# Settings bent for the bench, all through the environment, none in code:
# - DJANGO_SECURE_SSL_REDIRECT=false: no TLS proxy in front; the client sends the Secure cookies over
#   plain HTTP itself (bench/locustfile.py).
# - HAMKORI_TRUSTED_PROXIES=127.0.0.1: each simulated person sends its own address in
#   X-Forwarded-For, as nginx would, so the sign-in throttles keep their production limits and count
#   each phone separately. Without it every sign-in would come from 127.0.0.1, and a handful of
#   trainees signing in at the same instant would exhaust the per-address budget
#   (HAMKORI_THROTTLE_FAILURES) with reservations alone.
#
# Knobs (environment): USERS ("50 100"), RUN_TIME (seconds, 60), SPAWN_RATE (users/s, 10),
# WORKERS (gunicorn processes, 3), THREADS (per process, 4), KEEP_ALIVE (seconds, 75), PORT (8765).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BENCH_LOAD_INSIDE:-}" != "1" ]; then
  exec env BENCH_LOAD_INSIDE=1 scripts/with_postgres.sh "$0" "$@"
fi

USERS="${USERS:-50 100}"
RUN_TIME="${RUN_TIME:-60}"
SPAWN_RATE="${SPAWN_RATE:-10}"
WORKERS="${WORKERS:-3}"
THREADS="${THREADS:-4}"
PORT="${PORT:-8765}"
# Seconds gunicorn keeps an idle connection open. Its default (2 s) is shorter than a simulated
# person's pause between pages, so the server closed connections the client was about to reuse
# ("Remote end closed connection without response"); behind nginx, which keeps its own upstream
# connections, the app server's keep-alive is set like this too.
KEEP_ALIVE="${KEEP_ALIVE:-75}"
OUT="var/bench-load"
BIN=.venv/bin
mkdir -p "$OUT"

random_secret() { "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))'; }
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_SECRET_KEY="$(random_secret)"
export HAMKORI_CODE_PEPPER="$(random_secret)"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
export DJANGO_SECURE_SSL_REDIRECT=false
export HAMKORI_TRUSTED_PROXIES=127.0.0.1
export DJANGO_LOG_LEVEL=WARNING
export DJANGO_MEDIA_ROOT="$OUT/media"

# Trainee accounts: one per sign-in; a simulated trainee signs in about every 8 s, so this is
# ample, with a separate share per run so that no run meets a test already submitted.
max_users=0
for users in $USERS; do [ "$users" -gt "$max_users" ] && max_users=$users; done
PER_RUN=$(( max_users * RUN_TIME / 3 + 100 ))
RUNS=$(wc -w <<<"$USERS")

echo "Creating the database, migrating and loading the demo and bench data ..."
bench/prepare_demo_database.sh "$OUT"
"$BIN/python" bench/load_data.py --trainees $(( PER_RUN * RUNS )) --out "$OUT/data.json"

echo "Starting gunicorn (gthread, $WORKERS workers × $THREADS threads) on 127.0.0.1:$PORT ..."
"$BIN/gunicorn" config.wsgi --preload --bind "127.0.0.1:$PORT" --worker-class gthread --workers "$WORKERS" \
  --threads "$THREADS" --keep-alive "$KEEP_ALIVE" --log-level warning --error-logfile "$OUT/gunicorn.log" &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
bench/wait_for_server.sh "$PORT"

status=0
run=0
for users in $USERS; do
  echo "Locust: $users users for ${RUN_TIME}s (spawn rate $SPAWN_RATE/s) ..."
  "$BIN/python" bench/cpu_use.py snapshot "$OUT/cpu-before-u$users.json"
  # `times` in this shell (not a $(…) subshell, which would count its own children): around the
  # locust command, its ended children's seconds are locust's, on the cores the server needed.
  times >"$OUT/times-before-u$users.txt"
  started=$(date +%s.%N)
  BENCH_LOAD_DATA="$OUT/data.json" BENCH_TRAINEE_START=$(( run * PER_RUN )) \
    "$BIN/locust" -f bench/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    --users "$users" --spawn-rate "$SPAWN_RATE" --run-time "${RUN_TIME}s" --stop-timeout 10 \
    --csv "$OUT/u$users" --only-summary --loglevel WARNING >"$OUT/locust-u$users.log" 2>&1 || true
  times >"$OUT/times-after-u$users.txt"
  elapsed=$("$BIN/python" -c "import sys, time; print(time.time() - float(sys.argv[1]))" "$started")
  "$BIN/python" bench/cpu_use.py snapshot "$OUT/cpu-after-u$users.json"
  "$BIN/python" bench/load_table.py "$OUT/u${users}_stats.csv" "$users users, ${RUN_TIME} s" || status=1
  "$BIN/python" bench/cpu_use.py report "$OUT/cpu-before-u$users.json" "$OUT/cpu-after-u$users.json" \
    "$elapsed" "$OUT/u${users}_stats.csv" "$OUT/times-before-u$users.txt" "$OUT/times-after-u$users.txt"
  run=$(( run + 1 ))
done
if [ -s "$OUT/gunicorn.log" ]; then
  echo "gunicorn logged (first lines of $OUT/gunicorn.log):"
  head -20 "$OUT/gunicorn.log"
fi
exit "$status"
