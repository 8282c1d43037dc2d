#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb in a temporary folder,
# start it on a free loopback port, export DATABASE_URL, run the command, and always
# stop and remove the cluster afterwards, whether the command passed or failed.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

PG_BIN="$(find_pg_bin || true)"
if [ -z "$PG_BIN" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL from Debian ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PG_BIN="$(find_pg_bin)"
  else
    echo "PostgreSQL is not installed. Install it: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi

as_db_user() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

CLUSTER_DIR="$(mktemp -d /tmp/hamkori-pg.XXXXXX)"
[ "$(id -u)" = "0" ] && chown postgres: "$CLUSTER_DIR"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

cleanup() {
  as_db_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$CLUSTER_DIR"
}
trap cleanup EXIT INT TERM

echo "Starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PORT in $CLUSTER_DIR"
as_db_user "$PG_BIN/initdb" --pgdata="$CLUSTER_DIR/data" --username=postgres --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1 \
  || { cat "$CLUSTER_DIR/initdb.log" >&2; exit 1; }
as_db_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$CLUSTER_DIR/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/hamkori"
set +e
"$@"
status=$?
set -e
exit "$status"
