#!/bin/bash
# Redeploying the same commit to 3 test hosts (nothing built, nothing uploaded) against one
# parallel round of OpenSSH `ssh host true` on the same hosts; prints both medians and the ratio.
# Usage (as root, testbed up): WM=build/cli/wm WM_SOURCE_DIR=$PWD TB=build/testbed \
#   bench/deploy.sh [RUNS]
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${WM:?set WM to the wm binary}" "${TB:?set TB to the testbed state dir}"
WM=$(realpath "$WM") TB=$(realpath "$TB") WM_SOURCE_DIR=$(realpath "${WM_SOURCE_DIR:-$ROOT}")
export WM TB WM_SOURCE_DIR
source "$ROOT/tests/testbed/lib.sh"
source "$ROOT/tests/ssh/deploy_hosts.inc"
RUNS=${1:-3}
H=(7 8 9)
setup_rack "${H[@]}"
SSHO=(-i "$TB/id_ed25519" -o UserKnownHostsFile="$TB/known_hosts" -o StrictHostKeyChecking=yes
      -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=5 -o LogLevel=ERROR)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # name command...: the median wall time of RUNS runs in ms
  local name=$1; shift
  for _ in $(seq 1 "$RUNS"); do
    local t0; t0=$(now_ms)
    "$@" > /dev/null 2>&1 || { echo "$name failed" >&2; exit 1; }
    echo $(( $(now_ms) - t0 ))
  done | median
}
parallel_ssh() {
  local pids=() i
  for i in "${H[@]}"; do ssh "${SSHO[@]}" "root@$(addr "$i")" true & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
}

wm deploy > /dev/null 2>&1 || fail "first deploy"
json=$(wm deploy --json 2>/dev/null | tail -n 1)
[ "$(jq -c '.stacks[0].uploaded_to' <<<"$json")" = "[]" ] || fail "redeploy uploaded a slug"
ssh_ms=$(measure "parallel ssh true" parallel_ssh)
deploy_ms=$(measure "wm deploy (same commit)" wm deploy)
printf 'hosts: %s\n' "${#H[@]}"
printf 'parallel ssh true round: %s ms (median of %s)\n' "$ssh_ms" "$RUNS"
printf 'wm deploy, same commit:  %s ms (median of %s)\n' "$deploy_ms" "$RUNS"
printf 'ratio: %s\n' "$(awk -v a="$deploy_ms" -v b="$ssh_ms" 'BEGIN {printf "%.1f", a / b}')"
