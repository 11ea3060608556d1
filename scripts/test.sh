#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite (slow suites included).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --full
exec .venv/bin/python -m pytest --durations=25 "$@"
