#!/bin/sh
# Fails (exit 1) listing every C++ file of the tree that clang-format would change.
# Usage: scripts/check-format.sh [--fix]
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files 'lib/*.cpp' 'lib/*.hpp' 'cli/*.cpp' 'cli/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp')
if [ "${1:-}" = "--fix" ]; then
  # shellcheck disable=SC2086
  clang-format -i $files
  exit 0
fi
bad=""
for f in $files; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
  echo "not formatted (run scripts/check-format.sh --fix):"
  for f in $bad; do echo "  $f"; done
  exit 1
fi
echo "formatted: $(echo "$files" | wc -w) files"
