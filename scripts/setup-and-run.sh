#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install dependencies, build, and run
# the default virtual trial (1,000 patients on belantamab mafodotin 2.5 mg/kg Q3W).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/icsim simulate scenarios/belantamab-cohort.yaml -o results/belantamab-cohort
