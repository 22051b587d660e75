#!/bin/bash
# `wm rack exec` on N test hosts vs N sequential OpenSSH `ssh host true` (the baseline, measured
# in the same run) and, when installed, an ansible ad-hoc `-m command -a true`.
# Usage (as root, testbed up): WM=build/cli/wm TB=/tmp/wm-testbed bench/rack_exec.sh [N] [RUNS]
source "$(dirname "$0")/../tests/testbed/lib.sh"
N=${1:-10}
RUNS=${2:-5}
SSHO=(-i "$TB/id_ed25519" -o UserKnownHostsFile="$TB/known_hosts" -o StrictHostKeyChecking=yes
      -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=5 -o LogLevel=ERROR)
args=()
for i in $(seq 1 "$N"); do args+=(--server "$(addr "$i")"); done
wm rack add bench "${args[@]}" --key "$TB/id_ed25519" > /dev/null
cp "$TB/known_hosts" "$ST/known_hosts"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # name command...: prints the median wall time of RUNS runs in ms
  local name=$1; shift
  for _ in $(seq 1 "$RUNS"); do
    local t0; t0=$(now_ms)
    "$@" > /dev/null 2>&1 || { echo "$name failed" >&2; exit 1; }
    echo $(( $(now_ms) - t0 ))
  done | median
}
sequential_ssh() { for i in $(seq 1 "$N"); do ssh "${SSHO[@]}" "root@$(addr "$i")" true; done; }
one_ssh() { ssh "${SSHO[@]}" "root@$(addr 1)" true; }

base=$(measure "ssh x$N sequential" sequential_ssh)
one=$(measure "ssh x1" one_ssh)
wmx=$(measure "wm rack exec" wm rack exec bench -- true)
printf '%-40s %8s ms\n' "1 x ssh host true" "$one"
printf '%-40s %8s ms  (baseline)\n' "$N x ssh host true, sequential" "$base"
printf '%-40s %8s ms  %.2fx baseline (%.1fx faster)\n' "wm rack exec ($N hosts, 8 parallel)" "$wmx" \
  "$(echo "$wmx / $base" | bc -l)" "$(echo "$base / $wmx" | bc -l)"
if command -v ansible > /dev/null; then
  inv=$WORK/inventory.ini
  { echo "[bench]"; for i in $(seq 1 "$N"); do echo "$(addr "$i") ansible_user=root"; done; } > "$inv"
  export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_PRIVATE_KEY_FILE=$TB/id_ed25519
  ans=$(measure "ansible" ansible -i "$inv" bench -f 10 -m command -a true)
  printf '%-40s %8s ms  %.2fx baseline\n' "ansible -m command -a true (forks 10)" "$ans" \
    "$(echo "$ans / $base" | bc -l)"
else
  echo "ansible: not installed, skipped"
fi
