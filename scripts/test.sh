#!/bin/sh
# Installs every dependency, builds wm with warnings as errors and runs all tests
# (unit, cli, and ssh: the ssh tests need root for the network-namespace testbed).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -G Ninja -DWM_WERROR=ON
cmake --build build
cd build
ctest --output-on-failure --timeout 900 "$@"
