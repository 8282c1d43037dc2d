#!/usr/bin/env bash
# Stop early, naming what is missing and how to get it, rather than failing half-way through an install.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
missing=0

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "Hamkori needs Python 3.11 or newer as '$PYTHON'. Install it (Debian: apt-get install python3 python3-venv)." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Hamkori needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "Python's venv module is missing. Debian: apt-get install python3-venv" >&2
  missing=1
fi

apt_install() {
  # Install a Debian package when we are allowed to; otherwise say how.
  local package="$1" why="$2"
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $package ($why) ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "Missing $package ($why). Install it: sudo apt-get install $package" >&2
    missing=1
  fi
}

command -v msgfmt >/dev/null 2>&1 || apt_install gettext "compiles the Russian, Tajik and Kyrgyz translations"

exit "$missing"
