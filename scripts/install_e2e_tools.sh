#!/usr/bin/env bash
# Install what the browser tests need: Debian's Chromium, Java for the Nu HTML checker,
# and the npm packages axe-core and vnu-jar. Each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need_apt[*]} from Debian ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "The browser tests need: ${need_apt[*]}. Install them: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
   || [ package.json -nt node_modules/.installed ]; then
  echo "Installing axe-core and vnu-jar from npm ..."
  npm install --no-audit --no-fund --silent
  touch node_modules/.installed
fi
