#!/usr/bin/env bash
# Install screenpilot and run the main job on the embedded default (no weights, no GPU):
# the offline policy (OCR + page elements) carries out a sign-in task on a bundled page in
# headless Chromium, and the run is recorded under runs/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec .venv/bin/screenpilot demo --out runs "$@"
