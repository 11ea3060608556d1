#!/usr/bin/env bash
# Install screenpilot and run the main job on the embedded default (no weights, no GPU).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
SCREENPILOT_SECRET_PASSWORD=wonderland .venv/bin/screenpilot run \
  "log in as alice and open the invoices tab" \
  --env fake --policy script -P file=examples/fake_login.jsonl --secret password "$@"
