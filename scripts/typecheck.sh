#!/usr/bin/env bash
# Type-check the installed layout. The repository's folders install as screenpilot.<folder>
# (setuptools package-dir), which mypy cannot follow through an editable install, so the
# package is mirrored as a tree of symbolic links under .typecheck/ and checked there.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=.typecheck/screenpilot
rm -rf .typecheck
mkdir -p "$tree"
for f in screenpilot/*; do ln -s "../../$f" "$tree/"; done
# every top-level package folder except the root facade, the tests and the maintainer tools
for init in */__init__.py; do
  layer=${init%/__init__.py}
  case "$layer" in screenpilot | tests | devtools) continue ;; esac
  ln -s "../../$layer" "$tree/$layer"
done
exec .venv/bin/mypy "$tree" devtools "$@"
