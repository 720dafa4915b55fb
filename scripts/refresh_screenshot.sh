#!/usr/bin/env bash
# Refresh the README's pictures: the browser test that clicks a feature photographs the dashboard
# with its popup, source and quote (docs/screenshot.png); the analyst's-loop tests photograph the
# report view and the review queue (docs/report.png, docs/review.png); the map tests the first
# view, a filtered view, the timeline and the districts; the sizing tests the map sized by
# fatalities and the fatalities per district and month. This copies them over.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
.venv/bin/python -m pytest -q tests/e2e/test_app.py -k clicking_a_feature_shows_its_source_and_quote
.venv/bin/python -m pytest -q tests/e2e/test_loop.py -k "report_opened or rejected_event"
.venv/bin/python -m pytest -q tests/e2e/test_readable.py tests/e2e/test_app_filters.py tests/e2e/test_app_time.py \
    -k "first_view or regional_claims or brushing or district"
.venv/bin/python -m pytest -q tests/e2e/test_map_sizing.py -k "draws_circles or district_fatalities"
cp tests/e2e/artifacts/screenshot.png docs/screenshot.png
cp tests/e2e/artifacts/report.png docs/report.png
cp tests/e2e/artifacts/review.png docs/review.png
for picture in first_view filtered timeline districts sized district_fatalities; do
    cp "tests/e2e/artifacts/$picture.png" "docs/$picture.png"
done
echo "docs/*.png refreshed"
