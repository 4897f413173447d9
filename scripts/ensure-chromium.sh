#!/usr/bin/env bash
# Browser tests drive Debian's chromium through playwright-core, which never
# downloads a browser of its own; fonts-noto-cjk renders the Chinese pages.
# Installs what is missing when we may (root + apt).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/share/fonts/opentype/noto/NotoSansCJK*" >/dev/null || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} for the browser tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "missing ${missing[*]}: install with sudo apt-get install ${missing[*]} to run the browser tests" >&2
  exit 1
fi
