#!/usr/bin/env bash
# Refresh the README's pictures: the browser test that clicks a feature photographs the dashboard
# with its popup, source and quote (docs/screenshot.png); the analyst's-loop tests photograph the
# report view and the review queue (docs/report.png, docs/review.png). This copies them over.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
.venv/bin/python -m pytest -q tests/e2e/test_app.py -k clicking_a_feature_shows_its_source_and_quote
.venv/bin/python -m pytest -q tests/e2e/test_loop.py -k "report_opened or rejected_event"
cp tests/e2e/artifacts/screenshot.png docs/screenshot.png
cp tests/e2e/artifacts/report.png docs/report.png
cp tests/e2e/artifacts/review.png docs/review.png
echo "docs/screenshot.png, docs/report.png and docs/review.png refreshed"
