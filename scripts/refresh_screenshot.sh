#!/usr/bin/env bash
# Refresh the README's picture (docs/screenshot.png): the browser test that clicks a feature
# photographs the dashboard with its popup, source and quote; this copies that picture over.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
.venv/bin/python -m pytest -q tests/e2e/test_app.py -k clicking_a_feature_shows_its_source_and_quote
cp tests/e2e/artifacts/screenshot.png docs/screenshot.png
echo "docs/screenshot.png refreshed"
