#!/usr/bin/env bash
# Installs what icsim needs on Debian 12 (as root, or with sudo available).
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libsundials-dev libeigen3-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libtbb-dev
  libgtest-dev libbenchmark-dev
  r-base-core r-cran-desolve r-cran-survival
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
