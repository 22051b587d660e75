#!/bin/sh
# Builds the libFuzzer targets with clang (separate build dir) and fuzzes the manifest loader for
# a bounded time. Usage: scripts/fuzz.sh [SECONDS]   (default 30). Exit 0: no crash, leak,
# timeout (> 10 s for one input) or memory blow-up (> 1 GiB) found; the crashing input is
# written to build-fuzz/ otherwise.
set -eu
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-30}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWM_FUZZ=ON -DWM_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz --target wm_fuzz_manifest
WORKCORPUS=build-fuzz/corpus-manifest
mkdir -p "$WORKCORPUS"
cd build-fuzz
./tests/fuzz/wm_fuzz_manifest -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=1024 \
  -max_len=4096 -print_final_stats=1 "corpus-manifest" "../tests/fuzz/corpus/manifest"
