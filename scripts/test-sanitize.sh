#!/usr/bin/env bash
# Builds icsim with AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/)
# and runs the bad-input tests under them (ctest Sanitize.BadInput: the hostile-input
# corpus, the command-line rejections). Any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DICSIM_SANITIZE=ON -DICSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build-sanitize -j"$(nproc)" --target icsim icsim_tests
cd build-sanitize
ctest --output-on-failure -R '^Sanitize\.'
