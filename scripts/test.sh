#!/usr/bin/env bash
# Builds tandem and runs the whole test suite (unit, property, integration, compatibility with the
# Lucene peer, fuzz regressions). Extra arguments go to ctest, e.g. `scripts/test.sh -L unit`.
#
#   scripts/test.sh              release build (build/release), all tests
#   scripts/test.sh --sanitize   debug build with ASan + UBSan (build/dev)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=release
if [[ "${1:-}" == "--sanitize" ]]; then preset=dev; shift; fi
jobs=$(nproc)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs" --timeout 1800 "$@"
