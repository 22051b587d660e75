#!/bin/sh
# Installs every dependency, builds wm with warnings as errors and runs all tests
# (unit, cli, and ssh: the ssh tests need root for the network-namespace testbed).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -G Ninja -DWM_WERROR=ON
cmake --build build
cd build
# Two at a time: the ssh tests run one after another (RESOURCE_LOCK testbed) while the unit and
# local-rack tests share the other slot, which about halves the wall time on two cores.
ctest --output-on-failure --timeout 900 -j2 "$@"
