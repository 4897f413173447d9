#!/usr/bin/env bash
# Browser tests drive Debian's chromium through playwright-core, which never
# downloads a browser of its own. Installs it when missing and we may (root + apt).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing: install it (sudo apt-get install chromium) to run the browser tests" >&2
  exit 1
fi
