#!/usr/bin/env bash
# Builds icsim and runs the whole test suite (installing any missing dependency first).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)"
