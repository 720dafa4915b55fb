#!/usr/bin/env bash
# Set up and start the dashboard on the embedded GeoPackage store (var/marsad.gpkg by default,
# MARSAD_DB to choose another); the first start ingests the sample reports in data/samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser   # chromium draws the PNG snapshots
exec .venv/bin/streamlit run app.py --server.headless true "$@"
