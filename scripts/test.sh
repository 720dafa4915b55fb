#!/usr/bin/env bash
# Set up and run every test: unit, golden, the PostGIS store contract, and the browser (e2e) tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser --postgis
# A private PostGIS cluster on 127.0.0.1 for the store contract tests; stopped on exit.
eval "$(bash scripts/start_postgis.sh)"
# The OpenID Connect provider the login tests sign in with, on 127.0.0.1; stopped on exit too.
eval "$(bash scripts/start_oidc.sh)"
trap 'bash scripts/start_oidc.sh --stop "$MARSAD_TEST_OIDC_PID"; bash scripts/start_postgis.sh --stop "$MARSAD_TEST_PG_DIR" >/dev/null 2>&1 || true' EXIT
.venv/bin/python -m pytest "$@"
