#!/usr/bin/env bash
# Fails if a C++ file differs from what clang-format 14 makes of it (.clang-format). `--fix` rewrites.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^tests/data/')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format-14 -i "${files[@]}"
else
  clang-format-14 --dry-run --Werror "${files[@]}"
  echo "clang-format: ${#files[@]} files formatted"
fi
