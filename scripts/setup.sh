#!/usr/bin/env bash
# Set up a fresh machine for Marsad: a virtual environment at .venv with requirements.txt,
# and, with --browser / --postgis, Debian's chromium and PostGIS (tests and PNG export need them).
set -euo pipefail
cd "$(dirname "$0")/.."

want_apt=()
for arg in "$@"; do
  case "$arg" in
    --browser) want_apt+=(chromium fonts-noto-core) ;;
    --postgis) want_apt+=(postgresql-15-postgis-3) ;;
    *) echo "setup.sh: unknown option $arg (use --browser, --postgis)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${want_apt[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! cmp -s requirements.txt .venv/.requirements.installed 2>/dev/null; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  cp requirements.txt .venv/.requirements.installed
fi
